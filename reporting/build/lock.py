"""One build at a time per output folder, and none in a folder inside or around it."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from contextlib import ExitStack, contextmanager
from pathlib import Path

from reporting.errors import OutputBusy, UnsafeOutput
from reporting.tool_language import _, isolate

# The lock files this process holds: forked workers close their copies (lock_held_by_parent_only),
# or a worker outliving a killed build would keep the folder locked.
HELD: set[int] = set()


@contextmanager
def output_lock(output: Path):
    """Hold an exclusive lock on ``output`` for the build; refuse at once if another build holds it,
    or holds a folder inside it or around it (nested outputs would overwrite each other's files).

    The lock is an advisory ``flock`` on ``.<folder>.lock`` beside the folder (so
    the folder holds outputs only), on its resolved real path: the kernel drops it
    when its holder exits, even after ``kill -9``, so it can never go stale.
    A build also holds a shared lock on the lock file of every enclosing folder that
    has one, so a build of an enclosing folder cannot start while it runs; and it
    looks inside its own folder for lock files that a running build holds.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with _open_lock_file(_lock_path(output)) as handle, ExitStack() as enclosing:
        try:
            _take(handle, fcntl.LOCK_EX, output, output)
        except OutputBusy:
            _check_nested_builds(output)  # a build inside holds a shared lock on ours: name that one
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        shared = [_hold_shared(enclosing, folder, output) for folder in output.parents]
        _check_nested_builds(output)
        descriptors = {handle.fileno(), *(h.fileno() for h in shared if h is not None)}
        HELD.update(descriptors)
        try:
            yield
        finally:
            HELD.difference_update(descriptors)


def _open_lock_file(path: Path):
    """The lock file, never through a symbolic link (the build writes its process id into it)."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeOutput(
                _(
                    "{file} is a symbolic link (to {target}); the build does not write through links: remove it "
                    "and build again"
                ).format(file=isolate(path), target=isolate(os.readlink(path)))
            ) from None
        raise
    return os.fdopen(descriptor, "r+")


def _lock_path(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.lock"


def _take(handle, mode: int, busy: Path, output: Path) -> None:
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        raise OutputBusy(_busy_message(holder, busy, output)) from None


def _busy_message(holder: str, busy: Path, output: Path) -> str:
    if busy == output:
        return _(
            "another build (process {process}) is writing to {folder}; wait for it to finish or choose another --output"
        ).format(process=isolate(holder), folder=isolate(output))
    if output.is_relative_to(busy):
        text = _(
            "another build (process {process}) is writing to {busy}, which contains {folder}; wait for it to "
            "finish or choose another --output"
        )
    else:
        text = _(
            "another build (process {process}) is writing to {busy}, which is inside {folder}; wait for it to "
            "finish or choose another --output"
        )
    return text.format(process=isolate(holder), busy=isolate(busy), folder=isolate(output))


def _hold_shared(stack: ExitStack, folder: Path, output: Path):
    """A shared lock on an enclosing folder's lock file, if a build ever made one (never created here)."""
    path = _lock_path(folder) if folder.parent != folder else None
    if path is None or not path.is_file():
        return None
    try:
        handle = stack.enter_context(open(path))  # noqa: SIM115 (the ExitStack closes it)
    except OSError:
        return None  # not ours to read: no build of ours holds it either
    _take(handle, fcntl.LOCK_SH, folder, output)
    return handle


def _check_nested_builds(output: Path) -> None:
    """Refuse if a build holds the lock of a folder inside ``output``."""
    if not output.is_dir():
        return
    for path in output.rglob(".*.lock"):
        folder = path.with_name(path.name[1 : -len(".lock")])
        try:
            handle = open(path)  # noqa: SIM115 (closed by the with below: only open's errors are skipped)
        except OSError:
            continue
        with handle:
            _take(handle, fcntl.LOCK_SH, folder, output)


def release_inherited_locks() -> None:
    """In a forked worker: close the copies of the parent's lock files (the parent keeps the lock)."""
    for descriptor in list(HELD):
        with contextlib.suppress(OSError):
            os.close(descriptor)
    HELD.clear()
