"""Spreadsheets as staff make them: CSV written here, XLSX and ODS written by LibreOffice from it."""
from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
HEADER = ["Loại", "Mã", "Họ và tên (vi)", "الاسم (ar)", "Chức vụ (vi)", "المنصب (ar)", "Đơn vị (vi)", "الوحدة (ar)"]
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
            rows.append([label, item["id"], *texts])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def soffice_convert(source: Path, target_format: str, csv_filter: str = CSV_FILTER) -> Path:
    """LibreOffice headless converts ``source`` (CSV, or a workbook to re-save) to xlsx or ods beside it."""
    folder = source.parent
    profile = (folder / f".lo-profile-{source.stem}").as_uri()  # its own: other soffice runs may be going on
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless"]
    if source.suffix == ".csv":
        command.append(f"--infilter={csv_filter}")
    out = folder / "converted"
    subprocess.run([*command, "--convert-to", target_format, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    target = folder / f"{source.stem}.{target_format}"
    shutil.move(out / f"{source.stem}.{target_format}", target)
    return target


def use_sheet(project: Path, sheet_name: str, extra: str = "", event: str = "directive-35-review") -> Path:
    """The event's YAML with its awardee lists replaced by ``source: <sheet_name>``."""
    path = project / "data" / f"{event}.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("\n  groups:\n")
    path.write_text(text[:cut] + f"\n  source: {sheet_name}\n" + extra, encoding="utf-8")
    return path
