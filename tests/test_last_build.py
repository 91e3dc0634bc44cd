"""A build with the inputs, options and outputs the last one left stops early; any change builds as usual."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting.build import fingerprint as fingerprint_module
from reporting.build import last_build, pipeline
from reporting.build.fingerprint import fingerprint

# The Vietnamese DOCX of a one-awardee event: a real build of a few files, in well under a second.
QUICK = ("--format", "docx", "--locale", "vi")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "project").mkdir()
    return copy_project(tmp_path / "project", "one-awardee")


@pytest.fixture
def builds(monkeypatch):
    """One entry per build that ran the pipeline (was not stopped early)."""
    ran: list[str] = []
    original = pipeline.run_build

    def counted(*args, **kwargs):
        ran.append("built")
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run_build", counted)
    return ran


def build(project, *options: str) -> tuple[int, str, str]:
    return run_cli("--project", str(project), "build", "--output", str(project.parent / "out"), *QUICK, *options)


@pytest.mark.slow
def test_a_build_with_nothing_changed_stops_early_and_says_what_a_full_one_says(project, builds):
    code, out, err = build(project, "--json")
    assert code == 0 and builds == ["built"], err
    first = json.loads(out)
    code, out, err = build(project, "--json")
    assert code == 0 and builds == ["built"], err  # not run again
    second = json.loads(out)
    assert second["written"] == [] and second["removed"] == [] and second["warnings"] == []
    assert sorted(second["unchanged"]) == sorted(first["written"]) and len(second["unchanged"]) == 3
    code, out, err = build(project)
    assert code == 0 and builds == ["built"]
    assert "Wrote 0 files, 3 unchanged to" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        "data/event.yaml",
        "data/another.yaml",  # a new file
        "templates/css/certificate.css",
        "templates/fonts/tinos/Tinos-Regular.ttf",
        "templates/locale/vi/LC_MESSAGES/messages.po",
        "reporting.toml",
    ],
)
def test_a_changed_input_builds_as_usual(project, builds, change):
    assert build(project)[0] == 0
    path = project / change
    if path.exists():
        with path.open("ab") as file:
            file.write(b"\n" if path.suffix in (".yaml", ".css", ".po", ".toml") else b"\0")
    else:
        shutil.copy(project / "data" / "event.yaml", path)
        path.write_text(path.read_text(encoding="utf-8").replace("id: one-awardee", "id: another"), encoding="utf-8")
    build(project)
    assert builds == ["built", "built"]


@pytest.mark.slow
def test_a_change_to_the_program_builds_as_usual(project, builds, tmp_path, monkeypatch):
    program = tmp_path / "program"
    shutil.copytree(fingerprint_module.PACKAGE, program, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint_module, "PACKAGE", program)
    assert build(project)[0] == 0
    build(project)
    assert builds == ["built"]
    (program / "render.py").write_text((program / "render.py").read_text() + "\n# changed\n")
    build(project)
    assert builds == ["built", "built"]


@pytest.mark.parametrize(
    "options",
    [
        ("--locale", "ar"),
        ("--format", "pdf"),
        ("--archive",),
        ("--event", "one-awardee"),
        ("--document", "certificates"),
        ("--no-duplex",),
        ("--stock", "preprinted"),
        ("--strict",),
    ],
)
def test_other_options_change_the_fingerprint(tmp_path, options):
    from reporting.cli import _parse
    from reporting.commands.build import _fingerprinted_options

    def fingerprint_with(*argv):
        return fingerprint(tmp_path, _fingerprinted_options(_parse(["build", *argv], sys.stderr, sys.stdout), tmp_path))

    (tmp_path / "reporting.toml").write_text("[build]\n")
    usual = fingerprint_with(*QUICK)
    assert usual == fingerprint_with(*QUICK, "--jobs", "1", "--quiet")  # how to build, not what
    assert usual != fingerprint_with(*QUICK, *options)


@pytest.mark.slow
def test_another_output_folder_or_option_builds_as_usual(project, builds):
    assert build(project)[0] == 0
    assert build(project, "--locale", "ar")[0] == 0
    assert builds == ["built", "built"]
    assert run_cli("--project", str(project), "build", "--output", str(project.parent / "elsewhere"), *QUICK)[0] == 0
    assert builds == ["built", "built", "built"]


@pytest.mark.slow
def test_force_always_builds(project, builds):
    assert build(project)[0] == 0
    code, out, _err = build(project, "--force")
    assert code == 0 and builds == ["built", "built"] and "Wrote 3 files" in out
    build(project)
    assert builds == ["built", "built"]  # what --force wrote is recorded too


def _certificate(project):
    return project.parent / "out" / "one-awardee" / "vi" / "certificates" / "01-i01-ar-name.docx"


@pytest.mark.slow
def test_a_deleted_output_is_written_again(project, builds):
    assert build(project)[0] == 0
    certificate = _certificate(project)
    data = certificate.read_bytes()
    certificate.unlink()
    code, out, _err = build(project)
    assert code == 0 and builds == ["built", "built"] and "Wrote 1 file, 2 unchanged" in out
    assert certificate.read_bytes() == data


@pytest.mark.slow
def test_an_edited_output_is_written_again_even_with_its_size_and_time_put_back(project, builds):
    assert build(project)[0] == 0
    certificate = _certificate(project)
    data = certificate.read_bytes()
    before = certificate.stat()
    certificate.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    os.utime(certificate, ns=(before.st_atime_ns, before.st_mtime_ns))  # only the change time tells
    code, out, _err = build(project)
    assert code == 0 and builds == ["built", "built"] and "Wrote 1 file, 2 unchanged" in out
    assert certificate.read_bytes() == data


@pytest.mark.slow
def test_a_forged_manifest_is_not_trusted_to_skip_anything(project, builds):
    assert build(project)[0] == 0
    manifest = project.parent / "out" / "manifest.json"
    before = manifest.stat()
    forged = json.loads(manifest.read_text(encoding="utf-8"))
    name = "one-awardee/vi/certificates/01-i01-ar-name.docx"
    forged["outputs"][name]["sha256"] = "0" * 64
    manifest.write_text(json.dumps(forged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.utime(manifest, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, out, _err = build(project)
    assert code == 0 and builds == ["built", "built"]
    assert json.loads(manifest.read_text(encoding="utf-8"))["outputs"][name]["sha256"] != "0" * 64


@pytest.mark.slow
def test_a_staging_folder_left_in_the_output_is_left_to_the_build(project, builds):
    assert build(project)[0] == 0
    (project.parent / "out" / ".reporting-staging").mkdir()
    code, _out, err = build(project)
    assert code == 1 and "is not a folder this program made" in err  # as without the record
    assert builds == ["built", "built"]


@pytest.mark.slow
def test_a_damaged_or_foreign_record_is_ignored(project, builds):
    assert build(project)[0] == 0
    [record] = (project.parent / "cache" / "reporting" / last_build.RECORDS).glob("*.json")
    entry = json.loads(record.read_text())
    record.write_text(record.read_text()[:-10])  # cut short
    assert build(project)[0] == 0
    assert builds == ["built", "built"]
    entry["fingerprint"] = "0" * 64  # a record filed under a name that is not its own
    record.write_text(json.dumps(entry))
    assert build(project)[0] == 0
    assert builds == ["built", "built", "built"]


@pytest.mark.slow
def test_a_build_with_warnings_is_never_skipped(project, builds):
    catalog = project / "templates" / "locale" / "vi" / "LC_MESSAGES" / "messages.po"
    translated = 'msgstr "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"'
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(translated, 'msgstr ""'), encoding="utf-8")
    for _build in range(2):
        code, _out, err = build(project)
        assert code == 0 and "untranslated message 'SOCIALIST REPUBLIC OF VIET NAM'" in err
    assert builds == ["built", "built"]


@pytest.mark.parametrize("folder", ["data", "templates"])
def test_a_link_among_the_inputs_gives_no_fingerprint(tmp_path, folder):
    (tmp_path / "reporting.toml").write_text("[build]\n")
    (tmp_path / folder / "inner").mkdir(parents=True)
    (tmp_path / folder / "inner" / "file.yaml").write_text("id: x\n")
    taken = fingerprint(tmp_path, {})
    assert taken is not None and taken == fingerprint(tmp_path, {})
    (tmp_path / folder / "inner" / "file.yaml").write_text("id: y\n")
    assert fingerprint(tmp_path, {}) not in (None, taken)
    (tmp_path / folder / "inner" / "linked.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert fingerprint(tmp_path, {}) is None


@pytest.mark.slow
def test_a_build_stopped_early_imports_neither_the_settings_nor_the_pipeline(tmp_path):
    project = copy_project(tmp_path, "one-awardee")
    code = (
        "import sys; from reporting.cli import main; code = main(sys.argv[1:]);"
        "print(code, 'pydantic' in sys.modules, 'reporting.build.pipeline' in sys.modules)"
    )
    argv = ["--project", str(project), "build", "-q", "--output", str(tmp_path / "out"), *QUICK]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", code, *argv], env=env, cwd=ROOT, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["0 True True", "0 False False"], [run.stderr for run in runs]


@pytest.mark.slow
def test_records_are_kept_for_the_last_two_builds_of_an_output_folder(project, builds):
    for options in ((), ("--strict",), (), ("--strict",)):  # the same files, other options
        assert build(project, *options)[0] == 0
    records = project.parent / "cache" / "reporting" / last_build.RECORDS
    assert len(list(records.glob("*.json"))) == 2 and builds == ["built", "built"]  # then stopped early
    assert build(project, "--force-into")[0] == 0
    assert len(list(records.glob("*.json"))) == 2 and builds == ["built", "built", "built"]
    assert build(project)[0] == 0  # the oldest record was let go
    assert builds == ["built", "built", "built", "built"]


@pytest.mark.slow
def test_a_build_of_more_files_than_a_record_holds_is_left_to_the_usual_checks(project, builds, monkeypatch):
    """Recording hashes every output again: not for a big event's hundreds of thousands of files."""
    monkeypatch.setattr(last_build, "RECORD_AT_MOST", 2)  # this build writes 3
    for _build in range(2):
        assert build(project)[0] == 0
    assert builds == ["built", "built"]
    assert not list((project.parent / "cache" / "reporting" / last_build.RECORDS).glob("*.json"))
    monkeypatch.setattr(last_build, "RECORD_AT_MOST", 3)
    for _build in range(2):
        assert build(project)[0] == 0
    assert builds == ["built", "built", "built"]
