"""What validating the data costs: ``build_reports.py check`` over N synthetic awardees.

`check` reads every data file strictly (positions of every value), validates it and runs the
font preflight over every text (names, codes, decision numbers): the serial work every build
and every preview rebuild does before rendering. Prints the best of R runs of the wall time and
of the CPU time (user + system: steadier than the wall time on a shared machine).
Usage: .venv/bin/python benchmarks/check.py [N] [--runs R] [--code DIR]
(--code: another checkout's code, e.g. an older commit unpacked with ``git archive``, as a baseline.)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.certificates import make_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose build_reports.py runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reporting-check-") as folder:
        project = make_project(Path(folder), args.count)
        seconds, cpu = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(args.code / "build_reports.py"), "--project", str(project), "check", "-q"],
                capture_output=True,
                text=True,
            )
            seconds.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                sys.exit(f"check failed:\n{done.stderr}")
        data = sum(p.stat().st_size for p in (project / "data").glob("*.yaml"))
        print(
            f"check, {args.count:,} awardees ({data / 1e6:.1f} MB of YAML), code from {args.code}: "
            f"best of {args.runs}: wall {min(seconds):.2f} s, CPU {min(cpu):.2f} s"
        )
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
