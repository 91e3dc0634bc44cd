"""What the build's main process keeps per output file, and the manifest written entry by entry.

A 100,000-awardee event in two languages answers for 400,000 files: the ledger's records of them
live through the whole build, and the manifest listing them is written at its end.
"""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

from conftest import copy_project
from reporting.build import pipeline
from reporting.build.manifest import Entry, build_manifest, write_manifest
from reporting.build.output_files import OutputFiles
from reporting.build.pipeline import Ledger
from reporting.build.publish import Staging
from reporting.build.workers import Written
from reporting.config import load_project


def _target(output: Path, n: int) -> Path:
    return output / "directive-35-review" / "vi" / "certificates" / f"{n:06d}-c{n:06d}-nguyen-van-hung.pdf"


def _record(ledger: Ledger, count: int) -> None:
    """``count`` targets, each made (as the planner makes it), found not current and adopted as staged."""
    for n in range(count):
        target = _target(ledger.output, n)
        key = hashlib.sha256(target.name.encode()).hexdigest()
        assert not ledger.current(target, key)
        digest = hashlib.sha256(key.encode()).hexdigest()
        ledger.adopt(Written(Path(str(target)), Path("/staged") / target.name, digest, 12345))


class _Staging(Staging):
    def prepare(self, target: Path) -> None:  # no folders: only the records are measured
        pass


@pytest.mark.slow
def test_the_ledger_keeps_a_few_hundred_bytes_an_output(tmp_path):
    output = tmp_path / "out"
    count = 5_000
    ledger = Ledger(output, {}, False, _Staging(output))
    tracemalloc.start(6)
    try:
        _record(ledger, count)
        # What the ledger's own calls allocated and still hold (not another thread's allocations).
        held_by_ledger = tracemalloc.Filter(True, pipeline.__file__, all_frames=True)
        snapshot = tracemalloc.take_snapshot().filter_traces([held_by_ledger])
    finally:
        tracemalloc.stop()
    held = sum(stat.size for stat in snapshot.statistics("filename"))
    # A name (120 bytes here), its entry (digests and size packed: 121 bytes), its places in the
    # ledger's table and the staging's list. A Path and a dict of hex strings each were 1.4 KB.
    assert held / count < 400, held / count
    name = "directive-35-review/vi/certificates/000007-c000007-nguyen-van-hung.pdf"
    assert ledger.entries[name] == Entry.of(
        bytes.fromhex(
            hashlib.sha256(hashlib.sha256(_target(output, 7).name.encode()).hexdigest().encode()).hexdigest()
        ),
        12345,
        bytes.fromhex(hashlib.sha256(_target(output, 7).name.encode()).hexdigest()),
    )
    staged = ledger.staging._staged
    assert staged[7] is next(key for key in ledger.entries if key == name)  # one string, shared


def test_output_files_give_paths_from_the_names(tmp_path):
    files = OutputFiles(tmp_path, ["a/one.pdf", "b/two.docx"])
    assert list(files) == [tmp_path / "a" / "one.pdf", tmp_path / "b" / "two.docx"]
    assert files[1] == tmp_path / "b" / "two.docx" and files[:1] == [tmp_path / "a" / "one.pdf"]
    assert len(files) == 2 and files == [tmp_path / "a" / "one.pdf", tmp_path / "b" / "two.docx"]


def _manifest_as_json_dumps(project, output: Path, entries: dict[str, Entry], removed: list[Path]) -> bytes:
    """The manifest as the build made it before: one dict, one ``json.dumps``."""
    written = json.loads(build_manifest(project, output, {}, removed))  # the head, and the entries kept
    outputs = written["outputs"]
    for name, entry in entries.items():
        outputs[name] = entry.as_json()
    written["outputs"] = dict(sorted(outputs.items()))
    return (json.dumps(written, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_the_streamed_manifest_is_the_json_of_the_whole_manifest(tmp_path):
    project = load_project(copy_project(tmp_path))
    output = tmp_path / "out"
    (output / "old").mkdir(parents=True)
    for name in ("kept.pdf", "removed.pdf"):
        (output / "old" / name).write_bytes(name.encode())
    old = {
        f"old/{name}": {"sha256": hashlib.sha256(name.encode()).hexdigest(), "size": len(name), "key": "k"}
        for name in ("kept.pdf", "removed.pdf", "gone-from-disk.pdf")
    }
    (output / "manifest.json").write_text(json.dumps({"format": 1, "outputs": old}), encoding="utf-8")
    entries = {
        "e/vi/ảnh-Đ.pdf": Entry.of(b"\x01" * 32, 7, b"\x02" * 32),
        "e/ar/شهادة.pdf": Entry.of(b"\x03" * 32, 9, b"\x04" * 32),
        "old/kept.pdf": Entry.of(b"\x05" * 32, 8, b"\x06" * 32),
    }
    removed = [output / "old" / "removed.pdf"]
    streamed = build_manifest(project, output, entries, removed)
    assert streamed == _manifest_as_json_dumps(project, output, entries, removed)
    outputs = json.loads(streamed)["outputs"]
    assert list(outputs) == sorted(["e/vi/ảnh-Đ.pdf", "e/ar/شهادة.pdf", "old/kept.pdf"])
    assert outputs["old/kept.pdf"]["sha256"] == "05" * 32  # this build's entry, not the old one
    (output / "manifest.json").unlink()
    assert json.loads(build_manifest(project, output, {}, []))["outputs"] == {}


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def _writing_peak(project, output: Path, count: int) -> int:
    entries = {
        f"e/vi/certificates/{n:06d}-c{n:06d}-nguyen-van-hung.pdf": Entry.of(bytes(32), n, bytes(32))
        for n in range(count)
    }
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        write_manifest(_Discard(), project, output, entries)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_writing_the_manifest_takes_no_copy_of_it_in_memory(tmp_path):
    """40,000 entries are about 10 MB of JSON: written in pieces, the writer's memory grows by the
    sorted list of names (8 bytes an entry), not by the text (250 bytes an entry)."""
    project = load_project(copy_project(tmp_path))
    peak_10k = _writing_peak(project, tmp_path / "out", 10_000)
    peak_40k = _writing_peak(project, tmp_path / "out", 40_000)
    assert peak_40k - peak_10k < 30_000 * 24, (peak_10k, peak_40k)


@pytest.mark.slow
def test_a_long_lists_html_goes_to_the_workers_in_a_file_removed_with_the_staging(tmp_path, monkeypatch):
    from conftest import run_cli
    from reporting.build.workers import Worker

    project = copy_project(tmp_path)
    config = project / "reporting.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("list_part_rows = 1000", "list_part_rows = 10"))
    handed = []
    document = Worker._document

    def recording(self, task):
        if task.html_file is not None:
            handed.append((task.shown.as_posix(), task.html, task.html_file.read_text(encoding="utf-8")))
        return document(self, task)

    monkeypatch.setattr(Worker, "_document", recording)
    output = tmp_path / "out"
    code, _, err = run_cli(
        "--project", str(project), "build", "--event", "directive-35-review", "--locale", "vi",
        "--output", str(output), "--jobs", "1", "-q",
    )  # fmt: skip
    assert code == 0, err
    # the documents of the whole event, whose time limits follow its awardees
    assert sorted(name for name, _, _ in handed) == [
        f"directive-35-review/vi/{document}.{suffix}"
        for document in ("awardees", "report")
        for suffix in ("docx", "pdf")
    ]
    assert all(html == "" and text.startswith("<!DOCTYPE html>") for _, html, text in handed)  # no HTML in the task
    assert not (output / ".reporting-staging").exists()
    assert (output / "directive-35-review" / "vi" / "awardees.pdf").is_file()
