"""The awardee list typeset with WeasyPrint's auto table layout and with its columns measured once.

    .venv/bin/python benchmarks/list_columns.py [--rows 1000] [--repeats 3] [--locale vi]

Makes a project of ``--rows`` awardees (``certificates.make_project``), renders its list of awardees
and typesets it in this process, alternating: the HTML as rendered (the auto layout measures every
cell) and the HTML of ``PdfWriter.with_measured_columns`` (the probes included in its time), each
laid out and drawn. CPU seconds (``time.process_time``: the machine is shared) are printed per run,
then the median of each and ms per row. The two PDFs must have the same bytes: the script says so.
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
sys.path.insert(0, str(ROOT / "benchmarks"))


def list_html(project_dir: Path, locale: str) -> tuple[str, Path]:
    from reporting.build.pipeline import Job, Selection, load_bundles, plan, render_job
    from reporting.config import load_project
    from reporting.render import Renderer

    project = load_project(project_dir)
    renderer = Renderer(project)
    jobs = [
        job
        for job in plan(load_bundles(project), project, Selection(locales=(locale,)), renderer)
        if isinstance(job, Job) and job.template == "awardees.html.j2"
    ]
    return render_job(renderer, jobs[0], project), project.templates_dir


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--locale", default="vi")
    args = parser.parse_args()

    import certificates  # type: ignore[import-not-found]  # benchmarks/certificates.py, on sys.path above

    from reporting.writers.pdf import PdfWriter

    with tempfile.TemporaryDirectory() as folder:
        certificates.make_project(Path(folder), args.rows, sheet=True)
        html, templates = list_html(Path(folder), args.locale)
        run(html, PdfWriter(templates), args)  # (the templates folder lives as long as the folder)


def run(html: str, writer, args) -> None:
    writer.with_measured_columns(html)  # warm up: fonts loaded, caches filled, before anything is timed
    ways = {"auto layout": lambda: html, "measured columns": lambda: writer.with_measured_columns(html)}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    pdfs: dict[str, bytes] = {}
    for repeat in range(args.repeats):
        for name, prepare in ways.items():
            start = time.process_time()
            pdfs[name] = writer.finish(writer.typeset(prepare()))
            seconds[name].append(time.process_time() - start)
            print(f"run {repeat + 1} {name}: {seconds[name][-1]:.2f} s CPU", flush=True)
    for name, runs in seconds.items():
        median = statistics.median(runs)
        print(f"{name}: median {median:.2f} s CPU, {1000 * median / args.rows:.2f} ms a row")
    ratio = statistics.median(seconds["measured columns"]) / statistics.median(seconds["auto layout"])
    print(f"measured / auto: {ratio:.2f}; same PDF bytes: {len(set(pdfs.values())) == 1}")


if __name__ == "__main__":
    main()
