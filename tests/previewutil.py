"""Helpers for the serve and watch tests: a CLI subprocess whose output lines can be waited for."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT

EVENT_FILE = "data/inspectorate-2024-q1.yaml"
# The Q1 report's first figure, as typed, and where it is (the test edits this line).
FIGURE_LINE = "admin_inspections:\n    value: 17\n"


def ctrl_c_as_at_a_terminal() -> None:
    """In the child before it starts: Ctrl-C (SIGINT) as a terminal delivers it. A test run started in the
    background by a non-interactive shell inherits SIGINT ignored, and so would every command it starts,
    which would then never stop on the Ctrl-C these tests send."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class CommandLine:
    """``build_reports.py ARGS`` in a subprocess; stdout and stderr lines are collected as they come."""

    def __init__(self, *args: str):
        environment = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build_reports.py"), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            preexec_fn=ctrl_c_as_at_a_terminal,
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self._readers = [
            threading.Thread(target=self._collect, args=(name, stream), daemon=True)
            for name, stream in (("stdout", self.process.stdout), ("stderr", self.process.stderr))
        ]
        for reader in self._readers:
            reader.start()

    def _collect(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for_line(self, wanted: Callable[[str, str], bool], timeout: float = 60) -> str:
        """The first line from now on for which ``wanted(stream, line)`` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                name, line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append((name, line))
            if wanted(name, line):
                return line
        raise AssertionError(f"no such line within {timeout} s; seen: {self.seen[-20:]}")

    def interrupt(self, timeout: float = 15) -> int:
        """Ctrl-C, as a person at the terminal would; returns the exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_number(path: Path, fragment: str) -> int:
    """The 1-based line holding ``fragment``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Polls ``condition``; returns the seconds it took, fails after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")
