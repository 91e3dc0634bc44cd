"""One exception family: every expected failure says where, what was expected, what was found."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Every message follows the convention "expected X, found Y" (DESIGN.md), so the two
# halves can be given to machines (--json) without each raise site spelling them twice.
# A " — hint" after the found value (" — fill this in") is advice, not part of what was found.
_EXPECTED_FOUND = re.compile(r"expected (?P<expected>.+?), found (?P<found>.+?)(?: — .*)?$", re.DOTALL)


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
    head, tail = text[: keep * 2 // 3], text[-(keep // 3):]
    return f"{head}… ({len(text) - len(head) - len(tail):,} characters left out) …{tail}"


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, printable as ``file:line:col: field: message``."""

    file: Path | str
    line: int | None
    column: int | None
    field: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", shorten(self.message, MESSAGE_LIMIT))
        object.__setattr__(self, "field", shorten(self.field))

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    @property
    def expected(self) -> str | None:
        """What the field should hold, or None when the message does not say."""
        match = _EXPECTED_FOUND.search(self.message)
        return match["expected"] if match else None

    @property
    def found(self) -> str | None:
        """What the field holds instead, or None when the message does not say."""
        match = _EXPECTED_FOUND.search(self.message)
        return match["found"] if match else None


class ReportingError(Exception):
    """Base of the errors the CLI reports as a clear message and exit code 1."""

    exit_code = 1


class DataError(ReportingError):
    """The data (or configuration) is invalid; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(ReportingError):
    """A template failed to load or render; the message names the template and line."""


class RenderError(ReportingError):
    """A writer could not produce its output from valid HTML."""


class EnvironmentProblem(ReportingError):
    """The machine lacks something the build needs (a library, a font); says what to install."""


class OutputWriteError(ReportingError):
    """A file could not be written or created (disk full, read-only, no permission); names it."""


# What a system error means for someone running a build, by errno name.
_OS_ERRORS = {
    "ENOSPC": "the disk is full: free some space and build again",
    "EDQUOT": "the disk quota is used up: free some space and build again",
    "EROFS": "the file system is read-only: choose another --output",
    "EACCES": "permission denied: choose a folder you may write to",
    "EPERM": "permission denied: choose a folder you may write to",
    "ENOTDIR": "a part of the path is a file, not a folder",
    "EISDIR": "a folder is in the way of a file",
    "EMFILE": "too many files are open: try fewer --jobs",
}


def os_error_meaning(exc: OSError) -> str:
    """What a system error means for someone running a build, and what to do."""
    import errno

    return _OS_ERRORS.get(errno.errorcode.get(exc.errno or 0, "")) or (exc.strerror or str(exc)).lower()


def describe_os_error(exc: OSError) -> str:
    """``cannot use FILE: what it means`` for a system error, without a traceback."""
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot use{where}: {os_error_meaning(exc)}"


def _problem_order(problem: Problem) -> tuple:
    return (str(problem.file), problem.line or 0, problem.column or 0, problem.field)
