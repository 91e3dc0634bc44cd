"""How problems reach people and machines: grouped by file with the YAML line and a caret, or as JSON.

Secretaries read the human form: one header per file, then each problem with
its line and column, the line of their file it is about and a caret under the
spot. CI reads the JSON form (``--json``), which carries the same facts.
"""
from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import TextIO

from reporting.errors import Problem

SOURCE_WIDTH = 120  # characters of a source line shown under a problem
# Invisible characters in an echoed source line, shown as the symbols Unicode has for them
# (a NUL or an escape sequence must not reach the terminal as it is).
_VISIBLE = {code: 0x2400 + code for code in range(0x20) if code != 0x09} | {0x7F: 0x2421, 0x85: 0x2424,
                                                                             0x2028: 0x2424, 0x2029: 0x00B6}
# SGR codes; only these few, so the text stays readable on any terminal theme.
_BOLD, _RED, _YELLOW, _CYAN, _DIM, _RESET = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[2m", "\033[0m"


def wants_colour(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Colour for a terminal, as CPython decides it: NO_COLOR wins, then FORCE_COLOR, then TERM=dumb, then isatty."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
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
        return self("error:", _BOLD, _RED)

    def warning_label(self) -> str:
        return self("warning:", _BOLD, _YELLOW)


def render_problems(problems: list[Problem], root: Path, paint: Painter) -> str:
    """Every problem, grouped by file in the order given, each with its source line and a caret."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(str(problem.file), []).append(problem)
    blocks = []
    for file, found in by_file.items():
        lines = _source_lines(file, root)
        width = max(len(str(p.line or "")) for p in found)  # one gutter per file, so the bars line up
        header = f"{paint.error_label()} {paint(file, _BOLD)}: {_count(len(found), 'problem')}"
        blocks.append("\n".join([header, *(_render_one(p, lines, width, paint) for p in found)]))
    return "\n".join(blocks)


def summary(problems: list[Problem]) -> str:
    files = {str(p.file) for p in problems}
    return f"{_count(len(problems), 'problem')} in {_count(len(files), 'file')}"


def problems_json(problems: list[Problem]) -> list[dict]:
    """The machine-readable form of each problem: where, which field, expected, found, the whole message."""
    return [{"file": str(p.file), "line": p.line, "column": p.column, "field": p.field or None,
             "expected": p.expected, "found": p.found, "message": p.message} for p in problems]


def write_json(document: dict, stream: TextIO) -> None:
    json.dump(document, stream, ensure_ascii=False, indent=2, sort_keys=True)
    stream.write("\n")


def _render_one(problem: Problem, lines: list[str] | None, width: int, paint: Painter) -> str:
    where = ":".join(str(n) for n in (problem.line, problem.column) if n is not None)
    field = paint(problem.field, _BOLD) + ":" if problem.field else ""
    head = "  " + " ".join(part for part in (paint(where, _CYAN), field, problem.message) if part)
    if lines is None or problem.line is None or not 1 <= problem.line <= len(lines):
        return head
    source, column = source_window(lines[problem.line - 1], problem.column)
    number = str(problem.line).rjust(width)
    rendered = [head, f"    {paint(number, _DIM)} {paint('|', _DIM)} {source}"]
    if column is not None:
        gutter = " " * (width + 4)
        rendered.append(f"{gutter} {paint('|', _DIM)} {_caret_indent(source, column)}{paint('^', _BOLD, _RED)}")
    return "\n".join(rendered)


def source_window(source: str, column: int | None, width: int = SOURCE_WIDTH) -> tuple[str, int | None]:
    """A long source line cut to ``width`` characters around ``column``, with ellipses where it was cut,
    and the column in the cut line (a pasted 2 MB line must not fill the terminal)."""
    source = source.translate(_VISIBLE)
    if len(source) <= width:
        return source, column
    start = max(0, min((column or 1) - 1 - width // 2, len(source) - width))
    cut = source[start:start + width]
    before, after = ("…" if start > 0 else ""), ("…" if start + width < len(source) else "")
    return before + cut + after, None if column is None else column - start + len(before)


def _caret_indent(source: str, column: int) -> str:
    """Blanks as wide on screen as the text before ``column`` (1-based): tabs kept, wide letters doubled, marks skipped."""
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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
