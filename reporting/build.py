"""Plans and runs a build: load, validate, merge, render every HTML, write, then publish.

Every HTML document is rendered before the first file is written, and every
file is staged beside its target and renamed into place only when all of them
succeeded: whatever fails, ``output/`` is left exactly as it was.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .bundle import Awardee, EventBundle, bundle_event
from .config import Project
from .errors import RenderError, ReportingError
from .limits import time_limit
from .lock import output_lock
from .manifest import MANIFEST_NAME, build_manifest
from .load import discover, load_events
from .names import awardee_stem
from .preflight import check_fonts, check_rendered_text
from .publish import Staging
from .render import Renderer

Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class Selection:
    """What to build; empty tuples mean everything configured."""

    events: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    archive: bool = False  # PDF/A-3b with the event's YAML attached


@dataclass(frozen=True)
class Job:
    """One document of one event in one locale, written in each selected format."""

    bundle: EventBundle
    locale: str
    template: str
    page: str
    stem: Path  # relative to the output folder, without suffix
    awardees: tuple[Awardee, ...] = ()


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def load_bundles(project: Project) -> list[EventBundle]:
    """Stages 1-4: discover, load strictly, validate, merge. Raises DataError with every problem."""
    paths = discover(project.data_dir)
    events = load_events(paths, tuple(project.locales), project.root, project.templates_dir)
    check_fonts(project, events)
    return [bundle_event(item) for item in events]


def plan(bundles: Iterable[EventBundle], project: Project, selection: Selection) -> list[Job]:
    locales = selection.locales or tuple(project.locales)
    jobs: list[Job] = []
    for bundle in bundles:
        if selection.events and bundle.event.id not in selection.events:
            continue
        for locale in locales:
            jobs.extend(_jobs_for(bundle, locale, project))
    return jobs


def _jobs_for(bundle: EventBundle, locale: str, project: Project) -> list[Job]:
    base = Path(bundle.event.id) / locale
    jobs = [Job(bundle, locale, "report.html.j2", "report", base / "report")]
    if not bundle.awardees:
        return jobs
    jobs.append(Job(bundle, locale, "awardees.html.j2", "report", base / "awardees"))
    jobs.append(Job(bundle, locale, "certificates.html.j2", "certificate", base / "certificates", bundle.awardees))
    for awardee in bundle.awardees:
        names = [awardee.name[code] for code in project.locales]
        stem = base / "certificates" / awardee_stem(awardee.serial, awardee.id, names)
        jobs.append(Job(bundle, locale, "certificates.html.j2", "certificate", stem, (awardee,)))
    return jobs


def run_build(project: Project, output: Path, selection: Selection = Selection(),
              progress: Progress | None = None) -> BuildResult:
    started = time.perf_counter()
    formats = selection.formats or project.formats
    writers = _writers(project, formats)
    bundles = load_bundles(project)
    _check_selection(bundles, project, selection)
    jobs = plan(bundles, project, selection)
    renderer = Renderer(project)
    documents = [(job, _render(renderer, job, project)) for job in jobs]
    result = BuildResult()
    total = len(documents) * len(writers)
    hashes: dict[Path, tuple[str, int]] = {}
    with output_lock(output), Staging() as staging:
        for job, html in documents:
            for make_writer in writers:
                writer = make_writer(job.locale)
                target = output / job.stem.with_suffix(writer.suffix)
                shown = job.stem.with_suffix(writer.suffix)
                with time_limit(project.job_time_limit_s, f"writing {shown}"):
                    data = _write(writer, job, html, project, shown, selection.archive)
                staging.stage(target, data)
                hashes[target] = (hashlib.sha256(data).hexdigest(), len(data))
                result.written.append(target)
                if progress:
                    progress(len(result.written), total, target)
        staging.stage(output / MANIFEST_NAME, build_manifest(project, output, hashes))
    result.seconds = time.perf_counter() - started
    return result


def _write(writer, job: Job, html: str, project: Project, shown: Path, archive: bool) -> bytes:
    """One file; a certificate must come out as exactly one page per awardee."""
    try:
        if writer.name != "pdf":
            return writer.write(html, project.page(job.page))
        source = _archive_source(job, project) if archive else None
        expected = len(job.awardees) if job.awardees else None
        return writer.write(html, project.page(job.page), expected_pages=expected, archive=source)
    except RenderError as exc:
        hint = ""
        if job.awardees and "page(s)" in str(exc):
            ids = ", ".join(a.id for a in job.awardees)
            hint = f" (a name or the citation is too long for one certificate page; awardees: {ids})"
        raise RenderError(f"{shown}: {exc}{hint}") from None


def _archive_source(job: Job, project: Project):
    from .writers.pdf import ArchiveSource

    path = project.root / job.bundle.source
    return ArchiveSource(name=path.name, data=path.read_bytes(), date=job.bundle.event.date)


def _render(renderer: Renderer, job: Job, project: Project) -> str:
    with time_limit(project.job_time_limit_s, f"rendering {job.template} for {job.stem}"):
        html = renderer.render(job.template, job.locale, job.bundle, project.page(job.page), awardees=job.awardees)
    check_rendered_text(project, job.locale, html, f"{job.template} ({job.locale})")
    return html


def _writers(project: Project, formats: tuple[str, ...]) -> list[Callable[[str], object]]:
    """For each format, a function giving the writer for a locale (one instance each, made once).

    Writers are imported only when used: WeasyPrint alone takes half a second to import.
    """
    def pdf():
        from .writers.pdf import PdfWriter, check_harfbuzz_subsetting
        check_harfbuzz_subsetting()
        writer = PdfWriter(project.templates_dir)
        return lambda locale: writer

    def docx():
        from .writers.docx import DocxWriter, FontChoice
        writers = {code: DocxWriter(FontChoice(size_pt=settings.font_size_pt), base_dir=project.templates_dir)
                   for code, settings in project.locales.items()}
        return writers.__getitem__

    registry = {"pdf": pdf, "docx": docx}
    return [registry[name]() for name in formats]


def _check_selection(bundles: list[EventBundle], project: Project, selection: Selection) -> None:
    known = {b.event.id for b in bundles}
    unknown = [e for e in selection.events if e not in known]
    if unknown:
        raise SelectionError(f"unknown event {', '.join(unknown)}; the data has: {', '.join(sorted(known)) or 'none'}")
    unknown = [code for code in selection.locales if code not in project.locales]
    if unknown:
        raise SelectionError(f"unknown locale {', '.join(unknown)}; configured: {', '.join(project.locales)}")


class SelectionError(ReportingError):
    """The command line asked for an event or locale that does not exist: a usage error."""

    exit_code = 2
