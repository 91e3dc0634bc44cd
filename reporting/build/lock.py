"""One build at a time per output folder, and the leftovers of a killed build cleared."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from reporting.errors import OutputBusy, ReportingError


# The lock files this process holds: forked workers close their copies (lock_held_by_parent_only),
# or a worker outliving a killed build would keep the folder locked.
HELD: set[int] = set()


@contextmanager
def output_lock(output: Path):
    """Hold an exclusive lock on ``output`` for the build; refuse at once if another build holds it.

    The lock is an advisory ``flock`` on ``.<folder>.lock`` beside the folder (so
    the folder holds outputs only): the kernel drops it when its holder exits,
    even after ``kill -9``, so it can never go stale.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output.parent / f".{output.name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise OutputBusy(f"another build (process {holder}) is writing to {output}; "
                             "wait for it to finish or choose another --output") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        if output.is_dir():
            remove_stale_temporaries(output)
        HELD.add(handle.fileno())
        try:
            yield
        finally:
            HELD.discard(handle.fileno())


def release_inherited_locks() -> None:
    """In a forked worker: close the copies of the parent's lock files (the parent keeps the lock)."""
    for descriptor in list(HELD):
        try:
            os.close(descriptor)
        except OSError:
            pass
    HELD.clear()


def remove_stale_temporaries(output: Path) -> list[Path]:
    """Staged files a killed build left (``.<name>.<random>.tmp``); safe to delete while we hold the lock."""
    stale = [p for p in output.rglob(".*.tmp") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
