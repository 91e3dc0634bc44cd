"""The commands speak the clerk's language: build, check, verify, export, i18n, argparse's words and --help,
in Vietnamese and Arabic from the environment, with exit codes and --json codes as in English, and every
path, location and option in Arabic text kept in its own left-to-right order."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, copy_project, run_cli
from reporting import tool_language
from reporting.tool_language import CATALOGS_DIR, LRI, PDI

CLI = [sys.executable, str(ROOT / "build_reports.py")]
ISOLATED = re.compile(f"{LRI}[^{PDI}]*{PDI}")
# What must never stand bare in an Arabic line: a path, a file name with its extension, line:col, an option.
PATH_LIKE = re.compile(r"[\w.-]*/[\w./-]*|\w+\.(?:yaml|pdf|docx|json|xlsx|toml|p12)\b|--[a-z]")
LOCATION = re.compile(r"\b\d+:\d+\b")


def _unisolated(text: str) -> list[str]:
    """The path-like pieces of ``text`` outside every LRI..PDI pair (a count such as ``3/6`` is no path)."""
    rest = ISOLATED.sub("", text)
    return [piece for piece in PATH_LIKE.findall(rest) if re.search("[A-Za-z]", piece)] + LOCATION.findall(rest)


@pytest.fixture(autouse=True)
def english_afterwards():
    """The language a run chose stays the process's: the tests after these read English again."""
    yield
    tool_language.use("en")


def _in(language: str, monkeypatch) -> None:
    monkeypatch.setenv("LANG", {"vi": "vi_VN.UTF-8", "ar": "ar_EG.UTF-8", "en": "C.UTF-8"}[language])


def _cli(*argv: str, lang: str) -> subprocess.CompletedProcess:
    environ = {"PATH": "/usr/bin:/bin", "LANG": lang, "NO_COLOR": "1"}
    return subprocess.run([*CLI, *argv], capture_output=True, text=True, env=environ, check=False)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "first", "again", "ok_line", "altered", "closing"),
    [
        (
            "vi_VN.UTF-8",
            "Đã ghi 6 tệp vào {out} trong ",
            "Đã ghi 0 tệp, 6 tệp không đổi, vào {out} trong ",
            "ổn: 6 tệp trong {out} khớp với manifest.json.",
            "lỗi: đã bị sửa: one-awardee/vi/report.docx (sha256 cần có ",
            "1 lỗi trong {out}.",
        ),
        (
            "ar_EG.UTF-8",
            f"كُتبت 6 ملفات في {LRI}{{out}}{PDI} خلال ",
            f"لم يُكتب أي ملف، و6 ملفات دون تغيير، في {LRI}{{out}}{PDI} خلال ",
            f"سليم: 6 ملفات في {LRI}{{out}}{PDI} تطابق {LRI}manifest.json{PDI}.",
            f"خطأ: مُعدَّل: {LRI}one-awardee/vi/report.docx{PDI} (المتوقَّع sha256 ",
            f"مشكلة واحدة في {LRI}{{out}}{PDI}.",
        ),
    ],
)
def test_build_and_verify_speak_the_language_of_the_environment(
    tmp_path, lang, first, again, ok_line, altered, closing
):
    project, out = copy_project(tmp_path, "one-awardee"), tmp_path / "out"
    build = ["--project", str(project), "build", "--format", "docx", "--output", str(out)]
    result = _cli(*build, lang=lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(first.format(out="out"))  # inside the project: relative
    unit = " ث." if lang.startswith("ar") else " giây."  # seconds, abbreviated as the English "s"
    assert result.stdout.splitlines()[-1].endswith(unit)
    # progress, one line per file (not a terminal): the path isolated in Arabic
    progress = result.stderr.splitlines()
    assert len(progress) == 6 and all(
        line.startswith(("[1/6] ", "[2/6] ", "[3/6] ", "[4/6] ", "[5/6] ", "[6/6] ")) for line in progress
    )
    again_result = _cli(*build, lang=lang)
    assert again_result.returncode == 0 and again_result.stdout.splitlines()[-1].startswith(again.format(out="out"))

    verified = _cli("verify", str(out), lang=lang)
    assert verified.returncode == 0 and verified.stdout.strip() == ok_line.format(out=out)
    report = out / "one-awardee/vi/report.docx"
    report.write_bytes(report.read_bytes() + b"\0")
    verified = _cli("verify", str(out), lang=lang)
    assert verified.returncode == 1  # exit codes do not depend on the language
    lines = verified.stderr.splitlines()
    assert lines[0].startswith(altered) and lines[-1] == closing.format(out=out)
    if lang.startswith("ar"):
        for text in (result.stdout, result.stderr, again_result.stdout, verified.stderr):
            assert _unisolated(text) == [], text


def _fake_output(folder: Path) -> Path:
    """An output folder whose manifest this program could have written, with every kind of verify problem:
    an altered file, a missing one, an extra one, a hidden one, a symbolic link."""
    (folder / "ev/vi").mkdir(parents=True)
    (folder / "ev/vi/report.pdf").write_bytes(b"changed")
    (folder / "ev/vi/extra.pdf").write_bytes(b"extra")
    (folder / "ev/.hidden").write_bytes(b"")
    (folder / "ev/link.pdf").symlink_to(folder / "ev/vi/report.pdf")
    outputs = {
        "ev/vi/report.pdf": {"sha256": hashlib.sha256(b"original").hexdigest(), "size": 8},
        "ev/ar/report.pdf": {"sha256": hashlib.sha256(b"gone").hexdigest(), "size": 4},
    }
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "outputs": outputs}), encoding="utf-8")
    return folder


CODES = ["missing-file", "altered-file", "unexpected-hidden-file", "unexpected-link", "extra-file"]


@pytest.mark.parametrize("language", ["en", "vi", "ar"])
def test_verify_json_codes_are_the_same_in_every_language(tmp_path, monkeypatch, language):
    folder = _fake_output(tmp_path / "out")
    _in(language, monkeypatch)
    code, out, _err = run_cli("verify", str(folder), "--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and sorted(p["code"] for p in problems) == sorted(CODES)
    altered = next(p["message"] for p in problems if p["code"] == "altered-file")
    expected = {
        "en": "altered: ev/vi/report.pdf",
        "vi": "đã bị sửa: ev/vi/report.pdf",
        "ar": f"مُعدَّل: {LRI}ev/vi/report.pdf{PDI}",
    }
    assert altered.startswith(expected[language])


def test_verify_problems_in_arabic_keep_paths_readable(tmp_path, monkeypatch):
    folder = _fake_output(tmp_path / "out")
    _in("ar", monkeypatch)
    code, out, err = run_cli("verify", str(folder))
    lines = err.splitlines()
    assert code == 1 and len(lines) == len(CODES) + 1
    assert lines[-1] == f"{len(CODES)} مشكلات في {LRI}{folder}{PDI}."  # 3-10: a plural noun
    assert f"خطأ: مفقود: {LRI}ev/ar/report.pdf{PDI}" in lines
    assert f"خطأ: زائد: {LRI}ev/vi/extra.pdf{PDI}" in lines
    for line in lines:
        assert _unisolated(line) == [], line


def test_usage_errors_and_their_json_in_the_clerks_language(monkeypatch):
    _in("vi", monkeypatch)
    code, out, err = run_cli("verify")
    assert code == 2 and out == ""
    assert err.startswith("cách dùng: build_reports.py verify ")
    assert err.endswith("build_reports.py verify: lỗi: thiếu các tham số bắt buộc sau: folder\n")
    code, _out, err = run_cli("build", "--format", "odt")
    assert code == 2 and "lỗi: tham số --format: lựa chọn không hợp lệ: 'odt' (chọn một trong 'pdf', 'docx')" in err
    code, _out, err = run_cli("build", "--jobs", "0")
    assert code == 2 and "tham số -j/--jobs: cần một số nguyên từ 1 trở lên, nhưng gặp '0'" in err
    seen = {}
    for language in ("en", "vi", "ar"):
        _in(language, monkeypatch)
        code, out, err = run_cli("verify", "--json")
        (problem,) = json.loads(out)["problems"]
        assert code == 2 and err == "" and problem["code"] == "usage-error"
        seen[language] = problem["message"]
    assert seen["en"] == "the following arguments are required: folder"
    assert seen["vi"] == "thiếu các tham số bắt buộc sau: folder"
    assert seen["ar"] == f"الوسائط التالية مطلوبة: {LRI}folder{PDI}"


def test_help_in_vietnamese(monkeypatch, capsys):
    _in("vi", monkeypatch)
    assert run_cli("--help")[0] == 0
    shown = capsys.readouterr().out
    assert shown.startswith("cách dùng: build_reports.py ")
    assert "Tạo báo cáo hội nghị và giấy khen (PDF, DOCX) từ dữ liệu trong data/." in shown
    assert "tùy chọn:" in shown and "hiện hướng dẫn này rồi thoát" in shown
    assert "tạo các tài liệu (lệnh mặc định)" in shown and "kiểm tra dữ liệu mà không tạo tài liệu" in shown
    assert run_cli("build", "--help")[0] == 0
    shown = capsys.readouterr().out
    assert "chỉ sự kiện này (có thể lặp lại)" in shown and "ghi lại mọi tệp kết quả" in shown
    assert "usage:" not in shown and "show this help" not in shown


@pytest.mark.slow
def test_check_and_export_in_the_clerks_language(tmp_path, monkeypatch):
    project = copy_project(tmp_path, "one-awardee")
    _in("vi", monkeypatch)
    code, out, _err = run_cli("--project", str(project), "check")
    assert code == 0 and out.splitlines()[-1] == "1 sự kiện hợp lệ."
    assert out.startswith("ổn: data/event.yaml (one-awardee: ")
    assert "0 tập thể và 1 cá nhân được khen)" in out
    code, out, _err = run_cli("--project", str(project), "export", "--event", "one-awardee")
    assert code == 0 and out.startswith(
        "đã ghi data/one-awardee-awardees.xlsx: 0 tập thể và 1 cá nhân của one-awardee; "
    )
    _in("ar", monkeypatch)
    code, _out, err = run_cli("--project", str(project), "export", "--event", "nope")
    assert code == 2
    assert err == (f"خطأ: {LRI}--event{PDI}: المتوقَّع إحدى الفعاليات {LRI}one-awardee{PDI}، والموجود {LRI}'nope'{PDI}\n")
    code, out, _err = run_cli("--project", str(project), "export", "--event", "nope", "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "selection-error"
    code, _out, err = run_cli("--project", str(project), "build", "--event", "nope")
    assert code == 2 and err.startswith(f"خطأ: فعالية غير معروفة {LRI}nope{PDI}؛ الموجود في البيانات: ")


@pytest.mark.slow  # extracts every catalog (about a second)
def test_i18n_check_in_arabic(monkeypatch):
    _in("ar", monkeypatch)
    code, out, _err = run_cli("--project", str(ROOT), "i18n", "check")
    assert code == 0
    assert f"سليم: الأداة {LRI}ar{PDI}: كل الرسائل مترجمة" in out.splitlines()
    assert f"سليم: {LRI}vi{PDI}: كل الرسائل مترجمة" in out.splitlines()


def test_an_output_folder_that_is_a_file_is_refused_in_vietnamese(tmp_path, monkeypatch):
    project = copy_project(tmp_path, "one-awardee")
    blocking = tmp_path / "file"
    blocking.write_text("x", encoding="utf-8")
    _in("vi", monkeypatch)
    code, _out, err = run_cli("--project", str(project), "build", "--output", str(blocking / "out"))
    assert code == 2
    assert err == (
        f"lỗi: --output: cần một thư mục (mới, hoặc do một lần tạo trước lập ra), nhưng gặp một tệp tại {blocking}\n"
    )


def _arabic_catalog():
    with (CATALOGS_DIR / "ar/LC_MESSAGES/reporting.po").open("rb") as handle:
        return read_po(handle, locale="ar")


# The messages of the commands, the build, the writers and the console (``new``, ``serve``, the preview and
# the data's problems have their own tests; ``new`` writes some of its messages into YAML comments).
CHECKED = ("reporting/",)  # every message of the tool, the preview's and new's included
# Not terminal text: the preview's HTML marks its own runs (<bdi>, dir="auto"), and the comments `new` writes into
# a clerk's YAML file must not carry invisible characters into her data.
NOT_CHECKED = ("reporting/preview/templates/", "reporting/scaffold/next_period.py")


def test_no_arabic_translation_leaves_a_path_or_option_bare():
    """Paths, file names and options written into the Arabic catalog itself (``data/``, ``--output``,
    ``manifest.json``) are isolated there, as the values filled in are isolated at run time."""
    bare, checked = {}, 0
    for message in _arabic_catalog():
        places = [place for place, _line in message.locations]
        if not message.id or not any(p.startswith(CHECKED) and not p.startswith(NOT_CHECKED) for p in places):
            continue
        checked += 1
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            # the placeholders are filled in isolated (or with counts): only the catalog's own words count here
            found = _unisolated(re.sub(r"\{\w+\}", "", text or ""))
            if found:
                bare[text] = found
    assert checked > 200 and bare == {}


@pytest.fixture
def speaking():
    """Speak a language in this process for one test (English again after it: see english_afterwards)."""
    return tool_language.use


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", '<p style="..."> is not in the HTML subset (docs/html-subset.md)'),
        ("vi", '<p style="..."> không thuộc tập con HTML được hỗ trợ (docs/html-subset.md)'),
        ("ar", f'{LRI}<p style="...">{PDI} ليس من مجموعة HTML الجزئية المدعومة ({LRI}docs/html-subset.md{PDI})'),
    ],
)
def test_the_docx_writers_refusals_are_translated_with_the_markup_isolated(speaking, language, message):
    from reporting.config import PageGeometry
    from reporting.errors import RenderError
    from reporting.writers.docx import DocxWriter, FontChoice

    html = (
        '<!DOCTYPE html><html lang="vi" dir="ltr"><head><title>t</title></head><body><p style="x">a</p></body></html>'
    )
    speaking(language)
    with pytest.raises(RenderError) as refused:
        DocxWriter(FontChoice(size_pt=14)).write(html, PageGeometry())
    assert str(refused.value) == message


def test_a_warning_keeps_its_code_through_a_worker_process():
    import pickle

    from reporting.notices import Notice, code_of

    warning = Notice("kept x", "edited-output-kept")
    back = pickle.loads(pickle.dumps(warning))
    assert back == "kept x" and code_of(back) == "edited-output-kept"
    assert json.dumps([warning]) == '["kept x"]'  # still plain text in the JSON's lists
    assert code_of("a plain sentence") == "warning"


def test_failures_have_a_code_named_after_their_kind():
    from reporting.cli import error_code
    from reporting.errors import OutputBusy, PageOverflow, SelectionError

    assert error_code(OutputBusy("x")) == "output-busy"
    assert error_code(SelectionError("x")) == "selection-error"
    assert error_code(PageOverflow(1, 2)) == "page-overflow"


def test_the_progress_bar_in_vietnamese_and_arabic(speaking):
    import io

    from reporting.ui.progress import ProgressBar

    for language, count, left in (("vi", "3/10 tệp", "còn khoảng 7 giây"), ("ar", "3/10 ملفات", "بقيت 7 ثوانٍ تقريبًا")):
        speaking(language)
        clock = iter([0.0, 3.0]).__next__
        stream = io.StringIO()
        ProgressBar(stream, str, clock=clock)(3, 10, Path("out/ev/vi/report.pdf"))
        drawn = stream.getvalue()
        assert f"] {count}  30%  {left}  " in drawn
        path = f"{LRI}out/ev/vi/report.pdf{PDI}" if language == "ar" else "out/ev/vi/report.pdf"
        assert drawn.endswith(path)


def test_the_closing_line_of_data_problems_in_arabic(tmp_path, monkeypatch):
    project = copy_project(tmp_path, "one-awardee")
    data = project / "data/event.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("date: 2024-08-20", "date: 2024-08-32"), encoding="utf-8")
    _in("ar", monkeypatch)
    code, _out, err = run_cli("--project", str(project), "build")
    assert code == 1
    assert err.splitlines()[-1] == "مشكلة واحدة في ملف واحد؛ لم يُكتب شيء."
    for line in err.splitlines():
        if not line.lstrip()[:1].isdigit() and "|" not in line:  # the echoed YAML line and its caret as in the file
            assert _unisolated(line) == [], line
