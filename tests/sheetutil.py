"""Spreadsheets as staff make them: CSV written here, XLSX and ODS written by LibreOffice from it."""

from __future__ import annotations

import atexit
import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
HEADER = [
    "Loại",
    "Mã",
    "Họ và tên (vi)",
    "الاسم (ar)",
    "Chức vụ (vi)",
    "المنصب (ar)",
    "Đơn vị (vi)",
    "الوحدة (ar)",
    "Giới tính",
    "Số sổ",
]
GENDER_WORDS = {"male": "Nam", "female": "Nữ", None: ""}  # as a Vietnamese clerk types them
# LibreOffice's CSV import: comma, double quote, UTF-8 (76), from line 1.
CSV_FILTER = "CSV:44,34,76,1"


def awardee_rows(event_yaml: Path) -> list[list[str]]:
    """The event's awardees as a clerk's table: a heading row, then one row per group or individual."""
    awards = yaml.safe_load(event_yaml.read_text(encoding="utf-8"))["awards"]
    rows = [list(HEADER)]
    for kind, label in (("groups", "Tập thể"), ("individuals", "Cá nhân")):
        for item in awards.get(kind, []):
            texts = [item["name"]["vi"], item["name"]["ar"]]
            for name in ("position", "unit"):
                texts += [item[name]["vi"], item[name]["ar"]] if name in item else ["", ""]
            texts += [GENDER_WORDS[item.get("gender")], item.get("book_number", "")]
            rows.append([label, item["id"], *texts])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def soffice_convert(source: Path, target_format: str, csv_filter: str = CSV_FILTER) -> Path:
    """LibreOffice headless converts ``source`` (CSV, or a workbook to re-save) to xlsx or ods beside it."""
    folder = source.parent.resolve()
    command = ["soffice", f"-env:UserInstallation={_profile().as_uri()}", "--headless"]
    if source.suffix == ".csv":
        command.append(f"--infilter={csv_filter}")
    out = folder / "converted"
    subprocess.run(
        [*command, "--convert-to", target_format, "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    target = folder / f"{source.stem}.{target_format}"
    shutil.move(out / f"{source.stem}.{target_format}", target)
    out.rmdir()
    return target


_PROFILE: list[Path] = []


def _profile() -> Path:
    """One LibreOffice profile for this test process (its own: other soffice runs may be going on;
    reused: a new profile costs seconds at the first start)."""
    if not _PROFILE:
        _PROFILE.append(Path(tempfile.mkdtemp(prefix="lo-profile-")))
        atexit.register(shutil.rmtree, _PROFILE[0], True)
    return _PROFILE[0]


def clerk_workbook(
    target: Path,
    sheets: dict[str, list[list[object]]],
    merged: dict[str, list[str]] = {},
    hidden_rows: dict[str, list[int]] = {},
    hidden_sheets: tuple[str, ...] = (),
) -> Path:
    """A workbook as a clerk leaves it, saved by LibreOffice: drafted here (openpyxl), then opened and
    saved as ``target`` (.xlsx or .ods) by LibreOffice headless, which also stores formulas' results."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merged.get(name, []):
            sheet.merge_cells(cells)
        for number in hidden_rows.get(name, []):
            sheet.row_dimensions[number].hidden = True
        if name in hidden_sheets:
            sheet.sheet_state = "hidden"
    draft_folder = target.parent / f".draft-{target.stem}"
    draft_folder.mkdir()
    draft = draft_folder / f"{target.stem}.xlsx"
    book.save(draft)
    made = soffice_convert(draft, target.suffix[1:])
    shutil.move(made, target)
    shutil.rmtree(draft_folder)
    return target


def use_sheet(project: Path, sheet_name: str, extra: str = "", event: str = "directive-35-review") -> Path:
    """The event's YAML with its awardee lists replaced by ``source: <sheet_name>``."""
    path = project / "data" / f"{event}.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("\n  groups:\n")
    path.write_text(text[:cut] + f"\n  source: {sheet_name}\n" + extra, encoding="utf-8")
    return path
