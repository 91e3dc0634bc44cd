"""Readable errors: grouped by file with the YAML line and a caret, colour on terminals only, --json, --quiet."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting.cli import main
from reporting.errors import Problem
from reporting.ui.problem_report import Painter, render_problems, wants_colour

Q1 = "data/inspectorate-2024-q1.yaml"
D35 = "data/directive-35-review.yaml"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def break_two_files(project: Path) -> None:
    q1 = project / Q1
    q1.write_text(
        q1.read_text(encoding="utf-8")
        .replace("    value: 17\n", "    value: seventeen\n")
        .replace("date: 2024-04-08", "date: 2024-04-31"),
        encoding="utf-8",
    )
    d35 = project / D35
    d35.write_text(
        d35.read_text(encoding="utf-8").replace("part: complaints_resolved\n", "part: complaints_resolvd\n"),
        encoding="utf-8",
    )


def caret_column(lines: list[str], source_line: str) -> int:
    """The 1-based column of the caret printed under ``source_line`` (both after the ' | ' gutter)."""
    at = lines.index(source_line)
    gutter = source_line.index(" | ") + 3
    caret = lines[at + 1]
    assert caret[:gutter].strip() == "|" and caret.rstrip().endswith("^"), caret
    return len(caret.rstrip()) - gutter


def test_problems_are_grouped_by_file_with_source_line_and_caret(tmp_path):
    project = copy_project(tmp_path)
    (project / Q1).write_text(
        (project / Q1).read_text(encoding="utf-8").replace("date: 2024-04-08", "date: 2024-04-31"), encoding="utf-8"
    )
    d35 = project / D35
    d35.write_text(
        d35.read_text(encoding="utf-8").replace("part: complaints_resolved\n", "part: complaints_resolvd\n"),
        encoding="utf-8",
    )
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 1 and out == ""
    lines = err.splitlines()
    headers = [line for line in lines if line.startswith("error: ")]
    assert headers == [f"error: {D35}: 1 problem", f"error: {Q1}: 1 problem"]
    assert lines[-1] == "2 problems in 2 files; nothing was written."
    # The date: the caret sits under the first character of the value.
    source_lines = (project / Q1).read_text(encoding="utf-8").splitlines()
    date_line = next(i for i, line in enumerate(source_lines, 1) if line.startswith("date:"))
    assert f"  {date_line}:7 date: expected a real date YYYY-MM-DD, found '2024-04-31'" in lines
    assert caret_column(lines, f"    {date_line} | date: 2024-04-31") == 7
    # The ratio's part: column 11 of "    part: complaints_resolvd", under the "c".
    (problem,) = [line for line in lines if "ratios.complaints_resolved_rate.part:" in line]
    assert problem.endswith("expected a known figure, found 'complaints_resolvd' (did you mean 'complaints_resolved'?)")
    assert problem.split()[0].endswith(":11")
    source = next(line for line in lines if line.endswith("|     part: complaints_resolvd"))
    assert caret_column(lines, source) == 11


def test_caret_counts_screen_columns_not_characters(tmp_path):
    (tmp_path / "wide.yaml").write_text("名前: 日本 value\n\tx: 1\n", encoding="utf-8")
    problems = [
        Problem("wide.yaml", 1, 5, "名前", "expected a number, found '日本 value'"),
        Problem("wide.yaml", 2, 2, "x", "expected something else, found 1"),
    ]
    lines = render_problems(problems, tmp_path, Painter(False)).splitlines()
    assert lines[2:4] == ["    1 | 名前: 日本 value", "      |       ^"]  # 名前 and ": " take 6 screen columns
    assert lines[5:7] == ["    2 | \tx: 1", "      | \t^"]  # a tab before the column stays a tab, so the caret lines up


def test_problem_without_position_has_no_source_line(tmp_path):
    text = render_problems(
        [Problem("data/x.yaml", None, None, "", "expected at most 2,000,000 bytes, found 2,100,003")],
        tmp_path,
        Painter(False),
    )
    assert text == "error: data/x.yaml: 1 problem\n  expected at most 2,000,000 bytes, found 2,100,003"


@pytest.mark.parametrize(
    "environ, tty, colour",
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # an empty NO_COLOR does not count (no-color.org)
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins, as in CPython
        ({"TERM": "dumb"}, True, False),
    ],
)
def test_colour_only_when_the_terminal_supports_it(environ, tty, colour):
    assert wants_colour(Terminal() if tty else io.StringIO(), environ) is colour


@pytest.mark.slow
def test_colour_in_the_rendered_errors(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    break_two_files(project)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    err = Terminal()
    assert main(["--project", str(project), "check"], stdout=io.StringIO(), stderr=err) == 1
    assert f"\033[1m\033[31merror:\033[0m \033[1m{D35}\033[0m: 1 problem" in err.getvalue()
    assert "\033[1m\033[31m^\033[0m" in err.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    err = Terminal()
    assert main(["--project", str(project), "check"], stdout=io.StringIO(), stderr=err) == 1
    assert "\033[" not in err.getvalue() and f"error: {D35}: 1 problem" in err.getvalue()


@pytest.mark.parametrize("placement", ["global", "command"])
def test_json_lists_every_problem_with_its_parts(tmp_path, placement):
    project = copy_project(tmp_path)
    break_two_files(project)
    argv = ["--json", "check"] if placement == "global" else ["check", "--json"]
    code, out, err = run_cli("--project", str(project), *argv)
    assert code == 1 and err == ""
    document = json.loads(out)
    assert {k: document[k] for k in ("command", "ok", "exit_code")} == {"command": "check", "ok": False, "exit_code": 1}
    by_field = {p["field"]: p for p in document["problems"]}
    assert by_field["date"] == {
        "severity": "error",
        "code": "invalid-date",
        "file": Q1,
        "line": 34,
        "column": 7,
        "field": "date",
        "field_label": "meeting date",
        "expected": "a real date YYYY-MM-DD",
        "found": "'2024-04-31'",
        "message": "expected a real date YYYY-MM-DD, found '2024-04-31'",
    }
    ratio = by_field["ratios.complaints_resolved_rate.part"]
    assert ratio["file"] == D35 and ratio["expected"] == "a known figure"
    assert ratio["found"] == "'complaints_resolvd' (did you mean 'complaints_resolved'?)"
    assert len(document["problems"]) == 2  # YAML problems stop a file before its schema (seventeen waits)


@pytest.mark.slow
def test_json_on_success_and_on_other_errors(tmp_path):
    code, out, err = run_cli("--project", str(ROOT), "check", "--json")
    assert code == 0 and err == ""
    document = json.loads(out)
    assert document["ok"] is True and document["problems"] == []
    assert {e["id"]: (e["groups"], e["individuals"]) for e in document["events"]} == {
        "directive-35-review": (10, 15),
        "inspectorate-2024-q1": (0, 0),
    }
    code, out, err = run_cli("--project", str(ROOT), "--json", "build", "--event", "nope", "--output", str(tmp_path))
    assert code == 2 and err == ""
    (problem,) = json.loads(out)["problems"]
    assert problem["file"] is None and problem["message"].startswith("unknown event nope")


@pytest.mark.slow
def test_quiet_prints_only_errors(tmp_path):
    code, out, err = run_cli("--project", str(ROOT), "--quiet", "check")
    assert (code, out, err) == (0, "", "")
    project = copy_project(tmp_path)
    break_two_files(project)
    code, out, err = run_cli("--project", str(project), "check", "-q")
    assert code == 1 and out == "" and f"error: {Q1}: 1 problem" in err


@pytest.mark.slow
def test_i18n_warnings_are_silenced_by_quiet_and_listed_in_json(tmp_path):
    project = copy_project(tmp_path)
    catalog = project / "templates/locale/vi/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    start = text.index('msgid "Key figures"')
    end = text.index("\n\n", start)
    catalog.write_text(text[:start] + 'msgid "Key figures"\nmsgstr ""' + text[end:], encoding="utf-8")
    code, out, err = run_cli("--project", str(project), "i18n", "check")
    assert code == 0 and "warning: vi: untranslated: 'Key figures'" in err
    assert run_cli("--project", str(project), "i18n", "check", "--quiet")[2] == ""
    code, out, _ = run_cli("--project", str(project), "--json", "i18n", "check", "--strict")
    assert code == 1
    assert {"severity": "error", "message": "vi: untranslated: 'Key figures'"}.items() <= json.loads(out)["problems"][
        0
    ].items()
