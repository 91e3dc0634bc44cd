"""Reads the tables of a spreadsheet file (XLSX, ODS or CSV) as rows of cell values.

Values come from python-calamine (Rust; reads XLSX and ODS in one pass, about ten times faster
than openpyxl and with a fraction of its memory, see benchmarks/sheet_rows.py); what values do not
tell (hidden rows, merged cells, formulas) from ``sheet_structure``. CSV is read with the standard
library. Every file passes ``sheet_guard`` before a reader touches it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from reporting.errors import DataError, Expected, Problem, shown_number
from reporting.source.sheet_guard import check_sheet_file
from reporting.source.sheet_structure import SheetStructure, scan_structure
from reporting.tool_language import _, isolate, n_

MAX_ROWS = 100_000
MAX_COLUMNS = 64


@dataclass
class Table:
    """One sheet: ``rows[0]`` is row 1; empty cells are None."""

    name: str | None  # None for a CSV file, which has no sheets
    hidden: bool
    rows: list[list[object]]
    structure: SheetStructure = field(default_factory=SheetStructure)


@dataclass
class Workbook:
    kind: str  # "xlsx", "ods" or "csv"
    tables: list[Table]

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


def read_workbook(path: Path, shown: str, wanted: set[str] | None = None) -> Workbook:
    """Every sheet (or only those named in ``wanted``) of the file; DataError if it cannot be read."""
    kind = check_sheet_file(path, shown)
    if kind == "csv":
        return Workbook(kind, [Table(None, False, _csv_rows(path, shown))])
    return Workbook(kind, _calamine_tables(path, shown, kind, wanted))


def _calamine_tables(path: Path, shown: str, kind: str, wanted: set[str] | None) -> list[Table]:
    import python_calamine

    tables = []
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for meta in workbook.sheets_metadata:
            if wanted is not None and meta.name not in wanted:
                tables.append(Table(meta.name, meta.visible != python_calamine.SheetVisibleEnum.Visible, []))
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            last = sheet.end or (-1, -1)  # the used range's last cell, 0-based; None for an empty sheet
            _check_dimensions(shown, meta.name, last[0] + 1, last[1] + 1)
            distinct: dict[object, object] = {}  # one object for each distinct value (see _csv_rows)
            rows = [
                [distinct.setdefault(value, value) if isinstance(value, str) else value for value in map(_value, row)]
                for row in sheet.to_python(skip_empty_area=False)
            ]
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            tables.append(Table(meta.name, hidden, rows, scan_structure(path, kind, meta.name)))
    except (python_calamine.CalamineError, ValueError) as exc:
        raise DataError.about_file(
            shown,
            Expected(
                _("a readable {kind} file").format(kind=kind.upper()),
                _("an error: {reason}").format(reason=exc),
                code="unreadable-file",
            ),
        ) from None
    return tables


def _check_dimensions(shown: str, sheet: str | None, height: int, width: int) -> None:
    """Caps checked before the values are read: a sheet can claim a million rows in a few bytes."""
    if height > MAX_ROWS + 1:
        raise DataError.about_file(
            shown,
            Expected(
                n_("at most {count} row of awardees", "at most {count} rows of awardees", MAX_ROWS).format(
                    count=shown_number(MAX_ROWS)
                ),
                shown_number(height - 1),
                _(" (split the list into several events)"),
                code="too-many-rows",
            ),
            sheet=sheet,
        )
    if width > MAX_COLUMNS:
        raise DataError.about_file(
            shown,
            Expected(
                n_("at most {count} column", "at most {count} columns", MAX_COLUMNS).format(
                    count=shown_number(MAX_COLUMNS)
                ),
                shown_number(width),
                code="too-many-columns",
            ),
            sheet=sheet,
        )


def _value(value: object) -> object:
    return None if value == "" else value


def _csv_rows(path: Path, shown: str) -> list[list[object]]:
    """UTF-8 (Excel's "CSV UTF-8" writes a BOM: accepted); comma, semicolon or tab as separator."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    shown,
                    line,
                    None,
                    "",
                    Expected(
                        _("UTF-8 text (save as 'CSV UTF-8')"),
                        _("byte {byte} at offset {offset}").format(
                            byte=isolate(f"0x{raw[exc.start]:02x}"), offset=shown_number(exc.start)
                        ),
                        code="not-utf8",
                    ),
                )
            ]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    rows: list[list[object]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # One string for each distinct value: positions, units and kinds repeat down a column, and the
    # records keep these strings for the whole build (a few hundred bytes an awardee).
    distinct: dict[str, str] = {}
    try:
        for row in reader:
            rows.append([distinct.setdefault(cell, cell) if cell != "" else None for cell in row])
            if len(rows) > MAX_ROWS + 1 or len(row) > MAX_COLUMNS:
                _check_dimensions(shown, None, len(rows), len(row))
    except csv.Error as exc:
        raise DataError(
            [
                Problem(
                    shown,
                    reader.line_num,
                    None,
                    "",
                    Expected(_("CSV"), _("a broken quote ({reason})").format(reason=exc), code="csv-syntax"),
                )
            ]
        ) from None
    return rows
