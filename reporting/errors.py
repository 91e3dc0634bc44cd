"""One exception family: every expected failure says where, what was expected, what was found."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

from reporting.tool_language import N_, SOURCE_LANGUAGE, _, current, date, is_right_to_left, isolate, n_, number

# The code of a problem whose raise site gave none; ``--json`` always carries a code. No data problem
# is left with it: every raise site under reporting/source/ and in config.py names its kind
# (the codes are listed in docs/architecture.md).
GENERIC_CODE = "invalid-value"


@dataclass(frozen=True)
class Expected:
    """What a field should hold and what it holds instead: the two halves of every problem message
    ("expected X, found Y"), kept apart so machines (--json) get them without parsing the text.
    A hint (" — fill this in") is advice, not part of what was found.

    The texts are in the tool's language (the raise site translates them with ``_()``); ``code`` is the
    problem's kind in stable English (``invalid-date``, ``unknown-field``) for machines and tests."""

    expected: str
    found: str
    hint: str = ""
    code: str = GENERIC_CODE

    def __str__(self) -> str:
        return _("expected {expected}, found {found}").format(expected=self.expected, found=self.found) + self.hint


class Mismatch(ValueError):
    """A validator's ``Expected``, raised inside pydantic and read back whole from its error."""

    def __init__(self, expected: str, found: str, hint: str = "", code: str = GENERIC_CODE):
        self.detail = Expected(expected, found, hint, code)
        super().__init__(str(self.detail))


# A value quoted in a message is cut to this many characters: a 2 MB pasted text must not
# be echoed back in full (and a terminal or log would choke on it).
QUOTE_LIMIT = 80
# A whole message is cut at this length, whatever a raise site put into it.
MESSAGE_LIMIT = 600


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` whole if it is short, else its start and end around an ellipsis saying how much was left out."""
    if len(text) <= limit:
        return text
    keep = max(limit - 30, 10)
    head, tail = text[: keep * 2 // 3], text[-(keep // 3) :]
    left_out = len(text) - len(head) - len(tail)
    gap = n_("{count} character left out", "{count} characters left out", left_out).format(count=number(left_out))
    return f"{head}… ({gap}) …{tail}"


# Unicode's first-strong isolate: a value from the clerk's file may be Arabic or Latin, and takes the
# direction of its own first letter inside a right-to-left message (UAX #9, rule X5c); ``isolate``'s
# left-to-right isolate would set the words of an Arabic value in the wrong order.
FSI, PDI = "\u2068", "\u2069"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value quoted from the clerk's file in a message: ``'2024-02-30'`` (as Python quotes it, so a
    line break shows as ``\\n``), cut to ``limit`` characters, kept in its own direction inside a
    right-to-left message."""
    text = shorten(repr(str(value)), limit)
    return f"{FSI}{text}{PDI}" if is_right_to_left() else text


def shown_number(value: int | float) -> str:
    """A number in a message as the reader's locale writes it (``5,000``, ``5.000``, ``٥٬٠٠٠``)."""
    return number(value)


def shown_date(value: datetime.date) -> str:
    """A date in a message: in the reader's locale (``8 tháng 4, 2024``); ISO in English, as the data
    file writes it (``2024-04-08``), which is what an English-reading maintainer searches for."""
    return value.isoformat() if current() == SOURCE_LANGUAGE else date(value)


def text_of(value: object) -> str:
    """A clerk's text (a sheet's name, a heading) inside a message, in its own direction (see ``quoted``)."""
    return f"{FSI}{value}{PDI}" if is_right_to_left() and str(value) else str(value)


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, printable as ``file:line:col: field: message``.

    Made with an ``Expected`` as its message, it keeps ``expected`` and ``found`` as fields.
    A problem in a spreadsheet has no line: it names the ``sheet`` (None for CSV), the ``row``, the
    ``column`` number and the ``header`` of that column, and carries the row's ``cells`` as text so
    reports can show the offending row as they show a YAML line.
    """

    file: Path | str
    line: int | None
    column: int | None
    field: str
    message: str | Expected
    # (dataclasses.field in full: the attribute `field` above hides the bare name from type checkers.)
    expected: str | None = dataclasses.field(default=None, kw_only=True)
    found: str | None = dataclasses.field(default=None, kw_only=True)
    sheet: str | None = dataclasses.field(default=None, kw_only=True)
    row: int | None = dataclasses.field(default=None, kw_only=True)
    header: str | None = dataclasses.field(default=None, kw_only=True)
    cells: tuple[str, ...] = dataclasses.field(default=(), kw_only=True)
    # The problem's kind in stable English for --json; an ``Expected`` message brings its own.
    code: str = dataclasses.field(default=GENERIC_CODE, kw_only=True)

    def __post_init__(self) -> None:
        if isinstance(self.message, Expected):
            if self.code == GENERIC_CODE:
                object.__setattr__(self, "code", self.message.code)
            object.__setattr__(self, "expected", self.message.expected)
            object.__setattr__(self, "found", self.message.found)
            object.__setattr__(self, "message", str(self.message))
        # Whatever a raise site put in, no message echoes a pasted megabyte back.
        object.__setattr__(self, "message", shorten(str(self.message), MESSAGE_LIMIT))
        object.__setattr__(self, "field", shorten(self.field))
        for name in ("expected", "found"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, shorten(getattr(self, name), MESSAGE_LIMIT))

    def __str__(self) -> str:
        if self.in_sheet:
            return f"{self.file}: {self.cell_location}: {self.message}"
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        name = f" {self.field}:" if self.field else ""
        return f"{where}:{name} {self.message}"

    @property
    def in_sheet(self) -> bool:
        """A problem located by sheet and row (a spreadsheet), not by line and column (YAML)."""
        return self.sheet is not None or self.row is not None

    @property
    def cell_location(self) -> str:
        """``sheet "Cá nhân", row 17, column C (Chức vụ)`` (without the sheet for a CSV file), in the
        tool's language. The row number and column letter stay as the spreadsheet program labels
        them (Latin digits and letters), like a YAML problem's line and column."""
        parts = [_('sheet "{sheet}"').format(sheet=text_of(self.sheet))] if self.sheet is not None else []
        if self.row is not None:
            parts.append(_("row {row}").format(row=isolate(self.row)))
        if self.column is not None:
            letter = isolate(column_letter(self.column))
            parts.append(
                _("column {column} ({header})").format(column=letter, header=text_of(self.header))
                if self.header
                else _("column {column}").format(column=letter)
            )
        # TRANSLATORS: between the parts of a cell's location: sheet "X", row 17, column C
        return _(", ").join(parts)


class ReportingError(Exception):
    """Base of the errors the CLI reports as a clear message and exit code 1."""

    exit_code = 1


class DataError(ReportingError):
    """The data (or configuration) is invalid; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def about_file(cls, file: Path | str, detail: str | Expected, field: str = "", **where) -> DataError:
        """One problem with a whole file, at no line: missing, unreadable, too big, not what it says it is."""
        return cls([Problem(file, None, None, field, detail, **where)])


class TemplateError(ReportingError):
    """A template failed to load or render; the message names the template and line."""


class RenderError(ReportingError):
    """A writer could not produce its output from valid HTML."""


class EnvironmentProblem(ReportingError):
    """The machine lacks something the build needs (a library, a font); says what to install."""


def column_letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: columns as spreadsheet programs name them."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class OutputWriteError(ReportingError):
    """A file could not be written or created (disk full, read-only, no permission); names it."""


# What a system error means for someone running a build, by errno name.
# (Marked here, translated where shown: the table is built before the tool's language is chosen.)
_OS_ERRORS = {
    "ENOSPC": N_("the disk is full: free some space and build again"),
    "EDQUOT": N_("the disk quota is used up: free some space and build again"),
    "EROFS": N_("the file system is read-only: choose another --output"),
    "EACCES": N_("permission denied: choose a folder you may write to"),
    "EPERM": N_("permission denied: choose a folder you may write to"),
    "ENOTDIR": N_("a part of the path is a file, not a folder"),
    "EISDIR": N_("a folder is in the way of a file"),
    "EMFILE": N_("too many files are open: try fewer --jobs"),
}


def os_error_meaning(exc: OSError) -> str:
    """What a system error means for someone running a build, and what to do."""
    import errno

    meaning = _OS_ERRORS.get(errno.errorcode.get(exc.errno or 0, ""))
    # The system's own words (strerror) for the rest: English, as the C library says them.
    return _(meaning) if meaning else (exc.strerror or str(exc)).lower()


def describe_os_error(exc: OSError) -> str:
    """``cannot use FILE: what it means`` for a system error, without a traceback."""
    if exc.filename:
        return _("cannot use {file}: {meaning}").format(file=isolate(exc.filename), meaning=os_error_meaning(exc))
    return _("cannot use: {meaning}").format(meaning=os_error_meaning(exc))


class PeriodError(ReportingError):
    """A --period that names no period; a usage error."""

    exit_code = 2


class OutputBusy(ReportingError):
    """Another build is writing to the same output folder."""


class UnsafeOutput(ReportingError):
    """The output folder holds something the build must not write through or delete (a link, a
    staging folder it did not make)."""


class OutputOverlapsInputs(UnsafeOutput):
    """--output names the project, its data, templates or configuration: a usage error."""

    exit_code = 2


class ForeignFolder(ReportingError):
    """--output names a non-empty folder this program did not make (or a file): a usage error."""

    exit_code = 2


class TimeLimitExceeded(ReportingError):
    """A render job ran longer than ``build.job_time_limit_s`` allows."""


class BuildCancelled(ReportingError):
    """The build was stopped on request (the preview shutting down)."""


class SigningError(ReportingError):
    """The signing key cannot be used."""


class SelectionError(ReportingError):
    """The command line asked for an event or locale that does not exist: a usage error."""

    exit_code = 2


class PortUnavailable(ReportingError):
    """The port is taken (or not ours to use): nothing was built or served."""


class NewFileError(ReportingError):
    """No file to start from, or the new file would replace one."""


class PageOverflow(RenderError):
    """A document came out with more pages than it may have (a certificate is one page)."""

    def __init__(self, expected_pages: int, found_pages: int):
        self.expected_pages, self.found_pages = expected_pages, found_pages
        pages = n_("{count} page", "{count} pages", expected_pages).format(count=number(expected_pages))
        super().__init__(str(Expected(pages, number(found_pages), code="page-overflow")))


class StrictFailure(ReportingError):
    """``build --strict``: the build had warnings, so it fails and publishes nothing; lists every warning."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__(
            n_(
                "{count} warning with --strict; nothing was written.",
                "{count} warnings with --strict; nothing was written.",
                len(warnings),
            ).format(count=number(len(warnings)))
        )


class NewIdError(ReportingError):
    """``new --id`` is not a valid event id: a usage error, nothing written."""

    exit_code = 2


class OutputOptionError(ReportingError):
    """``--output`` cannot be a build's folder (it is a file, or below one): a usage error, nothing written."""

    exit_code = 2


def _problem_order(problem: Problem) -> tuple:
    return (
        str(problem.file),
        problem.sheet or "",
        problem.line or problem.row or 0,
        problem.column or 0,
        problem.field,
    )
