"""Certificate batch benchmark: N synthetic awardees in ar and vi through the real build.

Prints certificates per second, ms per certificate, wall time and peak RSS.
Usage: .venv/bin/python benchmarks/certificates.py [N] [--format pdf|docx]...
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.cli import main  # noqa: E402

FAMILY = [("Nguyễn", "نجوين"), ("Trần", "تران"), ("Lê", "لي"), ("Phạm", "فام"), ("Hoàng", "هوانغ"),
          ("Vũ", "فو"), ("Đinh", "دينه"), ("Bùi", "بوي"), ("Đoàn", "دوآن"), ("Mai", "ماي")]
MIDDLE = [("Văn", "فان"), ("Thị", "ثي"), ("Quang", "كوانج"), ("Minh", "مينه"), ("Hồng", "هونغ"), ("Đức", "دوك")]
GIVEN = [("Hùng", "هونغ"), ("Hương", "هوونغ"), ("Tuấn", "توان"), ("Lan", "لان"), ("Dũng", "دونغ"),
         ("Ngọc", "نغوك"), ("Huyền", "هويين"), ("Tú", "تو"), ("Lâm", "لام"), ("Điệp", "ديب")]


def synthetic_awardees(count: int, seed: int = 35) -> str:
    """YAML for ``count`` individuals with plausible names, positions and units in both languages."""
    rng = random.Random(seed)
    lines = ["  individuals:"]
    for number in range(1, count + 1):
        parts = [rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)]
        vi, ar = " ".join(p[0] for p in parts), " ".join(p[1] for p in parts)
        lines += [f"    - id: b{number:05d}", f'      name: {{ar: "{ar}", vi: "{vi}"}}',
                  '      position: {ar: "مفتش", vi: "Thanh tra viên"}',
                  '      unit: {ar: "هيئة التفتيش الإقليمية", vi: "Thanh tra tỉnh Ninh Bình"}']
    return "\n".join(lines) + "\n"


def make_project(folder: Path, count: int) -> Path:
    for name in ("reporting.toml",):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "data").mkdir()
    source = (ROOT / "data" / "directive-35-review.yaml").read_text(encoding="utf-8")
    head, _, _ = source.partition("  groups:")
    (folder / "data" / "batch.yaml").write_text(head + synthetic_awardees(count), encoding="utf-8")
    return folder


def run(count: int, formats: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), count)
        argv = ["--project", str(project), "build", "--output", str(project / "output"), "-q"]
        for name in formats:
            argv += ["--format", name]
        started = time.perf_counter()
        code = main(argv)
        wall = time.perf_counter() - started
        if code:
            sys.exit(code)
        certificates = count * 2  # two locales
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"awardees: {count}  certificates: {certificates} ({' + '.join(formats)}, plus combined files, "
              f"report and list)")
        print(f"wall: {wall:.2f} s  per certificate: {wall / certificates * 1000:.1f} ms  "
              f"certificates/s: {certificates / wall:.1f}  peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", nargs="?", type=int, default=200)
    parser.add_argument("--format", action="append", choices=["pdf", "docx"])
    options = parser.parse_args()
    run(options.count, options.format or ["pdf", "docx"])
