"""Publication under stress: a killed build loses nothing, two builds never write one folder at once."""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import ROOT, copy_project, run_cli
from test_hostile_input import snapshot


def test_a_second_build_on_the_same_output_stops_with_a_clear_message(tmp_path):
    output = tmp_path / "output"
    with open(tmp_path / ".output.lock", "a+") as handle:  # what a running build holds
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("4242")
        handle.flush()
        code, _, err = run_cli("--project", str(ROOT), "--event", "inspectorate-2024-q1", "--locale", "vi",
                               "--format", "pdf", "--output", str(output))
    assert code == 1
    assert f"another build (process 4242) is writing to {output}; wait for it to finish or choose another --output" in err
    assert not output.exists()


def test_kill_9_in_the_middle_leaves_the_previous_outputs_intact(tmp_path):
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    assert run_cli("--project", str(project), "--event", "directive-35-review", "--output", str(output), "-q")[0] == 0
    before = snapshot(output)
    data = project / "data" / "directive-35-review.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("value: 624", "value: 625"), encoding="utf-8")

    build = subprocess.Popen([sys.executable, str(ROOT / "build_reports.py"), "--project", str(project),
                              "--event", "directive-35-review", "--output", str(output)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for_progress(build, written=20)  # well inside the write phase
    os.kill(build.pid, signal.SIGKILL)
    build.wait()

    after = {name: digest for name, digest in snapshot(output).items() if not name.rsplit("/", 1)[-1].startswith(".")}
    assert after == before  # every output is the previous good one; nothing half-written
    assert run_cli("--project", str(project), "--event", "directive-35-review", "--output", str(output), "-q")[0] == 0
    assert not list(output.rglob(".*.tmp"))  # the next build cleared what the killed one staged
    assert snapshot(output) != before  # and published the corrected figure


def _wait_for_progress(build: subprocess.Popen, written: int) -> None:
    deadline = time.monotonic() + 60
    for line in build.stderr:
        if line.replace(" ", "").startswith(f"[{written}/") or time.monotonic() > deadline:
            return
    raise AssertionError("the build ended before it could be killed")
