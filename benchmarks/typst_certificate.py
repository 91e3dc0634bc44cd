"""The same certificate in Typst, compiled one document per awardee: the benchmark's outside yardstick.

The texts are the build's own (the certificate HTML of each awardee, reduced to
its lines), the fonts the same files (Amiri, Noto Serif), the page the same A4
landscape with a frame and the emblem; each worker process keeps one Typst
compiler (fonts loaded once), as our workers keep WeasyPrint. Needs the optional
benchmark dependency: pip install typst.
"""

from __future__ import annotations

import html
import multiprocessing
import re
import sys
import tempfile
import time
from pathlib import Path

import typst

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE = r"""
#let inp = sys.inputs
#let is-rtl = inp.lang == "ar"
#set page(paper: "a4", flipped: true, margin: 15mm)
#set text(lang: inp.lang, dir: if is-rtl { rtl } else { ltr }, size: if is-rtl { 14pt } else { 13pt },
  font: if is-rtl { ("Amiri", "Noto Serif") } else { ("Noto Serif", "Amiri") })
#rect(width: 100%, height: 100%, stroke: (paint: rgb("#7a1f1f"), thickness: 2.2mm),
      inset: (x: 16mm, top: 8mm, bottom: 6mm))[
  #set align(center)
  #image("emblem.png", width: 18mm) \
  #text(size: 11pt)[*#inp.heading* \ #inp.motto]
  #v(0.5em)
  #text(size: 14pt, weight: "bold")[#inp.issuer]
  #v(0.3em)
  #text(size: 34pt, weight: "bold", fill: rgb("#a01818"))[#inp.title]
  #v(0.2em)
  #inp.awarded \
  #text(size: 24pt, weight: "bold")[#inp.name] \
  #inp.position
  #v(0.3em)
  #text(style: if is-rtl { "normal" } else { "italic" })[#inp.citation]
  #v(3mm)
  #grid(columns: (1fr, 1fr), text(size: 11pt)[#inp.left],
        [#emph(inp.place) \ *#inp.role* \ \ \ *#inp.signer*])
]
"""
_TAG = re.compile(r"<[^>]+>")


def certificate_inputs(html_text: str, locale: str) -> dict[str, str]:
    """The lines of one certificate's HTML (as the build rendered it) for the Typst source."""
    body = html_text[html_text.index('<section class="page certificate"') :]
    lines = [html.unescape(_TAG.sub("", line)).strip() for line in re.split(r"<br>|</p>|</h1>|</td>", body)]
    lines = [line for line in lines if line]
    keys = ["heading", "motto", "issuer", "title", "awarded", "name", "position", "citation"]
    values = dict(zip(keys, lines, strict=False))  # a field left empty ends the lines early
    rest = lines[len(keys) :]
    values.update(left="\n".join(rest[:-4]), place=rest[-4], role=rest[-3], signer=rest[-1], lang=locale)
    return {key: value.replace("\\", "") for key, value in values.items()}


def _rendered(project: Path) -> list[tuple[str, str]]:
    """Every certificate's HTML and locale, rendered by the build's own code."""
    from reporting.build import pipeline as build
    from reporting.config import load_project

    settings = load_project(project)
    bundles = build.load_bundles(settings)
    renderer = build.Renderer(settings)
    found = []
    for item in build.plan(bundles, settings, build.Selection(), renderer):
        if isinstance(item, build.CertificateSet) and True:
            for chunk in build.render_certificate_set(renderer, item, settings, 50):
                found += [(single, item.locale) for single in chunk.singles]
    return found


_COMPILER = None


def _start(folder: str, fonts: str) -> None:
    global _COMPILER
    _COMPILER = typst.Compiler(
        str(Path(folder) / "certificate.typ"), root=folder, font_paths=[fonts], ignore_system_fonts=True
    )


def _compile(job: tuple[dict, str]) -> tuple[int, float]:
    """One certificate: its size and the CPU seconds it took (pool workers are not reaped children)."""
    inputs, target = job
    started = time.process_time()
    assert _COMPILER is not None, "the pool's initializer makes the compiler"
    data = _COMPILER.compile(format="pdf", sys_inputs=inputs)
    assert isinstance(data, bytes), "one PDF document, not pages"
    Path(target).write_bytes(data)
    return len(data), time.process_time() - started


def typst_time(project: Path, count: int, jobs: int | None = None) -> tuple[float, float, int]:
    """Wall and CPU seconds for Typst to write every certificate of the batch, and how many it wrote."""
    from reporting.build.workers import default_jobs

    work = [(certificate_inputs(text, locale), locale) for text, locale in _rendered(project)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "certificate.typ").write_text(SOURCE, encoding="utf-8")
        (folder / "emblem.png").write_bytes((project / "templates" / "assets" / "emblem.png").read_bytes())
        jobs_list = [(inputs, str(folder / f"{number}.pdf")) for number, (inputs, _) in enumerate(work)]
        started = time.perf_counter()
        context = multiprocessing.get_context("fork")
        with context.Pool(
            jobs or default_jobs(), initializer=_start, initargs=(str(folder), str(project / "templates" / "fonts"))
        ) as pool:
            results = pool.map(_compile, jobs_list, chunksize=16)
        wall = time.perf_counter() - started
    assert all(size for size, _ in results)
    return wall, sum(cpu for _, cpu in results), len(results)
