"""Atomic publication: an output is either the previous good file or the complete new one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def publish(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, flush it to disk, then rename over it.

    ``os.replace`` is atomic within a file system, so a reader (or a build
    killed mid-way) sees the old file or the new one, never half of either.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
