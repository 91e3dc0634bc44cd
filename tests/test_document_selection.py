"""``build --document KIND``: only some kinds of the [documents] table, the others' files and manifest
entries left as they are (the rules of --event, --locale and --format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_project, run_cli
from reporting.build.pipeline import _document_of
from reporting.config import DEFAULT_DOCUMENTS

LRI, PDI = "\u2066", "\u2069"


def _files(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in output.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    }


def _manifest(output: Path) -> dict[str, dict]:
    return json.loads((output / "manifest.json").read_text(encoding="utf-8"))["outputs"]


@pytest.mark.slow
def test_only_the_selected_documents_are_built_and_the_others_are_left_alone(tmp_path):
    project, output = copy_project(tmp_path, "one-awardee"), tmp_path / "out"
    build = ("--project", str(project), "build", "--locale", "vi", "--format", "pdf", "--output", str(output))

    code, out, err = run_cli(*build, "--document", "report", "--document", "awardees")
    assert code == 0, err
    assert sorted(_files(output)) == ["one-awardee/vi/awardees.pdf", "one-awardee/vi/report.pdf"]

    code, out, err = run_cli(*build, "--document", "certificates")
    assert code == 0, err
    first = _files(output)
    certificates = sorted(name for name in first if name.startswith("one-awardee/vi/certificates/"))
    assert len(certificates) == 1 and "one-awardee/vi/certificates.pdf" in first  # the print file is theirs
    assert "Wrote 2 files " in out and "report.pdf" not in out and "awardees.pdf" not in out
    assert set(_manifest(output)) == set(first)  # the report's and the list's entries are kept

    # The awardee renamed: a certificate under a new name. Built without the certificates, the old one
    # is not taken for stale (its document was not selected), nor is the print file.
    data = project / "data" / "event.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("AR_NAME", "AR_OTHER"), encoding="utf-8")
    code, out, err = run_cli(*build, "--document", "report")
    assert code == 0, err
    assert "removed" not in out
    after_report = _files(output)
    assert set(after_report) == set(first) and set(_manifest(output)) == set(first)
    assert all(after_report[name] == first[name] for name in first if "/report." not in name)

    # The certificates selected: the renamed awardee's old certificate is stale now, the list is kept
    # (not rebuilt although its awardee's name changed: it was not selected).
    code, out, err = run_cli(*build, "--document", "certificates")
    assert code == 0, err
    assert f"removed {certificates[0]} " in out
    now = _files(output)
    assert certificates[0] not in now
    renamed = [name for name in now if name.startswith("one-awardee/vi/certificates/")]
    assert len(renamed) == 1 and "ar-other" in renamed[0]
    assert now["one-awardee/vi/awardees.pdf"] == first["one-awardee/vi/awardees.pdf"]
    assert set(_manifest(output)) == set(now)


def test_an_unknown_document_is_a_usage_error_naming_the_kinds(tmp_path):
    project, output = copy_project(tmp_path, "one-awardee"), tmp_path / "out"
    build = ("--project", str(project), "build", "--output", str(output))
    code, _out, err = run_cli(*build, "--document", "certificate", "--document", "report")
    assert code == 2
    assert err == (
        "error: unknown document certificate; the [documents] table of reporting.toml has: "
        "report, awardees, certificates\n"
    )
    assert not output.exists()

    code, out, _err = run_cli(*build, "--document", "nope", "--json")
    problem = json.loads(out)["problems"][0]
    assert code == 2 and problem["code"] == "selection-error" and problem["message"].startswith("unknown document")

    code, _out, err = run_cli(*build, "--document", "nope", "--ui-language", "vi")
    assert code == 2
    assert err.startswith("lỗi: không có loại văn bản nope; bảng [documents] trong reporting.toml có: report, ")
    code, _out, err = run_cli(*build, "--document", "nope", "--ui-language", "ar")
    assert code == 2 and err.startswith(f"خطأ: نوع مستند غير معروف {LRI}nope{PDI}؛ ")


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("e/vi/report.pdf", "report"),
        ("e/vi/awardees.docx", "awardees"),
        ("e/vi/certificates.pdf", "certificates"),  # the print file
        ("e/vi/certificates-calibration.pdf", "certificates"),  # its calibration page
        ("e/vi/certificates/01-i01-nguyen-van-an.docx", "certificates"),
        ("e/vi/report-calibration.pdf", None),  # only a document made per awardee has one
        ("e/vi/minutes.pdf", None),  # a document since removed from the table
        ("e/vi/minutes/01-i01-an.pdf", None),
    ],
)
def test_each_output_belongs_to_its_document(name, document):
    assert _document_of(Path(name).parts, DEFAULT_DOCUMENTS) == document


def test_watch_rebuilds_only_the_selected_documents(tmp_path, monkeypatch):
    """serve and watch take the selection options build takes, --document among them."""
    from reporting.build import watch

    seen = []

    def keep_building(rebuilder, _stop, _report) -> None:
        seen.append(rebuilder.selection)
        raise KeyboardInterrupt  # as Ctrl-C ends a watch

    monkeypatch.setattr(watch, "keep_building", keep_building)
    project = copy_project(tmp_path, "one-awardee")
    code, _out, err = run_cli("--project", str(project), "watch", "--document", "certificates", "--locale", "vi")
    assert code == 0, err
    assert [(selection.documents, selection.locales) for selection in seen] == [(("certificates",), ("vi",))]
