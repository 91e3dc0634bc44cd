"""What a build of the reference data costs: cold (empty cache, no output) and no-op (nothing changed).

Each run builds the project's data/ into a temporary folder with a temporary cache folder
($XDG_CACHE_HOME), never into output/ nor the user's cache: a cold run starts with both empty, the
no-op runs then build again into the same folder with the same cache. With several ``--code``
checkouts (another commit unpacked with ``git archive``, as a baseline), their runs alternate, so a
change in the machine's load falls on all of them alike. Prints each run (with the load average as it
ended) and the medians of the wall time and of the CPU time (user + system, the build's worker processes
included), and each checkout's medians as a ratio of the first's: on a shared machine the load changes
the seconds several times over, the ratio of runs alternated much less.
Usage: .venv/bin/python benchmarks/build_times.py [--runs N] [--code DIR ...] [-- build options]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold builds and no-op builds per checkout")
    parser.add_argument(
        "--code", type=Path, action="append", help="a checkout whose build_reports.py builds its own data/"
    )
    parser.add_argument("options", nargs="*", help="build options after --, e.g. -- --jobs 1")
    args = parser.parse_args()
    checkouts = [path.resolve() for path in args.code or [ROOT]]
    times: dict[Path, dict[str, list[tuple[float, float]]]] = {c: {"cold": [], "no-op": []} for c in checkouts}
    print(f"load before: {_load()}")
    for run in range(args.runs):
        for checkout in checkouts:
            with tempfile.TemporaryDirectory(prefix="reporting-build-times-") as folder:
                output, env = Path(folder) / "output", {**os.environ, "XDG_CACHE_HOME": str(Path(folder) / "cache")}
                cold = _build(checkout, output, env, args.options)
                no_op = _build(checkout, output, env, args.options)
            times[checkout]["cold"].append(cold)
            times[checkout]["no-op"].append(no_op)
            print(f"run {run + 1} {checkout}: cold {_shown(cold)}, no-op {_shown(no_op)}, load {_load()}", flush=True)
    print(f"load after: {_load()}")
    first = checkouts[0]
    for checkout, kinds in times.items():
        for kind, runs in kinds.items():
            wall, cpu = _medians(runs)
            line = f"{checkout} {kind}: median {wall:.2f} s wall, {cpu:.2f} s CPU over {len(runs)} runs"
            if checkout != first:
                first_wall, first_cpu = _medians(times[first][kind])
                line += f" ({wall / first_wall:.2f}x the wall, {cpu / first_cpu:.2f}x the CPU of {first.name})"
            print(line)


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) of the runs."""
    return statistics.median(seconds for seconds, _cpu in runs), statistics.median(cpu for _seconds, cpu in runs)


def _build(checkout: Path, output: Path, env: dict[str, str], options: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build and its workers) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(checkout / "build_reports.py"), "--project", str(checkout), "build", "-q"]
        + ["--output", str(output), *options],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build failed ({checkout}):\n{done.stderr}")
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _shown(run: tuple[float, float]) -> str:
    return f"{run[0]:.2f} s ({run[1]:.2f} s CPU)"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cores)"


if __name__ == "__main__":
    main()
