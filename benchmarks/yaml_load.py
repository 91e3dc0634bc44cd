"""Loading an event's YAML: libyaml's C parser against PyYAML's Python parser, the same file.

    PYTHONPATH=. .venv/bin/python benchmarks/yaml_load.py [--awardees 1000] [--repeats 5]

Writes the certificate benchmark's event (``certificates.make_project``: the directive-35 event with
``--awardees`` individuals listed in its YAML), then times ``load_yaml`` on it, interleaved,
``--repeats`` times each: "before" (the Python parser with the cycle collector running, as every
load was before libyaml read them), "python" (the Python parser, the collector paused: a PyYAML
without libyaml) and "libyaml". Prints the median wall and CPU seconds of each and their ratios to
"before" (the machine is shared: the ratios are the figures to compare), and checks all loaded the same.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.certificates import make_project  # noqa: E402
from reporting.source import yaml_compose, yaml_reader  # noqa: E402
from reporting.source.yaml_reader import load_yaml  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--awardees", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if yaml_compose._CLoader is None:
        sys.exit("PyYAML here is built without libyaml: nothing to compare")
    libyaml, paused = yaml_compose._CLoader, yaml_reader._collector_paused
    variants = {"before": (None, contextlib.nullcontext), "python": (None, paused), "libyaml": (libyaml, paused)}
    with tempfile.TemporaryDirectory() as tmp:
        event = make_project(Path(tmp), args.awardees) / "data" / "batch.yaml"
        print(f"{event.name}: {args.awardees} awardees, {event.stat().st_size / 1000:.0f} kB")
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
        loaded = {}
        for _ in range(args.repeats):
            for name, (loader, collector) in variants.items():
                yaml_compose._CLoader, yaml_reader._collector_paused = loader, collector  # type: ignore[assignment]
                wall, cpu = time.perf_counter(), time.process_time()
                loaded[name] = load_yaml(event)
                times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
        yaml_compose._CLoader, yaml_reader._collector_paused = libyaml, paused
    fields = ("data", "positions", "key_positions")
    same = all(getattr(loaded[name], f) == getattr(loaded["before"], f) for name in variants for f in fields)
    medians = {name: [statistics.median(run[i] for run in runs) for i in (0, 1)] for name, runs in times.items()}
    before_wall, before_cpu = medians["before"]
    for name, (wall, cpu) in medians.items():
        print(
            f"load_yaml, {name:8}: wall {wall:.3f} s  CPU {cpu:.3f} s  (median of {args.repeats}); "
            f"/ before: wall {wall / before_wall:.3f}  CPU {cpu / before_cpu:.3f}"
        )
    print(f"same data and positions: {same}")


if __name__ == "__main__":
    main()
