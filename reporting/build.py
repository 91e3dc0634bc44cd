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
from .incremental import output_key
from .manifest import MANIFEST_NAME, build_manifest, is_current, previous_outputs
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
    force: bool = False  # rewrite every output even if nothing it is made from changed
    sign_key: Path | None = None  # PKCS#12 key: archived PDFs get a PAdES signature


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
    unchanged: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    documents: list[tuple[Job, str]] = field(default_factory=list)  # every job's HTML, for the preview


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
    bundles = load_bundles(project)
    _check_selection(bundles, project, selection)
    jobs = plan(bundles, project, selection)
    renderer = Renderer(project)
    documents = [(job, _render(renderer, job, project)) for job in jobs]
    writers = {name: _LazyWriters(project, name) for name in formats}
    signer = _signer(selection)
    sources = {b.event.id: (project.root / b.source).read_bytes() for b in bundles} if selection.archive else {}
    result = BuildResult(documents=documents)
    total = len(documents) * len(writers)
    with output_lock(output), Staging() as staging:
        previous = previous_outputs(output)
        entries: dict[Path, dict] = {}
        for job, html in documents:
            for name, make_writer in writers.items():
                target = output / job.stem.with_suffix(SUFFIXES[name])
                source = sources.get(job.bundle.event.id) if name == "pdf" else None
                extra = (source or b"") + (signer.identity if signer and name == "pdf" else b"")
                key = output_key(html, name, project.templates_dir, extra)
                unchanged = not selection.force and is_current(output, target, previous, key)
                if unchanged:
                    entries[target] = previous[target.relative_to(output).as_posix()]
                    result.unchanged.append(target)
                else:
                    shown = job.stem.with_suffix(SUFFIXES[name])
                    with time_limit(project.job_time_limit_s, f"writing {shown}"):
                        data = _write(make_writer(job.locale), job, html, project, shown, source)
                        if signer and name == "pdf":
                            data = signer.sign(data)
                    staging.stage(target, data)
                    entries[target] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "key": key}
                    result.written.append(target)
                    if progress:
                        progress(len(result.written) + len(result.unchanged), total, target)
        if result.written or not (output / MANIFEST_NAME).is_file():
            staging.stage(output / MANIFEST_NAME, build_manifest(project, output, entries))
    result.seconds = time.perf_counter() - started
    return result


SUFFIXES = {"pdf": ".pdf", "docx": ".docx"}


def _signer(selection: Selection):
    """The PDF signer for --sign, with ``identity`` (the key file's hash) for the outputs' keys."""
    if selection.sign_key is None:
        return None
    from .signing import PdfSigner

    signer = PdfSigner(selection.sign_key)
    signer.identity = hashlib.sha256(selection.sign_key.read_bytes()).digest()
    return signer


class _LazyWriters:
    """The writers of one format, one per locale, made on first use.

    A rebuild with nothing to write never imports WeasyPrint (half a second).
    """

    def __init__(self, project: Project, name: str):
        self.project, self.name = project, name
        self._writers: dict[str, object] = {}

    def __call__(self, locale: str):
        if locale not in self._writers:
            self._writers[locale] = _make_writer(self.project, self.name, locale)
        return self._writers[locale]


def _write(writer, job: Job, html: str, project: Project, shown: Path, source: bytes | None) -> bytes:
    """One file; a certificate must come out as exactly one page per awardee."""
    try:
        if writer.name != "pdf":
            return writer.write(html, project.page(job.page))
        expected = len(job.awardees) if job.awardees else None
        archive = _archive_source(job, source) if source is not None else None
        return writer.write(html, project.page(job.page), expected_pages=expected, archive=archive)
    except RenderError as exc:
        hint = ""
        if job.awardees and "page(s)" in str(exc):
            ids = ", ".join(a.id for a in job.awardees)
            hint = f" (a name or the citation is too long for one certificate page; awardees: {ids})"
        raise RenderError(f"{shown}: {exc}{hint}") from None


def _archive_source(job: Job, data: bytes):
    from .writers.pdf import ArchiveSource

    return ArchiveSource(name=job.bundle.source.name, data=data, date=job.bundle.event.date)


def _render(renderer: Renderer, job: Job, project: Project) -> str:
    with time_limit(project.job_time_limit_s, f"rendering {job.template} for {job.stem}"):
        html = renderer.render(job.template, job.locale, job.bundle, project.page(job.page), awardees=job.awardees)
    check_rendered_text(project, job.locale, html, f"{job.template} ({job.locale})")
    return html


def _make_writer(project: Project, name: str, locale: str):
    if name == "pdf":
        from .writers.pdf import PdfWriter, check_harfbuzz_subsetting
        check_harfbuzz_subsetting()  # before the first PDF: WeasyPrint would silently go 25x slower
        return PdfWriter(project.templates_dir)
    from .writers.docx import DocxWriter, FontChoice
    return DocxWriter(FontChoice(size_pt=project.locales[locale].font_size_pt), base_dir=project.templates_dir)


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
