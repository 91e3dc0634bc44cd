"""Spreadsheet files as a whole: hostile files refused, the template sheet and ``export``, and the
build following the sheet (incremental rebuilds, manifest, --archive, watch)."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from sheetutil import awardee_rows, needs_libreoffice, soffice_convert, use_sheet, write_csv

# good_output and reference_sheets are fixtures: imported, pytest finds them here.
from test_sheets import D35, good_output, loaded, people_sheet, reference_sheets, refused, sheet_project  # noqa: F401

# Fixtures made by LibreOffice, documents built from them: the slow tier.
pytestmark = [needs_libreoffice, pytest.mark.slow]


def rewrite_part(source: Path, target: Path, part: str, change) -> Path:
    """A copy of the archive with one part's bytes changed (as a crafted file would be)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            copy.writestr(item, change(data) if item.filename == part else data)
    return target


# 4. Limits and hostile files -------------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused(tmp_path, good_output, monkeypatch):
    from reporting.source import sheet_guard

    sheet = people_sheet(tmp_path, [["i01", "Người A", "شخص", None, None]])
    monkeypatch.setattr(sheet_guard, "MAX_FILE_BYTES", 2_000)
    err = refused(tmp_path, good_output, sheet_project(tmp_path, sheet))
    assert (
        f"data/awardees.xlsx: 1 problem\n  expected a spreadsheet of at most 2,000 bytes, found {sheet.stat().st_size:,}"
        in err
    )


def test_a_sheet_over_the_row_cap_is_refused(tmp_path, good_output, monkeypatch):
    from reporting.source import sheet_reader

    rows = [[f"i{n:02d}", f"Người {n}", "شخص", None, None] for n in range(1, 6)]
    monkeypatch.setattr(sheet_reader, "MAX_ROWS", 3)
    err = refused(tmp_path, good_output, sheet_project(tmp_path, people_sheet(tmp_path, rows, name="awardees.ods")))
    assert ('sheet "Cá nhân": expected at most 3 rows of awardees, found 5 (split the list into several events)') in err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, good_output):
    sheet = people_sheet(tmp_path, [["i01", "Người A", "شخص", None, None]], name="draft.xlsx")
    bomb = tmp_path / "awardees.xlsx"
    shutil.copy(sheet, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b"\0" * 50_000_000)  # 50 MB in about 50 KB
    err = refused(tmp_path, good_output, sheet_project(tmp_path, bomb))
    assert "expected a part compressed at most 200 times, found xl/media/padding.xml 1,0" in err
    assert "times (a zip bomb?)" in err


def test_a_part_larger_than_declared_is_refused(tmp_path, good_output):
    sheet = people_sheet(tmp_path, [["i01", "Người A", "شخص", None, None]], name="draft.xlsx")
    lying = tmp_path / "awardees.xlsx"
    data = bytearray(sheet.read_bytes())
    name = b"xl/worksheets/sheet2.xml"
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:  # the central directory's entry for the part
        if data[start + 46 : start + 46 + len(name)] == name:
            data[start + 24 : start + 28] = (100).to_bytes(4, "little")  # claims 100 bytes unpacked
        start += 4
    lying.write_bytes(bytes(data))
    err = refused(tmp_path, good_output, sheet_project(tmp_path, lying))
    assert "expected an intact zip archive, found a damaged part xl/worksheets/sheet2.xml" in err


def test_xml_entity_declarations_are_refused(tmp_path, good_output):
    sheet = people_sheet(tmp_path, [["i01", "Người A", "شخص", None, None]], name="draft.xlsx")
    laughs = b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    crafted = rewrite_part(
        sheet, tmp_path / "awardees.xlsx", "xl/sharedStrings.xml", lambda data: data.replace(b"?>", b"?>" + laughs, 1)
    )
    err = refused(tmp_path, good_output, sheet_project(tmp_path, crafted))
    assert (
        "expected plain XML in xl/sharedStrings.xml, found a DTD or entity declaration "
        "(spreadsheet programs never write one)"
    ) in err


@pytest.mark.parametrize(
    "content, name, found",
    [
        ("csv", "awardees.xlsx", "expected an Excel workbook (.xlsx) as the extension says, found a text file"),
        (
            "xlsx",
            "awardees.ods",
            "expected a LibreOffice/OpenDocument spreadsheet (.ods) as the extension says, "
            "found an Excel workbook (.xlsx)",
        ),
        (
            "xlsx",
            "awardees.csv",
            "expected a CSV text file, found an Excel workbook (.xlsx) (save it as CSV UTF-8, or "
            "give the file its real extension)",
        ),
        (
            "xls",
            "awardees.xlsx",
            "expected an Excel workbook (.xlsx) as the extension says, found an Excel 97-2003 "
            "workbook (.xls; open it and save it as .xlsx)",
        ),
    ],
)
def test_a_file_that_is_not_what_its_extension_says(tmp_path, good_output, reference_sheets, content, name, found):
    source = tmp_path / name
    if content == "xls":
        source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    else:
        shutil.copy(reference_sheets[content], source)
    err = refused(tmp_path, good_output, sheet_project(tmp_path, source))
    assert f"error: data/{name}: 1 problem\n  {found}\n" in err


def test_nothing_is_read_outside_the_data_folder(tmp_path, good_output, reference_sheets):
    outside = tmp_path / "outside.xlsx"
    shutil.copy(reference_sheets["xlsx"], outside)
    project = sheet_project(tmp_path, outside)
    (project / "data" / "outside.xlsx").unlink()
    (project / "data" / "outside.xlsx").symlink_to(outside)
    err = refused(tmp_path, good_output, project)
    assert "awards.source: expected a file inside data, found outside.xlsx leading to " in err
    event = project / "data" / f"{D35}.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("source: outside.xlsx", "source: ../outside.xlsx"), encoding="utf-8"
    )
    err = refused(tmp_path / "again", good_output, project)
    assert (
        "awards.source: expected the name of an .xlsx, .ods or .csv file beside this one (no folders), "
        "found '../outside.xlsx'"
    ) in err


# 5. The template sheet and export --------------------------------------------------------------


def test_new_commendation_writes_the_template_sheet(tmp_path):
    import openpyxl

    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p")
    code, out, err = run_cli(
        "--project",
        str(project),
        "new",
        "commendation",
        "--period",
        "2025-Q1",
        "--sheet",
        "--from",
        str(project / "data" / f"{D35}.yaml"),
        "--id",
        "khen-2025",
    )
    assert code == 0, err
    assert "created data/khen-2025-awardees.xlsx: one row per awardee, on the sheet of its kind." in out
    text = (project / "data" / "khen-2025.yaml").read_text(encoding="utf-8")
    assert 'source: "khen-2025-awardees.xlsx"' in text and "individuals:" not in text
    book = openpyxl.load_workbook(project / "data" / "khen-2025-awardees.xlsx")
    assert book.sheetnames == ["المجموعات", "الأفراد"]
    people = book["الأفراد"]
    assert [c.value for c in people[1]] == [
        "المعرف",
        "الاسم (ar)",
        "Họ và tên (vi)",
        "المنصب (ar)",
        "Chức vụ (vi)",
        "الوحدة (ar)",
        "Đơn vị (vi)",
        "الجنس",
        "رقم السجل",
    ]
    assert people.freeze_panes == "A2" and people.sheet_view.rightToLeft and people["B1"].font.b
    assert people.column_dimensions["B"].width == 36
    ids, genders = people.data_validations.dataValidation
    assert ids.type == "textLength" and str(ids.sqref) == "A2:A20000"
    assert (genders.type, genders.formula1, str(genders.sqref)) == ("list", '"ذكر,أنثى"', "H2:H20000")
    code, _, err = run_cli("--project", str(project), "check")
    assert "khen-2025-awardees.xlsx" not in err  # an empty template is a valid (empty) list
    code, _, err = run_cli(
        "--project",
        str(project),
        "new",
        "commendation",
        "--period",
        "2025-Q1",
        "--sheet",
        "--from",
        str(project / "data" / f"{D35}.yaml"),
        "--id",
        "khen-2025",
    )
    assert code == 1 and "already exists; not overwritten" in err


def test_export_round_trips_and_escapes_formulas(tmp_path):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p")
    event = project / "data" / f"{D35}.yaml"
    text = event.read_text(encoding="utf-8")
    for old, new in (
        ('vi: "Ban Tiếp công dân tỉnh"\n    - id: g02', 'vi: "=HYPERLINK(\\"http://x\\")"\n    - id: g02'),
        ('vi: "Nguyễn Văn Hùng"', 'vi: "+84 Nguyễn"'),
        ('vi: "Trưởng phòng"', 'vi: "@SUM(A1)"'),
        ('vi: "Công an tỉnh"\n    - id: g04', 'vi: "-Công an"\n    - id: g04'),
    ):
        assert old in text
        text = text.replace(old, new)
    event.write_text(text, encoding="utf-8")
    before = loaded(project).event.awards
    code, out, err = run_cli("--project", str(project), "export", "--event", D35)
    assert code == 0, err
    exported = project / "data" / f"{D35}-awardees.xlsx"
    assert f"wrote data/{D35}-awardees.xlsx: 10 groups and 15 individuals" in out
    with zipfile.ZipFile(exported) as archive:
        sheets = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in sheets and b'quotePrefix="1"' in archive.read("xl/styles.xml")
    # LibreOffice reads the escaped cells as the texts they were, not as formulas.
    as_csv = tmp_path / "lo"
    as_csv.mkdir()
    shutil.copy(exported, as_csv / "x.xlsx")
    import subprocess

    from sheetutil import _profile

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={_profile().as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
            "--outdir",
            str(as_csv),
            str(as_csv / "x.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    groups_csv = next(as_csv.glob("x*.csv")).read_text(encoding="utf-8")
    # Evaluated, HYPERLINK would have left only its URL: the cell kept its text.
    assert 'g01,لجنة استقبال المواطنين الإقليمية,"=HYPERLINK(""http://x"")",\n' in groups_csv
    assert "g03,الشرطة الإقليمية,-Công an,\n" in groups_csv
    use_sheet(project, exported.name)
    after = loaded(project).event.awards
    assert after.groups == before.groups and after.individuals == before.individuals
    assert after.groups[0].name["vi"] == '=HYPERLINK("http://x")'
    code, _, err = run_cli("--project", str(project), "export", "--event", D35)
    assert code == 1 and "already exists; not overwritten" in err
    code, _, err = run_cli("--project", str(project), "export", "--event", "nope")
    assert code == 2 and "--event: expected one of directive-35-review, inspectorate-2024-q1, found 'nope'" in err


# 6. The build follows the sheet ----------------------------------------------------------------


def written_after_renaming(project: Path, output: Path, rename) -> list[str]:
    arguments = [
        "--project",
        str(project),
        "build",
        "--event",
        D35,
        "--locale",
        "vi",
        "--output",
        str(output),
        "--json",
    ]
    assert run_cli(*arguments)[0] == 0
    rename()
    code, out, err = run_cli(*arguments)
    assert code == 0, err
    return sorted(json.loads(out)["written"])


def test_editing_one_name_in_the_sheet_rewrites_what_the_yaml_edit_would(tmp_path, reference_sheets):

    (tmp_path / "yaml").mkdir()
    yaml_project = copy_project(tmp_path / "yaml")
    event = yaml_project / "data" / f"{D35}.yaml"
    from_yaml = written_after_renaming(
        yaml_project,
        tmp_path / "out-yaml",
        lambda: event.write_text(
            event.read_text(encoding="utf-8").replace("Lê Thị Lan", "Lê Thị Lan Anh"), encoding="utf-8"
        ),
    )
    rows = awardee_rows(ROOT / "data" / f"{D35}.yaml")
    sheet_folder = tmp_path / "sheets"
    sheet_folder.mkdir()
    project = sheet_project(tmp_path / "sheet", reference_sheets["xlsx"])

    def rename_in_sheet():  # the clerk edits one cell and saves in LibreOffice
        changed = [[cell.replace("Lê Thị Lan", "Lê Thị Lan Anh") for cell in row] for row in rows]
        made = soffice_convert(write_csv(sheet_folder / "awardees.csv", changed), "xlsx")
        shutil.copy(made, project / "data" / "awardees.xlsx")

    from_sheet = written_after_renaming(project, tmp_path / "out-sheet", rename_in_sheet)
    assert "directive-35-review/vi/certificates/14-i04-le-thi-lan-anh.pdf" in from_sheet
    assert from_sheet == from_yaml


def test_the_manifest_records_the_sheet_and_archive_attaches_it(tmp_path, reference_sheets):
    import pikepdf

    project = sheet_project(tmp_path, reference_sheets["ods"])
    output = tmp_path / "output"
    code, _, err = run_cli(
        "--project",
        str(project),
        "build",
        "--event",
        D35,
        "--locale",
        "vi",
        "--format",
        "pdf",
        "--archive",
        "--output",
        str(output),
        "-q",
    )
    assert code == 0, err
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((project / "data" / "awardees.ods").read_bytes()).hexdigest()
    assert manifest["sources"]["data/awardees.ods"] == digest and f"data/{D35}.yaml" in manifest["sources"]
    with pikepdf.open(output / D35 / "vi" / "awardees.pdf") as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert attached["awardees.ods"] == (project / "data" / "awardees.ods").read_bytes()
    assert f"{D35}.yaml" in attached
    assert run_cli("verify", str(output))[0] == 0


def test_watch_follows_the_sheet_and_ignores_lock_files(tmp_path):
    import threading

    from reporting.build.watch import watch_changes

    (tmp_path / "data").mkdir()
    stop = threading.Event()
    changes = watch_changes(tmp_path, tmp_path / "output", stop)
    assert next(changes) == set()
    (tmp_path / "data" / ".~lock.awardees.xlsx#").write_text("lock")
    (tmp_path / "data" / "~$awardees.xlsx").write_text("lock")
    (tmp_path / "data" / "awardees.xlsx").write_bytes(b"saved")
    assert next(changes) == {tmp_path / "data" / "awardees.xlsx"}
    stop.set()
    changes.close()


def test_the_template_offers_honorifics_and_fixed_values_as_drop_downs(monkeypatch, tmp_path):
    """The gender (which gives the honorific Ông / Bà) is offered in the first language's words and read
    back in any of them; a field the model restricts to fixed values and the heading map does not know
    yet is headed by its name with its values as the list."""
    import io
    import typing

    import openpyxl

    from reporting.scaffold.awardee_workbook import awardee_workbook
    from reporting.source import model

    book = openpyxl.load_workbook(io.BytesIO(awardee_workbook(("vi", "ar"))))
    assert book.sheetnames == ["Tập thể", "Cá nhân"] and not book["Cá nhân"].sheet_view.rightToLeft
    people = book["Cá nhân"]
    assert [c.value for c in people[1]] == [
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
    lists = [v for v in people.data_validations.dataValidation if v.type == "list"]
    assert [(v.formula1, str(v.sqref)) for v in lists] == [('"Nam,Nữ"', "H2:H20000")]
    rows = [["i01", "A", "ا", "Nữ"], ["i02", "B", "ب", "ông"], ["i03", "C", "ج", "ذكر"], ["i04", "D", "د", None]]
    project = sheet_project(
        tmp_path,
        write_csv(
            tmp_path / "awardees.csv",
            [["Loại", "Mã", "Họ và tên (vi)", "الاسم (ar)", "Giới tính"], *[["Cá nhân", *row] for row in rows]],
        ),
    )
    assert [p.gender for p in loaded(project).event.awards.individuals] == ["female", "male", "male", None]

    class Ranked(model.Individual):
        rank: typing.Literal["first", "second"] | None = None

    monkeypatch.setattr(model, "Individual", Ranked)
    people = openpyxl.load_workbook(io.BytesIO(awardee_workbook(("vi", "ar"))))["Cá nhân"]
    assert people["J1"].value == "rank"
    lists = [v for v in people.data_validations.dataValidation if v.type == "list"]
    assert [(v.formula1, str(v.sqref)) for v in lists] == [('"Nam,Nữ"', "H2:H20000"), ('"first,second"', "J2:J20000")]
