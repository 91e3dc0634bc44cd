"""Hostile and unlucky conditions (issue 12): every one a clear message and exit code, never a traceback,
and the outputs (and every file beside them) exactly as they were.

Data mistakes run the build over a copy of a previous good output (``hostile``, from
test_hostile_input) and check that not one byte changed; the rest check the folders
around the command the same way.
"""
from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from test_hostile_input import Q1, D35, edit, good_output, hostile, snapshot  # noqa: F401 (fixtures)

ID_RULE = "expected an id of lowercase letters a-z, digits 0-9, '-' and '_', starting with a letter or digit"


# -- item 3: new --id --------------------------------------------------------------------------

@pytest.mark.parametrize("bad_id", ["../../x", "Bad Id!", "/tmp/elsewhere", "a" * 65, "-leading-dash"])
def test_new_refuses_an_id_that_is_not_an_id_before_writing_anything(tmp_path, bad_id):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    before = snapshot(tmp_path)
    code, out, err = run_cli("--project", str(project), "new", "quarterly", "--period", "2024-Q2", f"--id={bad_id}")
    assert code == 2, err
    assert f"error: --id: {ID_RULE}" in err and "^[a-z0-9]" not in err, err
    assert snapshot(tmp_path) == before  # nothing in data/, nothing beside the project


def test_new_and_check_survive_a_dangling_link_and_a_folder_named_yaml(tmp_path):
    project = copy_project(tmp_path)
    (project / "data" / "gone.yaml").symlink_to(tmp_path / "no-such-file.yaml")
    (project / "data" / "folder.yaml").mkdir()
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1 and "Traceback" not in err
    assert "data/gone.yaml" in err and "found a symbolic link to" in err and "which does not exist" in err
    assert "data/folder.yaml" in err and "expected a readable YAML file, found a folder" in err
    code, out, err = run_cli("--project", str(project), "new", "quarterly", "--period", "2024-Q2")
    assert code == 0, err
    assert (project / "data" / "inspectorate-2024-q2.yaml").is_file()


# -- item 10: tracebacks that became messages ----------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (b"id: a\x00b\n", "1:6 expected printable text, found U+0000"),
    ("id: x\nissuer: \"a\uffffb\"\n".encode(), "2:11 expected printable text, found U+FFFF"),
    (b"id: x\ntitle: \x1b[31m\n", "2:8 expected printable text, found U+001B"),
    (b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "expected at most 20 levels of nesting, found more than 100"),
    (b"a:\n" + b"".join(b"  " * n + b"- x:\n" for n in range(1, 500)), "expected at most 20 levels of nesting"),
])
def test_unprintable_characters_and_deep_nesting_are_data_errors(hostile, raw, expected):
    project, _, run = hostile
    (project / Q1).write_bytes(raw)
    code, err = run()
    assert code == 1 and f"error: {Q1}" in err and expected in err, err
    assert "\x00" not in err and "\x1b[31m" not in err  # the echoed line shows them as symbols


@pytest.mark.parametrize("make", ["dangling link", "folder"])
def test_build_reports_a_data_entry_that_is_not_a_file(hostile, make, tmp_path):
    project, _, run = hostile
    odd = project / "data" / "x.yaml"
    odd.symlink_to(tmp_path / "nowhere") if make == "dangling link" else odd.mkdir()
    code, err = run()
    assert code == 1 and "error: data/x.yaml: 1 problem" in err, err
    assert ("which does not exist" if make == "dangling link" else "found a folder") in err


def _fail_writes_with(monkeypatch, number: int, module: str = "reporting.build.workers") -> None:
    """The machine's answer to a write: ENOSPC (or another errno), as a full disk gives it."""
    import importlib

    target = importlib.import_module(module)

    def full(*args, **kwargs):
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(target, "write_temporary", full)


@pytest.mark.parametrize("number, meaning", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only")])
def test_a_failing_write_is_a_message_naming_the_file(hostile, monkeypatch, number, meaning):
    _, output, run = hostile
    _fail_writes_with(monkeypatch, number)
    code, err = run("--force", "--jobs", "1")
    assert code == 1, err
    assert f"error: cannot write {output}/inspectorate-2024-q1/vi/report." in err and meaning in err, err


def test_a_failing_manifest_write_leaves_the_outputs(hostile, monkeypatch):
    _, output, run = hostile
    _fail_writes_with(monkeypatch, errno.ENOSPC, "reporting.build.publish")
    code, err = run("--force", "--jobs", "1")
    assert code == 1 and "the disk is full: free some space and build again" in err, err


def _mount_tmpfs(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def test_a_really_full_disk(tmp_path):
    """On a 600 KB file system (root only: tmpfs), the first PDFs fill it; nothing is left behind."""
    small = tmp_path / "small"
    if not _mount_tmpfs(small, "size=600k"):
        pytest.skip("cannot mount a small tmpfs here (not root)")
    try:
        code, _, err = run_cli("--project", str(ROOT), "--event", "directive-35-review", "--output", str(small / "out"))
        assert code == 1 and "Traceback" not in err
        assert f"error: cannot write {small}/out/" in err and "the disk is full" in err, err
        assert [p.name for p in small.rglob("*") if p.is_file()] == [".out.lock"]
    finally:
        subprocess.run(["umount", str(small)])


def test_a_read_only_parent_folder(tmp_path):
    """The lock file lives beside the output folder: a read-only parent is named, not a traceback."""
    parent = tmp_path / "read-only"
    mounted = _mount_tmpfs(parent, "ro")
    if not mounted:
        parent.chmod(0o555)
    try:
        code, _, err = run_cli("--project", str(ROOT), "--event", "inspectorate-2024-q1", "--output", str(parent / "out"))
        assert code == 1 and "Traceback" not in err
        assert f"error: cannot use {parent}/.out.lock: " in err, err
        assert ("read-only" if mounted else "permission denied") in err
        assert list(parent.iterdir()) == []
    finally:
        subprocess.run(["umount", str(parent)]) if mounted else parent.chmod(0o755)


@pytest.mark.parametrize("where", ["file", "below a file"])
def test_output_pointing_at_a_file_is_a_usage_error(tmp_path, where):
    thesis = tmp_path / "thesis.pdf"
    thesis.write_bytes(b"%PDF-1.7 not ours")
    output = thesis if where == "file" else thesis / "out"
    code, _, err = run_cli("--project", str(ROOT), "--event", "inspectorate-2024-q1", "--output", str(output))
    assert code == 2 and f"error: --output: expected a folder (new or one an earlier build made), found a file at {thesis}" in err
    assert thesis.read_bytes() == b"%PDF-1.7 not ours" and sorted(p.name for p in tmp_path.iterdir()) == ["thesis.pdf"]


@pytest.mark.parametrize("manifest, found", [
    (b"", "found an empty file"),
    (b'{"outputs": ', "found invalid JSON at line 1, column 13"),
    (b"\xff\xfe{}", "expected UTF-8 JSON"),
    (b"[1, 2]", "expected an 'outputs' mapping of files to their sha256 and size"),
    (b'{"outputs": {"a.pdf": {"sha256": 5}}}', "expected an 'outputs' mapping"),
])
def test_verify_a_corrupt_manifest(tmp_path, manifest, found):
    (tmp_path / "manifest.json").write_bytes(manifest)
    code, _, err = run_cli("verify", str(tmp_path))
    assert code == 1 and "Traceback" not in err and "error: unreadable: manifest.json: " in err and found in err, err
    code, out, err = run_cli("verify", str(tmp_path), "--json")
    document = json.loads(out)
    assert code == 1 and document["exit_code"] == 1 and not document["ok"]
    assert found in document["problems"][0]["message"] and err == ""


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_on_an_impossible_port(port):
    code, _, err = run_cli("--project", str(ROOT), "serve", "--port", port)
    assert code == 2 and f"argument --port: expected a port from 0 (any free one) to 65535, found '{port}'" in err
    code, out, _ = run_cli("--project", str(ROOT), "serve", "--port", port, "--json")
    assert code == 2 and "expected a port from 0" in json.loads(out)["problems"][0]["message"]
