"""Rebuild on change: watch data, templates, stylesheets, catalogs and settings; build after each edit.

Shared by ``build_reports.py watch`` (no server) and ``build_reports.py serve`` (the preview).
A build never raises out of here: each one ends in an ``Outcome``, so a broken data file
leaves the previous good outputs in place (run_build publishes all or nothing) and the
watcher keeps running until the data is fixed.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from reporting.build.pipeline import BuildResult, Selection, run_build
from reporting.config import CONFIG_NAME, load_project
from reporting.errors import BuildCancelled, OutputWriteError, ReportingError, describe_os_error
from reporting.tool_language import _

# Edits arriving within this many milliseconds of each other are one rebuild (an editor's
# save is often several writes: truncate, write, rename, chmod).
SETTLE_MS = 100
# How often, when nothing changes, the watch returns to Python (to notice Ctrl-C and stop);
# also how long starting the watch takes.
START_MS = 200


@dataclass(frozen=True)
class Outcome:
    """How one build ended: a result, or the error that stopped it (outputs then untouched)."""

    generation: int  # counts builds since start; the preview reloads when it moves
    result: BuildResult | None = None
    error: ReportingError | None = None
    crash: str | None = None  # traceback of an unexpected exception: a bug, shown as such
    changed: tuple[Path, ...] = ()
    seconds: float = 0.0
    project_root: Path | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None


@dataclass
class Rebuilder:
    """Builds the project into one output folder; numbers the builds so a preview can tell a new one."""

    root: Path
    output: Path
    selection: Selection = Selection()
    generation: int = 0
    # Set to stop a build in progress (the server shutting down): its staged files are removed.
    cancelled: threading.Event = field(default_factory=threading.Event, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def build(self, changed: Iterable[Path] = ()) -> Outcome:
        # One build at a time in this process; run_build's file lock guards other processes.
        with self._lock:
            started = time.perf_counter()
            result = error = crash = None
            try:
                # Settings are read anew each time: reporting.toml is one of the watched files.
                project = load_project(self.root)
                # keep_html: the preview shows each document's HTML next to its pages.
                result = run_build(
                    project, self.output, replace(self.selection, keep_html=True), self._stop_if_cancelled
                )
            except ReportingError as exc:
                error = exc
            except OSError as exc:  # the machine refused a write (disk full, read-only): a message, not a bug
                error = OutputWriteError(describe_os_error(exc))
            except Exception:  # a bug in the pipeline must not end the watcher either
                crash = traceback.format_exc()
            self.generation += 1
            return Outcome(
                self.generation, result, error, crash, tuple(sorted(changed)), time.perf_counter() - started, self.root
            )

    def _stop_if_cancelled(self, done: int, total: int, path: Path) -> None:
        # run_build reports each file it writes; raising here makes it discard what it staged.
        if self.cancelled.is_set():
            raise BuildCancelled(_("stopped (Ctrl-C) before the end"))


def watched_paths(root: Path) -> list[Path]:
    """What a rebuild depends on: data/, templates/ (templates, CSS, fonts, images, catalogs), reporting.toml."""
    candidates = [root / "data", root / "templates", root / CONFIG_NAME]
    return [path for path in candidates if path.exists()]


def watch_changes(root: Path, output: Path, stop: threading.Event) -> Iterator[set[Path]]:
    """Yields an empty set once the watch is in place, then the changed files after each burst of edits,
    until ``stop`` is set or Ctrl-C.

    watchfiles (Rust notify: inotify on Linux) collects changes from the moment it starts,
    also while a build runs, so an edit saved during a build is seen by the next round.
    """
    import watchfiles

    class InputsOnly(watchfiles.DefaultFilter):
        """Editor back-ups and caches are ignored (DefaultFilter), and so is the output
        folder should it lie under a watched one: a build must not trigger the next."""

        def __call__(self, change, path: str) -> bool:
            # Spreadsheet programs keep a lock file beside an open sheet (LibreOffice ".~lock.x.xlsx#",
            # Excel "~$x.xlsx"); opening a sheet is no edit, saving it is.
            if Path(path).name.startswith((".~lock.", "~$")):
                return False
            return super().__call__(change, path) and not Path(path).is_relative_to(output)

    config = root / CONFIG_NAME
    pending: set[Path] = set()
    while True:
        # yield_on_timeout: the first (empty) answer says the watch is in place, so the
        # first build can start without missing an edit made while it runs.
        changes_seen = watchfiles.watch(
            *watched_paths(root),
            watch_filter=InputsOnly(),
            stop_event=stop,
            step=SETTLE_MS,
            rust_timeout=START_MS,
            yield_on_timeout=True,
        )
        next(changes_seen, None)  # edits from now on are caught; earlier ones the next build sees anyway
        yield pending
        for changes in changes_seen:
            if not changes:
                continue
            pending = {Path(path) for _, path in changes}
            # An editor that saves by renaming a new file over reporting.toml ends inotify's
            # watch on the old file: watch again (the new file included) before building.
            if (watchfiles.Change.deleted, str(config)) in changes:
                changes_seen.close()
                break
            yield pending
        else:
            return  # stopped


def keep_building(
    rebuilder: Rebuilder,
    stop: threading.Event,
    report: Callable[[Outcome], None],
    build: Callable[[Iterable[Path]], Outcome] | None = None,
) -> None:
    """Build now, then once per burst of changes until ``stop`` or Ctrl-C; each outcome goes to ``report``.

    ``build`` defaults to ``rebuilder.build``; the preview passes its own, which also
    tells the browsers.
    """
    build = build or rebuilder.build
    changes = watch_changes(rebuilder.root, rebuilder.output, stop)
    next(changes)
    report(build(()))
    for changed in changes:
        if changed:  # (empty: the watch was set up again; nothing to build)
            report(build(changed))
