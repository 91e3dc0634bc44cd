"""A long table's document cut into parts of a few hundred rows each, to be typeset one after the other.

The awardee list of a big event holds 100,000 rows: typeset as one WeasyPrint document it would
take gigabytes (every box of every page is kept until the PDF is drawn). Cut into parts, each
part is typeset alone and the pages joined (``pdf_parts``), so memory follows the part, not the
list. Each part is a whole document:

- the first part is the document up to its last row; the last part from its first row to the end;
  a part in between holds its rows only;
- every part repeats the running elements the body starts with (elements whose class starts with
  ``running-``, the templates' page number and footer) and, for each table it cuts, the table's
  opening with its ``<thead>`` (so the header row still heads every page) and the elements round it;
- rows are cut where the data has them: ``<tr>`` elements inside ``<tbody>``, never inside a row.

The HTML is the one the template rendered, not parsed as a whole: the rows are found by their tags
and the few elements round the tables by the standard library's parser, in a fraction of a second
for 100,000 rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_TBODY = re.compile(r"<tbody\b[^>]*>", re.IGNORECASE)
_TABLE = re.compile(r"<table\b", re.IGNORECASE)
_RUNNING = re.compile(r"""\s*<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bclass=["'][^"']*\brunning-""")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)


@dataclass(frozen=True)
class _Body:
    """One ``<tbody>``: where its opening tag ends, where ``</tbody>`` starts, and what opens it."""

    start: int  # just after <tbody ...>
    end: int  # at </tbody>
    opening: str  # the elements round its table (not html, body), then the table up to <tbody ...>
    closing: str  # </tbody></table> and the elements round the table, closed


def split_rows(html: str, rows_per_part: int) -> list[str] | None:
    """The document in parts of at most ``rows_per_part`` table rows; None when it has no more rows
    than that, or a shape this does not cut (no body, a table inside a row)."""
    body = _BODY.search(html)
    if body is None:
        return None
    bodies = _bodies(html)
    if bodies is None:
        return None
    rows = [(start, end, index) for index, part in enumerate(bodies) for start, end in _rows(html, part)]
    if len(rows) <= rows_per_part:
        return None
    head, running = html[: body.end()], _running(html, body.end())
    tail = "\n</body>\n</html>\n"
    parts = []
    for first in range(0, len(rows), rows_per_part):
        last = min(first + rows_per_part, len(rows)) - 1
        start, _, opened = rows[first]
        _, end, closed = rows[last]
        before = html[:start] if first == 0 else head + running + bodies[opened].opening
        after = html[end:] if last == len(rows) - 1 else bodies[closed].closing + tail
        parts.append(before + html[start:end] + after)
    return parts


def _bodies(html: str) -> list[_Body] | None:
    found = []
    for match in _TBODY.finditer(html):
        end = html.find("</tbody>", match.end())
        if end == -1 or _TABLE.search(html, match.end(), end):
            return None  # unclosed, or a table inside a row: not a shape cut here
        found.append((match.start(), match.end(), end))
    if not found:
        return None
    ancestors = _ancestors(html, found)
    if ancestors is None:
        return None
    bodies = []
    for (tag_start, start, end), around in zip(found, ancestors, strict=True):
        table = html.rfind("<table", 0, tag_start)
        if table == -1:
            return None
        opening = "".join(text for _, text in around) + html[table:start]
        closing = "\n</tbody>\n</table>\n" + "".join(f"</{tag}>" for tag, _ in reversed(around))
        bodies.append(_Body(start, end, opening, closing))
    return bodies


def _rows(html: str, body: _Body) -> list[tuple[int, int]]:
    """Each ``<tr>...</tr>`` of a tbody, as (start, end) in ``html``."""
    rows = []
    position = html.find("<tr", body.start, body.end)
    while position != -1:
        end = html.find("</tr>", position, body.end)
        if end == -1:
            break
        end += len("</tr>")
        rows.append((position, end))
        position = html.find("<tr", end, body.end)
    return rows


def _running(html: str, start: int) -> str:
    """The running elements (class ``running-...``) the body starts with, as written."""
    end = start
    while True:
        match = _RUNNING.match(html, end)
        if match is None:
            return html[start:end]
        tag = match.group(1).lower()
        depth, position = 0, match.start(1) - 1
        for element in re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE).finditer(html, position):
            depth += -1 if element.group(1) else 1
            if depth == 0:
                end = element.end()
                break
        else:
            return html[start:end]


class _Stack(HTMLParser):
    """The open elements (below body) at each tbody of a skeleton: the document without its rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[tuple[str, str]] = []
        self.at_bodies: list[list[tuple[str, str]]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "tbody":  # what is open round its table (the innermost open table is its own)
            own = max((i for i, (name, _) in enumerate(self.open) if name == "table"), default=len(self.open))
            self.at_bodies.append(self.open[:own])
        if tag in _VOID or tag in ("html", "body", "head"):
            return
        self.open.append((tag, self.get_starttag_text() or f"<{tag}>"))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return


def _ancestors(html: str, bodies: list[tuple[int, int, int]]) -> list[list[tuple[str, str]]] | None:
    """The elements round each tbody's table, outermost first (the table itself left out)."""
    pieces, position = [], 0
    for _, start, end in bodies:
        pieces.append(html[position:start])
        position = end
    pieces.append(html[position:])
    parser = _Stack()
    parser.feed("".join(pieces))
    parser.close()
    if len(parser.at_bodies) != len(bodies):
        return None
    return parser.at_bodies
