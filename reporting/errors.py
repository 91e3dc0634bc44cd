"""One exception family: every expected failure says where, what was expected, what was found."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Every message follows the convention "expected X, found Y" (DESIGN.md), so the two
# halves can be given to machines (--json) without each raise site spelling them twice.
# A " — hint" after the found value (" — fill this in") is advice, not part of what was found.
_EXPECTED_FOUND = re.compile(r"expected (?P<expected>.+?), found (?P<found>.+?)(?: — .*)?$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, printable as ``file:line:col: field: message``.

    A problem in a spreadsheet has no line: it names the ``sheet`` (None for CSV), the ``row``, the
    ``column`` number and the ``header`` of that column, and carries the row's ``cells`` as text so
    reports can show the offending row as they show a YAML line.
    """

    file: Path | str
    line: int | None
    column: int | None
    field: str
    message: str
    sheet: str | None = None
    row: int | None = None
    header: str | None = None
    cells: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.in_sheet:
            return f"{self.file}: {self.cell_location}: {self.message}"
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    @property
    def in_sheet(self) -> bool:
        """A problem located by sheet and row (a spreadsheet), not by line and column (YAML)."""
        return self.sheet is not None or self.row is not None

    @property
    def cell_location(self) -> str:
        """``sheet "Cá nhân", row 17, column C (Chức vụ)`` (without the sheet for a CSV file)."""
        parts = [f'sheet "{self.sheet}"'] if self.sheet is not None else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {column_letter(self.column)}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)

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


def column_letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: columns as spreadsheet programs name them."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _problem_order(problem: Problem) -> tuple:
    return (str(problem.file), problem.sheet or "", problem.line or problem.row or 0, problem.column or 0,
            problem.field)
