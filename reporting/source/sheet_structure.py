"""What a cell's value does not tell: hidden rows, merged ranges and formula cells of one sheet.

The value reader (python-calamine) gives each cell's value (a formula's as last saved) but not
which rows the clerk hid, which cells are merged in an ODS file, or which values came from a
formula and whether the formula had a saved result. This module streams the sheet's XML once
(``iterparse``, elements cleared as it goes, so memory stays flat for long lists). The archive has
passed ``sheet_guard`` first: no DTD, sizes as declared.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import iterparse

from reporting.errors import column_letter

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)$")


@dataclass
class SheetStructure:
    hidden_rows: set[int] = field(default_factory=set)  # 1-based row numbers
    merged: list[str] = field(default_factory=list)  # ranges as "B5:C6"
    formulas: dict[tuple[int, int], bool] = field(default_factory=dict)  # (row, column) -> has a saved value


def scan_structure(path: Path, kind: str, sheet_name: str) -> SheetStructure:
    with zipfile.ZipFile(path) as archive:
        if kind == "xlsx":
            return _scan_xlsx(archive, sheet_name)
        return _scan_ods(archive, sheet_name)


def _scan_xlsx(archive: zipfile.ZipFile, sheet_name: str) -> SheetStructure:
    structure = SheetStructure()
    part = _xlsx_sheet_part(archive, sheet_name)
    if part is None or not _mentions(archive, part, (b"<f", b"hidden=", b"<mergeCell ")):
        return structure
    with archive.open(part) as stream:
        for _, element in iterparse(stream):
            tag = element.tag
            if tag == _MAIN + "row":
                if element.get("hidden") in ("1", "true"):
                    structure.hidden_rows.add(int(element.get("r", "0")))
                element.clear()
            elif tag == _MAIN + "c":
                formula = element.find(_MAIN + "f")
                match = _CELL_REF.match(element.get("r", ""))
                if formula is not None and match:
                    value = element.find(_MAIN + "v")
                    structure.formulas[(int(match[2]), _column_number(match[1]))] = value is not None and bool(
                        value.text
                    )
            elif tag == _MAIN + "mergeCell":
                structure.merged.append(element.get("ref", ""))
    return structure


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """xl/workbook.xml names the sheets; its relationships say which part holds each."""
    ids = {}
    with archive.open("xl/workbook.xml") as stream:
        for _, element in iterparse(stream):
            if element.tag == _MAIN + "sheet":
                ids[element.get("name")] = element.get(_REL + "id")
    targets = {}
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        for _, element in iterparse(stream):
            if element.tag == _PKG_REL + "Relationship":
                targets[element.get("Id")] = element.get("Target", "")
    target = targets.get(ids.get(sheet_name))
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return part if part in archive.namelist() else None


def _scan_ods(archive: zipfile.ZipFile, sheet_name: str) -> SheetStructure:
    """content.xml: rows and cells may repeat (``number-rows-repeated``), so positions are counted."""
    structure = SheetStructure()
    if not _mentions(archive, "content.xml", (b"table:formula", b"table:visibility", b"-spanned")):
        return structure
    inside, row = False, 0
    column = 0
    with archive.open("content.xml") as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if tag == _TABLE + "table":
                inside = event == "start" and element.get(_TABLE + "name") == sheet_name
                if event == "end":
                    element.clear()
            elif not inside:
                continue
            elif tag == _TABLE + "table-row" and event == "start":
                column = 0
            elif tag == _TABLE + "table-row":
                repeat = int(element.get(_TABLE + "number-rows-repeated", "1"))
                if element.get(_TABLE + "visibility") in ("collapse", "filter"):
                    structure.hidden_rows.update(range(row + 1, row + min(repeat, 100_000) + 1))
                row += repeat
                element.clear()
            elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and event == "end":
                column = _ods_cell(element, structure, row + 1, column)
    return structure


def _ods_cell(element, structure: SheetStructure, row: int, column: int) -> int:
    """Records a merged range or a formula starting at this cell; returns the columns consumed."""
    start = column + 1
    rows = int(element.get(_TABLE + "number-rows-spanned", "1"))
    columns = int(element.get(_TABLE + "number-columns-spanned", "1"))
    if rows > 1 or columns > 1:
        structure.merged.append(f"{column_letter(start)}{row}:{column_letter(start + columns - 1)}{row + rows - 1}")
    if element.get(_TABLE + "formula") is not None:
        structure.formulas[(row, start)] = element.get(_OFFICE + "value-type") is not None
    return column + int(element.get(_TABLE + "number-columns-repeated", "1"))


def _mentions(archive: zipfile.ZipFile, part: str, markers: tuple[bytes, ...]) -> bool:
    """Whether the part holds any of the markers: most sheets have no formula, hidden row or merged
    cell, and a byte search is about twenty times faster than parsing (benchmarks/sheet_rows.py)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in markers):
                return True
            tail = window[-32:]
    return False


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number
