"""Awardees from a spreadsheet: ``awards: {source: awardees-2024.xlsx}`` in an event's YAML.

The sheet's rows become the ``groups`` and ``individuals`` lists the YAML would hold, and the model
validates them like YAML; every problem points at the sheet, row and column it came from
(``SheetSource.problem``), so a clerk fixes the cell the message names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from reporting.errors import DataError, Expected, Problem, quoted, text_of
from reporting.source.sheet_headers import default_sheet_kind
from reporting.source.sheet_reader import Table, Workbook, read_workbook
from reporting.source.sheet_rows import CellOrigin, Fields, Issue, Record, TableReading, read_table
from reporting.source.yaml_reader import LoadedYaml, Path_, dotted
from reporting.tool_language import _, isolate

_SAFE_NAME = re.compile(r"^[^/\\.][^/\\]*\.(xlsx|ods|csv)$", re.IGNORECASE)
KINDS = ("groups", "individuals")


@dataclass(frozen=True)
class SheetSource(LoadedYaml):
    """The event's YAML with its awardees read from a sheet; problems in them name their cell."""

    sheet_path: Path = Path()  # as shown to people (relative to the project)
    sheet_file: Path = Path()  # on disk
    records: dict[str, list[Record]] = field(default_factory=dict)  # each kind's rows, in list order
    formulas: int = 0  # cells that were formulas, read as the values the spreadsheet saved for them

    def problem(self, where: Path_, message: str | Expected, at_key: bool = False) -> Problem:
        record = self._record(where)
        if record is not None:
            for cut in range(len(where), 2, -1):  # the cell of the field, else of the field above it, else the row
                origin = record.origin(tuple(where[3:cut]))
                if origin is not None:
                    return sheet_problem(self.sheet_path, origin, dotted(where), message)
        return super().problem(where, message, at_key)

    def _record(self, where: Path_) -> Record | None:
        """The row of ``awards.<kind>[i]...``; None for a path outside the sheet's lists."""
        if len(where) < 3 or where[0] != "awards" or not isinstance(where[2], int):
            return None
        rows = self.records.get(str(where[1]), [])
        return rows[where[2]] if 0 <= where[2] < len(rows) else None


def sheet_problem(shown: Path | str, origin: CellOrigin, field_path: str, message: str | Expected) -> Problem:
    return Problem(
        shown,
        None,
        origin.column,
        field_path,
        message,
        sheet=origin.sheet,
        row=origin.row,
        header=origin.header,
        cells=origin.cells,
    )


def attach_sheet(source: LoadedYaml, yaml_file: Path, locales: tuple[str, ...]) -> tuple[LoadedYaml, list[Problem]]:
    """``source`` unchanged without ``awards.source``; else with the sheet's awardees in its data.

    With problems in the sheet, the lists are left empty (so the rest of the event is still validated
    and its problems reported together) and the sheet's problems are returned."""
    data = source.data if isinstance(source.data, dict) else {}
    awards = data.get("awards")
    if not isinstance(awards, dict) or "source" not in awards:
        return source, []
    try:
        sheet_file, shown = _sheet_file(source, yaml_file, awards)
        sheets = _sheet_names(source, awards)
        workbook = read_workbook(sheet_file, str(shown), set(sheets.values()) if sheets else None)
        readings = _read_tables(workbook, sheets, awards.get("include_hidden") is True, locales, shown)
    except DataError as exc:
        return _without_lists(source), exc.problems
    issues = [issue for reading in readings for issue in reading.issues]
    records = [record for reading in readings for record in reading.records]
    issues.extend(_duplicates(records))
    merged, by_kind, places = _merged(data, records)
    if issues:
        return _without_lists(source), [_issue_problem(shown, issue, places) for issue in issues]
    return SheetSource(
        source.path,
        merged,
        source.positions,
        source.key_positions,
        sheet_path=shown,
        sheet_file=sheet_file,
        records=by_kind,
        formulas=sum(r.formulas for r in readings),
    ), []


def _without_lists(source: LoadedYaml) -> LoadedYaml:
    data = cast(dict, source.data)  # attach_sheet's caller: a mapping with an awards mapping
    awards = {key: value for key, value in data["awards"].items() if key not in (*KINDS, "source")}
    return LoadedYaml(source.path, {**data, "awards": awards}, source.positions, source.key_positions)


def _issue_problem(shown: Path, issue: Issue, places: dict[int, str]) -> Problem:
    """The issue's field with the record's place in the lists, as YAML problems name it."""
    place = places.get(id(issue.record)) if issue.record is not None else None
    field_path = f"{place}.{issue.field}" if place and issue.field else issue.field
    assert issue.origin is not None  # every issue leaves the reader with its cell
    return sheet_problem(shown, issue.origin, field_path, issue.message)


def _sheet_file(source: LoadedYaml, yaml_file: Path, awards: dict) -> tuple[Path, Path]:
    name = awards["source"]
    if not isinstance(name, str) or not _SAFE_NAME.match(name):
        raise DataError(
            [
                source.problem(
                    ("awards", "source"),
                    Expected(
                        _("the name of an .xlsx, .ods or .csv file beside this one (no folders)"),
                        quoted(name) if isinstance(name, str) else isolate(repr(name)),
                        code="invalid-sheet-file-name",
                    ),
                )
            ]
        )
    for kind in KINDS:
        if awards.get(kind):
            raise DataError(
                [
                    source.problem(
                        ("awards", kind),
                        Expected(
                            _("the awardees either in {file} or listed here").format(file=isolate(name)),
                            _("{field} in both").format(field=isolate(kind)),
                            code="awardees-twice",
                        ),
                    )
                ]
            )
    shown = Path(source.path).parent / name
    return _confined(source, yaml_file.parent / name, shown, name), shown


def _confined(source: LoadedYaml, path: Path, shown: Path, name: str) -> Path:
    """The sheet on disk; a link leading out of the data folder is refused (nothing read outside it)."""
    if not path.is_file():
        raise DataError(
            [
                source.problem(
                    ("awards", "source"),
                    Expected(_("a file {file}").format(file=isolate(shown)), _("none"), code="missing-file"),
                )
            ]
        )
    if not path.resolve().is_relative_to(path.parent.resolve()):
        raise DataError(
            [
                source.problem(
                    ("awards", "source"),
                    Expected(
                        _("a file inside {folder}").format(folder=isolate(shown.parent)),
                        _("{name} leading to {target}").format(name=isolate(name), target=isolate(path.resolve())),
                        code="link-outside-data",
                    ),
                )
            ]
        )
    return path


def _sheet_names(source: LoadedYaml, awards: dict) -> dict[str, str]:
    sheets = awards.get("sheets")
    if sheets is None:
        return {}
    if (
        not isinstance(sheets, dict)
        or not set(sheets) <= set(KINDS)
        or not all(isinstance(v, str) for v in sheets.values())
    ):
        raise DataError(
            [
                source.problem(
                    ("awards", "sheets"),
                    Expected(
                        _("sheet names for groups and/or individuals"),
                        isolate(repr(sheets)),
                        code="invalid-sheet-names",
                    ),
                )
            ]
        )
    return sheets


def _read_tables(
    workbook: Workbook, sheets: dict[str, str], include_hidden: bool, locales: tuple[str, ...], shown: Path
) -> list[TableReading]:
    kinds = awardee_fields()
    chosen = _chosen_tables(workbook, sheets, include_hidden, shown)
    return [read_table(table, kinds, kind, locales, include_hidden) for table, kind in chosen]


def _chosen_tables(
    workbook: Workbook, sheets: dict[str, str], include_hidden: bool, shown: Path
) -> list[tuple[Table, str | None]]:
    """Sheets named in the event; else the sheets named after the kinds; else the first with a kind column."""
    names = [t.name for t in workbook.tables]
    chosen: list[tuple[Table, str | None]] = []
    if sheets:
        for kind, name in sheets.items():
            table = workbook.table(name)
            if table is None:
                raise DataError.about_file(
                    shown,
                    Expected(
                        _('a sheet "{sheet}"').format(sheet=text_of(name)),
                        _("the sheets {sheets}").format(sheets=_(", ").join(quoted(n) for n in names)),
                        code="missing-sheet",
                    ),
                    field=f"awards.sheets.{kind}",
                )
            chosen.append((table, kind))
    else:
        chosen = [
            (t, default_sheet_kind(t.name))
            for t in workbook.tables
            if t.name is not None and default_sheet_kind(t.name)
        ]
        if not chosen:
            first = next((t for t in workbook.tables if not t.hidden), None)
            if first is None:
                raise DataError.about_file(shown, Expected(_("a visible sheet"), _("none"), code="no-visible-sheet"))
            chosen = [(first, None)]
    for table, _kind in chosen:
        if table.hidden and not include_hidden:
            raise DataError.about_file(
                shown,
                Expected(
                    _("a visible sheet"),
                    _("it hidden"),
                    _(" (show it, or set {setting})").format(setting=isolate("include_hidden: true")),
                    code="hidden-sheet",
                ),
                sheet=table.name,
            )
    return chosen


def _duplicates(records: list[Record]) -> list[Issue]:
    first: dict[str, CellOrigin] = {}
    issues = []
    for record in records:
        awardee_id = record.data.get("id")
        if not isinstance(awardee_id, str):
            continue
        origin = record.origin(("id",)) or record.origin()
        assert origin is not None  # (the whole row always has one)
        if awardee_id in first:
            before = first[awardee_id]
            other_sheet = before.sheet is not None and before.sheet != origin.sheet
            found = (
                _('{id} also in sheet "{sheet}", row {row}').format(
                    id=quoted(awardee_id), sheet=text_of(before.sheet), row=isolate(before.row)
                )
                if other_sheet
                else _("{id} also in row {row}").format(id=quoted(awardee_id), row=isolate(before.row))
            )
            issues.append(Issue(origin, "id", Expected(_("each awardee id once"), found, code="duplicate-id"), record))
        else:
            first[awardee_id] = origin
    return issues


def _merged(data: dict, records: list[Record]) -> tuple[dict, dict[str, list[Record]], dict[int, str]]:
    """The data with the lists filled, each kind's records in list order, and each record's place
    (``awards.groups[3]``)."""
    awards = {key: value for key, value in data["awards"].items() if key not in KINDS}
    by_kind: dict[str, list[Record]] = {}
    places: dict[int, str] = {}
    for kind in KINDS:
        items = by_kind[kind] = [record for record in records if record.kind == kind]
        awards[kind] = [record.data for record in items]
        for index, record in enumerate(items):
            places[id(record)] = f"awards.{kind}[{index}]"
    return {**data, "awards": awards}, by_kind, places


def awardee_fields() -> dict[str, Fields]:
    """Each kind's fields from the model: a new field in Group or Individual is a new column."""
    from reporting.source.model import Group, Individual, Localized
    from reporting.source.schema_problems import _unwrap

    kinds = {}
    for kind, model in (("groups", Group), ("individuals", Individual)):
        names = tuple(model.model_fields)
        localized = frozenset(n for n, f in model.model_fields.items() if _unwrap(f.annotation) is Localized)
        required = frozenset(n for n, f in model.model_fields.items() if f.is_required())
        dates = frozenset(n for n, f in model.model_fields.items() if _unwrap(f.annotation) is dt.date)
        kinds[kind] = Fields(names, localized, required, dates)
    return kinds
