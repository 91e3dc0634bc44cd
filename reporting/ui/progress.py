"""Build progress on stderr: a bar with count and time left on a terminal, one line per file elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reporting.tool_language import isolate, n_, number

WIDTH = 28


class ProgressBar:
    """``[████████░░░░] 812/2000 files  41%  ~9 s left  de/vi/certificates/...``, redrawn in place.

    The estimate is the average pace so far times what is left; it is shown once
    a second's worth of files is done, when the pace means something.
    """

    def __init__(self, stream: TextIO, shown: Callable[[Path], str], clock: Callable[[], float] = time.monotonic):
        self.stream, self.shown, self.clock = stream, shown, clock
        self.started = clock()
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int, path: Path) -> None:
        now = self.clock()
        if done < total and now - self._last_draw < 0.1:
            return  # a redraw per file would cost more than the files on a slow terminal
        self._last_draw = now
        filled = round(WIDTH * done / total) if total else WIDTH
        bar = "█" * filled + "░" * (WIDTH - filled)
        count = n_("{done}/{total} file", "{done}/{total} files", total).format(done=number(done), total=number(total))
        line = f"[{bar}] {count} {100 * done // max(total, 1):3d}%{self._eta(done, total, now)}"
        self.stream.write(f"\r\x1b[2K{line}  {isolate(self.shown(path))}")
        self._drawn = True
        if done >= total:
            self.finish()
        self.stream.flush()

    def _eta(self, done: int, total: int, now: float) -> str:
        elapsed = now - self.started
        if done >= total or elapsed < 1 or not done:
            return ""
        left = elapsed / done * (total - done)
        if left < 120:
            seconds = round(left)
            return "  " + n_("~{count} s left", "~{count} s left", seconds).format(count=number(seconds))
        minutes = round(left / 60)
        return "  " + n_("~{count} min left", "~{count} min left", minutes).format(count=number(minutes))

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self._drawn = False


def file_lines(stream: TextIO, shown: Callable[[Path], str]) -> Callable[[int, int, Path], None]:
    """For logs (CI, a pipe): ``[ 12/116] event/ar/report.pdf``, one line per file written."""

    def progress(done: int, total: int, path: Path) -> None:
        print(f"[{done:>{len(str(total))}}/{total}] {isolate(shown(path))}", file=stream)

    return progress
