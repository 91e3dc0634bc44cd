"""Awardee lists from spreadsheets (XLSX, ODS, CSV): read as a clerk expects, refused when hostile.

Workbooks are made by LibreOffice headless (from CSV, or re-saving a draft), as staff's files are;
tests/sheets/ holds a few such files committed as made. A failing case runs the build over a copy of
a previous good output and checks the message, the exit code and that not one byte changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting.source.load import load_event
from sheetutil import awardee_rows, clerk_workbook, needs_libreoffice, soffice_convert, use_sheet, write_csv

# Fixtures made by LibreOffice, documents built from them: the slow tier.
pytestmark = [needs_libreoffice, pytest.mark.slow]
D35 = "directive-35-review"
COMMITTED = Path(__file__).parent / "sheets"
PEOPLE = ["Mã", "Họ và tên (vi)", "الاسم (ar)", "Chức vụ (vi)", "المنصب (ar)"]
GROUPS = ["Mã", "Tên đơn vị (vi)", "الاسم (ar)"]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def reference_sheets(tmp_path_factory) -> dict[str, Path]:
    """The reference awardees as a clerk's CSV, and as XLSX and ODS LibreOffice made from it."""
    folder = tmp_path_factory.mktemp("reference-sheets")
    csv_file = write_csv(folder / "awardees.csv", awardee_rows(ROOT / "data" / f"{D35}.yaml"))
    return {"csv": csv_file, "xlsx": soffice_convert(csv_file, "xlsx"), "ods": soffice_convert(csv_file, "ods")}


def sheet_project(tmp_path: Path, sheet: Path, extra: str = "") -> Path:
    (tmp_path / "project").mkdir(parents=True)
    project = copy_project(tmp_path / "project")
    shutil.copy(sheet, project / "data" / sheet.name)
    use_sheet(project, sheet.name, extra)
    return project


def loaded(project: Path):
    """The event as the build sees it (model and source), without rendering."""
    path = project / "data" / f"{D35}.yaml"
    return load_event(path, ("ar", "vi"), f"data/{D35}.yaml")


def check(project: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("--project", str(project), "check", *extra)


# 1. A spreadsheet as a data source -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "ods", "csv"])
def test_reference_awardees_from_a_sheet_equal_the_yaml_ones(tmp_path, reference_sheets, kind):
    from_yaml = load_event(ROOT / "data" / f"{D35}.yaml", ("ar", "vi")).event.awards
    from_sheet = loaded(sheet_project(tmp_path, reference_sheets[kind])).event.awards
    assert from_sheet.groups == from_yaml.groups and from_sheet.individuals == from_yaml.individuals
    assert from_sheet.source == f"awardees.{kind}" and len(from_sheet.individuals) == 15


def test_documents_built_from_a_libreoffice_xlsx_are_byte_identical_to_the_yaml_ones(tmp_path, reference_sheets):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    yaml_out, sheet_out = tmp_path / "from-yaml", tmp_path / "from-sheet"
    assert run_cli("--project", str(project), "build", "--event", D35, "--output", str(yaml_out), "-q")[0] == 0
    shutil.copy(reference_sheets["xlsx"], project / "data" / "awardees.xlsx")
    use_sheet(project, "awardees.xlsx")
    code, _, err = run_cli("--project", str(project), "build", "--event", D35, "--output", str(sheet_out), "-q")
    assert code == 0, err
    yaml_files, sheet_files = snapshot(yaml_out), snapshot(sheet_out)
    assert yaml_files.pop("manifest.json") != sheet_files.pop("manifest.json")  # it records the sheet
    assert len(yaml_files) > 100 and sheet_files == yaml_files


def test_headings_in_any_order_and_language_with_sheets_named_in_the_event(tmp_path):
    rows = [
        ["unit.vi", "name [ar]", "المنصب (ar)", "Họ và tên (vi)", "ID", "الوحدة (ar)", "position.vi"],
        ["Thanh tra tỉnh", "نجوين فان هونغ", "نائب", "Nguyễn Văn Hùng", "i01", "هيئة", "Phó Chánh Thanh tra"],
    ]
    sheet = clerk_workbook(
        tmp_path / "list.ods", {"Đơn vị": [GROUPS, ["g01", "Ban Tiếp công dân", "لجنة"]], "Người": rows}
    )
    project = sheet_project(tmp_path, sheet, "  sheets:\n    groups: Đơn vị\n    individuals: Người\n")
    awards = loaded(project).event.awards
    person = awards.individuals[0]
    assert (person.id, person.name["vi"], person.unit["ar"], person.position["vi"]) == (
        "i01",
        "Nguyễn Văn Hùng",
        "هيئة",
        "Phó Chánh Thanh tra",
    )
    assert [g.name["vi"] for g in awards.groups] == ["Ban Tiếp công dân"]


def test_an_unknown_column_is_an_error_with_did_you_mean(tmp_path, reference_sheets):
    rows = awardee_rows(ROOT / "data" / f"{D35}.yaml")
    rows[0][4] = "Chuc vu (vi)"
    project = sheet_project(tmp_path, write_csv(tmp_path / "awardees.csv", rows))
    code, _, err = check(project)
    assert code == 1
    assert "data/awardees.csv: 1 problem" in err
    assert (
        "row 1, column E (Chuc vu (vi)): expected a known column heading, found 'Chuc vu (vi)' "
        "(did you mean 'Chức vụ (vi)'?)" in err
    )


def test_a_missing_required_column_is_named(tmp_path):
    rows = [["Loại", "Mã", "Họ và tên (vi)"], ["Cá nhân", "i01", "Nguyễn Văn Hùng"]]
    project = sheet_project(tmp_path, write_csv(tmp_path / "awardees.csv", rows))
    code, _, err = check(project)
    assert code == 1 and "row 1: name.ar: expected a column 'الاسم (ar)' for name (ar), found none" in err


# 2. Errors as precise as for YAML --------------------------------------------------------------


@pytest.fixture
def blank_position(tmp_path) -> Path:
    """Row 17 of "Cá nhân" has an Arabic position but no Vietnamese one."""
    people = [PEOPLE] + [[f"i{n:02d}", f"Người {n}", f"شخص {n}", "Trưởng phòng", "رئيس قسم"] for n in range(1, 20)]
    people[16][3] = None
    sheet = clerk_workbook(tmp_path / "awardees-2024.xlsx", {"Tập thể": [GROUPS], "Cá nhân": people})
    return sheet_project(tmp_path, sheet)


def test_a_sheet_problem_names_sheet_row_column_and_heading(blank_position):
    code, _, err = check(blank_position)
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "error: data/awardees-2024.xlsx: 1 problem"
    assert lines[1] == (
        '  sheet "Cá nhân", row 17, column D (Chức vụ (vi)): '
        "awards.individuals[15].position.vi: expected text, found nothing"
    )
    assert lines[2] == "    17 | i16 | Người 16 | شخص 16 |  | رئيس قسم"
    assert lines[3] == "       |                           ^"  # between the bars of the empty cell D
    assert lines[4] == "1 problem in 1 file; nothing was written."


def test_sheet_problems_are_grouped_with_the_events_yaml_problems(blank_position):
    event = blank_position / "data" / f"{D35}.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace('vi: "Bằng khen"', 'vi: ""'), encoding="utf-8")
    code, _, err = check(blank_position)
    assert code == 1
    assert "error: data/awardees-2024.xlsx: 1 problem" in err and f"error: data/{D35}.yaml: 1 problem" in err
    assert err.rstrip().endswith("2 problems in 2 files; nothing was written.")


def test_sheet_problems_in_json_carry_sheet_row_and_column(blank_position):
    code, out, _ = check(blank_position, "--json")
    document = json.loads(out)
    assert code == 1 and document["exit_code"] == 1
    [problem] = document["problems"]
    assert problem == {
        "severity": "error",
        "code": "missing-field",
        "file": "data/awardees-2024.xlsx",
        "line": None,
        "column": 4,
        "column_letter": "D",
        "sheet": "Cá nhân",
        "row": 17,
        "header": "Chức vụ (vi)",
        "field": "awards.individuals[15].position.vi",
        "field_label": "position",
        "expected": "text",
        "found": "nothing",
        "message": "expected text, found nothing",
    }


def test_the_preview_shows_the_offending_row(blank_position):
    from reporting.build.watch import Outcome
    from reporting.errors import DataError
    from reporting.preview.error_page import problem_views
    from reporting.source.load import load_events

    with pytest.raises(DataError) as caught:
        load_events([blank_position / "data" / f"{D35}.yaml"], ("ar", "vi"), blank_position)
    [view] = problem_views(Outcome(1, error=caught.value, project_root=blank_position))
    assert view.location == 'data/awardees-2024.xlsx: sheet "Cá nhân", row 17, column D (Chức vụ (vi))'
    assert view.message == "expected text, found nothing"
    [line] = view.source
    assert (line.number, line.offending, line.text) == (17, True, "i16 | Người 16 | شخص 16 |  | رئيس قسم")
    assert line.text[view.column - 1 :].startswith(" | رئيس")  # the caret column: the empty cell D


# 3. Cell types, as a clerk expects them -------------------------------------------------------


@pytest.fixture(scope="module")
def good_output(tmp_path_factory, reference_sheets) -> Path:
    """A previous good build (from the reference xlsx) that failing builds must leave alone."""
    folder = tmp_path_factory.mktemp("good")
    project = sheet_project(folder, reference_sheets["xlsx"])
    output = folder / "output"
    code, _, err = run_cli(
        "--project",
        str(project),
        "build",
        "--event",
        D35,
        "--locale",
        "vi",
        "--format",
        "docx",
        "--output",
        str(output),
        "-q",
    )
    assert code == 0, err
    return output


def refused(tmp_path: Path, good_output: Path, project: Path) -> str:
    """Builds ``project`` over a copy of the good output: exit code 1, not a byte changed; the message."""
    output = tmp_path / "output"
    shutil.copytree(good_output, output)
    before = snapshot(output)
    code, _, err = run_cli(
        "--project",
        str(project),
        "build",
        "--event",
        D35,
        "--locale",
        "vi",
        "--format",
        "docx",
        "--output",
        str(output),
    )
    assert code == 1, err
    assert snapshot(output) == before
    return err


def people_sheet(tmp_path: Path, rows: list[list[object]], name: str = "awardees.xlsx", **options) -> Path:
    return clerk_workbook(
        tmp_path / name,
        {"Tập thể": [GROUPS, ["g01", "Ban Tiếp công dân", "لجنة"]], "Cá nhân": [PEOPLE, *rows]},
        **options,
    )


def test_numbers_and_texts_in_either_cell_type(tmp_path):
    """An id typed as text keeps its leading zeros; a number where text belongs reads as its digits."""
    csv_file = write_csv(
        tmp_path / "people.csv", [PEOPLE, ["007", "Người A", "شخص", "12", "١٢"], ["42", "Người B", "شخص", "3.5", "x"]]
    )
    # Column A as text (2), the others standard (1): "007" stays text, "42" and "12" become numbers.
    sheet = soffice_convert(csv_file, "xlsx", "CSV:44,34,76,1,1/2/2/1/3/1/4/1/5/1")
    from reporting.source.sheet_reader import read_workbook

    assert read_workbook(sheet, "x").tables[0].rows[1][:4] == ["007", "Người A", "شخص", 12.0]
    workbook = clerk_workbook(
        tmp_path / "awardees.ods", {"Cá nhân": read_workbook(sheet, "x").tables[0].rows, "Tập thể": [GROUPS]}
    )
    people = loaded(sheet_project(tmp_path, workbook)).event.awards.individuals
    assert [(p.id, p.position["vi"]) for p in people] == [("007", "12"), ("42", "3.5")]


def test_a_date_where_text_belongs_is_refused(tmp_path, good_output):
    sheet = people_sheet(tmp_path, [["i01", "Người A", "شخص", dt.date(2024, 5, 1), "رئيس"]])
    err = refused(tmp_path, good_output, sheet_project(tmp_path, sheet))
    assert (
        'sheet "Cá nhân", row 2, column D (Chức vụ (vi)): awards.individuals[0].position.vi: '
        "expected text, found the date 2024-05-01 (format the column as text)"
    ) in err


def test_spaces_are_trimmed_and_collapsed_and_nfd_becomes_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hòa")
    sheet = people_sheet(tmp_path, [["i01", f"  {nfd.replace(' ', '  ')} ", "شخص ", "Trưởng\u00a0 phòng", "رئيس"]])
    person = loaded(sheet_project(tmp_path, sheet)).event.awards.individuals[0]
    assert person.name["vi"] == "Nguyễn Thị Hòa" and person.position["vi"] == "Trưởng phòng"
    assert unicodedata.is_normalized("NFC", person.name["vi"]) and person.name["ar"] == "شخص"


def test_merged_cells_are_refused_with_their_range(tmp_path, good_output):
    rows = [["i01", "Người A", "شخص", "Trưởng phòng", "رئيس"], ["i02", "Người B", "شخص", None, "رئيس"]]
    sheet = people_sheet(tmp_path, rows, merged={"Cá nhân": ["D2:D3"]})
    err = refused(tmp_path, good_output, sheet_project(tmp_path, sheet))
    assert (
        'sheet "Cá nhân", row 2, column D (Chức vụ (vi)): expected one value per cell, '
        "found merged cells D2:D3 (unmerge them and fill each cell)"
    ) in err


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_hidden_rows_are_refused_unless_included(tmp_path, good_output, kind):
    rows = [["i01", "Người A", "شخص", "Trưởng phòng", "رئيس"], ["i02", "Người B", "شخص", "Phó", "نائب"]]
    sheet = people_sheet(tmp_path, rows, name=f"awardees.{kind}", hidden_rows={"Cá nhân": [3]})
    err = refused(tmp_path, good_output, sheet_project(tmp_path, sheet))
    assert (
        'sheet "Cá nhân", row 3: expected visible rows, found this row hidden '
        "(show it, delete it, or set include_hidden: true)"
    ) in err
    included = sheet_project(tmp_path / "included", sheet, "  include_hidden: true\n")
    assert [p.id for p in loaded(included).event.awards.individuals] == ["i01", "i02"]


def test_a_hidden_sheet_is_refused(tmp_path, good_output):
    sheet = clerk_workbook(
        tmp_path / "awardees.xlsx", {"Tập thể": [GROUPS], "Cá nhân": [PEOPLE]}, hidden_sheets=("Cá nhân",)
    )
    err = refused(tmp_path, good_output, sheet_project(tmp_path, sheet))
    assert (
        'error: data/awardees.xlsx: 1 problem\n  sheet "Cá nhân": expected a visible sheet, found it hidden '
        "(show it, or set include_hidden: true)\n"
    ) in err


def test_formulas_give_their_saved_value(tmp_path):
    sheet = people_sheet(tmp_path, [["i01", '="Nguyễn "&"Văn A"', "شخص", '=UPPER("t")&"rưởng"', "رئيس"]])
    project = sheet_project(tmp_path, sheet)
    person = loaded(project).event.awards.individuals[0]
    assert (person.name["vi"], person.position["vi"]) == ("Nguyễn Văn A", "Trưởng")
    code, out, _ = check(project)  # and says so
    assert code == 0
    assert "    awardees from data/awardees.xlsx (2 cells are formulas, read as the value the spreadsheet saved)" in out


def test_a_formula_without_a_saved_value_is_refused(tmp_path, good_output):
    import openpyxl  # openpyxl writes formulas without results, as some export tools do

    book = openpyxl.Workbook()
    book.active.title = "Cá nhân"
    book.active.append(PEOPLE)
    book.active.append(["i01", '="Người "&"A"', "شخص", "Phó", "نائب"])
    book.create_sheet("Tập thể").append(GROUPS)
    book.save(tmp_path / "awardees.xlsx")
    err = refused(tmp_path, good_output, sheet_project(tmp_path, tmp_path / "awardees.xlsx"))
    assert (
        'sheet "Cá nhân", row 2, column B (Họ và tên (vi)): expected a value, found a formula with no saved '
        "result (open the file and save it again in Excel or LibreOffice)"
    ) in err


def test_blank_rows_inside_the_table_are_gaps_not_its_end(tmp_path):
    rows = [["i01", "Người A", "شخص", None, None], [None] * 5, [None] * 5, ["i02", "Người B", "شخص", None, None]]
    people = loaded(sheet_project(tmp_path, people_sheet(tmp_path, rows, name="awardees.ods"))).event.awards.individuals
    assert [p.id for p in people] == ["i01", "i02"]


def test_the_same_person_twice_names_both_rows(tmp_path, good_output):
    rows = [
        ["i01", "Người A", "شخص", None, None],
        ["i02", "Người B", "شخص", None, None],
        ["i01", "Người A", "شخص", None, None],
    ]
    err = refused(tmp_path, good_output, sheet_project(tmp_path, people_sheet(tmp_path, rows)))
    assert (
        'sheet "Cá nhân", row 4, column A (Mã): awards.individuals[2].id: expected each awardee id once, '
        "found 'i01' also in row 2"
    ) in err


def test_committed_files_from_libreoffice(tmp_path):
    """Small real files as LibreOffice saved them: merged cells, hidden rows, formulas, dates."""
    from reporting.source.sheet_reader import read_workbook

    structure = read_workbook(COMMITTED / "merged-hidden-formula.xlsx", "x").table("Cá nhân").structure
    assert structure.merged == ["D3:E3"] and structure.hidden_rows == {4} and structure.formulas == {(2, 2): True}
    ods = read_workbook(COMMITTED / "merged-hidden-formula.ods", "x").table("Cá nhân")
    assert ods.structure.merged == ["D3:E3"] and ods.structure.hidden_rows == {4}
    assert ods.rows[1][1] == "Nguyễn Văn A" and ods.rows[4][3] == dt.date(2024, 5, 1)


def test_a_date_field_reads_date_cells_serial_numbers_and_typed_dates(tmp_path, monkeypatch):
    """The awardee model has no date field yet; one added to it (as a decision date per person might be)
    is read from a date cell, a serial number, YYYY-MM-DD or DD/MM/YYYY, and anything else is refused."""

    from reporting.source import model
    from reporting.source.sheet_awards import attach_sheet
    from reporting.source.yaml_reader import LoadedYaml

    class Dated(model.Individual):
        awarded_on: dt.date | None = None

    monkeypatch.setattr(model, "Individual", Dated)
    heading = [*PEOPLE, "awarded_on"]
    rows = [
        ["i01", "A", "ا", None, None, dt.date(2024, 5, 1)],
        ["i02", "B", "ب", None, None, 45413],
        ["i03", "C", "ج", None, None, "2024-05-01"],
        ["i04", "D", "د", None, None, "1/5/2024"],
    ]
    clerk_workbook(tmp_path / "dated.ods", {"Tập thể": [GROUPS], "Cá nhân": [heading, *rows]})
    source = LoadedYaml(Path("data/e.yaml"), {"awards": {"source": "dated.ods"}}, {}, {})
    read, problems = attach_sheet(source, tmp_path / "e.yaml", ("ar", "vi"))
    assert problems == []
    assert [p["awarded_on"] for p in read.data["awards"]["individuals"]] == [dt.date(2024, 5, 1)] * 4
    clerk_workbook(
        tmp_path / "bad.ods", {"Tập thể": [GROUPS], "Cá nhân": [heading, ["i01", "A", "ا", None, None, "31/02/2024"]]}
    )
    source = LoadedYaml(Path("data/e.yaml"), {"awards": {"source": "bad.ods"}}, {}, {})
    _, [problem] = attach_sheet(source, tmp_path / "e.yaml", ("ar", "vi"))
    assert str(problem) == (
        'data/bad.ods: sheet "Cá nhân", row 2, column F (awarded_on): expected a real date '
        "(a date cell, YYYY-MM-DD or DD/MM/YYYY), found '31/02/2024'"
    )
    assert (problem.field, problem.expected, problem.found) == (
        "awards.individuals[0].awarded_on",
        "a real date (a date cell, YYYY-MM-DD or DD/MM/YYYY)",
        "'31/02/2024'",
    )
