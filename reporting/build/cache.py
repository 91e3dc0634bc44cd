"""The user's cache folder: results that are costly to make and safe to keep (font subsets, typeset chunks).

Entries are named by the hash of what they are made from, so an entry is never
stale; a cache that cannot be read or written only costs time.
"""
from __future__ import annotations

import os
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
