"""Reproducible builds, tested as reproducible-builds.org varies the environment.

Two builds of the same sources that differ in the checkout's path (and depth),
the working folder, HOME and the cache (cold, then a warm copy elsewhere), TZ,
LANG/LC_ALL, umask and --jobs must give the same bytes, file by file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project
from test_hostile_input import snapshot

# The same build run again and again, from other paths and settings.
pytestmark = pytest.mark.slow

EVENT = ("--event", "directive-35-review", "--locale", "ar")  # reports, lists, certificates and the print file

VARIATIONS = (
    {"checkout": "a", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "umask": 0o022, "jobs": "2"},
    {
        "checkout": "bb/deeper/checkout with space",
        "TZ": "Pacific/Kiritimati",
        "LANG": "vi_VN.UTF-8",
        "LC_ALL": "ar_EG.UTF-8",
        "umask": 0o077,
        "jobs": "1",
    },
)


def _build(tmp_path, variation: dict, archive: bool, cache) -> dict[str, str]:
    project = tmp_path / variation["checkout"]
    project.mkdir(parents=True)
    copy_project(project)
    home = tmp_path / f"home-{len(variation['checkout'])}"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache),
        "TZ": variation["TZ"],
        "LANG": variation["LANG"],
        "LC_ALL": variation["LC_ALL"],
    }
    output = project / "output"
    command = [
        sys.executable,
        str(ROOT / "build_reports.py"),
        *EVENT,
        "--output",
        str(output),
        "-q",
        "--jobs",
        variation["jobs"],
        *(["--archive"] if archive else []),
    ]
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, preexec_fn=lambda: os.umask(variation["umask"])
    )
    assert done.returncode == 0, done.stderr
    return snapshot(output)


@pytest.mark.parametrize("archive", [False, True], ids=["plain", "archive"])
def test_bytes_do_not_depend_on_where_or_how_the_build_runs(tmp_path, archive):
    cold = tmp_path / "cache-cold"
    first = _build(tmp_path, VARIATIONS[0], archive, cold)
    warm = tmp_path / "elsewhere" / "cache-warm"
    shutil.copytree(cold, warm)  # the second build finds the typeset chunks already cached, in another place
    second = _build(tmp_path, VARIATIONS[1], archive, warm)
    assert len(first) > 10 and any(name.endswith(".docx") for name in first)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
