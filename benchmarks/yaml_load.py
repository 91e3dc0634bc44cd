"""Loading an event's YAML: libyaml's C parser against PyYAML's Python parser, the same file.

    PYTHONPATH=. .venv/bin/python benchmarks/yaml_load.py [--awardees 1000] [--repeats 5]

Writes the certificate benchmark's event (``certificates.make_project``: the directive-35 event with
``--awardees`` individuals listed in its YAML), then times ``load_yaml`` on it with the Python parser
alone (as without libyaml, and as every load was before libyaml read them) and with libyaml,
interleaved, ``--repeats`` times each. Prints the median wall and CPU seconds of each and their
ratio (the machine is shared: the ratio is the figure to compare), and checks both loaded the same.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.certificates import make_project  # noqa: E402
from reporting.source import yaml_compose  # noqa: E402
from reporting.source.yaml_reader import load_yaml  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--awardees", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if yaml_compose._CLoader is None:
        sys.exit("PyYAML here is built without libyaml: nothing to compare")
    libyaml = yaml_compose._CLoader
    with tempfile.TemporaryDirectory() as tmp:
        event = make_project(Path(tmp), args.awardees) / "data" / "batch.yaml"
        print(f"{event.name}: {args.awardees} awardees, {event.stat().st_size / 1000:.0f} kB")
        times: dict[str, list[tuple[float, float]]] = {"python": [], "libyaml": []}
        loaded = {}
        for _ in range(args.repeats):
            for name, loader in (("python", None), ("libyaml", libyaml)):
                yaml_compose._CLoader = loader
                wall, cpu = time.perf_counter(), time.process_time()
                loaded[name] = load_yaml(event)
                times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
        yaml_compose._CLoader = libyaml
    same = all(
        getattr(loaded["python"], field) == getattr(loaded["libyaml"], field)
        for field in ("data", "positions", "key_positions")
    )
    medians = {name: [statistics.median(run[i] for run in runs) for i in (0, 1)] for name, runs in times.items()}
    for name, (wall, cpu) in medians.items():
        print(f"load_yaml, {name:8}: wall {wall:.3f} s  CPU {cpu:.3f} s  (median of {args.repeats})")
    print(
        f"libyaml / python: wall {medians['libyaml'][0] / medians['python'][0]:.3f}  "
        f"CPU {medians['libyaml'][1] / medians['python'][1]:.3f}; same data and positions: {same}"
    )


if __name__ == "__main__":
    main()
