"""One exception family: every expected failure says where, what was expected, what was found."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, printable as ``file:line:col: field: message``."""

    file: Path | str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


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


def _problem_order(problem: Problem) -> tuple:
    return (str(problem.file), problem.line or 0, problem.column or 0, problem.field)
