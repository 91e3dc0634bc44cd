"""How the command line's process ends (cli.exit_now): the exit code, the output, the atexit functions;
the interpreter's teardown skipped unless a thread is still running."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

# A program ending with exit_now: output still in its buffer (stdout is a pipe: block-buffered), an
# atexit function, and an object only the interpreter's teardown would finalize.
PROGRAM = """
import atexit, sys, threading, time
from reporting.cli import exit_now

class Finalized:
    def __del__(self):
        print("torn down", flush=True)

kept = Finalized()
atexit.register(print, "atexit ran")
print("buffered", end="")
sys.stderr.write("to stderr")
{thread}
exit_now(3)
"""


def _run(thread: str = "") -> subprocess.CompletedProcess:
    program = textwrap.dedent(PROGRAM).format(thread=thread)
    return subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_process_ends_with_the_code_its_output_and_atexit_functions_but_no_teardown():
    done = _run()
    assert done.returncode == 3
    assert done.stdout == "bufferedatexit ran\n"  # flushed, the atexit function run, nothing torn down
    assert done.stderr == "to stderr"


def test_a_thread_still_running_is_waited_for_as_by_the_usual_exit():
    thread = 'threading.Thread(target=lambda: (time.sleep(0.3), print("thread done", flush=True))).start()'
    done = _run(thread)
    assert done.returncode == 3
    assert "thread done" in done.stdout and "atexit ran" in done.stdout
    assert "torn down" in done.stdout  # the usual exit, teardown included


def test_the_command_line_scripts_end_with_their_exit_code(tmp_path):
    for command in ([str(ROOT / "build_reports.py")], ["-m", "reporting"]):
        done = subprocess.run(
            [sys.executable, *command, "--project", str(tmp_path), "check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr  # no reporting.toml: a project error, said on stderr
        assert "reporting.toml" in done.stderr
