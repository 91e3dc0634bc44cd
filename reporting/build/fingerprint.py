"""The fingerprint of everything a build is made from, taken in milliseconds without loading anything.

It hashes, byte for byte, ``reporting.toml`` and every file under ``data/`` and
``templates/`` (names too), the program's own files (every file of the
package: code, catalogs, preview templates), the Python version and the
installed distributions with their versions, and the options that change what a
build writes or reports. Two builds with the same fingerprint read the same
inputs; a change to any of them changes it. It is taken before anything is
read, so a file edited while the build runs makes the next fingerprint differ.

A link or a special file under ``data/`` or ``templates/`` gives no
fingerprint (what it points to could change without changing anything hashed
here): such a project is always built in full, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

# Changes whenever what is hashed changes: earlier records then never match.
FORMAT = "build fingerprint 1"
PACKAGE = Path(__file__).resolve().parent.parent  # reporting/
CONFIG_NAME = "reporting.toml"  # (config.CONFIG_NAME; config imports pydantic, which this must not)


class NoFingerprint(Exception):
    """A link or a special file among the inputs: this build cannot be vouched for by hashes."""


def fingerprint(root: Path, options: dict[str, object]) -> str | None:
    """The hex digest of the inputs of a build of the project at ``root`` with ``options`` (JSON
    values), or None when one cannot be taken (a link or special file among them, an unreadable file)."""
    digest = hashlib.sha256(FORMAT.encode())
    try:
        _add(digest, "options", json.dumps(options, sort_keys=True, default=str).encode())
        _add(digest, "project", str(root).encode())
        _add(digest, "python", f"{sys.version} {sys.executable}".encode())
        _add(digest, "distributions", "\n".join(_distributions()).encode())
        _tree(digest, "program", PACKAGE, skip={"__pycache__"})
        _file_or_absent(digest, "config", root / CONFIG_NAME)
        _tree(digest, "data", root / "data")
        _tree(digest, "templates", root / "templates")
    except (NoFingerprint, OSError):
        return None
    return digest.hexdigest()


def _add(digest, label: str, data: bytes) -> None:
    """A labelled, length-prefixed part: no two different sequences of parts hash the same."""
    digest.update(f"{label} {len(data)}\n".encode())
    digest.update(data)


def _file_or_absent(digest, label: str, path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        _add(digest, label, b"(absent)")
        return
    if not stat.S_ISREG(info.st_mode):
        raise NoFingerprint(path)
    _add(digest, label, hashlib.sha256(path.read_bytes()).digest())


def _tree(digest, label: str, folder: Path, skip: frozenset[str] | set[str] = frozenset()) -> None:
    """Every name and file under ``folder`` (hidden ones too), in a fixed order; an absent folder counts."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        _add(digest, label, b"(absent)")
        return
    for entry in entries:
        if entry.name in skip:
            continue
        name = f"{label}/{entry.name}"
        if entry.is_symlink():
            raise NoFingerprint(entry.path)
        if entry.is_dir(follow_symlinks=False):
            _add(digest, "folder", name.encode())
            _tree(digest, name, Path(entry.path), skip)
        elif entry.is_file(follow_symlinks=False):
            _add(digest, name, hashlib.sha256(Path(entry.path).read_bytes()).digest())
        else:
            raise NoFingerprint(entry.path)


def _distributions() -> list[str]:
    """The installed distributions and their versions (``name-1.2.dist-info``) on the import path:
    a library upgraded or removed changes the fingerprint, without importing any of them."""
    found = []
    for place in sys.path:
        try:
            names = os.listdir(place or ".")
        except OSError:
            continue
        found += [f"{place}/{name}" for name in names if name.endswith((".dist-info", ".egg-info"))]
    return sorted(found)
