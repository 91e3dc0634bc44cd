"""A long table's column widths measured once on a few of its cells, then set as fixed widths.

WeasyPrint sizes a table of ``table-layout: auto`` (the awardee list: the number "as narrow as the
number", the name on one line) from the min- and max-content width of every one of its cells: a
cell that wraps has its text broken at every opportunity to find its widest word. For a list of
thousands of rows that is a fifth of its typesetting, and a list typeset in parts (``html_parts``)
pays it in each part, each part sizing its columns by its own rows.

The auto layout only asks, of each column, the largest min-content and the largest max-content
width of its cells (and their percentages, the same in every cell of a column here). So the widths
come out the same from a *probe*: the document with each long table's rows replaced by the few
cells that can hold a column's largest widths, its header row kept. Which cells those are is found
by shaping each distinct text once with Pango, as WeasyPrint shapes a text box
(``weasyprint/text/line_break.py``), in the style WeasyPrint gives the column's text (read from a
first probe holding one row): a cell is kept when its width, or its widest word, comes within
``MARGIN`` of the column's largest. A cell with markup inside, or a column whose text style could
not be read, keeps every distinct cell. WeasyPrint lays out the probe by its own auto layout, and
the widths it gives the columns are written into the document as ``<col>`` widths under
``table-layout: fixed``: the auto layout's columns, rows and page breaks
(tests/test_table_columns.py compares them), without measuring every cell, and the same columns
in every part of a list typeset in parts.
"""

from __future__ import annotations

import html as html_text
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import create_layout, line_size

MIN_ROWS = 200  # fewer rows: the two small probes cost about what the auto layout costs
MARGIN = 2.0  # CSS px: a cell this close to a column's largest width is measured by WeasyPrint too
PROBE = "data-column-probe"  # marks the long tables in a probe, to find their boxes

_TABLE = re.compile(r"<table\b[^>]*>", re.IGNORECASE)
_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
_TBODY = re.compile(r"<tbody\b[^>]*>(.*?)</tbody\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"(<(t[dh])\b[^>]*>)(.*?)</\2\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"[ \t\n\f\r]+")

Cell = tuple[str, str, str]  # opening tag, element name (td, th), content as written


@dataclass(frozen=True)
class _Table:
    """A long table of the document: its opening tag, what its tbody holds, its rows' cells."""

    opening: tuple[int, int]  # start and end of <table ...>
    body: tuple[int, int]  # start and end of the tbody's content
    rows: list[list[Cell]]


def fix_long_tables(html: str, typeset: Callable[[str], object]) -> str:
    """``html`` with each table of at least ``MIN_ROWS`` plain rows set to ``table-layout: fixed`` and
    the widths WeasyPrint's auto layout gives its columns; ``typeset(html)`` lays out a probe (a
    ``PdfWriter.typeset``). Unchanged when no table is long, or a probe is not what was expected."""
    tables = _long_tables(html)
    if not tables:
        return html
    styles = _probed_tables(typeset(_probe(html, tables, [table.rows[:1] for table in tables])))
    if len(styles) != len(tables):
        return html
    kept = [_kept_rows(table, _text_styles(box)) for table, box in zip(tables, styles, strict=True)]
    sized = _probed_tables(typeset(_probe(html, tables, kept)))
    if len(sized) != len(tables):
        return html
    if any(len(box.column_widths) != len(table.rows[0]) for table, box in zip(tables, sized, strict=True)):
        return html
    out, position = [], 0
    for table, box in zip(tables, sized, strict=True):
        _start, end = table.opening
        cols = "".join(f'<col style="width: {width!r}px">' for width in _logical_widths(box))
        out.append(html[position : end - 1] + ' style="table-layout: fixed">' + f"<colgroup>{cols}</colgroup>")
        position = end
    out.append(html[position:])
    return "".join(out)


def _long_tables(html: str) -> list[_Table]:
    """The tables with at least ``MIN_ROWS`` body rows of the same number of plain cells (no span, no
    table inside, no ``<col>``, no style attribute on the table)."""
    found = []
    for opening in _TABLE.finditer(html):
        end = _TABLE_END.search(html, opening.end())
        if end is None:
            continue
        inside = html[opening.end() : end.start()].lower()
        body = _TBODY.search(html, opening.end(), end.start())
        if body is None or "<table" in inside or "<col" in inside or "span=" in inside:
            continue
        if "style=" in opening.group(0).lower():
            continue
        rows = [_CELL.findall(row) for row in _ROW.findall(body.group(1))]
        if len(rows) < MIN_ROWS or len({len(row) for row in rows}) != 1 or not rows[0]:
            continue
        found.append(_Table((opening.start(), opening.end()), (body.start(1), body.end(1)), rows))
    return found


def _probe(html: str, tables: list[_Table], bodies: list[list[list[Cell]]]) -> str:
    """``html`` with each long table marked and its body rows replaced by ``bodies[i]``."""
    out, position = [], 0
    for table, rows in zip(tables, bodies, strict=True):
        _start, end = table.opening
        out.append(html[position : end - 1] + f" {PROBE}>" + html[end : table.body[0]] + "\n")
        out.extend(
            "<tr>" + "".join(f"{tag}{content}</{name}>" for tag, name, content in row) + "</tr>\n" for row in rows
        )
        position = table.body[1]
    out.append(html[position:])
    return "".join(out)


def _probed_tables(document) -> list:
    """The table boxes of the marked tables, in document order (a table across pages once)."""
    found, seen = [], set()
    for page in document.pages:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            marked = isinstance(box, boxes.TableBox) and element is not None and element.get(PROBE) is not None
            if marked and id(element) not in seen:
                seen.add(id(element))
                found.append(box)
    return found


def _logical_widths(table) -> list[float]:
    """The table's column widths, first column first: WeasyPrint leaves a right-to-left table's
    widths in drawing order, the first column last (``weasyprint/layout/table.py``)."""
    widths = list(table.column_widths)
    return widths[::-1] if table.style["direction"] == "rtl" else widths


def _descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _text_styles(table) -> list:
    """The computed style of the text in each cell of the table's first body row (None: no text)."""
    for group in table.children:
        if getattr(group, "is_header", False) or getattr(group, "is_footer", False):
            continue
        for row in group.children:
            return [
                next((b.style for b in _descendants(cell) if isinstance(b, boxes.TextBox)), None)
                for cell in row.children
            ]
    return []


def _kept_rows(table: _Table, styles: list) -> list[list[Cell]]:
    """Rows holding the cells of each column that may give it its largest widths (a column with fewer
    such cells than another filled with empty cells, which are narrower than any)."""
    columns = []
    for index in range(len(table.rows[0])):
        cells = list({cell[2]: cell for cell in (row[index] for row in table.rows)}.values())
        style = styles[index] if index < len(styles) else None
        columns.append(cells if style is None else _widest(cells, _Measure(style)))
    empty = [(tag, name, "") for tag, name, _content in table.rows[0]]
    height = max(len(cells) for cells in columns)
    return [[cells[i] if i < len(cells) else empty[c] for c, cells in enumerate(columns)] for i in range(height)]


def _widest(cells: list[Cell], measure: _Measure) -> list[Cell]:
    """The cells whose max-content width, or min-content width (their widest word), may be the largest."""
    plain = [(cell, _SPACE.sub(" ", html_text.unescape(cell[2])).strip()) for cell in cells if "<" not in cell[2]]
    kept = {cell[2]: cell for cell in cells if "<" in cell[2]}
    if not plain:
        return list(kept.values())
    widths = [measure(text) for _cell, text in plain]
    widest = max(widths)
    near = [(cell, width) for (cell, _text), width in zip(plain, widths, strict=True) if width >= widest - MARGIN]
    if measure.wraps:
        kept.update((cell[2], cell) for cell, _width in near)
    else:  # on one line a cell's widths are its text's: one cell of each width will do (row 100 as row 999)
        kept.update((cell[2], cell) for cell in {width: cell for cell, width in near}.values())
    if measure.wraps:
        # A cell's widest word lies between its widest run of letters (a lower bound: a line breaks
        # no more often than at each character that is not a letter, mark or digit) and its widest
        # run between spaces that have a letter or digit on both sides (an upper bound).
        lower = max(measure.widest(_runs_of_letters(text)) if _breaks_at_spaces(text) else 0.0 for _c, text in plain)
        kept.update((cell[2], cell) for cell, text in plain if measure.widest(_words(text)) >= lower - MARGIN)
    return list(kept.values())


class _Measure:
    """Widths of texts in one computed style, as WeasyPrint's Pango layout of a text box gives them."""

    def __init__(self, style):
        self.style = style
        self.wraps = style["white_space"] in ("normal", "pre-wrap", "pre-line")
        self._known: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._known.get(text)
        if width is None:
            layout = create_layout(text, self.style, None, None, 0)
            width, _height = line_size(layout.get_first_line()[0], self.style)
            self._known[text] = width
        return width

    def widest(self, texts: list[str]) -> float:
        return max((self(text) for text in texts if text), default=0.0)


def _words(text: str) -> list[str]:
    """``text`` cut at the spaces with a letter or digit on both sides (a line may break there)."""
    words: list[str] = []
    for word in text.split(" "):
        if words and word and _is_letter(words[-1][-1:]) and _is_letter(word[:1]):
            words.append(word)
        elif words:
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _runs_of_letters(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _is_letter(character: str) -> bool:
    return bool(character) and (character.isalnum() or unicodedata.category(character).startswith("M"))


def _breaks_at_spaces(text: str) -> bool:
    """Whether ``text`` is in scripts whose lines break at spaces and punctuation only (Latin,
    Vietnamese, Arabic): Thai breaks inside words, Chinese between any two characters."""
    return all(ord(c) < 0x0E00 or 0x1E00 <= ord(c) <= 0x206F or 0xFB50 <= ord(c) <= 0xFEFF for c in text)
