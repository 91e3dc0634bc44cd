"""The pipeline's extension points: the writer registry, the document table, the settings file, entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting.config import FORMATS
from reporting.writers import registry
from reporting.writers.registry import CertificateBatching, WriterSpec


class PlainTextWriter:
    """A third format, as a project would add one: the document's text, one line per block."""

    def write(self, html: str, geometry, **options) -> bytes:
        import re

        text = re.sub(r"<(?:p|h1|h2|h3|li|td|th|div|section)\b[^>]*>", "\n", html)
        text = re.sub(r"<[^>]+>", "", text)
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


@pytest.fixture
def text_format():
    spec = registry.register(
        WriterSpec(
            name="txt",
            suffix=".txt",
            media_type="text/plain",
            make=lambda project, locale: PlainTextWriter(),
            certificates=CertificateBatching.EACH,
        )
    )
    yield spec
    registry.unregister("txt")


def test_the_shipped_formats_come_from_the_registry():
    assert FORMATS == ("pdf", "docx")
    assert registry.suffixes() == {"pdf": ".pdf", "docx": ".docx"}
    assert registry.media_types()[".docx"].endswith("wordprocessingml.document")
    assert registry.paged_formats() == ("pdf",)


def test_a_second_writer_with_a_taken_name_or_suffix_is_refused():
    pdf = registry.spec("pdf")
    with pytest.raises(ValueError, match="already registered"):
        registry.register(WriterSpec(name="pdf", suffix=".pdf2", media_type="x/y", make=pdf.make))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(WriterSpec(name="pdf2", suffix=".pdf", media_type="x/y", make=pdf.make))
    assert registry.formats() == ("pdf", "docx")


@pytest.mark.slow
def test_a_registered_writer_is_a_format_of_the_build(tmp_path, text_format):
    """One module and one registration: the settings accept it, the build writes it for every document,
    certificates included, and the manifest lists its files."""
    project = copy_project(tmp_path)
    settings = project / "reporting.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('formats = ["pdf", "docx"]', 'formats = ["txt"]'), encoding="utf-8"
    )
    output = tmp_path / "out"
    code, out, err = run_cli("--project", str(project), "build", "--output", str(output), "--jobs", "1", "--quiet")
    assert code == 0, err
    report = (output / "directive-35-review" / "vi" / "report.txt").read_text(encoding="utf-8")
    assert "35-CT/TW" in report
    certificates = sorted((output / "directive-35-review" / "ar" / "certificates").glob("*.txt"))
    assert len(certificates) == 25  # 10 groups and 15 individuals, each from its own HTML
    assert not list(output.rglob("*.pdf")) and not list(output.rglob("*.docx"))
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert "directive-35-review/vi/awardees.txt" in manifest["outputs"]


def test_an_unregistered_format_in_the_settings_is_an_error_at_its_line(tmp_path):
    project = copy_project(tmp_path)
    settings = project / "reporting.toml"
    text = settings.read_text(encoding="utf-8").replace('formats = ["pdf", "docx"]', 'formats = ["pdf", "odt"]')
    settings.write_text(text, encoding="utf-8")
    line = text.splitlines().index('formats = ["pdf", "odt"]') + 1
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert f"{line}:1 build.formats: expected some of pdf, docx, found 'odt'" in err


def test_settings_are_validated_like_the_data(tmp_path):
    """Unknown keys with a suggestion, wrong types and values out of range: each at its line."""
    project = copy_project(tmp_path)
    settings = project / "reporting.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("job_time_limit_s = 60", "job_time_limit_s = 60\njobs_time_limit = 5")
    text = text.replace('[locales.vi]\ndigits = "latn"', '[locales.vi]\ndigits = "latin"')
    text = text.replace("bleed_mm = 0", 'bleed_mm = "3"')
    settings.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    unknown, digits, bleed = (
        lines.index(line) + 1 for line in ("jobs_time_limit = 5", 'digits = "latin"', 'bleed_mm = "3"')
    )
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert (
        f"{unknown}:1 build.jobs_time_limit: expected a known field, "
        "found unknown field 'jobs_time_limit' (did you mean 'job_time_limit_s'?)" in err
    )
    assert f"{digits}:1 locales.vi.digits: expected 'latn' or 'arab', found 'latin'" in err
    assert f"{bleed}:1 print.bleed_mm: expected a valid number, found '3'" in err
    assert "nothing was written" in err


def _without_documents(settings: Path) -> str:
    """The settings without their [documents] tables (a test writes its own)."""
    text = settings.read_text(encoding="utf-8")
    return text[: text.index("[documents.")]


@pytest.mark.slow
def test_a_document_type_is_a_row_of_the_table(tmp_path):
    """A new document is a [documents] table and a template; the built-in ones keep their files."""
    project = copy_project(tmp_path)
    (project / "templates" / "attendance.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}<h1>{{ event.title|t }}</h1>'
        "<p>{{ event.chair.name|t }}</p>{% endblock %}",
        encoding="utf-8",
    )
    settings = project / "reporting.toml"
    settings.write_text(
        _without_documents(settings)
        + """
[documents.report]
template = "report.html.j2"
page = "report"

[documents.attendance]
template = "attendance.html.j2"
page = "report"

[documents.certificates]
template = "certificates.html.j2"
page = "certificate"
one_per = "awardee"
only_with_awards = true
""",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    code, out, err = run_cli(
        "--project",
        str(project),
        "build",
        "--output",
        str(output),
        "--format",
        "pdf",
        "--event",
        "directive-35-review",
        "--locale",
        "vi",
        "--quiet",
    )
    assert code == 0, err
    folder = output / "directive-35-review" / "vi"
    assert sorted(path.name for path in folder.iterdir() if path.is_file()) == [
        "attendance.pdf",
        "certificates.pdf",
        "report.pdf",
    ]  # no awardees list: the table has none
    assert len(list((folder / "certificates").glob("*.pdf"))) == 25


def test_a_document_naming_an_unknown_page_or_template_is_an_error(tmp_path):
    project = copy_project(tmp_path)
    settings = project / "reporting.toml"
    settings.write_text(
        _without_documents(settings)
        + """
[documents.report]
template = "reprot.html.j2"
page = "letter"
""",
        encoding="utf-8",
    )
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert "documents.report.page: expected one of the [pages] set-ups (report, certificate), found 'letter'" in err
    assert "documents.report.template: expected a template under templates/, found 'reprot.html.j2'" in err


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [[sys.executable, "-m", "reporting"], [str(Path(sys.executable).parent / "reporting")]]
)
def test_the_package_runs_as_python_users_expect(command):
    """``python -m reporting`` and the ``reporting`` console script are the same CLI as build_reports.py."""
    result = subprocess.run(
        [*command, "--project", str(ROOT), "check", "--json"], capture_output=True, text=True, timeout=120, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    assert {event["id"] for event in events} == {"directive-35-review", "inspectorate-2024-q1"}


def test_problems_carry_expected_and_found_as_fields(tmp_path):
    """--json gives machines the two halves as the code made them, not parsed out of the message."""
    project = copy_project(tmp_path)
    data = project / "data" / "inspectorate-2024-q1.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("date: 2024-04-08", "date: 2024-02-30", 1), encoding="utf-8")
    code, out, err = run_cli("--project", str(project), "check", "--json")
    assert code == 1
    (problem,) = json.loads(out)["problems"]
    assert (problem["field"], problem["expected"], problem["found"]) == (
        "date",
        "a real date YYYY-MM-DD",
        "'2024-02-30'",
    )


def test_a_certificate_too_long_for_its_page_is_a_page_overflow():
    from reporting.errors import PageOverflow, RenderError

    error = PageOverflow(1, 2)
    assert isinstance(error, RenderError) and (error.expected_pages, error.found_pages) == (1, 2)
    assert str(error) == "expected 1 page, found 2"
