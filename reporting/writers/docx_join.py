"""A long document's DOCX written in parts (``html_parts``) and joined, so memory follows the part.

Parsed whole, the HTML of a list of 100,000 awardees takes about 400 MB as a tree and its Word
document several times that. Each part is written by the general writer instead, and the rows
of its ``word/document.xml`` are joined, in order, into one body compressed as it grows:

- the first part gives everything up to its last row; each later part its rows after the
  table's header row (the repeated ``<thead>`` becomes Word's repeated header row once, in the
  first part), and the last part also what follows its last row (the closing, the section);
- a table continued from an earlier part takes that part's column widths, so its columns stay
  straight from the first page to the last (each part measured its own texts);
- the other members come from the last part, whose fonts cover the text of every part (the parts
  share one ``FontUsage``). The parts of a report share their styles, numbering, header and
  footer; if they ever differ (a part with something the others lack), the document is written
  whole instead.
"""

from __future__ import annotations

import re
import zlib

from reporting.writers import ooxml, opc_zip

DOCUMENT = "word/document.xml"
# Members that follow the text written (the embedded font subsets and what points at them).
_FONT_MEMBERS = re.compile(
    r"^(word/fonts/|word/fontTable\.xml|word/_rels/fontTable\.xml\.rels|word/settings\.xml|\[Content_Types\]\.xml)"
)
_ROW_END = b"</w:tr>"
_HEADER_ROW = re.compile(rb"<w:tr\b[^>]*>(?:(?!</w:tr>).)*?<w:tblHeader\b(?:(?!</w:tr>).)*?</w:tr>", re.DOTALL)
_GRID = re.compile(rb"<w:tblGrid>(.*?)</w:tblGrid>", re.DOTALL)
_GRID_COLUMN = re.compile(rb'<w:gridCol w:w="(\d+)"')
_TABLE_START = re.compile(rb"<w:tbl>")
_ROW = re.compile(rb"<w:tr\b.*?</w:tr>", re.DOTALL)
_CELL_WIDTH = re.compile(rb'(<w:tcW\b[^>]*\bw:w=")(\d+)(")')


class PartsDiffer(Exception):
    """The parts' packages differ beyond their text and fonts: the caller writes the document whole."""


def write_joined(writer, parts: list[str], geometry) -> bytes:
    """The DOCX of the document cut into ``parts``, written by ``writer`` (a ``DocxWriter``)."""
    from reporting.writers.docx_fonts import FontUsage

    usage = FontUsage(writer.fonts.latin, writer.fonts.complex)
    body = _Body()
    first: dict[str, bytes] = {}
    entries: dict[str, bytes] = {}
    for index, html in enumerate(parts):
        entries = writer.package(html, geometry, usage=usage)
        xml = entries.pop(DOCUMENT)
        if index == 0:
            first = {name: data for name, data in entries.items() if not _FONT_MEMBERS.match(name)}
            body.add(xml[: xml.rindex(_ROW_END) + len(_ROW_END)], continued=False)
            continue
        header = _HEADER_ROW.search(xml)
        if header is None:
            raise PartsDiffer("a part's table has no header row")
        last = index == len(parts) - 1
        body.add(xml[header.end() :] if last else xml[header.end() : xml.rindex(_ROW_END) + len(_ROW_END)])
        del xml
    others = {name: data for name, data in entries.items() if not _FONT_MEMBERS.match(name)}
    if others != first:
        raise PartsDiffer("the parts' styles, numbering, header or footer differ")
    members = ooxml.compressed_members(entries)
    members[DOCUMENT] = body.member()
    return ooxml.zip_members(members)


class _Body:
    """``word/document.xml`` deflated as it is joined, with the column widths of continued tables."""

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(opc_zip.DEFAULT_LEVEL, zlib.DEFLATED, -15)
        self._chunks: list[bytes] = []
        self._crc = 0
        self._size = 0
        self._grid: list[bytes] = []  # the column widths of the table the next part continues

    def add(self, xml: bytes, continued: bool = True) -> None:
        start = _TABLE_START.search(xml)
        rows, rest = (xml[: start.start()], xml[start.start() :]) if start else (xml, b"")
        if continued and self._grid:
            rows = _ROW.sub(lambda row: _widths(row.group(0), self._grid), rows)
        grids = _GRID.findall(xml)
        if grids:
            self._grid = _GRID_COLUMN.findall(grids[-1])
        for piece in (rows, rest):
            self._crc = zlib.crc32(piece, self._crc)
            self._size += len(piece)
            self._chunks.append(self._compressor.compress(piece))

    def member(self) -> opc_zip.Member:
        self._chunks.append(self._compressor.flush())
        return opc_zip.Member(DOCUMENT, self._crc, self._size, b"".join(self._chunks))


def _widths(row: bytes, grid: list[bytes]) -> bytes:
    """A row's cell widths set to ``grid`` (a row of as many cells as the grid has columns)."""
    if row.count(b"<w:tcW ") != len(grid) or b"<w:gridSpan" in row:
        return row
    widths = iter(grid)
    return _CELL_WIDTH.sub(lambda cell: cell.group(1) + next(widths) + cell.group(3), row)
