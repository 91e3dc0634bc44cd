"""A failed build as the preview shows it: each problem at ``file:line`` with the offending source line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reporting.build.watch import Outcome
from reporting.errors import DataError, Problem
from reporting.tool_language import _
from reporting.ui.problem_report import sheet_row_text, source_window

CONTEXT_LINES = 1  # lines shown before and after the offending one


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    offending: bool


@dataclass(frozen=True)
class ProblemView:
    location: str  # file:line:col
    field: str
    message: str
    source: tuple[SourceLine, ...] = ()
    column: int | None = None


def problem_views(outcome: Outcome) -> list[ProblemView]:
    """Nothing for a good build; one view per problem, or one for a template, writer or internal error."""
    if outcome.ok:
        return []
    if outcome.crash:
        return [ProblemView(_("internal error (a bug; please report it)"), "", outcome.crash)]
    if isinstance(outcome.error, DataError):
        return [_view(problem, outcome.project_root) for problem in outcome.error.problems]
    return [ProblemView(type(outcome.error).__name__, "", str(outcome.error))]


def _view(problem: Problem, root: Path | None) -> ProblemView:
    if problem.in_sheet:  # a spreadsheet cell: the offending row, as the report shows it
        row, caret_at = sheet_row_text(problem.cells, problem.column)
        source = (SourceLine(problem.row, row, True),) if problem.cells and problem.row else ()
        return ProblemView(
            f"{problem.file}: {problem.cell_location}",
            problem.field,
            str(problem.message),
            source,
            caret_at + 1 if caret_at is not None else None,
        )
    where = str(problem.file)
    if problem.line is not None:
        where += f":{problem.line}" + (f":{problem.column}" if problem.column is not None else "")
    # (A Problem's message is always text once made: an Expected given to it is turned into its words.)
    return ProblemView(where, problem.field, str(problem.message), _excerpt(problem, root), problem.column)


def _excerpt(problem: Problem, root: Path | None) -> tuple[SourceLine, ...]:
    """The offending line with one line around it, read from the file as it is now."""
    if problem.line is None:
        return ()
    path = Path(problem.file)
    if not path.is_absolute() and root is not None:
        path = root / path
    try:
        # Only the breaks an editor shows (splitlines() also breaks at U+2028 and would shift the lines).
        lines = [line.removesuffix("\r") for line in path.read_text(encoding="utf-8", errors="replace").split("\n")]
    except OSError:
        return ()
    first = max(problem.line - CONTEXT_LINES, 1)
    last = min(problem.line + CONTEXT_LINES, len(lines))
    column = problem.column if problem.column is not None else 1
    return tuple(
        SourceLine(n, source_window(lines[n - 1], column)[0], n == problem.line) for n in range(first, last + 1)
    )
