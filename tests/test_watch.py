"""``build_reports.py watch``: rebuild after an edit, report a broken file and keep the last good output,
stop on Ctrl-C."""

from __future__ import annotations

import hashlib
import os

import pytest

from conftest import copy_project
from previewutil import EVENT_FILE, FIGURE_LINE, CommandLine, edit, line_number, wait_until

# `watch` as a subprocess, rebuilding after each edit.
pytestmark = pytest.mark.slow


def digest(path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def test_watch_rebuilds_on_change_keeps_good_output_on_error_and_stops_cleanly(tmp_path):
    project = copy_project(tmp_path)
    output = tmp_path / "out"
    data = project / EVENT_FILE
    report = output / "inspectorate-2024-q1" / "ar" / "report.pdf"
    # One event, PDF only: what is tested is the loop, not the writers.
    watch = CommandLine(
        "--project",
        str(project),
        "watch",
        "--output",
        str(output),
        "--event",
        "inspectorate-2024-q1",
        "--format",
        "pdf",
    )
    try:
        watch.wait_for_line(lambda stream, line: line.startswith("Watching"))
        first = digest(report)
        assert first is not None

        edit(data, FIGURE_LINE, FIGURE_LINE.replace("17", "43"))
        seconds = wait_until(lambda: digest(report) not in (first, None), 30, "report.pdf rewritten after the edit")
        print(f"rebuild after an edit: {seconds:.2f} s")
        watch.wait_for_line(lambda stream, line: "after a change to data/inspectorate-2024-q1.yaml" in line)
        edited = digest(report)

        edit(data, "value: 43\n", "value: forty-three\n")
        header = watch.wait_for_line(lambda stream, line: stream == "stderr" and line.startswith("error:"))
        assert f"{EVENT_FILE}: 1 problem" in header
        where = f"{line_number(data, 'value: forty-three')}:"
        error = watch.wait_for_line(lambda stream, line: stream == "stderr" and "expected a number" in line)
        assert error.strip().startswith(where) and "expected a number, found 'forty-three'" in error
        watch.wait_for_line(lambda stream, line: "failed; the previous outputs are kept" in line)
        assert digest(report) == edited, "a failed build must leave the previous output"
        assert watch.process.poll() is None, "the watcher must keep running after a failed build"

        edit(data, "value: forty-three\n", "value: 43\n")
        watch.wait_for_line(lambda stream, line: stream == "stdout" and line.startswith("Build ") and "wrote" in line)

        # Stylesheets are inputs too; and settings saved the way many editors save (a new
        # file renamed over the old one), twice: the second save must be seen as well.
        with (project / "templates/css/report.css").open("a", encoding="utf-8") as css:
            css.write("\n/* edited */\n")
        watch.wait_for_line(lambda stream, line: "after a change to templates/css/report.css" in line)
        for _ in range(2):
            replacement = project / "reporting.toml.new"
            replacement.write_bytes((project / "reporting.toml").read_bytes())
            os.replace(replacement, project / "reporting.toml")
            watch.wait_for_line(lambda stream, line: "after a change to reporting.toml" in line)
        assert watch.interrupt() == 0
        assert ("stderr", "Stopped.") in watch.seen
    finally:
        watch.kill()
