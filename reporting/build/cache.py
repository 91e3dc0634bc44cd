"""The user's cache folder: results that are costly to make and safe to keep (font subsets, typeset chunks).

Entries are named by the hash of what they are made from, so an entry is never
stale; a cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path


def folder(name: str) -> Path:
    """``$XDG_CACHE_HOME/reporting/<name>`` (default ``~/.cache``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reporting" / name


def keep(path: Path, data: bytes) -> None:
    """Write ``path`` atomically (readers see the whole file or none), or nothing if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass


def usable_folder(name: str) -> Path:
    """``folder(name)`` if this process can write there, else a private temporary folder removed at exit.

    For entries the build must read back within the same run (the print file's typeset chunks):
    with a read-only cache they are kept for this run only, so the next build typesets them again."""
    path = folder(name)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".probe-", suffix=".tmp"):
            pass
        return path
    except OSError:
        return _private_folder(name)


@cache
def _private_folder(name: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"reporting-{name}-"))
    atexit.register(shutil.rmtree, path, True)
    return path
