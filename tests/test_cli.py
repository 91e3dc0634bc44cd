"""The command line, in-process: exit codes, messages, selection, and nothing written on bad data."""

from __future__ import annotations

import pytest

from conftest import ROOT, copy_project, run_cli


def test_check_validates_reference_data():
    code, out, err = run_cli("--project", str(ROOT), "check")
    assert code == 0, err
    assert "directive-35-review: 11 figures, 10 groups and 15 individuals commended" in out
    assert "2 events valid." in out


@pytest.mark.slow
def test_build_selection_writes_only_what_was_asked(tmp_path):
    code, out, err = run_cli(
        "--project",
        str(ROOT),
        "--event",
        "inspectorate-2024-q1",
        "--locale",
        "vi",
        "--format",
        "pdf",
        "--output",
        str(tmp_path),
    )
    assert code == 0, err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "inspectorate-2024-q1/vi/report.pdf",
        "manifest.json",
    ]
    assert "[1/1] " in err and "Wrote 1 file " in out
    assert "  inspectorate-2024-q1/vi: report.pdf\n" in out


def test_unknown_event_is_a_usage_error(tmp_path):
    code, _, err = run_cli("--project", str(ROOT), "build", "--event", "nope", "--output", str(tmp_path))
    assert code == 2
    assert "unknown event nope; the data has: directive-35-review, inspectorate-2024-q1" in err
    assert not any(tmp_path.iterdir())


def test_bad_option_is_a_usage_error():
    code, _, err = run_cli("build", "--format", "odt")
    assert code == 2 and "invalid choice: 'odt'" in err


@pytest.mark.slow
def test_invalid_data_exits_1_lists_every_problem_and_keeps_previous_output(tmp_path):
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    assert (
        run_cli(
            "--project",
            str(project),
            "--event",
            "inspectorate-2024-q1",
            "--format",
            "pdf",
            "--locale",
            "vi",
            "--output",
            str(output),
            "-q",
        )[0]
        == 0
    )
    previous = (output / "inspectorate-2024-q1/vi/report.pdf").read_bytes()

    data = project / "data" / "inspectorate-2024-q1.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace("date: 2024-04-08", "date: 2024-02-30").replace("    value: 17", "    value: seventeen")
    data.write_text(text.replace("sample_data: false", "sample_data: no"), encoding="utf-8")

    code, out, err = run_cli("--project", str(project), "--output", str(output))
    assert code == 1
    lines = err.splitlines()
    # Grouped by file: one header, then each problem with its line, the source line and a caret.
    assert lines[0] == "error: data/inspectorate-2024-q1.yaml: 2 problems"
    at = lines.index("  34:7 date: expected a real date YYYY-MM-DD, found '2024-02-30'")
    assert lines[at + 1 : at + 3] == ["    34 | date: 2024-02-30", "       |       ^"]
    assert any(line.startswith("  11:14 sample_data: expected true/false") for line in lines)
    assert lines[-1].endswith("nothing was written.")
    assert (output / "inspectorate-2024-q1/vi/report.pdf").read_bytes() == previous
    assert sorted(p.name for p in output.rglob("*") if p.is_file()) == ["manifest.json", "report.pdf"]


def test_schema_errors_after_yaml_errors_are_reported_with_positions(tmp_path):
    project = copy_project(tmp_path)
    data = project / "data" / "inspectorate-2024-q1.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("    value: 17", "    value: seventeen"), encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    (problem,) = [
        text
        for text in err.splitlines()
        if "figures.admin_inspections.value: expected a number, found 'seventeen'" in text
    ]
    line = int(problem.split(":")[0])
    assert data.read_text(encoding="utf-8").splitlines()[line - 1].strip() == "value: seventeen"


@pytest.mark.slow
def test_template_error_names_template_and_line(tmp_path):
    project = copy_project(tmp_path)
    template = project / "templates" / "report.html.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{{ event.title|t }}{% endblock %}", "{{ event.titel|t }}{% endblock %}"
        ),
        encoding="utf-8",
    )
    code, _, err = run_cli("--project", str(project), "--format", "pdf", "--output", str(tmp_path / "out"))
    assert code == 1
    assert "report.html.j2:" in err and "titel" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_missing_catalog_is_reported(tmp_path):
    project = copy_project(tmp_path)
    (project / "templates/locale/vi/LC_MESSAGES/messages.po").unlink()
    code, _, err = run_cli("--project", str(project), "--format", "pdf", "--output", str(tmp_path / "out"))
    assert code == 1 and "expected a message catalog for locale 'vi', found none" in err


def test_usage_errors_are_json_too_with_json():
    import json

    code, out, err = run_cli("--project", str(ROOT), "build", "--json", "--jobs", "0")
    assert code == 2 and err == ""
    document = json.loads(out)
    assert document["ok"] is False and document["exit_code"] == 2
    assert document["problems"][0]["message"] == "argument -j/--jobs: expected a whole number of at least 1, found '0'"
    code, out, err = run_cli("--project", str(ROOT), "build", "--jobs", "0")
    assert code == 2 and out == "" and "usage: build_reports.py build" in err


@pytest.mark.slow
def test_project_may_come_before_or_after_the_command(tmp_path):
    project = copy_project(tmp_path)
    for argv in (("--project", str(project), "check"), ("check", "--project", str(project))):
        code, out, err = run_cli(*argv)
        assert code == 0 and "2 events valid." in out, err
    code, _, err = run_cli("check", "--project", str(tmp_path / "nowhere"))
    assert code == 1 and "nowhere" in err
