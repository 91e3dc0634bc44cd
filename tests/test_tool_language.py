"""The tool speaks the clerk's language: which language it chooses, and data errors in Vietnamese and Arabic."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting import tool_language
from reporting.tool_language import LRI, PDI, choose, from_accept_language, from_environment


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({}, None),
        # LC_ALL over LC_MESSAGES over LANG, as gettext reads them
        ({"LC_ALL": "ar_SA.UTF-8", "LC_MESSAGES": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "ar"),
        ({"LC_MESSAGES": "vi_VN.UTF-8", "LANG": "ar_EG.UTF-8"}, "vi"),
        # LANGUAGE is a list of preferences, the first we speak wins; it counts only outside the C locale
        ({"LANGUAGE": "de:ar:vi", "LANG": "vi_VN.UTF-8"}, "ar"),
        ({"LANGUAGE": "vi", "LANG": "C"}, None),
        ({"LANGUAGE": "fr", "LANG": "vi_VN.UTF-8"}, "vi"),
    ],
)
def test_the_environment_chooses_as_gettext_does(environ, language):
    assert from_environment(environ) == language


def test_option_then_setting_then_environment_then_english():
    environ = {"LANG": "ar_EG.UTF-8"}
    assert choose("vi", "ar", environ) == "vi"
    assert choose(None, "vi", environ) == "vi"
    assert choose(None, None, environ) == "ar"
    assert choose(None, None, {}) == "en"
    assert choose("xx", None, {"LANG": "vi_VN"}) == "vi"  # an unknown wish falls through, never crashes


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"),
        ("ar", "ar"),
        ("fr-FR,fr;q=0.9,ar;q=0.5,vi;q=0.4", "ar"),
        ("en-US,en;q=0.9,vi;q=0.8", "en"),
        ("vi;q=0,ar;q=0.1", "ar"),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_the_browser_chooses_by_accept_language(header, language):
    assert from_accept_language(header) == language


def _broken_date(tmp_path):
    project = copy_project(tmp_path)
    data = project / "data/inspectorate-2024-q1.yaml"
    text = data.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("date: "))
    data.write_text(text.replace("\ndate: 2024-04-08", "\ndate: 2024-04-31", 1), encoding="utf-8")
    return project, line


CHECK = [sys.executable, str(ROOT / "build_reports.py")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "heading", "message", "summary"),
    [
        (
            "C.UTF-8",
            "error: data/inspectorate-2024-q1.yaml: 1 problem",
            "expected a real date YYYY-MM-DD, found",
            "1 problem in 1 file",
        ),
        (
            "vi_VN.UTF-8",
            "lỗi: data/inspectorate-2024-q1.yaml: 1 lỗi",
            "cần một ngày có thật dạng YYYY-MM-DD, nhưng gặp",
            "1 lỗi trong 1 tệp",
        ),
        (
            "ar_EG.UTF-8",
            f"خطأ: {LRI}data/inspectorate-2024-q1.yaml{PDI}: مشكلة واحدة",
            f"المتوقَّع تاريخًا صحيحًا بالصيغة {LRI}YYYY-MM-DD{PDI}، والموجود",
            "مشكلة واحدة في ملف واحد",
        ),
    ],
)
def test_check_speaks_the_language_of_the_environment(tmp_path, lang, heading, message, summary):
    project, line = _broken_date(tmp_path)
    environ = {"PATH": "/usr/bin:/bin", "LANG": lang, "NO_COLOR": "1"}
    result = subprocess.run(
        [*CHECK, "--project", str(project), "check"], capture_output=True, text=True, env=environ, cwd=tmp_path
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == heading
    location = f"{LRI}{line}:7{PDI}" if lang.startswith("ar") else f"{line}:7"
    # (in Arabic the value quoted from the file keeps its own direction: first-strong isolate ... PDI)
    value = "\u2068'2024-04-31'\u2069" if lang.startswith("ar") else "'2024-04-31'"
    assert lines[1].startswith(f"  {location} ") and message in lines[1] and lines[1].endswith(value)
    # the same source line and caret in every language
    assert lines[2] == f"    {line} | date: 2024-04-31"
    assert lines[3] == "       |       ^"
    assert lines[4].startswith(summary)


@pytest.mark.slow
def test_ui_language_option_and_setting_override_the_environment(tmp_path, monkeypatch):
    project, _line = _broken_date(tmp_path)
    monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    code, _, err = run_cli("--project", str(project), "check", "--ui-language", "vi")
    assert code == 1 and err.startswith("lỗi: ")
    config = project / "reporting.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[ui]\nlanguage = "vi"\n', encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1 and err.startswith("lỗi: ")
    code, _, err = run_cli("--project", str(project), "--ui-language", "en", "check")
    assert code == 1 and err.startswith("error: ")
    monkeypatch.setenv("LANG", "C.UTF-8")


def test_an_unknown_ui_language_setting_is_a_problem_at_its_line(tmp_path):
    project = copy_project(tmp_path)
    config = project / "reporting.toml"
    text = config.read_text(encoding="utf-8") + '\n[ui]\nlanguage = "fr"\n'
    config.write_text(text, encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "check")
    line = len(text.rstrip("\n").split("\n"))
    assert code == 1 and f"  {line}:1 ui.language: expected one of en, ar, vi, found 'fr'" in err


def test_json_keeps_english_codes_beside_the_translated_message(tmp_path):
    project, line = _broken_date(tmp_path)
    code, out, _ = run_cli("--project", str(project), "--ui-language", "vi", "check", "--json")
    (problem,) = json.loads(out)["problems"]
    assert code == 1 and problem["code"] == "invalid-date" and problem["line"] == line
    assert problem["message"] == "cần một ngày có thật dạng YYYY-MM-DD, nhưng gặp '2024-04-31'"


@pytest.mark.slow
def test_the_process_language_is_restored_for_each_run():
    tool_language.use("ar")
    code, out, _ = run_cli("--project", str(ROOT), "i18n", "check", "--strict")
    assert code == 0 and "ok: vi: every message translated" in out


@pytest.mark.slow
def test_tool_catalogs_are_complete():
    """An untranslated tool message fails CI: i18n check --strict covers the tool's own catalogs."""
    code, out, err = run_cli("--project", str(ROOT), "i18n", "check", "--strict")
    assert code == 0, err
    assert "ok: tool ar: every message translated" in out and "ok: tool vi: every message translated" in out


def test_arabic_plurals_put_the_accusative_where_the_catalog_counts_11_to_99():
    """Babel's Plural-Forms for Arabic numbers its forms zero, one, two, few (3-10), then 100-102 (index 4)
    and 11-99 (index 5), not CLDR's order: a translator following CLDR writes "100 مشكلةً" and "36 مشكلة".
    After 11-99 the counted noun is an accusative singular (tanween fath); after 100 a genitive."""
    from babel.messages.pofile import read_po

    from reporting.language.catalog_workflow import tool_catalog_path

    with tool_catalog_path("ar").open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    assert catalog.plural_expr.startswith("(n==0 ? 0 : n==1 ? 1 : n==2 ? 2")
    assert tool_language.translations("ar").ngettext("{count} problem", "{count} problems", 36) == "{count} مشكلةً"
    swapped = [
        message.id[0]
        for message in catalog
        if isinstance(message.id, tuple) and "\u064b" in message.string[4] and "\u064b" not in message.string[5]
    ]
    assert swapped == []
