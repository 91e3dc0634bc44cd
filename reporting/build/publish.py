"""Publication: every output of a build is staged first and renamed into place only if all succeeded.

A build that fails on its last document (a refused URL, a time limit) or is
interrupted leaves every previous output exactly as it was, and no partial files.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class Staging:
    """Temporary files beside their targets; ``commit`` renames them all, ``discard`` removes them."""

    def __init__(self):
        self._staged: list[tuple[Path, Path]] = []
        self._created: list[Path] = []  # folders made for staged files, removed again on discard
        self._removed: list[Path] = []  # outputs of an earlier build this one no longer makes

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def stage(self, target: Path, data: bytes) -> None:
        self.make_folder(target)
        self._staged.append((write_temporary(target, data), target))

    def make_folder(self, target: Path) -> None:
        """Create ``target``'s folder (remembered, so a failed build removes it again)."""
        missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
        target.parent.mkdir(parents=True, exist_ok=True)
        self._created.extend(missing)  # deepest first

    def adopt(self, temporary: Path, target: Path) -> None:
        """A temporary another process wrote beside ``target`` (with ``write_temporary``)."""
        self._staged.append((temporary, target))

    def remove(self, target: Path) -> None:
        """Delete ``target`` on commit (never if the build fails)."""
        self._removed.append(target)

    def commit(self) -> None:
        # os.replace is atomic within a file system: a reader sees each file old or new, never half.
        for temporary, target in self._staged:
            os.replace(temporary, target)
        self._staged.clear()
        for target in self._removed:
            target.unlink(missing_ok=True)
        self._removed.clear()

    def discard(self) -> None:
        self._removed.clear()
        for temporary, _ in self._staged:
            temporary.unlink(missing_ok=True)
        self._staged.clear()
        for folder in sorted(set(self._created), key=lambda p: len(p.parts), reverse=True):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty: something else lives there
        self._created.clear()


def write_temporary(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
