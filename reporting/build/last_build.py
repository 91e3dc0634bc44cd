"""A build whose inputs and outputs are as the last build left them stops before loading anything.

A build that succeeded without warnings records, in the cache folder under its
inputs' fingerprint (fingerprint.py), the state of every file it answers for and
of the manifest: size, modification and change times, inode. The change time
(``st_ctime``) is set by the system on every write, rename or ``touch`` and no
program can set it back, so a file with the recorded state still holds the bytes
that were checked against the manifest when the record was made.

The next build with the same fingerprint, whose manifest and files all still
have the recorded state, in the same folders, with no build's staging folder
left behind, would write nothing: it reports them unchanged without loading the
data, rendering or hashing the outputs. Anything else (an input or option
changed, an output edited, touched, replaced or deleted, the manifest edited or
forged, a record damaged or missing) and the build runs as usual, deciding from
the manifest's hashes what is current. A record is trusted no more than the
other entries of the user's cache folder: it only ever says "build as usual" or
"nothing to do", never what to write.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reporting.build import cache
from reporting.build.lock import output_lock
from reporting.build.publish import STAGING_NAME

FORMAT = 1
RECORDS = "last-builds"  # the cache folder's subfolder
MANIFEST_NAME = "manifest.json"  # (manifest.MANIFEST_NAME; manifest imports the settings, which this must not)
# The most recent records kept per output folder (a build with other options or inputs into the same
# folder, then back), and in all: a record holds a line per output, megabytes for a very large build.
KEEP_PER_FOLDER = 2
KEEP_RECORDS = 32
# Recording hashes every output again: for a reference event's hundred files a few milliseconds, for an event
# of 100,000 awardees (400,000 files, gigabytes) minutes and a record of tens of megabytes. Such a build is
# not rebuilt to fix one figure; it is left to the usual freshness checks.
RECORD_AT_MOST = 5000


@dataclass
class Skipped:
    """What a build that stopped early reports, shaped as pipeline.BuildResult: every file unchanged."""

    unchanged: list[Path]
    seconds: float
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def record(fingerprint: str, output: Path, names: Sequence[str], ui_language: str) -> None:
    """After a build that succeeded without warnings: the state of its files (``names``, relative to
    ``output`` with "/") and of the manifest, each checked against the manifest's sha256 first. Nothing
    is recorded when a file no longer holds the bytes the manifest lists (edited since it was
    published), nor for a build of more than ``RECORD_AT_MOST`` files."""
    if len(names) > RECORD_AT_MOST:
        return
    try:
        manifest_path = output / MANIFEST_NAME
        before = _state(manifest_path)
        if before is None:
            return
        manifest_bytes = manifest_path.read_bytes()
        listed = json.loads(manifest_bytes)["outputs"]
        states = {}
        for name in sorted(names):
            states[name] = _checked_state(os.path.join(output, name), listed[name]["sha256"])
            if states[name] is None:
                return
        if _state(manifest_path) != before:
            return
        entry = {
            "format": FORMAT,
            "fingerprint": fingerprint,
            "output": str(output),
            "ui_language": ui_language,
            "manifest": [*before, hashlib.sha256(manifest_bytes).hexdigest()],
            "folders": {name: _folder_state(output / name) for name in _folders(output, states)},
            "files": states,
        }
    except (OSError, ValueError, KeyError, TypeError):
        return
    folder = cache.folder(RECORDS)
    cache.keep(_record_path(fingerprint, output), json.dumps(entry).encode())
    _prune(folder, _folder_key(output))


def skip(fingerprint: str, output: Path) -> tuple[Skipped, str] | None:
    """If the last build with this fingerprint left ``output`` as it is: what to report (every file
    unchanged) and the project's ``[ui] language`` then; else None (build as usual). Holds the
    output folder's lock while it looks, as a build does (another build running: OutputBusy)."""
    started = time.perf_counter()
    try:
        entry = json.loads(_record_path(fingerprint, output).read_bytes())
        if entry["format"] != FORMAT or entry["fingerprint"] != fingerprint or entry["output"] != str(output):
            return None
        if not (output / MANIFEST_NAME).is_file():  # (not even a folder: the lock would create it)
            return None
        with output_lock(output):
            if not _unchanged(output, entry):
                return None
        unchanged = [output / name for name in entry["files"]]
        return Skipped(unchanged, time.perf_counter() - started), str(entry["ui_language"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # no record, or a damaged one
        return None


def _unchanged(output: Path, entry: dict) -> bool:
    if os.path.lexists(output / STAGING_NAME):  # a build running, killed or failed: its own rules apply
        return False
    *manifest_state, manifest_sha256 = entry["manifest"]
    manifest = output / MANIFEST_NAME
    if _state(manifest) != manifest_state or hashlib.sha256(manifest.read_bytes()).hexdigest() != manifest_sha256:
        return False
    if any(_folder_state(output / name) != state for name, state in entry["folders"].items()):
        return False
    return all(_state(output / name) == state for name, state in entry["files"].items())


def _state(path: Path | str) -> list[int] | None:
    """A plain file's size, modification and change times (ns) and inode; None for anything else."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _folder_state(path: Path) -> list[int] | None:
    """A real folder's (not a link's) inode and device: a folder swapped for a link or another folder differs."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return [info.st_ino, info.st_dev] if stat.S_ISDIR(info.st_mode) else None


def _folders(output: Path, names) -> list[str]:
    """The output folder and every folder between it and the files (``"."`` is the output folder)."""
    found = {"."}
    for name in names:
        parts = name.split("/")[:-1]
        found.update("/".join(parts[: depth + 1]) for depth in range(len(parts)))
    return sorted(found)


def _checked_state(path: str, sha256: str) -> list[int] | None:
    """The file's state, if it holds the bytes of ``sha256`` and did not change while being read."""
    before = _state(path)
    if before is None:
        return None
    with open(path, "rb") as stream:
        found = hashlib.file_digest(stream, "sha256").hexdigest()
    if found != sha256 or _state(path) != before:
        return None
    return before


def _record_path(fingerprint: str, output: Path) -> Path:
    """Named by the output folder and the fingerprint (the fingerprint hashes the output folder too)."""
    return cache.folder(RECORDS) / f"{_folder_key(output)}-{fingerprint}.json"


def _folder_key(output: Path) -> str:
    return hashlib.sha256(str(output).encode()).hexdigest()[:16]


def _prune(folder: Path, output_key: str) -> None:
    """Keep the most recent records only: ``KEEP_PER_FOLDER`` of this output folder, ``KEEP_RECORDS`` in all."""
    try:
        for pattern, keep in ((f"{output_key}-*.json", KEEP_PER_FOLDER), ("*.json", KEEP_RECORDS)):
            records = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime_ns, reverse=True)
            for old in records[keep:]:
                old.unlink(missing_ok=True)
    except OSError:
        pass
