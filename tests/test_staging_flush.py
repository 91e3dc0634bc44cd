"""Staged files reach the disk all at once, before the publication journal names them."""

from __future__ import annotations

import os

from reporting.build import publish
from reporting.build.publish import JOURNAL_NAME, STAGING_NAME, Staging


def _stage_two(output):
    staging = Staging(output)
    first, second = output / "a" / "one.pdf", output / "two.docx"
    for target in (first, second):
        staging.prepare(target)
        staging.area.write(target, b"bytes of " + target.name.encode())
    staging.adopt("a/one.pdf")
    staging.stage(second, b"bytes of two.docx")
    return staging, first, second


def test_the_staged_files_are_flushed_once_before_the_journal_is_written(tmp_path, monkeypatch):
    output = tmp_path / "out"
    calls = []

    def flush(folder, paths):
        calls.append((folder, sorted(paths), (folder / JOURNAL_NAME).exists()))

    monkeypatch.setattr(publish, "flush_to_disk", flush)
    staging, first, second = _stage_two(output)
    staging.commit()
    folder = output / STAGING_NAME
    assert calls == [(folder, sorted([folder / "a" / "one.pdf", folder / "two.docx"]), False)]
    assert first.read_bytes() == b"bytes of one.pdf" and second.read_bytes() == b"bytes of two.docx"
    assert oct(first.stat().st_mode & 0o777) == oct(0o644)


def test_staging_a_file_does_not_flush_it_by_itself(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", lambda descriptor: synced.append(descriptor))
    staging = Staging(tmp_path / "out")
    target = tmp_path / "out" / "one.pdf"
    staging.prepare(target)
    staging.area.write(target, b"pdf")
    assert synced == []


def test_without_syncfs_every_staged_file_is_fsynced(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(publish, "_syncfs", lambda: None)
    monkeypatch.setattr(os, "fsync", lambda descriptor: synced.append(os.readlink(f"/proc/self/fd/{descriptor}")))
    files = [tmp_path / "one.pdf", tmp_path / "two.pdf"]
    for path in files:
        path.write_bytes(b"x")
    publish.flush_to_disk(tmp_path, files)
    assert synced == [str(path) for path in files]


def test_on_linux_one_syncfs_flushes_the_folder_file_system(tmp_path, monkeypatch):
    assert publish._syncfs() is not None  # this machine's C library has it (the tests run on Linux)
    folders = []

    def syncfs(descriptor):
        folders.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        return 0

    monkeypatch.setattr(publish, "_syncfs", lambda: syncfs)
    monkeypatch.setattr(os, "fsync", lambda descriptor: folders.append("fsync"))
    publish.flush_to_disk(tmp_path, [tmp_path / "never-opened.pdf"])
    assert folders == [str(tmp_path)]


def test_a_staged_file_is_readable_by_all_whatever_the_umask(tmp_path):
    area = Staging(tmp_path / "out").area
    previous = os.umask(0o077)
    try:
        strict = area.write(tmp_path / "out" / "strict" / "one.pdf", b"one")
        os.umask(0o022)
        usual = area.write(tmp_path / "out" / "usual" / "two.pdf", b"two")
        os.umask(0o077)
        again = area.write(tmp_path / "out" / "usual" / "two.pdf", b"two again")  # staged over: still 0644
    finally:
        os.umask(previous)
    assert [oct(path.stat().st_mode & 0o777) for path in (strict, usual)] == [oct(0o644)] * 2
    assert again == usual and usual.read_bytes() == b"two again" and oct(usual.stat().st_mode & 0o777) == oct(0o644)


def test_staging_many_files_in_one_folder_makes_the_folder_once_and_no_chmod_a_file(tmp_path, monkeypatch):
    from pathlib import Path

    made, changed = [], []
    real_mkdir = Path.mkdir
    monkeypatch.setattr(Path, "mkdir", lambda self, *a, **k: (made.append(self), real_mkdir(self, *a, **k))[1])
    monkeypatch.setattr(os, "chmod", lambda *a, **k: changed.append(a))
    area = Staging(tmp_path / "out").area
    previous = os.umask(0o022)
    try:
        written = [area.write(tmp_path / "out" / "ar" / "0.pdf", b"0")]
        assert tmp_path / "out" / STAGING_NAME / "ar" in made  # made for the first file
        made.clear()
        written += [area.write(tmp_path / "out" / "ar" / f"{n}.pdf", b"%d" % n) for n in range(1, 20)]
    finally:
        os.umask(previous)
    assert [path.read_bytes() for path in written] == [b"%d" % n for n in range(20)]
    assert made == [] and changed == []  # nothing for the other nineteen
