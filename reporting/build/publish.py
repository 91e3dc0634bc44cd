"""Publication: every output is staged in one folder the build owns, then published all at once.

Files are written under ``output/.reporting-staging/`` (the same relative paths
as their targets, so renames stay within one file system). When every document
succeeded, a journal naming each rename and each removal is written into that
folder in one atomic step; only then are the files renamed into place, the
manifest last. A build killed before the journal leaves the previous outputs
untouched (the next build deletes the staging folder); one killed after it is
rolled forward by the next build or by ``verify`` (``recover``), so a reader
never keeps new files beside an old manifest. Nothing outside the staging folder
is deleted except outputs the manifest recorded, and only while their bytes are
still the ones it recorded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reporting.build.output_paths import LinkCheck, ensure_no_links, unsafe_name
from reporting.errors import UnsafeOutput
from reporting.tool_language import _, isolate, n_, number

STAGING_NAME = ".reporting-staging"
JOURNAL_NAME = "publish.json"  # inside the staging folder: written when everything is staged
OWNER_NAME = "owner"  # inside the staging folder: proves this program made it
OWNER_TEXT = "staging folder of a reporting build; removed by the next build\n"
# Test hook: pause after this many renames (printing a line to stderr) so a test can kill -9 the build there.
PAUSE_VARIABLE = "REPORTING_TEST_PUBLISH_PAUSE_AFTER"


@dataclass(frozen=True)
class StagingArea:
    """Where a file for ``target`` is staged; picklable, so worker processes write there too."""

    output: Path
    folder: Path

    def path_for(self, target: Path) -> Path:
        return self.folder / target.relative_to(self.output)

    def write(self, target: Path, data: bytes) -> Path:
        """Write ``data`` to the staging path of ``target``; returns that path. Not flushed to disk one by
        one (an fsync a certificate cost more than typesetting it): ``Staging.commit`` flushes them all
        at once before the journal names them."""
        path = self.path_for(target)
        try:
            descriptor = _create(path)
        except FileNotFoundError:  # the first file of its folder: made once, not looked up for every file
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = _create(path)
        except FileExistsError:  # staged again: written over, its mode set as a new file's
            with open(path, "wb") as stream:
                stream.write(data)
            os.chmod(path, 0o644)
            return path
        with open(descriptor, "wb") as stream:
            stream.write(data)
        return path

    def write_streamed(self, target: Path, write: Callable[[HashingWriter], None]) -> tuple[Path, str, int]:
        """Stage a file ``write`` writes piece by piece (a print file of 100,000 pages is never whole in
        memory); returns its staging path, sha256 and size. A failed ``write`` leaves no file."""
        path = self.path_for(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "wb") as stream:
                counted = HashingWriter(stream)
                write(counted)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        os.chmod(path, 0o644)
        return path, counted.sha256.hexdigest(), counted.size


def _create(path: Path) -> int:
    """A new file, readable by all like any document whatever the umask: made with that mode, and set
    only when the umask masked it (a chmod after every file cost a path lookup and an inode change a
    certificate; an fstat costs neither)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        if os.fstat(descriptor).st_mode & 0o777 != 0o644:
            os.fchmod(descriptor, 0o644)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


class HashingWriter:
    """A binary stream that passes what is written on and keeps its sha256 and size."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.sha256, self.size = stream, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.stream.write(data)


class Staging:
    """Files staged for one build; ``commit`` publishes them all, ``discard`` removes them."""

    def __init__(self, output: Path):
        self.area = StagingArea(output, output / STAGING_NAME)
        self._staged: list[str] = []  # targets' names relative to the output folder, in staging order
        self._removed: dict[Path, str] = {}  # outputs of an earlier build, with the sha256 recorded for them
        self._created: list[Path] = []  # the output folder and its parents, if this build made them
        self._prepared: set[Path] = set()  # staging folders made (a certificate's holds thousands of files)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def prepare(self, target: Path) -> None:
        """Make the staging folder for ``target`` (and the output folder, remembered for discard)."""
        folder = self.area.path_for(target).parent
        if folder in self._prepared:
            return
        output = self.area.output
        if not output.exists():
            missing = [p for p in (output, *output.parents) if not p.exists()]
            output.mkdir(parents=True, exist_ok=True)
            self._created.extend(missing)  # deepest first
        if not self.area.folder.exists():
            self.area.folder.mkdir()
            (self.area.folder / OWNER_NAME).write_text(OWNER_TEXT, encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        self._prepared.add(folder)

    def stage(self, target: Path, data: bytes) -> None:
        self.prepare(target)
        self.area.write(target, data)
        self._staged.append(target.relative_to(self.area.output).as_posix())

    def stage_streamed(self, target: Path, write: Callable[[HashingWriter], None]) -> Path:
        """Stage the file ``write`` writes piece by piece (the manifest of 400,000 outputs); its staging path."""
        self.prepare(target)
        path, _digest, _size = self.area.write_streamed(target, write)
        self._staged.append(target.relative_to(self.area.output).as_posix())
        return path

    def adopt(self, name: str) -> None:
        """A file a worker process staged (with ``StagingArea.write``) for the target of this name
        (relative to the output folder)."""
        self._staged.append(name)

    def remove(self, target: Path, sha256: str) -> None:
        """Delete ``target`` on commit (never if the build fails), if its bytes still hash to ``sha256``."""
        self._removed[target] = sha256

    def commit(self) -> None:
        if not self._staged and not self._removed:
            remove_staging(self.area.output)  # prepared for files that came out identical
            self._prepared.clear()
            return
        self.prepare(self.area.output / JOURNAL_NAME)
        output = self.area.output
        # The manifest last: until it is renamed, the folder's manifest still describes what it holds.
        names = sorted(self._staged, key=lambda n: n == "manifest.json")
        removals = {t.relative_to(output).as_posix(): digest for t, digest in self._removed.items()}
        # The staged files reach the disk before the journal that names them: after a crash the next
        # build rolls forward only files that are whole.
        flush_to_disk(self.area.folder, (self.area.folder / name for name in self._staged))
        # Written whole, then renamed: a build killed while writing it has no journal, so published nothing.
        partial = self.area.folder / f"{JOURNAL_NAME}.part"
        write_synced_pieces(partial, _journal_pieces(names, removals))
        os.replace(partial, self.area.folder / JOURNAL_NAME)
        self._staged.clear()
        self._removed.clear()
        self._prepared.clear()
        _carry_out(output, names, removals)

    def discard(self) -> None:
        self._staged.clear()
        self._removed.clear()
        self._prepared.clear()
        remove_staging(self.area.output)
        for folder in self._created:  # deepest first
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: something else lives there
        self._created.clear()


def recover(output: Path) -> str | None:
    """Finish or undo what a killed build left (call with the folder's lock held); says what it did."""
    folder = output / STAGING_NAME
    if not folder.is_dir() or folder.is_symlink():
        if folder.is_symlink() or folder.exists():
            raise UnsafeOutput(_not_ours(folder))
        return None
    if (folder / JOURNAL_NAME).is_file():
        count = roll_forward(output)
        return n_(
            "completed the publication of an interrupted build ({count} file renamed into place)",
            "completed the publication of an interrupted build ({count} files renamed into place)",
            count,
        ).format(count=number(count))
    remove_staging(output)
    return _("removed the staged files of an interrupted build (it had published nothing)")


def _not_ours(folder: Path) -> str:
    return _("{folder} is not a folder this program made; move it away and build again").format(folder=isolate(folder))


def _journal_pieces(names: list[str], removals: dict[str, str]):
    """The journal's JSON in pieces (the names of 400,000 files never make one string)."""
    yield b'{\n "rename": ['
    for start in range(0, len(names), 1000):
        yield (
            ("," if start else "") + ",".join("\n  " + json.dumps(name) for name in names[start : start + 1000])
        ).encode()
    yield b'\n ],\n "remove": ' + json.dumps(removals, indent=1).encode() + b"\n}"


def roll_forward(output: Path) -> int:
    """Carry out the journal: every staged file renamed into place (the manifest last), then the removals.

    Each step can be repeated: a file already renamed is no longer in the staging folder.
    """
    journal = _read_journal(output / STAGING_NAME / JOURNAL_NAME)
    return _carry_out(output, journal["rename"], journal["remove"])


def _carry_out(output: Path, names: list[str], removals: dict[str, str]) -> int:
    """What the journal says (the build that wrote it passes what it wrote, and reads nothing back)."""
    folder = output / STAGING_NAME
    pause = int(os.environ.get(PAUSE_VARIABLE, "-1"))
    renamed = 0
    links = LinkCheck(output)  # each folder looked at once, right before the first file is renamed into it
    made: set[str] = set()  # the folders made (or found) for the files
    for name in names:
        _pause_here(pause, renamed)
        staged, target = os.path.join(folder, name), os.path.join(output, name)
        if os.path.isfile(staged):
            links.check(target)
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.replace(staged, target)  # atomic: a reader sees the old file or the new one, never half
            renamed += 1
    _pause_here(pause, renamed)
    for name, digest in removals.items():
        remove_if_unchanged(output, output / name, digest)
    remove_staging(output)
    return renamed


def _read_journal(path: Path) -> dict:
    """The journal, checked like a manifest: only plain relative names (it sits in the output folder,
    where anyone may have edited it)."""
    damaged = UnsafeOutput(
        _(
            "{file} is damaged (it is written whole, so someone edited it); the outputs may be half published: "
            "move {folder} away and build again with --force"
        ).format(file=isolate(path), folder=isolate(path.parent))
    )
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        names, removals = journal["rename"], journal["remove"]
    except (OSError, ValueError, TypeError, KeyError):
        raise damaged from None
    if (
        not (isinstance(names, list) and isinstance(removals, dict))
        or any(unsafe_name(name) for name in [*names, *removals])
        or not all(isinstance(digest, str) for digest in removals.values())
    ):
        raise damaged
    return journal


def remove_if_unchanged(output: Path, target: Path, sha256: str) -> bool:
    """Delete an earlier output only while its bytes are those recorded (someone may have edited it)."""
    try:
        ensure_no_links(output, target)
        if not target.is_file() or file_sha256(target) != sha256:
            return False
    except (OSError, UnsafeOutput):
        return False
    target.unlink()
    return True


def remove_staging(output: Path) -> None:
    """Delete the staging folder, only if it carries this program's mark."""
    folder = output / STAGING_NAME
    if folder.is_symlink() or not folder.is_dir():
        return
    owner = folder / OWNER_NAME
    if not owner.is_file() or owner.read_text(encoding="utf-8", errors="replace") != OWNER_TEXT:
        raise UnsafeOutput(_not_ours(folder))
    shutil.rmtree(folder)


def file_sha256(path: Path) -> str:
    """The file's sha256, read in blocks (a print file can be hundreds of megabytes)."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def write_synced(path: Path, data: bytes) -> None:
    """Write and flush to disk, readable by all like any document (whatever the umask)."""
    write_synced_pieces(path, [data])


def write_synced_pieces(path: Path, pieces: Iterable[bytes]) -> None:
    """``write_synced`` of the pieces' bytes, one after the other."""
    with open(path, "wb") as stream:
        for piece in pieces:
            stream.write(piece)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def flush_to_disk(folder: Path, paths: Iterable[Path]) -> None:
    """Every file of ``paths`` (all under ``folder``) on disk: one syncfs of ``folder``'s file system where
    the C library has it (Linux), which commits the file system's journal once, else an fsync a file."""
    syncfs = _syncfs()
    if syncfs is not None:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if syncfs(descriptor) == 0:
                return
        finally:
            os.close(descriptor)
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@functools.cache
def _syncfs():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def _pause_here(pause: int, renamed: int) -> None:
    if pause == renamed:
        print(f"publish: paused after {renamed} rename(s)", file=sys.stderr, flush=True)
        time.sleep(600)
