"""Writes awardee workbooks (XLSX): the empty template ``new --sheet`` gives a clerk, and ``export``.

One sheet per kind, named in the first language ("Tập thể", "Cá nhân"), read back by
``reporting/source/sheet_awards.py`` without options. Headings come from the header map in the
column's own language; the heading row is frozen and bold, columns are sized for names, and the id
column validates its length. Every text is written as text, never as a formula: a value a
spreadsheet would run (starting with =, +, -, @, tab or CR: the CSV/formula injection rule) is a
text cell marked with the quote prefix, which is what Excel and LibreOffice do when one types
'=... : the cell shows and keeps the same characters, so an exported list reads back unchanged.
"""

from __future__ import annotations

import io

from reporting.source.sheet_awards import KINDS, awardee_fields
from reporting.source.sheet_headers import KIND_SHEETS, Column, template_heading, value_choices
from reporting.tool_language import _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WIDTHS = {"id": 10, "name": 36, "position": 30, "unit": 36, "gender": 12, "book_number": 14}
_LANGUAGE_INDEX = {"en": 0, "vi": 1, "ar": 2}  # positions in KIND_SHEETS' spellings


def sheet_name(kind: str, locales: tuple[str, ...]) -> str:
    return KIND_SHEETS[kind][_LANGUAGE_INDEX.get(locales[0], 0)]


def columns_of(kind: str, locales: tuple[str, ...]) -> list[Column]:
    spec = awardee_fields()[kind]
    columns = []
    for name in spec.names:
        columns.extend([Column(name, code) for code in locales] if name in spec.localized else [Column(name, None)])
    return columns


def awardee_workbook(locales: tuple[str, ...], awardees: dict[str, list[dict]] | None = None) -> bytes:
    """The workbook's bytes; ``awardees`` (per kind, shaped like the YAML's lists) fills the rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for kind in KINDS:
        sheet = book.create_sheet(sheet_name(kind, locales))
        columns = columns_of(kind, locales)
        _header(sheet, columns, locales)
        for number, item in enumerate((awardees or {}).get(kind, []), 2):
            for index, column in enumerate(columns, 1):
                _text_cell(sheet.cell(row=number, column=index), _value(item, column))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _header(sheet, columns: list[Column], locales: tuple[str, ...]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.freeze_panes = "A2"  # the headings stay in view however long the list
    sheet.sheet_view.rightToLeft = locales[0] == "ar"
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index, value=template_heading(column, locales))
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column.field, 24)
    ids = DataValidation(
        type="textLength",
        operator="between",
        formula1="1",
        formula2="64",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="id",
        # The spreadsheet shows this when a typed id is too long: the clerk reads it in the tool's language.
        error=_("The id: 1 to 64 characters, lowercase letters a-z, digits 0-9, - or _"),
    )
    sheet.add_data_validation(ids)
    ids.add("A2:A20000")
    for index, column in enumerate(columns, 1):
        choices = value_choices(column.field, locales[0]) or _choices(column.field)
        if choices:  # a field with a fixed set of values (e.g. a gender giving the honorific): a drop-down
            listed = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.field,
                error=" / ".join(choices),
            )
            sheet.add_data_validation(listed)
            listed.add(f"{get_column_letter(index)}2:{get_column_letter(index)}20000")


def _choices(field_name: str) -> tuple[str, ...]:
    """The values a field allows when the model fixes them (``Literal[...]``), else nothing."""
    import typing

    from reporting.source.model import Group, Individual
    from reporting.source.schema_problems import _unwrap

    for model in (Group, Individual):
        if field_name in model.model_fields:
            annotation = _unwrap(model.model_fields[field_name].annotation)
            if typing.get_origin(annotation) is typing.Literal:
                return tuple(str(value) for value in typing.get_args(annotation))
    return ()


def _value(item: dict, column: Column) -> str | None:
    value = item.get(column.field)
    if isinstance(value, dict):
        value = value.get(column.locale)
    return None if value is None else str(value)


def _text_cell(cell, text: str | None) -> None:
    if text is None:
        return
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def with_sheet(document, file_name: str) -> bool:
    """Replaces the awardee lists of a scaffolded YAML document by ``source: file_name``; False without awards."""
    from reporting.scaffold.yaml_emit import Entry, Mapping

    awards = next((e for e in document.entries if e.key == "awards" and isinstance(e.value, Mapping)), None)
    if awards is None:
        return False
    kept = [entry for entry in awards.value.entries if entry.key not in KINDS]
    kept.append(
        Entry(
            "source",
            file_name,
            _("The awardees: one row per group or person in this workbook beside this file, one sheet per kind."),
        )
    )
    awards.value.entries[:] = kept
    return True
