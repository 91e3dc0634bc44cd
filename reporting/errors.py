"""One exception family: every expected failure says where, what was expected, what was found."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Expected:
    """What a field should hold and what it holds instead: the two halves of every problem message
    ("expected X, found Y"), kept apart so machines (--json) get them without parsing the text.
    A hint (" — fill this in") is advice, not part of what was found."""

    expected: str
    found: str
    hint: str = ""

    def __str__(self) -> str:
        return f"expected {self.expected}, found {self.found}{self.hint}"


class Mismatch(ValueError):
    """A validator's ``Expected``, raised inside pydantic and read back whole from its error."""

    def __init__(self, expected: str, found: str, hint: str = ""):
        self.detail = Expected(expected, found, hint)
        super().__init__(str(self.detail))


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, printable as ``file:line:col: field: message``.

    Made with an ``Expected`` as its message, it keeps ``expected`` and ``found`` as fields."""

    file: Path | str
    line: int | None
    column: int | None
    field: str
    message: str | Expected
    expected: str | None = field(default=None, kw_only=True)
    found: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if isinstance(self.message, Expected):
            object.__setattr__(self, "expected", self.message.expected)
            object.__setattr__(self, "found", self.message.found)
            object.__setattr__(self, "message", str(self.message))

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        name = f" {self.field}:" if self.field else ""
        return f"{where}:{name} {self.message}"


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
        super().__init__(str(Expected(f"{expected_pages} page(s)", str(found_pages))))


def _problem_order(problem: Problem) -> tuple:
    return (str(problem.file), problem.line or 0, problem.column or 0, problem.field)
