"""How problems reach people and machines: grouped by file with the YAML line and a caret, or as JSON.

Secretaries read the human form: one header per file, then each problem with
its line and column, the line of their file it is about and a caret under the
spot. CI reads the JSON form (``--json``), which carries the same facts.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from reporting.errors import Problem, column_letter
from reporting.source.field_labels import field_label
from reporting.tool_language import SOURCE_LANGUAGE, _, current, isolate, n_, number

SOURCE_WIDTH = 120  # characters of a source line shown under a problem
# Invisible characters in an echoed source line, shown as the symbols Unicode has for them
# (a NUL or an escape sequence must not reach the terminal as it is).
_VISIBLE = {code: 0x2400 + code for code in range(0x20) if code != 0x09} | {
    0x7F: 0x2421,
    0x85: 0x2424,
    0x2028: 0x2424,
    0x2029: 0x00B6,
}
# SGR codes; only these few, so the text stays readable on any terminal theme.
_BOLD, _RED, _YELLOW, _CYAN, _DIM, _RESET = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[2m", "\033[0m"


def wants_colour(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour for a terminal, as CPython decides it: NO_COLOR wins, then FORCE_COLOR, then TERM=dumb, then isatty."""
    variables = os.environ if environ is None else environ
    if variables.get("NO_COLOR"):
        return False
    if variables.get("FORCE_COLOR"):
        return True
    if variables.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Painter:
    """Wraps text in colour codes, or leaves it alone when colour is off."""

    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if self.colour and text else text

    def error_label(self) -> str:
        return self(_("error:"), _BOLD, _RED)

    def warning_label(self) -> str:
        return self(_("warning:"), _BOLD, _YELLOW)


def render_problems(problems: list[Problem], root: Path, paint: Painter) -> str:
    """Every problem, grouped by file in the order given, each with its source line and a caret."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(str(problem.file), []).append(problem)
    blocks = []
    for file, found in by_file.items():
        lines = _source_lines(file, root)
        width = max(len(str(p.line or p.row or "")) for p in found)  # one gutter per file, so the bars line up
        header = f"{paint.error_label()} {paint(isolate(file), _BOLD)}: {_problem_count(len(found))}"
        blocks.append("\n".join([header, *(_render_one(p, lines, width, paint) for p in found)]))
    return "\n".join(blocks)


def summary(problems: list[Problem]) -> str:
    files = len({str(p.file) for p in problems})
    return n_("{problems} in {count} file", "{problems} in {count} files", files).format(
        problems=_problem_count(len(problems)), count=number(files)
    )


def problems_json(problems: list[Problem]) -> list[dict]:
    """The machine-readable form of each problem: where, which field (``field_label``: the clerk's name
    for it in the tool's language, or None), its kind as a stable English ``code`` (the list is in
    docs/architecture.md), and expected, found and the whole message in the tool's language."""
    return [
        {
            "code": p.code,
            "file": str(p.file),
            "line": p.line,
            "column": p.column,
            "field": p.field or None,
            "field_label": label_of(p),
            "expected": p.expected,
            "found": p.found,
            "message": p.message,
            **(
                {
                    "sheet": p.sheet,
                    "row": p.row,
                    "column_letter": column_letter(p.column) if p.column else None,
                    "header": p.header,
                }
                if p.in_sheet
                else {}
            ),
        }
        for p in problems
    ]


def write_json(document: dict, stream: TextIO) -> None:
    json.dump(document, stream, ensure_ascii=False, indent=2, sort_keys=True)
    stream.write("\n")


def _render_one(problem: Problem, lines: list[str] | None, width: int, paint: Painter) -> str:
    if problem.in_sheet:
        return _render_cell(problem, width, paint)
    where = isolate(":".join(str(n) for n in (problem.line, problem.column) if n is not None))
    field = _field_text(problem, paint)
    head = "  " + " ".join(part for part in (paint(where, _CYAN), field, str(problem.message)) if part)
    if lines is None or problem.line is None or not 1 <= problem.line <= len(lines):
        return head
    source, column = source_window(lines[problem.line - 1], problem.column)
    number = str(problem.line).rjust(width)
    rendered = [head, f"    {paint(number, _DIM)} {paint('|', _DIM)} {source}"]
    if column is not None:
        gutter = " " * (width + 4)
        rendered.append(f"{gutter} {paint('|', _DIM)} {_caret_indent(source, column)}{paint('^', _BOLD, _RED)}")
    return "\n".join(rendered)


def label_of(problem: Problem) -> str | None:
    """The clerk's name for the problem's field in the tool's language (``ngày họp`` for ``date``);
    None for a field without one, and for reporting.toml's keys (the maintainer's, not the clerk's)."""
    if not problem.field or str(problem.file).endswith(".toml"):
        return None
    return field_label(problem.field)


def _field_text(problem: Problem, paint: Painter) -> str:
    """``date:`` in English (the key is the English word); ``date (ngày họp):`` in other languages."""
    if not problem.field:
        return ""
    label = label_of(problem) if current() != SOURCE_LANGUAGE else None
    shown = paint(isolate(problem.field), _BOLD) + (f" ({label})" if label else "")
    return shown + ":"


def _render_cell(problem: Problem, width: int, paint: Painter) -> str:
    """A spreadsheet problem: its cell, then the row as the sheet shows it with a caret under the cell."""
    field = _field_text(problem, paint)
    head = "  " + " ".join(
        part for part in (paint(problem.cell_location, _CYAN) + ":", field, str(problem.message)) if part
    )
    if not problem.cells:
        return head
    row, caret_at = sheet_row_text(problem.cells, problem.column)
    number = str(problem.row).rjust(width)
    rendered = [head, f"    {paint(number, _DIM)} {paint('|', _DIM)} {row}"]
    if caret_at is not None:
        gutter = " " * (width + 4)
        rendered.append(f"{gutter} {paint('|', _DIM)} {_caret_indent(row, caret_at + 1)}{paint('^', _BOLD, _RED)}")
    return "\n".join(rendered)


CELL_WIDTH = 24  # characters of a cell shown; longer texts end with an ellipsis


def sheet_row_text(cells: tuple[str, ...], column: int | None) -> tuple[str, int | None]:
    """The row's cells joined by ``|`` (each cut to CELL_WIDTH), and where ``column``'s cell starts."""
    parts, caret_at, length = [], None, 0
    for position, cell in enumerate(cells, 1):
        text = " ".join(cell.split()).translate(_VISIBLE)  # no control character reaches the terminal
        text = text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"
        if position == column:
            caret_at = length
        parts.append(text)
        length += len(text) + 3
    if column is not None and caret_at is None:  # an empty cell past the row's last value
        caret_at = length
    return " | ".join(parts), caret_at


def source_window(source: str, column: int | None, width: int = SOURCE_WIDTH) -> tuple[str, int | None]:
    """A long source line cut to ``width`` characters around ``column``, with ellipses where it was cut,
    and the column in the cut line (a pasted 2 MB line must not fill the terminal)."""
    source = source.translate(_VISIBLE)
    if len(source) <= width:
        return source, column
    start = max(0, min((column or 1) - 1 - width // 2, len(source) - width))
    cut = source[start : start + width]
    before, after = ("…" if start > 0 else ""), ("…" if start + width < len(source) else "")
    return before + cut + after, None if column is None else column - start + len(before)


def _caret_indent(source: str, column: int) -> str:
    """Blanks as wide on screen as the text before ``column`` (1-based): tabs kept, wide letters doubled,
    marks skipped."""
    indent = []
    for char in source[: column - 1]:
        if char == "\t":
            indent.append("\t")
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        else:
            indent.append("  " if unicodedata.east_asian_width(char) in ("W", "F") else " ")
    return "".join(indent)


def _source_lines(file: str, root: Path) -> list[str] | None:
    path = Path(file)
    path = path if path.is_absolute() else root / path
    try:
        # Only the breaks an editor shows: splitlines() would also break at U+2028 and shift every line after it.
        return [line.removesuffix("\r") for line in path.read_text(encoding="utf-8", errors="replace").split("\n")]
    except OSError:  # the problem may be that the file cannot be read at all
        return None


def _problem_count(count: int) -> str:
    return n_("{count} problem", "{count} problems", count).format(count=number(count))
