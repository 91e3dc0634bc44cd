"""`new`: the next period's data file from the previous one; every blank reported by `check` until filled."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from conftest import copy_project, run_cli
from reporting import tool_language
from reporting.scaffold.periods import parse_period
from reporting.source.yaml_reader import load_yaml

Q1 = "data/inspectorate-2024-q1.yaml"
Q2 = "data/inspectorate-2024-q2.yaml"
D35 = "data/directive-35-review.yaml"
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[a-z_]+):(?P<rest>.*)$")


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def new(project, *argv):
    return run_cli("--project", str(project), "new", *argv)


def check_json(project):
    code, out, err = run_cli("--project", str(project), "--json", "check")
    assert err == ""
    return code, json.loads(out)


def fill_blanks(path, date: dt.date) -> list[int]:
    """Types something into every required blank (a leaf key with nothing after it); returns their line numbers.

    Optional blanks (part of day, decision number, decision date) stay empty: the model accepts them empty.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    filled = []
    for index, line in enumerate(lines):
        match = KEY_LINE.match(line)
        if not match or match["rest"].split("#")[0].strip() or not _is_leaf(lines, index):
            continue
        key = match["key"]
        value = {"value": "7", "date": date.isoformat(), "ar": '"نص تجريبي"', "vi": '"Nội dung thử"'}.get(key)
        if value is None or (key == "date" and match["indent"]):  # awards.date is optional
            continue
        head = line.split("#")[0].rstrip()
        lines[index] = f"{head} {value}"
        filled.append(index + 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return filled


def _is_leaf(lines: list[str], index: int) -> bool:
    """A key whose next significant line is not indented deeper holds nothing (its value is blank)."""

    def depth(text: str) -> int:
        match = KEY_LINE.match(text) or re.match(r"^(?P<indent> *)(?P<dash>- )?", text)
        return len(match["indent"]) + len(match["dash"] or "")

    for following in lines[index + 1 :]:
        if following.strip() and not following.lstrip().startswith("#"):
            return depth(following) <= depth(lines[index])
    return True


def test_quarterly_carries_people_and_bodies_and_clears_figures(project):
    code, out, err = new(project, "quarterly", "--period", "2024-Q2")
    assert code == 0, err
    assert f"created {Q2} from {Q1}" in out
    previous, scaffold = load_yaml(project / Q1).data, load_yaml(project / Q2).data
    assert scaffold["id"] == "inspectorate-2024-q2"
    assert scaffold["period"] == {"start": dt.date(2024, 4, 1), "end": dt.date(2024, 6, 30)}
    for carried in ("parent_body", "issuer", "place", "chair", "attendees", "reporters", "key_figures"):
        assert scaffold[carried] == previous[carried], carried
    assert scaffold["figures"].keys() == previous["figures"].keys()
    for name, figure in scaffold["figures"].items():
        assert figure["value"] is None, name
        assert {k: v for k, v in figure.items() if k != "value"} == {
            k: v for k, v in previous["figures"][name].items() if k != "value"
        }
    assert scaffold["date"] is None and scaffold["title"] == {"ar": None, "vi": None}
    assert len(scaffold["sections"]) == len(previous["sections"])
    assert all(s["paragraphs"] == [{"ar": None, "vi": None}] for s in scaffold["sections"])
    # the report's format stays (body, signer, recipients); last quarter's number and summary do not
    report = previous["documents"]["report"]
    assert scaffold["documents"]["report"] == {k: v for k, v in report.items() if k not in ("number", "summary")}


@pytest.mark.slow
def test_every_field_has_a_comment_saying_what_goes_there(project):
    assert new(project, "conference", "--period", "2025", "--from", str(project / D35))[0] == 0
    lines = (project / "data/directive-35-review-2025.yaml").read_text(encoding="utf-8").splitlines()
    top_level = [i for i, line in enumerate(lines) if re.match(r"[a-z_]+:", line)]
    assert len(top_level) == 18
    for index in top_level:
        assert lines[index - 1].startswith("# "), lines[index]
    awards = lines.index("awards:")
    for line in lines[awards + 1 :]:  # every field of the awards block: a comment above or a note at the end
        if re.match(r"  [a-z_]+:", line):
            previous_line = lines[lines.index(line) - 1]
            assert "  # " in line or previous_line.strip().startswith("#"), line
    assert all("# FILL IN: a number — " in line for line in lines if line.strip().startswith("value:"))


@pytest.mark.slow
def test_unfilled_scaffold_reports_each_blank_with_its_line(project):
    assert new(project, "quarterly", "--period", "2024-Q2")[0] == 0
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "error: data/inspectorate-2024-q2.yaml: 27 problems"
    text = (project / Q2).read_text(encoding="utf-8").splitlines()
    (problem,) = [line for line in lines if "figures.admin_inspections.value:" in line]
    position, message = problem.split(" figures.admin_inspections.value: ")
    assert message == "expected a number, found nothing — fill this in"
    line, column = map(int, position.split(":"))
    assert text[line - 1].startswith("    value:") and column == len("    value:") + 1
    assert "  37:6 date: expected a valid date, found nothing — fill this in" in lines


@pytest.mark.slow
def test_round_trip_fill_every_blank_then_check_passes_and_the_report_builds(project, tmp_path):
    assert new(project, "quarterly", "--period", "2024-Q2")[0] == 0
    code, document = check_json(project)
    reported = sorted(p["line"] for p in document["problems"])
    assert code == 1 and all(p["file"] == Q2 and p["found"] == "nothing" for p in document["problems"])
    filled = fill_blanks(project / Q2, dt.date(2024, 7, 8))
    assert filled == reported  # every blank is reported, and everything reported is a blank
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 0, err
    assert "ok: data/inspectorate-2024-q2.yaml (inspectorate-2024-q2: 8 figures)" in out
    code, _, err = run_cli(
        "--project",
        str(project),
        "build",
        "--event",
        "inspectorate-2024-q2",
        "--locale",
        "vi",
        "--format",
        "docx",
        "--output",
        str(tmp_path / "out"),
        "-q",
    )
    assert code == 0, err
    assert (tmp_path / "out/inspectorate-2024-q2/vi/report.docx").is_file()


@pytest.mark.slow
def test_refuses_to_overwrite_an_existing_file(project):
    assert new(project, "quarterly", "--period", "2024-Q2")[0] == 0
    (project / Q2).write_text("# a secretary's work\n", encoding="utf-8")
    code, out, err = new(project, "quarterly", "--period", "2024-Q2")
    assert code == 1 and out == ""
    assert f"error: {Q2} already exists; not overwritten" in err
    assert (project / Q2).read_text(encoding="utf-8") == "# a secretary's work\n"
    code, _, err = new(project, "quarterly", "--period", "2024-Q1")  # the previous file itself
    assert code == 1 and f"error: {Q1} already exists" in err


def test_output_and_id_options(project, tmp_path):
    target = tmp_path / "elsewhere" / "draft.yaml"
    code, out, err = new(project, "quarterly", "--period", "2024-Q3", "--id", "inspection-q3", "--output", str(target))
    assert code == 0, err
    assert load_yaml(target).data["id"] == "inspection-q3"
    assert not (project / "data/inspectorate-2024-q3.yaml").exists()


@pytest.mark.slow
def test_conference_keeps_the_awards_body_and_signatory_and_clears_awardees(project):
    code, _, err = new(project, "conference", "--period", "2024-07-01..2025-06-30")
    assert code == 0, err
    path = project / "data/directive-35-review-20240701-20250630.yaml"
    previous, scaffold = load_yaml(project / D35).data, load_yaml(path).data
    awards = scaffold["awards"]
    for carried in ("award", "conferred_by", "signatory", "emblem", "order"):
        assert awards[carried] == previous["awards"][carried]
    assert awards["groups"] == [] and awards["individuals"] == [] and awards["sample_data"] is False
    assert awards["citation"] == {"ar": None, "vi": None} and awards["decision"] is None
    assert "stated_percent" not in str(scaffold["ratios"])  # a copy of last period's source, never carried
    assert scaffold["ratios"].keys() == previous["ratios"].keys()
    assert "#   - id: g01" in path.read_text(encoding="utf-8")  # the commented example
    fill_blanks(path, dt.date(2025, 8, 1))
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 0, err


@pytest.mark.slow
def test_commendation_batch_needs_a_model_then_follows_the_last_one(project):
    code, _, err = new(project, "commendation", "--period", "2024-Q3")
    assert (
        code == 1
        and "error: expected a commendation file in data to start from, found none; name one with --from FILE" in err
    )
    code, _, err = new(
        project, "commendation", "--period", "2024-Q3", "--from", str(project / D35), "--id", "awards-2024-q3"
    )
    assert code == 0, err
    batch = load_yaml(project / "data/awards-2024-q3.yaml").data
    assert "figures" not in batch and "sections" not in batch and batch["awards"]["individuals"] == []
    fill_blanks(project / "data/awards-2024-q3.yaml", dt.date(2024, 10, 2))
    assert run_cli("--project", str(project), "check")[0] == 0
    code, out, err = new(project, "commendation", "--period", "2024-Q4")  # the batch just made is now the model
    assert code == 0, err
    assert "created data/awards-2024-q4.yaml from data/awards-2024-q3.yaml" in out


@pytest.mark.parametrize(
    "text, start, end, token",
    [
        ("2024-Q2", dt.date(2024, 4, 1), dt.date(2024, 6, 30), "2024-q2"),
        ("2024-q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31), "2024-q4"),
        ("2024-H1", dt.date(2024, 1, 1), dt.date(2024, 6, 30), "2024-h1"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024-02"),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025"),
    ],
)
def test_periods(text, start, end, token):
    period = parse_period(text)
    assert (period.start, period.end, period.token) == (start, end, token)


@pytest.mark.parametrize("text", ["2024-Q5", "Q2 2024", "2024-13", "2024-06-31..2024-07-01", "2024-07-01..2024-06-30"])
def test_a_bad_period_is_a_usage_error(project, text):
    code, _, err = new(project, "quarterly", "--period", text)
    assert code == 2 and "--period: expected" in err
    assert sorted(p.name for p in (project / "data").iterdir()) == [
        "directive-35-review.yaml",
        "inspectorate-2024-q1.yaml",
    ]


@pytest.mark.parametrize(
    "old, new, field, expected",
    [
        ('place:\n  ar: "نينه بينه"\n  vi: "Ninh Bình"\n', "place:\n", "place", "a text per language"),
        ('    ar: "فو جيا لونغ"\n    vi: "Vũ Gia Long"\n', "", "chair.name", "a text per language"),
        ("    value: 9\n", "    value:\n", "figures.conclusions.value", "a number"),
        ("date: 2024-04-08\n", "date:\n", "date", "a valid date"),
        ('  vi: "Ninh Bình"\n', "  vi:\n", "place.vi", "text"),
    ],
)
@pytest.mark.slow
def test_a_blank_in_any_file_is_reported_as_to_fill(project, old, new, field, expected):
    path = project / Q1
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, document = check_json(project)
    (problem,) = document["problems"]
    assert code == 1 and problem["field"] == field
    assert problem["message"] == f"expected {expected}, found nothing — fill this in"
    assert (problem["expected"], problem["found"]) == (expected, "nothing")


@pytest.fixture
def clerk_environment(monkeypatch):
    """Sets the environment's language for the commands a test runs; English again for the tests after it
    (the language a run chooses stays the process's until the next run chooses)."""
    yield monkeypatch
    tool_language.use(tool_language.SOURCE_LANGUAGE)


def _without_comments(text: str) -> list[str]:
    """The YAML as the loader sees it: comment lines blanked, end-of-line comments cut."""
    return [re.sub(r"\s+#.*$", "", line) if not line.lstrip().startswith("#") else "" for line in text.splitlines()]


@pytest.mark.parametrize(
    ("lang", "marker", "comments"),
    [
        (
            "vi_VN.UTF-8",
            "CẦN ĐIỀN",
            [
                "# Địa điểm họp.",
                "# CẦN ĐIỀN: ngày họp, YYYY-MM-DD, từ ngày 2024-04-01 trở đi.",
                "  start: 2024-04-01  # ngày đầu",
            ],
        ),
        (
            "ar_EG.UTF-8",
            "للتعبئة",
            [
                "# مكان انعقاد الاجتماع.",
                "# للتعبئة: يوم الاجتماع، YYYY-MM-DD، في 2024-04-01 أو بعده.",
                "  start: 2024-04-01  # أول يوم",
            ],
        ),
    ],
)
@pytest.mark.slow
def test_comments_in_the_language_of_the_environment_around_the_same_yaml(
    project, clerk_environment, lang, marker, comments
):
    english = project / "english.yaml"
    assert new(project, "quarterly", "--period", "2024-Q2", "--output", str(english))[0] == 0
    clerk_environment.setenv("LANG", lang)
    code, out, err = new(project, "quarterly", "--period", "2024-Q2")
    assert code == 0, err
    assert marker in out and "FILL IN" not in out
    text = (project / Q2).read_text(encoding="utf-8")
    lines = text.splitlines()
    for comment in comments:
        assert comment in lines
    assert "Where the meeting took place" not in text and "FILL IN" not in text
    assert all(f"# {marker}: " in line for line in lines if line.strip().startswith("value:"))
    # Only the comments differ: the same keys (the schema's English), values and blanks on the same lines.
    assert _without_comments(text) == _without_comments(english.read_text(encoding="utf-8"))
    assert load_yaml(project / Q2).data == load_yaml(english).data
    english.unlink()
    code, document = check_json(project)
    assert code == 1 and len(document["problems"]) == 27
    assert {p["file"] for p in document["problems"]} == {Q2}


def test_the_awardee_workbook_and_its_pointer_speak_arabic(project, clerk_environment):
    import openpyxl

    clerk_environment.setenv("LANG", "ar_EG.UTF-8")
    code, _, err = new(project, "conference", "--period", "2025", "--from", str(project / D35), "--sheet")
    assert code == 0, err
    text = (project / "data/directive-35-review-2025.yaml").read_text(encoding="utf-8")
    assert "  # المكرَّمون: صف لكل جماعة أو شخص في المصنف المجاور لهذا الملف، وورقة لكل نوع.\n" in text
    assert '  source: "directive-35-review-2025-awardees.xlsx"\n' in text
    book = openpyxl.load_workbook(project / "data/directive-35-review-2025-awardees.xlsx")
    rules = [rule.error for sheet in book.worksheets for rule in sheet.data_validations.dataValidation]
    assert "المعرِّف: من 1 إلى 64 محرفًا، من الحروف الصغيرة a-z والأرقام 0-9 و- أو _" in rules
