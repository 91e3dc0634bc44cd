"""The build touches only what it made: untrusted manifests, foreign folders, links, overlapping and nested outputs.

Every test keeps a sibling folder beside the output (a thesis someone keeps
there) and checks, by hash, that nothing in it changed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from test_hostile_input import snapshot

# Builds into crafted output folders, some in two processes.
pytestmark = pytest.mark.slow

EVENT = ("--event", "inspectorate-2024-q1", "--locale", "vi", "--format", "pdf")
REPORT = "inspectorate-2024-q1/vi/report.pdf"


@pytest.fixture
def place(tmp_path):
    """A project copy, its output folder's path, and a sibling folder with a file that is not ours."""
    project = copy_project(tmp_path)
    sibling = tmp_path / "sibling"
    (sibling / "x").mkdir(parents=True)
    (sibling / "x" / "thesis.pdf").write_bytes(b"%PDF-1.4 my thesis, years of work\n")
    return project, tmp_path / "output", sibling


def build(project: Path, output: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("--project", str(project), *EVENT, "--output", str(output), *extra)


def edit_manifest(output: Path, **outputs: dict) -> None:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"].update(outputs)
    (output / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def entry(path: Path) -> dict:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "key": "x"}


# -- 1. manifest entries are untrusted ---------------------------------------------------


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../sibling/x/thesis.pdf", "a '..' or empty path component"),
        ("ABSOLUTE", "an absolute path"),
        ("inspectorate-2024-q1/linked/thesis.pdf", "it leads through a symbolic link"),
    ],
)
def test_a_manifest_entry_outside_the_output_is_reported_and_never_deleted(place, name, reason):
    project, output, sibling = place
    assert build(project, output, "-q")[0] == 0
    thesis = sibling / "x" / "thesis.pdf"
    name = str(thesis) if name == "ABSOLUTE" else name
    (output / "inspectorate-2024-q1" / "linked").symlink_to(sibling / "x")
    edit_manifest(output, **{name: entry(thesis)})
    before = snapshot(sibling)
    code, _, err = build(project, output)
    assert code == 0, err
    assert f"manifest.json lists {name!r}: {reason}; ignored (never read nor deleted)" in err
    assert "Traceback" not in err
    assert snapshot(sibling) == before
    code, _, err = run_cli("verify", str(output))
    assert code == 1 and f"manifest.json lists {name!r}: {reason}" in err  # verify does not follow it either


def test_a_stale_output_is_deleted_only_while_its_bytes_match_the_manifest(place):
    project, output, sibling = place
    assert build(project, output, "-q")[0] == 0
    folder = output / "inspectorate-2024-q1" / "vi"
    (folder / "old.pdf").write_bytes(b"an earlier build's document")
    (folder / "edited.pdf").write_bytes(b"an earlier build's document, edited by hand since")
    edit_manifest(
        output,
        **{
            "inspectorate-2024-q1/vi/old.pdf": entry(folder / "old.pdf"),
            "inspectorate-2024-q1/vi/edited.pdf": {**entry(folder / "old.pdf")},
        },
    )
    before = snapshot(sibling)
    code, _, err = build(project, output)
    assert code == 0, err
    assert not (folder / "old.pdf").exists()  # ours, unchanged, no longer made: removed
    assert (folder / "edited.pdf").read_bytes() == b"an earlier build's document, edited by hand since"
    assert (
        "kept inspectorate-2024-q1/vi/edited.pdf: an earlier build made it, this one no longer does, but it "
        "was changed since (its bytes differ from manifest.json)" in err
    )
    assert snapshot(sibling) == before


def test_a_malformed_manifest_entry_is_ignored(place):
    project, output, sibling = place
    assert build(project, output, "-q")[0] == 0
    edit_manifest(output, **{"inspectorate-2024-q1/vi/x.pdf": {"sha256": 5}})
    code, _, err = build(project, output)
    assert code == 0 and "manifest.json lists 'inspectorate-2024-q1/vi/x.pdf': no valid sha256 and size recorded" in err


# -- 2. staging in one folder of ours; a foreign folder refused ------------------------------


def test_a_non_empty_folder_without_our_manifest_is_refused(place):
    project, output, sibling = place
    output.mkdir()
    (output / "notes.txt").write_text("someone's notes")
    (output / ".draft.docx.tmp").write_text("someone's temporary file")
    before = snapshot(output)
    code, _, err = build(project, output)
    assert code == 2
    assert (
        f"--output {output} is not empty and was not made by a build: it holds 2 items (.draft.docx.tmp, "
        "notes.txt) and no manifest.json. Choose a new or empty folder, or add --force-into" in err
    )
    assert snapshot(output) == before

    code, _, err = build(project, output, "--force-into", "-q")
    assert code == 0, err
    assert (output / "notes.txt").read_text() == "someone's notes"
    assert (output / ".draft.docx.tmp").read_text() == "someone's temporary file"  # not ours: never deleted
    assert not (output / ".reporting-staging").exists()
    code, _, err = build(project, output, "--force", "-q")  # now a folder of ours: no option needed
    assert code == 0, err
    assert (output / ".draft.docx.tmp").exists()


def test_a_foreign_manifest_json_is_not_taken_for_ours(place):
    project, output, sibling = place
    output.mkdir()
    (output / "manifest.json").write_text('{"name": "a web app"}')
    code, _, err = build(project, output)
    assert code == 2 and "it holds a manifest.json this program did not write" in err
    assert (output / "manifest.json").read_text() == '{"name": "a web app"}'


def test_a_staging_folder_without_our_mark_is_never_deleted(place):
    project, output, sibling = place
    assert build(project, output, "-q")[0] == 0
    (output / ".reporting-staging").mkdir()
    (output / ".reporting-staging" / "mine.txt").write_text("not the build's")
    code, _, err = build(project, output, "--force")
    assert code == 1
    assert f"{output / '.reporting-staging'} is not a folder this program made; move it away and build again" in err
    assert (output / ".reporting-staging" / "mine.txt").read_text() == "not the build's"


def test_a_failed_build_leaves_no_folder_it_made(place):
    project, output, sibling = place
    template = project / "templates" / "base.html.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace("</body>", '<img src="/etc/hostname"></body>'), encoding="utf-8"
    )
    code, _, err = build(project, output)
    assert code == 1 and "refused to fetch" in err
    assert not output.exists()


# -- 4. links inside the output ---------------------------------------------------------------


@pytest.mark.parametrize("link", ["inspectorate-2024-q1", REPORT])
def test_the_build_never_writes_through_a_symbolic_link(place, link):
    project, output, sibling = place
    assert build(project, output, "-q")[0] == 0
    path = output / link
    if path.is_dir():
        os.rename(path, sibling / "moved")
    else:
        path.unlink()
    path.symlink_to(sibling / "x" / ("thesis.pdf" if link == REPORT else ""))
    before = snapshot(sibling)
    code, _, err = build(project, output, "--force")
    assert code == 1
    assert (
        f"{path} is a symbolic link (to {os.readlink(path)}); the build does not write through links: "
        "remove it and build again" in err
    )
    assert snapshot(sibling) == before
    assert not (output / ".reporting-staging").exists()


def test_the_lock_file_is_never_written_through_a_link(place):
    project, output, sibling = place
    lock = output.parent / ".output.lock"
    lock.symlink_to(sibling / "x" / "thesis.pdf")
    before = snapshot(sibling)
    code, _, err = build(project, output)
    assert code == 1
    assert (
        f"{lock} is a symbolic link (to {sibling / 'x' / 'thesis.pdf'}); the build does not write through links" in err
    )
    assert snapshot(sibling) == before


def test_verify_reports_links_and_hidden_files(place):
    project, output, sibling = place
    assert build(project, output, "-q")[0] == 0
    (output / "inspectorate-2024-q1" / "elsewhere").symlink_to(sibling)
    (output / ".hidden").write_text("x")
    (output / "inspectorate-2024-q1" / ".cache").mkdir()
    code, _, err = run_cli("verify", str(output))
    assert code == 1
    assert f"unexpected symbolic link: inspectorate-2024-q1/elsewhere -> {sibling} (no build makes links)" in err
    assert "unexpected hidden file: .hidden (no build makes hidden files)" in err
    assert "unexpected hidden folder: inspectorate-2024-q1/.cache" in err
    assert "thesis" not in err  # the link was not followed


# -- 5. output overlapping the inputs; nested outputs -----------------------------------------


@pytest.mark.parametrize(
    "where, label",
    [
        (".", "the project folder"),
        ("data", "data/"),
        ("templates", "templates/"),
        ("templates/out", "templates/"),
        ("data/2024", "data/"),
        ("reporting.toml", "reporting.toml"),
        ("..", "the project folder"),
    ],
)
def test_an_output_overlapping_the_inputs_is_refused(place, where, label):
    project, output, sibling = place
    before = snapshot(project)
    target = (project / where).resolve()
    code, _, err = run_cli("--project", str(project), "--output", str(project / where))
    assert code == 2
    assert f"--output {target} overlaps {label}" in err
    assert f"choose a folder of its own, e.g. {project / 'output'}" in err
    assert snapshot(project) == before
    assert not (target / ".reporting-staging").exists()


def test_watch_refuses_an_output_inside_the_templates(place):
    project, output, sibling = place
    code, _, err = run_cli("--project", str(project), "watch", "--output", str(project / "templates" / "out"))
    assert code == 2 and "overlaps templates/" in err
    assert not (project / "templates" / "out").exists()


def hold_lock(folder: Path, pid: str):
    handle = open(folder.parent / f".{folder.name}.lock", "a+")  # noqa: SIM115 (held until the caller closes it)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(pid)
    handle.flush()
    return handle


def test_a_build_inside_a_folder_another_build_writes_is_refused(place):
    project, output, sibling = place
    inner = output / "mine"
    output.mkdir()
    with hold_lock(output, "4242"):
        code, _, err = build(project, inner)
    assert code == 1
    assert f"another build (process 4242) is writing to {output}, which contains {inner}" in err
    assert not inner.exists()


def test_a_build_around_a_folder_another_build_writes_is_refused(place):
    project, output, sibling = place
    inner = output / "a" / "mine"
    inner.parent.mkdir(parents=True)
    with hold_lock(inner, "4343"):
        code, _, err = build(project, output, "--force-into")
    assert code == 1
    assert f"another build (process 4343) is writing to {inner}, which is inside {output}" in err
    assert not (output / "inspectorate-2024-q1").exists()


def test_the_lock_is_taken_on_the_real_path(place, tmp_path):
    project, output, sibling = place
    output.mkdir()
    (tmp_path / "alias").symlink_to(output)
    with hold_lock(output, "4444"):
        code, _, err = build(project, tmp_path / "alias")
    assert code == 1 and f"another build (process 4444) is writing to {output};" in err


# -- 14. limits -----------------------------------------------------------------------------


def test_jobs_is_bounded_with_a_message(place):
    project, output, sibling = place
    cores = len(os.sched_getaffinity(0))
    before = snapshot(sibling)
    code, _, err = build(project, output, "--jobs", str(4 * cores + 1))
    assert code == 2
    here = f"{cores} core here" if cores == 1 else f"{cores} cores here"
    assert f"expected at most {4 * cores} (4 per core, {here}), found {4 * cores + 1}" in err
    assert not output.exists() and snapshot(sibling) == before
    assert build(project, output, "--jobs", str(4 * cores), "-q")[0] == 0  # the bound itself is allowed


def test_the_data_size_cap_says_what_to_do(place):
    project, output, sibling = place
    data = project / "data" / "inspectorate-2024-q1.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "# " + "x" * 2_000_000 + "\n", encoding="utf-8")
    before = snapshot(sibling)
    code, _, err = build(project, output)
    assert code == 1 and snapshot(sibling) == before
    assert "expected at most 2,000,000 bytes, found 2,02" in err
    assert "pictures belong in templates/assets/" in err
    # A big event's awardees have a route of their own: a spreadsheet, with the guide named.
    assert (
        "list them in a spreadsheet beside the event instead (awards: {source: awardees.xlsx}, up to 100,000 rows"
        in err
    )
    assert "see docs/commend-from-a-spreadsheet.md" in err
    assert not output.exists()
    assert "2 MB" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_real_nested_builds_exclude_each_other(place):
    """Two real processes: a build paused in its publication (holding its locks) and one nested in it."""
    project, output, sibling = place
    inner = output / "nested"
    before = snapshot(sibling)

    def paused_build(folder: Path) -> subprocess.Popen:
        build = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build_reports.py"),
                "--project",
                str(project),
                *EVENT,
                "--output",
                str(folder),
                "--force-into",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "REPORTING_TEST_PUBLISH_PAUSE_AFTER": "0"},
        )
        for line in build.stderr:
            if line.startswith("publish: paused"):
                return build
        raise AssertionError(f"the build ended without pausing (exit {build.wait()})")

    outer_build = paused_build(output)
    try:
        code, _, err = build(project, inner)
        assert code == 1 and f"is writing to {output}, which contains {inner}" in err
    finally:
        outer_build.kill()
        outer_build.wait()
    assert not inner.exists()
    inner_build = paused_build(inner)
    try:
        code, _, err = build(project, output, "--force-into")
        assert code == 1 and f"is writing to {inner}, which is inside {output}" in err
    finally:
        inner_build.kill()
        inner_build.wait()
    assert snapshot(sibling) == before
