"""One sheet's table as awardee records shaped like the YAML's, each value tied to its cell.

Rules a clerk can rely on (docs/commend-from-a-spreadsheet.md):
- row 1 holds the headings; blank rows below are gaps, skipped; the table ends at its last filled row;
- text cells lose leading, trailing and doubled spaces; numbers in text fields become their digits
  (7.0 -> "7"), an id typed as text keeps its leading zeros ("007");
- a formula gives its saved value (as the spreadsheet shows it); one without a saved value is refused;
- merged cells are refused with their range, hidden rows unless the event says ``include_hidden``;
- a date, a boolean or an error value where text belongs is refused with what was found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from reporting.errors import Expected, column_letter, quoted, shown_date, shown_number, text_of
from reporting.source.sheet_headers import Column, kind_of, known_headings, model_value, parse_header, template_heading
from reporting.source.sheet_reader import Table
from reporting.tool_language import _, isolate


@dataclass(frozen=True, slots=True)
class CellOrigin:
    """Where a value came from: sheet (None for CSV), 1-based row and column, the column's heading."""

    sheet: str | None
    row: int
    column: int | None
    header: str | None
    values: list  # the row's values, made text only for a problem report (most cells never need it)

    @property
    def cells(self) -> tuple[str, ...]:
        return _texts(self.values)


@dataclass(eq=False, slots=True)
class Record:
    """One row's awardee, shaped like an item of the YAML lists.

    Its cells are found when a problem needs them (``origin``), from the column each field has in the
    table: an event of 100,000 rows keeps no object per cell once its rows are read."""

    kind: str  # "groups" or "individuals"
    data: dict
    table: Table
    header: list
    row: int  # 1-based
    columns: dict[tuple, int]  # path inside ``data`` -> column number; shared by the table's rows of this kind

    def origin(self, path: tuple = ()) -> CellOrigin | None:
        """The cell a path inside ``data`` came from (the whole row for ``()``); None for a field this
        row has no cell for (a CSV row shorter than its headings)."""
        if not path:
            return _origin(self.table, self.header, self.row, None)
        column = self.columns.get(path)
        if column is None or column > len(self.table.rows[self.row - 1]):
            return None
        return _origin(self.table, self.header, self.row, column)

    def cell_paths(self) -> list[tuple]:
        """The paths of the fields this row has a cell for, in column order."""
        width = len(self.table.rows[self.row - 1])
        return [path for path, column in self.columns.items() if column <= width]


@dataclass
class Issue:
    origin: CellOrigin | None  # None while a cell's value is read; the caller puts the cell in
    field: str  # within the awardee (``position.vi``); the record's place in the lists is added later
    message: Expected
    record: Record | None = None


@dataclass
class TableReading:
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    formulas: int = 0  # cells read as their formula's saved value (``check`` says so)


@dataclass(frozen=True)
class Fields:
    """The fields a kind of awardee has (from the model): which are texts per language, which required."""

    names: tuple[str, ...]
    localized: frozenset[str]
    required: frozenset[str]
    dates: frozenset[str] = frozenset()  # read with ``cell_date``: date cells, serial numbers or typed dates


def read_table(
    table: Table, kinds: dict[str, Fields], fixed_kind: str | None, locales: tuple[str, ...], include_hidden: bool
) -> TableReading:
    """``fixed_kind``: every row is of that kind; None: a ``kind`` column says, row by row."""
    reading = TableReading(formulas=sum(1 for saved in table.structure.formulas.values() if saved))
    header = table.rows[0] if table.rows else []
    columns = _columns(table, header, kinds, fixed_kind, locales, reading)
    unknown_headings = len(reading.issues)
    _missing_columns(table, header, kinds, fixed_kind, locales, set(columns.values()), reading)
    _structure_issues(table, header, include_hidden, reading)
    if len(reading.issues) > unknown_headings:  # the rows would only repeat these problems cell by cell
        return reading
    paths = {kind: _field_columns(columns, spec) for kind, spec in kinds.items()}
    for index, row in enumerate(table.rows[1:], 2):
        if all(value is None or (type(value) is str and not value.strip()) for value in row):
            continue  # a gap between blocks of rows, not the end of the table
        record = _record(table, header, index, row, columns, kinds, fixed_kind, reading, paths)
        if record is not None:
            reading.records.append(record)
    return reading


def _columns(
    table: Table,
    header: list,
    kinds: dict[str, Fields],
    fixed_kind: str | None,
    locales: tuple[str, ...],
    reading: TableReading,
) -> dict[int, Column]:
    fields = sorted(
        {name for spec in kinds.values() for name in spec.names} | ({"kind"} if fixed_kind is None else set())
    )
    localized = set().union(*(spec.localized for spec in kinds.values()))
    known = known_headings(fields, localized, locales)
    columns: dict[int, Column] = {}
    seen: dict[Column, int] = {}
    for number, value in enumerate(header, 1):
        if _blank(value):
            continue
        text = str(value)
        column = parse_header(text, localized, locales, tuple(fields))
        origin = _origin(table, header, 1, number)
        if column is None or column.field not in fields:
            close = difflib.get_close_matches(text, known, n=1, cutoff=0.5)
            hint = _(" (did you mean {name}?)").format(name=quoted(close[0])) if close else ""
            reading.issues.append(
                Issue(origin, "", Expected(_("a known column heading"), quoted(text), hint, code="unknown-column"))
            )
        elif column in seen:
            reading.issues.append(
                Issue(
                    origin,
                    "",
                    Expected(
                        _("each column once"),
                        _("{column} again").format(column=isolate(column)),
                        _(" (first in column {letter})").format(letter=isolate(column_letter(seen[column]))),
                        code="duplicate-column",
                    ),
                )
            )
        else:
            columns[number], seen[column] = column, number
    return columns


def _missing_columns(table, header, kinds, fixed_kind, locales, present: set[Column], reading) -> None:
    wanted = [Column("kind", None)] if fixed_kind is None else []
    for kind in [fixed_kind] if fixed_kind else kinds:
        spec = kinds[kind]
        for name in spec.names:
            if name in spec.required:
                wanted.extend(Column(name, code) for code in locales) if name in spec.localized else wanted.append(
                    Column(name, None)
                )
    for column in dict.fromkeys(wanted):
        if column not in present:
            origin = CellOrigin(table.name, 1, None, None, header)
            field_path = f"{column.field}.{column.locale}" if column.locale else column.field
            reading.issues.append(
                Issue(
                    origin,
                    field_path,
                    Expected(
                        _("a column {heading} for {field}").format(
                            heading=quoted(template_heading(column, locales)), field=isolate(column)
                        ),
                        _("none"),
                        code="missing-column",
                    ),
                )
            )


def _structure_issues(table: Table, header: list, include_hidden: bool, reading: TableReading) -> None:
    for cells in table.structure.merged:
        first = cells.split(":")[0]
        row = int("".join(ch for ch in first if ch.isdigit()))
        column = _column_number("".join(ch for ch in first if ch.isalpha()))
        reading.issues.append(
            Issue(
                _origin(table, header, row, column),
                "",
                Expected(
                    _("one value per cell"),
                    _("merged cells {cells}").format(cells=isolate(cells)),
                    _(" (unmerge them and fill each cell)"),
                    code="merged-cells",
                ),
            )
        )
    if include_hidden:
        return
    for row in sorted(table.structure.hidden_rows):
        if row <= len(table.rows) and not all(_blank(value) for value in table.rows[row - 1]):
            reading.issues.append(
                Issue(
                    _origin(table, header, row, None),
                    "",
                    Expected(
                        _("visible rows"),
                        _("this row hidden"),
                        _(" (show it, delete it, or set {setting})").format(setting=isolate("include_hidden: true")),
                        code="hidden-row",
                    ),
                )
            )


def _field_columns(columns: dict[int, Column], spec: Fields) -> dict[tuple, int]:
    """Each field path of a kind -> its column; a text per language also under its field alone (the
    first language's column), where problems about the whole text point."""
    paths: dict[tuple, int] = {}
    for number, column in sorted(columns.items()):
        if column.field in spec.names:
            path = (column.field, column.locale) if column.locale else (column.field,)
            paths[path] = number
            paths.setdefault(path[:1], number)
    return paths


def _record(table, header, index, row, columns, kinds, fixed_kind, reading, paths) -> Record | None:
    kind = fixed_kind
    values: dict[Column, tuple[object, int]] = {}
    formulas = table.structure.formulas
    for number, value in enumerate(row, 1):
        column = columns.get(number)
        if formulas and formulas.get((index, number)) is False:
            reading.issues.append(
                Issue(
                    _origin(table, header, index, number),
                    "",
                    Expected(
                        _("a value"),
                        _("a formula with no saved result"),
                        _(" (open the file and save it again in Excel or LibreOffice)"),
                        code="formula-without-value",
                    ),
                )
            )
            continue
        if column is None:
            if not _blank(value) and (number > len(header) or _blank(header[number - 1])):
                reading.issues.append(
                    Issue(
                        _origin(table, header, index, number),
                        "",
                        Expected(
                            _("a heading above this value"),
                            _("none"),
                            _(" (value {value})").format(value=_describe(value)),
                            code="value-without-heading",
                        ),
                    )
                )
            continue
        values[column] = (value, number)
    if fixed_kind is None:
        kind = _row_kind(table, header, index, values, reading)
    if kind is None:
        return None
    return _fill(table, header, index, kind, kinds[kind], values, reading, paths[kind])


def _row_kind(table, header, index, values, reading) -> str | None:
    value, number = values.get(Column("kind", None), (None, None))
    found = kind_of(str(value)) if not _blank(value) else None
    if found is None:
        origin = _origin(table, header, index, number)
        reading.issues.append(
            Issue(
                origin,
                "kind",
                Expected(_("group or individual (Tập thể, Cá nhân)"), _describe(value), code="unknown-kind"),
            )
        )
        return None
    return found + "s"


def _fill(table, header, index, kind, spec: Fields, values, reading, paths: dict[tuple, int]) -> Record:
    record = Record(kind, {}, table, header, index, paths)
    for column, (value, number) in values.items():
        if column.field == "kind":
            continue
        if column.field not in spec.names:
            if not _blank(value):
                reading.issues.append(
                    Issue(
                        _origin(table, header, index, number),
                        column.field,
                        Expected(
                            _("no {field} for a group").format(field=isolate(column.field))
                            if kind == "groups"
                            else _("no {field} for an individual").format(field=isolate(column.field)),
                            _describe(value),
                            code="unexpected-field",
                        ),
                        record,
                    )
                )
            continue
        path = (column.field, column.locale) if column.locale else (column.field,)
        text = cell_date(value) if column.field in spec.dates else cell_text(value)
        if isinstance(text, str):
            text = model_value(column.field, text)
        if isinstance(text, Issue):
            reading.issues.append(Issue(_origin(table, header, index, number), ".".join(path), text.message, record))
        elif text is not None:
            if column.locale:
                record.data.setdefault(column.field, {})[column.locale] = text
            else:
                record.data[column.field] = text
    _blank_issues(record, spec, reading)
    return record


def _blank_issues(record: Record, spec: Fields, reading: TableReading) -> None:
    """A required field left blank, or a text given in some languages but not all: the empty cell."""
    for path in record.cell_paths():
        name = path[0]
        filled = record.data.get(name)
        value = filled.get(path[1]) if isinstance(filled, dict) and len(path) > 1 else filled
        if value is None and (name in spec.required or filled):
            reading.issues.append(
                Issue(
                    record.origin(path), ".".join(path), Expected(_("text"), _("nothing"), code="missing-field"), record
                )
            )


def cell_text(value: object) -> str | Issue | None:
    """A cell as text the way the clerk sees it; an Issue for values that cannot be text."""
    if type(value) is str:  # most cells: first, and fast
        tidy = " ".join(value.split())
        # The cell's own string when it needs no tidying: the awardee shares it with the table read.
        return value if tidy == value else tidy or None
    if value is None:
        return None
    if isinstance(value, bool):
        return Issue(
            None,
            "",
            Expected(_("text"), _("the boolean {value}").format(value=isolate(str(value).upper())), code="wrong-type"),
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return Issue(
            None, "", Expected(_("text"), _describe(value), _(" (format the column as text)"), code="wrong-type")
        )
    return " ".join(str(value).split())


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial number 1 is 1900-01-01 (Excel's and LibreOffice's default)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def cell_date(value: object) -> dt.date | Issue | None:
    """A date as clerks type it: a date cell, its serial number, YYYY-MM-DD, or DD/MM/YYYY (day first,
    as Vietnamese and Arabic write it)."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = " ".join(str(value).split())
    day_first = _DAY_FIRST.match(text)
    try:
        if day_first:
            return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        return Issue(
            None,
            "",
            Expected(_("a real date (a date cell, YYYY-MM-DD or DD/MM/YYYY)"), _describe(value), code="invalid-date"),
        )


def _origin(table: Table, header: list, row: int, column: int | None) -> CellOrigin:
    heading = header[column - 1] if column and column <= len(header) else None
    heading = None if _blank(heading) else heading
    cells = table.rows[row - 1] if row <= len(table.rows) else []
    return CellOrigin(table.name, row, column, str(heading) if heading is not None else None, cells)


def _texts(cells: list) -> tuple[str, ...]:
    return tuple("" if _blank(value) else str(value) for value in cells)


def _blank(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _describe(value: object) -> str:
    """A cell's value as a message shows what was found, in the tool's language."""
    if _blank(value):
        return _("nothing")
    if isinstance(value, dt.datetime):
        return _("the date and time {value}").format(value=isolate(value.isoformat(sep=" ")))
    if isinstance(value, dt.date):
        return _("the date {date}").format(date=shown_date(value))
    if isinstance(value, dt.time):
        return _("the time {value}").format(value=isolate(value.isoformat()))
    if isinstance(value, dt.timedelta):
        return _("the duration {value}").format(value=isolate(value))
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _("the number {value}").format(value=shown_number(value))
    return _("the value {value}").format(value=text_of(value))


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number
