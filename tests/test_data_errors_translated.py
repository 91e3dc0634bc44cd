"""Data problems in the clerk's language: `check` on broken data under a Vietnamese and an Arabic
environment says what is wrong in her words, at the same file, line, column and caret as in English,
and `--json` keeps the same stable codes beside the translated messages."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting import tool_language
from reporting.errors import DataError
from reporting.source.field_labels import label_key
from reporting.source.model import Event, Strict
from reporting.source.schema_problems import _unwrap
from reporting.source.yaml_reader import load_yaml
from reporting.tool_language import LRI, PDI, n_
from sheetutil import awardee_rows, use_sheet, write_csv

Q1 = "data/inspectorate-2024-q1.yaml"
D35 = "directive-35-review"
FSI = "\u2068"
LANGS = {"en": "C.UTF-8", "vi": "vi_VN.UTF-8", "ar": "ar_EG.UTF-8"}


def run_check(project: Path, language: str, monkeypatch, *extra: str) -> tuple[int, str, list[dict]]:
    """``check`` as a clerk runs it with LANG set: the text report, and the --json problems."""
    monkeypatch.setenv("LANG", LANGS[language])
    monkeypatch.setenv("NO_COLOR", "1")
    code, _, err = run_cli("--project", str(project), "check", *extra)
    json_code, out, _ = run_cli("--project", str(project), "check", "--json", *extra)
    assert code == json_code == 1, err
    return code, err, json.loads(out)["problems"]


def in_all_languages(project: Path, monkeypatch) -> dict[str, tuple[str, list[dict]]]:
    runs = {language: run_check(project, language, monkeypatch)[1:] for language in LANGS}
    monkeypatch.setenv("LANG", "C.UTF-8")
    return runs


def plain(text: str) -> str:
    """A report without the bidi isolates an Arabic message puts round paths, locations and values."""
    return re.sub(f"[{LRI}{PDI}{FSI}]", "", text)


def layout(report: str) -> list[str]:
    """What must not change with the language: each file's name, each problem's line and column
    (``34:7``), the quoted source lines (a sheet's row) and the caret lines; the messages left out."""
    kept = []
    for line in plain(report).splitlines():
        if re.match(r"^ {4}\s*\d+ \| ", line) or re.match(r"^ {5,}\| ", line):
            kept.append(line)  # a source line or a caret line
        elif re.match(r"^  \d+(:\d+)? ", line):
            kept.append(line.split()[0])  # a YAML problem's line:column
        elif header := re.match(r"^\S+ (\S+\.(?:yaml|csv|xlsx|ods|toml)): ", line):
            kept.append(header[1])  # a file's heading: the file
    return kept


def assert_same_places(runs: dict[str, tuple[str, list[dict]]]) -> None:
    """Same file, line:col and caret as the English run; same codes, fields and positions in --json."""
    english_text, english_json = runs["en"]
    assert layout(english_text), english_text
    where = [_place(p) for p in english_json]
    assert all(p["code"] != "invalid-value" for p in english_json)  # every problem names its kind
    for language in ("vi", "ar"):
        text, problems = runs[language]
        assert layout(text) == layout(english_text), text
        assert [_place(p) for p in problems] == where
        assert [p["message"] for p in problems] != [p["message"] for p in english_json]


def _place(problem: dict) -> tuple:
    keys = ("code", "file", "line", "column", "field", "sheet", "row", "column_letter")
    return tuple(problem.get(key) for key in keys)


def problem_line(report: str, start: str) -> str:
    """The report's line for the problem whose location or field starts with ``start`` (isolates removed)."""
    lines = [line for line in plain(report).splitlines() if line.strip().startswith(start)]
    assert len(lines) == 1, report
    return lines[0]


def broken(tmp_path: Path, *replacements: tuple[str, str], file: str = Q1) -> Path:
    project = copy_project(tmp_path)
    path = project / file
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return project


def line_of(project: Path, text: str, file: str = Q1) -> int:
    rows = (project / file).read_text(encoding="utf-8").split("\n")
    return next(number for number, row in enumerate(rows, 1) if row.startswith(text))


@pytest.mark.slow
def test_a_yaml_syntax_error(tmp_path, monkeypatch):
    project = broken(tmp_path, ("\nplace:\n", "\nplace: Ninh Bình: tỉnh\n"))
    line = line_of(project, "place: ")
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    assert problem_line(runs["en"][0], f"{line}:").endswith("invalid YAML: mapping values are not allowed here")
    assert "YAML không hợp lệ: không được đặt giá trị (dấu ':') ở đây" in problem_line(runs["vi"][0], f"{line}:")
    assert "ملف YAML غير صالح: لا يجوز وضع قيمة" in problem_line(runs["ar"][0], f"{line}:")
    assert {problems[0]["code"] for _, problems in runs.values()} == {"yaml-syntax"}


@pytest.mark.slow  # six runs of check (text and --json in three languages)
def test_an_unknown_field_with_did_you_mean_and_the_missing_field(tmp_path, monkeypatch):
    project = broken(tmp_path, ("\nplace:\n", "\nplaec:\n"))
    line = line_of(project, "plaec:")
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    assert problem_line(runs["en"][0], f"{line}:1 ") == (
        f"  {line}:1 plaec: expected a known field, found unknown field 'plaec' (did you mean 'place'?)"
    )
    assert problem_line(runs["vi"][0], f"{line}:1 ") == (
        f"  {line}:1 plaec: cần tên trường hợp lệ, nhưng gặp trường không xác định 'plaec' (có phải là 'place' không?)"
    )
    arabic = runs["ar"][0]
    assert f"{LRI}{line}:1{PDI} {LRI}plaec{PDI}: المتوقَّع حقلًا معروفًا، والموجود حقل غير معروف" in arabic
    assert f"{FSI}'plaec'{PDI} (هل تقصد {FSI}'place'{PDI}؟)" in arabic  # quoted values in their own direction
    # the missing field: its key, and in Vietnamese and Arabic its name as the clerk knows it
    assert "  8:1 place: expected this field, found nothing" in runs["en"][0]
    assert "  8:1 place (địa điểm họp): cần trường này, nhưng gặp giá trị trống" in runs["vi"][0]
    assert f"  {LRI}8:1{PDI} {LRI}place{PDI} (مكان الاجتماع): المتوقَّع هذا الحقل، والموجود لا شيء" in arabic
    codes = {language: sorted(p["code"] for p in problems) for language, (_, problems) in runs.items()}
    assert codes["en"] == codes["vi"] == codes["ar"] == ["missing-field", "unknown-field"]
    labels = {language: {p["field"]: p["field_label"] for p in problems} for language, (_, problems) in runs.items()}
    assert labels["en"] == {"place": "meeting place", "plaec": None}
    assert labels["vi"] == {"place": "địa điểm họp", "plaec": None}
    assert labels["ar"] == {"place": "مكان الاجتماع", "plaec": None}


@pytest.mark.slow  # six runs of check (text and --json in three languages)
def test_a_wrong_type_and_a_date_in_the_readers_locale(tmp_path, monkeypatch):
    project = broken(tmp_path, ("sample_data: false", 'sample_data: "no"'), ("  end: 2024-03-31", "  end: 2023-12-31"))
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    english, vietnamese, arabic = (runs[language][0] for language in LANGS)
    assert "sample_data: expected a valid boolean, found 'no'" in english
    assert "sample_data (dữ liệu mẫu): cần giá trị true/false hợp lệ, nhưng gặp 'no'" in vietnamese
    assert "(بيانات تجريبية): المتوقَّع قيمةً منطقية صحيحة (true أو false)، والموجود" in arabic
    # a date the message computes is in the reader's locale; English keeps the ISO date of the file
    assert "period: expected end on or after start (2024-01-01), found 2023-12-31" in english
    assert (
        "period (kỳ báo cáo): cần ngày kết thúc bằng hoặc sau ngày bắt đầu (1 tháng 1, 2024), "
        "nhưng gặp 31 tháng 12, 2023" in vietnamese
    )
    assert (
        "(الفترة المشمولة بالتقرير): المتوقَّع نهايةً في يوم البداية (1 يناير 2024) أو بعده، والموجود 31 ديسمبر 2023"
        in arabic
    )
    assert sorted(p["code"] for p in runs["vi"][1]) == ["date-order", "wrong-type"]


@pytest.mark.slow  # six runs of check (text and --json in three languages)
def test_a_text_too_long_with_numbers_in_the_readers_locale(tmp_path, monkeypatch):
    long_text = "dài " * 1600  # 6,400 characters, over the limit of 5,000
    project = broken(tmp_path, ('  vi: "Ninh Bình"', f'  vi: "{long_text.strip()}"'))
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    assert "place.vi: expected at most 5,000 characters, found 6,399" in runs["en"][0]
    assert "place.vi (địa điểm họp): cần tối đa 5.000 ký tự, nhưng gặp 6.399" in runs["vi"][0]
    assert "(مكان الاجتماع): المتوقَّع 5,000 حرف على الأكثر، والموجود 6,399" in runs["ar"][0]
    assert {p["code"] for _, problems in runs.values() for p in problems} == {"too-long"}


@pytest.mark.slow  # six runs of check (text and --json in three languages)
def test_a_number_out_of_range(tmp_path, monkeypatch):
    project = broken(tmp_path, ("    decimals: 1", "    decimals: 12"), file=f"data/{D35}.yaml")
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    assert ".decimals: expected less than or equal to 3, found 12" in runs["en"][0]
    assert ".decimals (số chữ số thập phân): cần nhỏ hơn hoặc bằng 3, nhưng gặp 12" in runs["vi"][0]
    assert "(عدد المنازل العشرية): المتوقَّع عددًا أصغر من 3 أو مساويًا له، والموجود 12" in runs["ar"][0]
    assert [p["code"] for p in runs["ar"][1]] == ["out-of-range"]


@pytest.mark.slow  # six runs of check (text and --json in three languages)
def test_a_spreadsheet_problem_names_its_cell_in_the_readers_words(tmp_path, monkeypatch):
    rows = awardee_rows(ROOT / "data" / f"{D35}.yaml")
    rows[0][4] = "Chuc vu (vi)"
    project = copy_project(_folder(tmp_path / "project"))
    write_csv(project / "data" / "awardees.csv", rows)
    use_sheet(project, "awardees.csv")
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    english, vietnamese, arabic = (runs[language][0] for language in LANGS)
    assert (
        "  row 1, column E (Chuc vu (vi)): expected a known column heading, found 'Chuc vu (vi)' "
        "(did you mean 'Chức vụ (vi)'?)" in english
    )
    assert (
        "  dòng 1, cột E (Chuc vu (vi)): cần tiêu đề cột hợp lệ, nhưng gặp 'Chuc vu (vi)' "
        "(có phải là 'Chức vụ (vi)' không?)" in vietnamese
    )
    assert "  الصف 1، العمود E (Chuc vu (vi)): المتوقَّع عنوانَ عمود معروفًا، والموجود 'Chuc vu (vi)'" in plain(arabic)
    # the row as the sheet shows it, and the caret under column E, as in English
    row_lines = [line for line in english.splitlines() if line.startswith("    1 | ")]
    assert row_lines and all(line in vietnamese.splitlines() for line in row_lines)
    (problem,) = runs["ar"][1]
    assert (problem["code"], problem["row"], problem["column_letter"]) == ("unknown-column", 1, "E")


@pytest.mark.slow  # six runs of check (text and --json in three languages)
def test_a_blank_cell_shows_the_field_label(tmp_path, monkeypatch):
    rows = awardee_rows(ROOT / "data" / f"{D35}.yaml")
    rows[3][2] = ""  # the third awardee's Vietnamese name
    project = copy_project(_folder(tmp_path / "project"))
    write_csv(project / "data" / "awardees.csv", rows)
    use_sheet(project, "awardees.csv")
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    assert "row 4, column C (Họ và tên (vi)): awards.groups[2].name.vi: expected text, found nothing" in runs["en"][0]
    assert (
        "dòng 4, cột C (Họ và tên (vi)): awards.groups[2].name.vi (tên): cần văn bản, nhưng gặp giá trị trống"
        in runs["vi"][0]
    )
    assert "الصف 4، العمود C (Họ và tên (vi)): awards.groups[2].name.vi (الاسم): المتوقَّع نصًّا، والموجود لا شيء" in plain(
        runs["ar"][0]
    )
    assert [p["code"] for p in runs["vi"][1]] == ["missing-field"]


def test_a_reporting_toml_problem(tmp_path, monkeypatch):
    project = broken(
        tmp_path, ("bleed_mm = 0", "bleed_mm = 30"), ("crop_marks = false", "crop_mark = false"), file="reporting.toml"
    )
    runs = in_all_languages(project, monkeypatch)
    assert_same_places(runs)
    english, vietnamese, arabic = (runs[language][0] for language in LANGS)
    assert "print.bleed_mm: expected less than or equal to 10, found 30" in english
    assert "print.bleed_mm: cần nhỏ hơn hoặc bằng 10, nhưng gặp 30" in vietnamese  # settings keys have no label
    assert "print.bleed_mm: المتوقَّع عددًا أصغر من 10 أو مساويًا له، والموجود 30" in plain(arabic)
    assert (
        "print.crop_mark: cần tên trường hợp lệ, nhưng gặp trường không xác định 'crop_mark' "
        "(có phải là 'crop_marks' không?)" in vietnamese
    )
    assert sorted(p["code"] for p in runs["ar"][1]) == ["out-of-range", "unknown-field"]
    assert {p["field_label"] for _, problems in runs.values() for p in problems} == {None}


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("date", "date"),
        ("awards.date", "awards.date"),
        ("awards.individuals[2].name.vi", "individuals.name"),
        ("awards.groups[0].name", "name"),
        ("title.ar", "title"),
        ("figures.admin_inspections.counted.ar.few", "counted"),
        ("figures.admin_inspections", "figures"),  # one of the figures, by its id
        ("figures.admin_inspections.vlaue", None),
        ("sections[0].paragraphs[2].ar[1].one few many other[0]", "paragraphs"),
        ("ratios.share.decimals", "decimals"),
        ("documents.report.signer.title.vi", "signer.title"),
        ("plaec", None),
        ("awards.individuals[0].nmae", None),  # an unknown field takes no label from its parent
        ("", None),
    ],
)
def test_field_labels_by_the_end_of_the_path(field, key):
    assert label_key(field) == key


def test_every_field_of_the_event_has_a_label():
    """A field added to the model without a label here would show the key alone to the clerk."""
    unlabelled = [path for path in _field_paths(Event, "") if label_key(path) is None]
    assert unlabelled == []


def test_arabic_counts_take_the_case_their_number_asks_for():
    """Babel's Arabic Plural-Forms puts 100-102 (CLDR "other") at index 4 and 11-99 ("many") at 5."""
    tool_language.use("ar")
    try:
        said = {n: n_("{count} problem", "{count} problems", n).format(count=n) for n in (3, 11, 99, 100, 5000)}
        limit = n_("at most {count} character", "at most {count} characters", 5000).format(count="5,000")
    finally:
        tool_language.use("en")
    assert said == {3: "3 مشكلات", 11: "11 مشكلةً", 99: "99 مشكلةً", 100: "100 مشكلة", 5000: "5000 مشكلة"}
    assert limit == "5,000 حرف على الأكثر"


def _field_paths(model: type, prefix: str):
    """Every field's path under ``model`` as a problem names it (a mapping's keys as ``x``, no indexes)."""
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path
        annotation = _unwrap(field.annotation)
        if typing.get_origin(annotation) is dict:
            annotation, path = _unwrap(typing.get_args(annotation)[1]), f"{path}.x"
        elif typing.get_origin(annotation) is list:
            annotation = _unwrap(typing.get_args(annotation)[0])
        if isinstance(annotation, type) and issubclass(annotation, Strict):
            yield from _field_paths(annotation, f"{path}.")


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# Where the source names a code: ``code="..."``, and the tables of codes (``"type": "out-of-range",``,
# a pattern's ``(rule, "invalid-id")``, ``dict.fromkeys(..., "wrong-type")``).
_CODE = r'code="([a-z0-9-]+)"|: "([a-z]+(?:-[a-z]+)+)",$|^\s+"([a-z]+(?:-[a-z]+)+)",$|, "([a-z]+(?:-[a-z]+)+)"\)'


def test_every_problem_code_is_documented():
    """The codes are a published interface (CI scripts match on them): each one raised is in the table."""
    sources = [*(ROOT / "reporting" / "source").glob("*.py"), ROOT / "reporting" / "config.py"]
    raised = {
        code
        for path in sources
        if path.name != "preflight.py"
        for found in re.findall(_CODE, path.read_text(encoding="utf-8"), re.M)
        for code in found
        if code
    }
    table = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", table.split("## Problems in the clerk's")[1]))
    assert raised - {"schema-"} <= documented, sorted(raised - documented)
    assert {"missing-field", "unknown-field", "wrong-type", "invalid-date", "too-long", "yaml-syntax"} <= raised


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b"a: [1, 2\n", "yaml-syntax"),
        (b"a: &x 1\nb: *x\n", "yaml-alias"),
        (b"a: 1\na: 2\n", "duplicate-field"),
        (b"a:\n\t- 1\n", "tab-indent"),
        (b"a: yes\n", "ambiguous-boolean"),
        (b"a: 0755\n", "leading-zero"),
        (b"a: 2024-02-30\n", "invalid-date"),
        (b"a: !custom x\n", "yaml-tag"),
        (b"\xef\xbb\xbfa: 1\n", "byte-order-mark"),
        (b"a: \xff\n", "not-utf8"),
        (b"", "empty-file"),
        (b"a: \x00\n", "unprintable-character"),
        (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "too-deep"),
    ],
)
def test_every_yaml_problem_has_its_code(tmp_path, text, code):
    path = tmp_path / "event.yaml"
    path.write_bytes(text)
    with pytest.raises(DataError) as raised:
        load_yaml(path)
    assert [problem.code for problem in raised.value.problems] == [code]
