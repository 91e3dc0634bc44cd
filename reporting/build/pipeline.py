"""Plans and runs a build: load, validate, merge, render every HTML, write, then publish.

Every HTML document is rendered before the first file is written, and every
file is staged in the build's staging folder and published (publish.py) only when
all of them succeeded: whatever fails, ``output/`` is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from reporting.build import chunks as chunking
from reporting.build.file_names import awardee_stem
from reporting.build.freshness import forget_assets, output_key
from reporting.build.limits import scaled, time_limit
from reporting.build.lock import output_lock
from reporting.build.manifest import (
    MANIFEST_NAME,
    MANIFEST_SIGNATURE_NAME,
    Entry,
    is_current,
    previous_outputs,
    refuse_foreign_folder,
    write_manifest,
)
from reporting.build.memory import return_freed_memory
from reporting.build.output_files import OutputFiles
from reporting.build.output_paths import LinkCheck, check_output_folder
from reporting.build.publish import STAGING_NAME, Staging, StagingArea, file_sha256, recover
from reporting.build.workers import (
    CalibrationTask,
    ChunkTask,
    DocumentTask,
    LayeredChunkTask,
    PreparedCertificatesTask,
    PrintFileTask,
    Task,
    Workers,
    Written,
    default_jobs,
)
from reporting.config import DocumentType, PageGeometry, Project
from reporting.errors import OutputWriteError, RenderError, SelectionError, StrictFailure, os_error_meaning
from reporting.notices import Notice
from reporting.render import Renderer
from reporting.source.figures import Awardee, EventBundle, bundle_event, without_awardee_models
from reporting.source.load import discover, load_events
from reporting.source.preflight import check_fonts, check_rendered_text
from reporting.tool_language import _, isolate
from reporting.writers import registry
from reporting.writers.layer_html import LayerError, Layers, split_layers
from reporting.writers.registry import CertificateBatching

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
    jobs: int | None = None  # worker processes; default: one per core
    chunk_size: int | None = None  # certificates per typeset PDF; default: build.certificate_chunk
    duplex: bool | None = None  # blank backs in the print file; default: print.duplex
    layers: bool | None = None  # certificates as static + variable layers; default: build.certificate_layers
    stock: str | None = None  # "plain" or "preprinted" paper for the print file; default: print.stock
    keep_html: bool = False  # keep every document's HTML in the result (the preview shows it)
    force_into: bool = False  # build into a non-empty folder that holds no manifest of ours
    strict: bool = False  # any warning (an untranslated message) fails the build, nothing published
    documents: tuple[str, ...] = ()  # only these kinds of the [documents] table (report, certificates, ...)


@dataclass(frozen=True)
class Job:
    """One document of one event in one locale, written in each selected format."""

    bundle: EventBundle
    locale: str
    template: str
    page: str
    stem: Path  # relative to the output folder, without suffix
    awardees: tuple[Awardee, ...] = ()
    formats: tuple[str, ...] = ()  # only these of the selected formats; empty: all

    @property
    def rows(self) -> int:
        """How many rows the document may list (its time limit grows with them): its awardees, or for a
        document of the whole event (the list of awardees), the event's."""
        return len(self.awardees) or len(self.bundle.awardees)


@dataclass(frozen=True)
class CertificateSet:
    """A document made once per awardee (certificates) of one event in one locale: one file per
    awardee and format, plus the print file."""

    bundle: EventBundle
    locale: str
    folder: Path  # relative to the output folder: <event>/<locale>
    awardees: tuple[Awardee, ...]  # in print order: the order of the awardee list
    document: DocumentType
    name_locales: tuple[str, ...]  # the languages of the names in each certificate's file name

    def stems_of(self, awardees: tuple[Awardee, ...]) -> tuple[Path, ...]:
        """Each awardee's file (relative to the output folder, without suffix), made when a chunk needs it:
        a Path an awardee and language held for the whole build was a kilobyte an awardee."""
        folder = self.folder / self.document.name
        return tuple(
            folder / awardee_stem(a.serial, a.id, [a.name[code] for code in self.name_locales]) for a in awardees
        )

    @property
    def stems(self) -> tuple[Path, ...]:
        """Every awardee's file, in print order (for tests and tools; the build takes them chunk by chunk)."""
        return self.stems_of(self.awardees)

    @property
    def print_stem(self) -> Path:
        return self.folder / self.document.name

    def job(self, stem: Path, awardees: tuple[Awardee, ...], formats: tuple[str, ...] = ()) -> Job:
        """The set's template rendered for some of its awardees (one certificate, a chunk, the print file)."""
        return Job(self.bundle, self.locale, self.document.template, self.document.page, stem, awardees, formats)

    @property
    def calibration_stem(self) -> Path:
        return self.folder / f"{self.document.name}-calibration"


@dataclass
class BuildResult:
    written: OutputFiles = field(default_factory=OutputFiles)
    unchanged: OutputFiles = field(default_factory=OutputFiles)
    removed: list[Path] = field(default_factory=list)  # outputs of an earlier build no longer made
    seconds: float = 0.0
    documents: list[tuple[Job, str]] = field(default_factory=list)  # every document's HTML, for the preview
    # untrusted manifest entries, edited files kept, recovery, messages the documents print untranslated
    warnings: list[str] = field(default_factory=list)


def load_bundles(project: Project) -> list[EventBundle]:
    """Stages 1-4: discover, load strictly, validate, merge. Raises DataError with every problem."""
    paths = discover(project.data_dir)
    events = load_events(paths, tuple(project.locales), project.root, project.templates_dir)
    check_fonts(project, events)
    return [bundle_event(item, project.primary_locale) for item in events]


def plan(
    bundles: Iterable[EventBundle], project: Project, selection: Selection, renderer: Renderer | None = None
) -> list[Job | CertificateSet]:
    locales = selection.locales or tuple(project.locales)
    renderer = renderer or Renderer(project)
    jobs: list[Job | CertificateSet] = []
    for bundle in bundles:
        if selection.events and bundle.event.id not in selection.events:
            continue
        for locale in locales:
            jobs.extend(_jobs_for(bundle, locale, project, selection, renderer))
    return jobs


def _jobs_for(
    bundle: EventBundle, locale: str, project: Project, selection: Selection, renderer: Renderer
) -> list[Job | CertificateSet]:
    """The event's documents in this locale, as the project's document table declares them."""
    base = Path(bundle.event.id) / locale
    jobs: list[Job | CertificateSet] = []
    for document in project.documents:
        if document.only_with_awards and not bundle.awardees:
            continue
        if selection.documents and document.name not in selection.documents:
            continue
        if document.one_per == "event":
            jobs.append(Job(bundle, locale, document.template, document.page, base / document.name))
        else:
            jobs.extend(_per_awardee(document, bundle, locale, base, project, selection, renderer))
    return jobs


def _per_awardee(
    document: DocumentType,
    bundle: EventBundle,
    locale: str,
    base: Path,
    project: Project,
    selection: Selection,
    renderer: Renderer,
) -> list[Job | CertificateSet]:
    _environment, filters = renderer.environment(locale)
    awards = bundle.event.awards  # none: no awardees, so an empty set (a table row may ask for one anyway)
    ordered = tuple(filters.ordered(bundle.awardees, awards.order if awards else "data"))
    certificates = CertificateSet(bundle, locale, base, ordered, document, tuple(project.locales))
    if not selection.archive:
        return [certificates]
    # Archived certificates are each a PDF/A document of their own, typeset alone.
    return [
        certificates.job(certificates.print_stem, ordered, registry.paged_formats()),
        *(certificates.job(stem, (awardee,)) for awardee, stem in zip(ordered, certificates.stems, strict=True)),
    ]


def run_build(
    project: Project, output: Path, selection: Selection = Selection(), progress: Progress | None = None
) -> BuildResult:
    """Load, then write what changed: every output staged, all published only if all succeeded.

    Certificates stream: each chunk is rendered when a worker is ready for it,
    so memory stays bounded whatever the number of awardees.
    """
    started = time.perf_counter()
    output = output.resolve()
    check_output_folder(project, output)  # never the project, data/, templates/ or reporting.toml
    forget_assets()
    area = StagingArea(output, output / STAGING_NAME)
    with Workers(project, area, selection.jobs or default_jobs(), selection.sign_key, selection.force) as workers:
        if _big_data(project):  # forked now, before the data is loaded: the awardees are not copied into them
            workers.start()
        elif selection.force or not (output / MANIFEST_NAME).is_file():
            # Everything will be written (a first build, --force): the workers make their writers while
            # this process loads and renders.
            workers.start(warm=(selection.formats or project.formats, selection.locales or tuple(project.locales)))
        return _run_build(project, output, selection, progress, workers, started)


# Data folders larger than this (about 4,000 awardees) start the workers before loading. A smaller
# build starts them when it has something to write, with everything loaded that they inherit.
BIG_DATA_BYTES = 1_000_000


def _big_data(project: Project) -> bool:
    try:
        return sum(path.stat().st_size for path in project.data_dir.rglob("*") if path.is_file()) > BIG_DATA_BYTES
    except OSError:
        return False


def _run_build(
    project: Project, output: Path, selection: Selection, progress: Progress | None, workers: Workers, started: float
) -> BuildResult:
    bundles = load_bundles(project)  # read, validate, merge: every problem before anything is rendered
    bundles = [without_awardee_models(bundle) for bundle in bundles]  # bundle.awardees is what the build reads
    return_freed_memory()  # what loading held and let go (a big sheet's rows: tens of megabytes)
    _check_selection(bundles, project, selection)
    renderer = Renderer(project)
    planned = plan(bundles, project, selection, renderer)  # which documents, from the document table
    documents = render_documents(planned, renderer, project)  # reports and lists: template errors stop here
    sets = [item for item in planned if isinstance(item, CertificateSet)]  # rendered chunk by chunk, later
    if selection.strict:  # before any typesetting; the certificates' messages are known after theirs
        _refuse_warnings(renderer.untranslated())
    paged_inputs = _paged_inputs(bundles, project, selection)  # what archived and signed PDFs also carry
    result = BuildResult(
        OutputFiles(output), OutputFiles(output), documents=list(documents) if selection.keep_html else []
    )
    # Workers innermost: leaving waits for the files being written before Staging discards or publishes.
    with output_lock(output), Staging(output) as staging, workers:
        _take_over(output, selection, result)
        ledger = Ledger(output, previous_outputs(output, result.warnings), selection.force, staging)
        tasks = TaskPlanner(project, selection, renderer, ledger, paged_inputs, result)
        _write(
            workers,
            (lambda: tasks.tasks(documents, sets), tasks.print_tasks),
            ledger,
            result,
            _Progress(progress, _count_outputs(planned, tasks.formats, tasks.stock == "preprinted")),
        )
        workers.close()  # everything is written: their memory goes before the manifest is made
        result.warnings.extend(renderer.untranslated())
        _publish(project, selection, tasks.formats, ledger, staging, result)
        if selection.strict:
            _refuse_warnings(result.warnings)  # inside the staging: nothing of this build is published
    result.seconds = time.perf_counter() - started
    return result


def render_documents(
    planned: list[Job | CertificateSet], renderer: Renderer, project: Project
) -> list[tuple[Job, str]]:
    """The HTML of every document made once per event (reports, lists), before anything is written."""
    return [(item, render_job(renderer, item, project)) for item in planned if isinstance(item, Job)]


@dataclass(frozen=True)
class PagedInputs:
    """What paged outputs (PDF) carry besides their HTML: the data file when archived, the signer's key."""

    sources: dict[str, bytes]  # event id -> its YAML, attached to archived PDFs
    signer_identity: bytes  # the signing key's hash: a new key re-signs everything
    sheets: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # event id -> the spreadsheet of its awardees


def _paged_inputs(bundles: list[EventBundle], project: Project, selection: Selection) -> PagedInputs:
    sources = {b.event.id: (project.root / b.source).read_bytes() for b in bundles} if selection.archive else {}
    sheets = (
        {b.event.id: (b.sheet.name, (project.root / b.sheet).read_bytes()) for b in bundles if b.sheet is not None}
        if selection.archive
        else {}
    )
    return PagedInputs(sources, _check_signing_key(selection.sign_key), sheets)


@dataclass
class _Progress:
    report: Progress | None
    total: int  # files the build answers for, written or unchanged

    def __call__(self, done: int, target: Path) -> None:
        if self.report:
            self.report(done, self.total, target)


def _write(workers: Workers, stages, ledger: Ledger, result: BuildResult, progress: _Progress) -> None:
    """Hand each stage's tasks to the worker processes and adopt what they staged. Leaving the
    build's ``with Workers`` waits for the running tasks; if it failed, Staging then discards
    everything staged."""
    # The print files need every chunk: a stage of their own, one file at a time (joining one holds
    # all its pages in memory, 10-25 KB each: two at once would double the build's peak).
    for stage, at_once in zip(stages, (None, 1), strict=True):
        with closing(workers.run(stage(), at_once)) as results:
            for written in results:
                for item in written:
                    name = ledger.adopt(item)
                    if name is not None:
                        result.written.append(name)
                        progress(len(result.written) + len(ledger.unchanged), item.target)


def _publish(
    project: Project,
    selection: Selection,
    formats: tuple[str, ...],
    ledger: Ledger,
    staging: Staging,
    result: BuildResult,
) -> None:
    """Stage the removal of outputs no longer made and the new manifest; Staging publishes on exit."""
    output = ledger.output
    result.unchanged = ledger.unchanged
    result.removed = _stale_outputs(output, ledger, selection, formats, result.warnings, project.documents)
    for path in result.removed:
        staging.remove(path, ledger.previous[path.relative_to(output).as_posix()]["sha256"])
    if (
        result.written
        or result.removed
        or _entries_changed(ledger)
        or not (output / MANIFEST_NAME).is_file()
        or _manifest_signature_due(output, selection)
    ):
        try:
            staged = staging.stage_streamed(
                output / MANIFEST_NAME,
                lambda out: write_manifest(out, project, output, ledger.entries, result.removed),
            )
            _stage_manifest_signature(staging, output, staged, selection.sign_key)
        except OSError as exc:  # a full disk at the last file: say which one (nothing is published)
            raise OutputWriteError(
                _("cannot write {file}: {meaning}").format(
                    file=isolate(output / MANIFEST_NAME), meaning=os_error_meaning(exc)
                )
            ) from None


def _manifest_signature_due(output: Path, selection: Selection) -> bool:
    return selection.sign_key is not None and not (output / MANIFEST_SIGNATURE_NAME).is_file()


def _stage_manifest_signature(staging: Staging, output: Path, manifest: Path, key: Path | None) -> None:
    """A signed build signs its manifest (staged at ``manifest``) too (verify checks it); an unsigned
    one removes an old signature."""
    target = output / MANIFEST_SIGNATURE_NAME
    if key is not None:
        from reporting.build.signing import PdfSigner

        staging.stage(target, PdfSigner(key).sign_data(manifest.read_bytes()))
    elif target.is_file():
        staging.remove(target, file_sha256(target))


def _count_outputs(planned: list, formats: tuple[str, ...], preprinted: bool) -> int:
    """How many files the build answers for (written or unchanged), known before anything is rendered."""
    count = 0
    for item in planned:
        if isinstance(item, Job):
            count += sum(1 for name in formats if not item.formats or name in item.formats)
        else:
            count += len(item.awardees) * len(formats) + sum(
                1 + preprinted for name in formats if _makes_print_file(name)
            )
    return count


def _makes_print_file(name: str) -> bool:
    return registry.spec(name).certificates is CertificateBatching.CHUNKED


@dataclass(frozen=True)
class RenderedChunk:
    """Certificates typeset as one PDF, and each one's own HTML."""

    awardees: tuple[Awardee, ...]
    stems: tuple[Path, ...]
    html: str  # the chunk, typeset as one PDF
    singles: tuple[str, ...]  # each certificate's own HTML, for its DOCX
    layers: tuple[Layers, ...] | None = None  # each certificate's static and variable parts, when layered


class Ledger:
    """The freshness decisions of one build: which outputs are current, what every output's key and
    manifest entry is, what was written and what was left unchanged.

    Outputs are named relative to the output folder, one string each shared by every record of
    it (entries, lists of written and unchanged files, the staging's list), and entries are compact
    (manifest.Entry): a big event's build answers for 400,000 files.
    """

    def __init__(self, output: Path, previous: dict[str, dict], force: bool, staging: Staging):
        self.output, self.previous, self.force, self.staging = output, previous, force, staging
        self.links = LinkCheck(output)  # no link on the way to an output: each folder looked at once
        self.entries: dict[str, Entry] = {}
        self.unchanged = OutputFiles(output)
        # Each target being written, until its file is adopted: its name (the object the records then
        # share, not a copy made from the worker's answer) and its key.
        self._pending: dict[str, tuple[str, bytes]] = {}

    def name(self, target: Path) -> str:
        return self.links.name(target)

    def current(self, target: Path, key: str) -> bool:
        """Record ``target``'s key; True (and counted unchanged) if the file on disk was made from it."""
        name = self.links.check(target)
        if not self.force and is_current(self.output, target, self.previous, key, name):
            self.entries[name] = Entry.recorded(self.previous[name], key)
            self.unchanged.append(name)
            return True
        self.staging.prepare(target)  # the worker writes the file into the staging folder
        self._pending[name] = (name, bytes.fromhex(key))
        return False

    def adopt(self, item: Written) -> str | None:
        """Record a file a worker made; its name if it was written (staged), None if it already held
        these bytes."""
        name, key = self._pending.pop(self.name(item.target))
        self.entries[name] = Entry.of(bytes.fromhex(item.sha256), item.size, key)
        if item.temporary is None:  # re-made with the same bytes: left as it is
            self.unchanged.append(name)
            return None
        self.staging.adopt(name)
        return name


class TaskPlanner:
    """What must be written, as tasks for the workers: each output not current by the ledger."""

    def __init__(
        self,
        project: Project,
        selection: Selection,
        renderer: Renderer,
        ledger: Ledger,
        paged_inputs: PagedInputs,
        result: BuildResult,
    ):
        self.project, self.selection, self.renderer = project, selection, renderer
        self.ledger, self.paged_inputs, self.result = ledger, paged_inputs, result
        self.formats = selection.formats or project.formats
        self.output = ledger.output
        self._print_files: list[tuple[Path, list[Path], bool]] = []
        self.cache = chunking.cache_folder()
        chunking.prune(self.cache)
        options = project.print_options
        self.stock = selection.stock or options.stock
        self.layered = project.certificate_layers if selection.layers is None else selection.layers
        self.layered = self.layered or self.stock == "preprinted"  # only the variable layer is printed
        self.offset = options.offset_mm if self.stock == "preprinted" else None

    def current(self, target: Path, key: str) -> bool:
        return self.ledger.current(target, key)

    def tasks(self, documents: list[tuple[Job, str]], sets: list[CertificateSet]) -> Iterator[Task]:
        """``documents`` is emptied as their tasks go out: the HTML of a long list (tens of megabytes)
        is not held for the rest of the build."""
        while documents:
            job, html = documents.pop(0)
            yield from self._document_tasks(job, html)
            del html
        for item in sets:
            yield from self._certificate_tasks(item)

    def _document_tasks(self, job: Job, html: str) -> Iterator[Task]:
        handed: Path | None = None  # a long list's HTML, written once for the workers to read
        for name in self.formats:
            if job.formats and name not in job.formats:
                continue
            paged = registry.spec(name).paged  # archived with the data attached, signed, pages counted
            shown = job.stem.with_suffix(registry.spec(name).suffix)
            source = self.paged_inputs.sources.get(job.bundle.event.id) if paged else None
            sheet = self.paged_inputs.sheets.get(job.bundle.event.id) if source is not None else None
            extra = (
                (source or b"") + (sheet[1] if sheet else b"") + (self.paged_inputs.signer_identity if paged else b"")
            )
            extra += registry.spec(name).settings(self.project)
            if self.current(self.output / shown, output_key(html, name, self.project.templates_dir, extra)):
                continue
            expected = len(job.awardees) if job.awardees and paged else None
            archive = _archive_source(job, source, sheet) if source is not None else None
            if job.rows > self.project.list_part_rows and handed is None:
                handed = self._hand_over(html)
            yield DocumentTask(
                name,
                job.locale,
                job.page,
                "" if handed is not None else html,
                self.output / shown,
                shown,
                expected,
                archive,
                tuple(a.id for a in job.awardees),
                job.rows,
                html_file=handed,
            )

    def _hand_over(self, html: str) -> Path:
        """Write a long list's HTML into the staging folder for the workers to read: a task holding it
        is pickled for each format and waits in the queue to the workers (the lists of 100,000
        awardees, 80 MB each, were half a gigabyte in the main process). Removed with the staging folder."""
        area = self.ledger.staging.area
        path = area.folder / ".html" / f"{hashlib.sha256(html.encode()).hexdigest()}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        return path

    def _certificate_tasks(self, item: CertificateSet) -> Iterator[Task]:
        """Chunk by chunk, rendered as the workers are ready for them; then what the print file needs."""
        size = self.selection.chunk_size or self.project.certificate_chunk
        templates = self.project.templates_dir
        duplex = self.project.print_options.duplex if self.selection.duplex is None else self.selection.duplex
        # The print file's key: every page's key, hashed as they come (a list of them was 100 bytes a certificate).
        print_key = hashlib.sha256()
        chunk_files: list[Path] = []
        current_chunks: list[tuple[int, Path]] = []  # all pages current: typeset again only for the print file
        htmls: list[str] = []
        for number, awardees in enumerate(chunking.cut(item.awardees, size)):
            chunk = self._render_chunk(item, awardees, item.stems_of(awardees))
            if self.selection.keep_html:
                htmls.append(chunk.html)
                self.result.documents.extend(_single_documents(item, chunk))
            if number == 0 and self.offset is not None and "pdf" in self.formats:
                yield from self._calibration_task(item, chunk)
            layered = b"layered " if chunk.layers else b""
            chunk_key = output_key(chunk.html, "pdf", templates, layered + b"certificate chunk")
            cached = self.cache / (f"{chunk_key}-variable.pdf" if self.offset is not None else f"{chunk_key}.pdf")
            chunk_files.append(cached)
            if "pdf" in self.formats:  # CertificateBatching.CHUNKED: typeset together, split per page
                targets: list[Path | None] = []
                for index, stem in enumerate(chunk.stems):
                    key = hashlib.sha256(f"{chunk_key} page {index}".encode()).hexdigest()
                    print_key.update(key.encode() + b" ")
                    target = self.output / stem.with_suffix(".pdf")
                    targets.append(None if self.current(target, key) else target)
                if any(targets):
                    yield self._chunk_task(item, chunk, targets, cached)
                else:
                    current_chunks.append((number, cached))
            for name in self.formats:
                yield from self._single_certificate_tasks(name, item, chunk)
        if self.selection.keep_html and htmls:
            self.result.documents.append((item.job(item.print_stem, item.awardees, ("pdf",)), chunking.join(htmls)))
        if "pdf" not in self.formats:
            return
        target = self.output / item.print_stem.with_suffix(".pdf")
        layout = f"duplex={duplex} stock={self.stock} offset={self.offset}"
        print_key.update(layout.encode())  # the same key as the keys and the layout joined by spaces
        if self.current(target, print_key.hexdigest()):
            return
        for number, cached in current_chunks:
            if cached.is_file():
                chunking.touch(cached)
                continue
            start = number * size  # typeset again for the print file only (its cache was cleared)
            awardees = item.awardees[start : start + size]
            chunk = self._render_chunk(item, awardees, item.stems_of(awardees))
            yield self._chunk_task(item, chunk, [None] * len(chunk.stems), cached)
        self._print_files.append((target, chunk_files, duplex))

    def _render_chunk(
        self, item: CertificateSet, awardees: tuple[Awardee, ...], stems: tuple[Path, ...]
    ) -> RenderedChunk:
        chunk = _render_chunk(self.renderer, item, self.project, awardees, stems)
        if not self.layered:
            return chunk
        try:
            layers = tuple(split_layers(single) for single in chunk.singles)
        except LayerError as exc:
            raise RenderError(f"{isolate('templates/' + item.document.template)}: {exc}") from None
        if not any(part.texts for part in layers):  # a template that marks nothing variable: one layer
            if self.offset is not None:
                raise RenderError(
                    _(
                        "{template} marks no element data-variable: printing on pre-printed stock needs the "
                        "variable texts marked (see docs/templates.md)"
                    ).format(template=isolate("templates/" + item.document.template))
                )
            return chunk
        return replace(chunk, layers=layers)

    def _chunk_task(self, item: CertificateSet, chunk: RenderedChunk, targets: list, cached: Path) -> Task:
        shown = tuple(stem.with_suffix(".pdf") for stem in chunk.stems)
        ids = tuple(a.id for a in chunk.awardees)
        trim = self.project.print_options.needs_marks_area
        if chunk.layers is None:
            return ChunkTask(item.locale, chunk.html, tuple(targets), ids, shown, cached, trim)
        statics = list(dict.fromkeys(part.static_html for part in chunk.layers))
        return LayeredChunkTask(
            item.locale,
            tuple(statics),
            tuple(statics.index(p.static_html) for p in chunk.layers),
            tuple(part.texts for part in chunk.layers),
            tuple(targets),
            ids,
            shown,
            cached,
            self.offset is not None,
            trim,
        )

    def _calibration_task(self, item: CertificateSet, chunk: RenderedChunk) -> Iterator[Task]:
        """The calibration page for pre-printed stock, from the first certificate's static page."""
        target = self.output / item.calibration_stem.with_suffix(".pdf")
        assert chunk.layers is not None and self.offset is not None  # called for layered pre-printed stock only
        static = max(chunk.layers, key=lambda part: len(part.texts)).static_html  # the one with every box
        key = output_key(static, "pdf", self.project.templates_dir, f"calibration {self.offset}".encode())
        if not self.current(target, key):
            yield CalibrationTask(item.locale, static, self.offset, target)

    def _single_certificate_tasks(self, name: str, item: CertificateSet, chunk: RenderedChunk) -> Iterator[Task]:
        """A format that does not typeset chunks writes each certificate from its own HTML: all of a
        chunk in one task when it prepares a document once (DOCX), else one task each."""
        batching = registry.spec(name).certificates
        if batching is CertificateBatching.CHUNKED:
            return
        htmls, targets, shown = [], [], []
        for html, stem in zip(chunk.singles, chunk.stems, strict=True):
            target = self.output / stem.with_suffix(registry.spec(name).suffix)
            if not self.current(
                target, output_key(html, name, self.project.templates_dir, registry.spec(name).settings(self.project))
            ):
                htmls.append(html)
                targets.append(target)
                shown.append(target.relative_to(self.output))
        if not targets:
            return
        if batching is CertificateBatching.PREPARED:
            yield PreparedCertificatesTask(
                name, item.locale, item.document.page, tuple(htmls), tuple(targets), tuple(shown)
            )
            return
        for html, target, relative in zip(htmls, targets, shown, strict=True):
            yield DocumentTask(name, item.locale, item.document.page, html, target, relative)

    def print_tasks(self) -> list[Task]:
        """The print files, joined once every chunk they need is typeset (and cached)."""
        tasks: list[Task] = []
        for target, chunk_files, duplex in self._print_files:
            missing = [path for path in chunk_files if not path.is_file()]
            if missing:
                raise RenderError(
                    f"{isolate(target.relative_to(self.output))}: "
                    + _(
                        "the typeset chunk {file} could not be kept for the print file (is the cache folder "
                        "writable? XDG_CACHE_HOME)"
                    ).format(file=isolate(missing[0]))
                )
            tasks.append(PrintFileTask(tuple(chunk_files), duplex, target, self.offset))
        return tasks


def _single_documents(item: CertificateSet, chunk: RenderedChunk) -> list[tuple[Job, str]]:
    return [
        (item.job(stem, (awardee,)), single)
        for awardee, stem, single in zip(chunk.awardees, chunk.stems, chunk.singles, strict=True)
    ]


def _take_over(output: Path, selection: Selection, result: BuildResult) -> None:
    """With the lock held: finish what a killed build left, and refuse a folder of someone else's files."""
    done = recover(output)
    if done:
        result.warnings.append(Notice(f"{isolate(output)}: {done}", "publication-completed"))
    refuse_foreign_folder(output, selection.force_into)


def _stale_outputs(
    output: Path,
    ledger: Ledger,
    selection: Selection,
    formats: tuple[str, ...],
    warnings: list[str],
    documents: tuple[DocumentType, ...] = (),
) -> list[Path]:
    """Files an earlier build made (listed in its manifest) that this build, covering the same
    events, locales, documents and formats, no longer makes: a renamed awardee's old certificate, a removed
    awardee's, an event whose data file is gone. Files the manifest does not list are never touched,
    nor those edited since (their bytes no longer match the manifest): they are kept and reported."""
    stale = []
    for name, entry in ledger.previous.items():
        target = output / name
        parts = Path(name).parts
        if name in ledger.entries or len(parts) < 3 or not target.is_file():
            continue
        event, locale, suffix = parts[0], parts[1], target.suffix.lstrip(".")
        if (
            (selection.events and event not in selection.events)
            or (selection.locales and locale not in selection.locales)
            or suffix not in formats
            or (selection.documents and _document_of(parts, documents) not in selection.documents)
        ):
            continue
        if file_sha256(target) != entry["sha256"]:
            kept = _(
                "kept {file}: an earlier build made it, this one no longer does, but it was changed since (its "
                "bytes differ from manifest.json); delete it yourself if it is not needed"
            )
            warnings.append(Notice(kept.format(file=isolate(name)), "edited-output-kept"))
            continue
        stale.append(target)
    return sorted(stale)


def _entries_changed(ledger: Ledger) -> bool:
    """True if an output's entry differs from the one the folder's manifest records (or it has none)."""
    return any(not entry.same_as(ledger.previous.get(name)) for name, entry in ledger.entries.items())


def _document_of(parts: tuple[str, ...], documents: tuple[DocumentType, ...]) -> str | None:
    """The kind of document an output ``<event>/<locale>/...`` belongs to: a one-per-awardee document's
    folder and print file (and its calibration page) are its own. None for a name no document makes
    now (a document since removed from the table): never selected, so never taken for stale."""
    name = parts[2] if len(parts) > 3 else Path(parts[2]).stem  # <name>/NN-id-slug.pdf or <name>.pdf
    for document in documents:
        per_awardee = document.one_per == "awardee"
        if name == document.name or (per_awardee and len(parts) == 3 and name == f"{document.name}-calibration"):
            return document.name
    return None


def _check_signing_key(key: Path | None) -> bytes:
    """Open the signing key once here, so a wrong passphrase stops the build before anything is
    written; its hash goes into the signed outputs' keys."""
    if key is None:
        return b""
    from reporting.build.signing import PdfSigner

    PdfSigner(key)
    return hashlib.sha256(key.read_bytes()).digest()


def _archive_source(job: Job, data: bytes, sheet: tuple[str, bytes] | None = None):
    from reporting.writers.pdf import ArchiveSource

    return ArchiveSource(
        name=job.bundle.source.name, data=data, date=job.bundle.event.date, sheets=(sheet,) if sheet else ()
    )


def render_job(
    renderer: Renderer,
    job: Job,
    project: Project,
    awardees: tuple[Awardee, ...] | None = None,
    page: PageGeometry | None = None,
) -> str:
    """A job's HTML (or that of some of its awardees), within the time limit, its text checked against the fonts."""
    awardees = job.awardees if awardees is None else awardees
    rendering = _("rendering {template} for {file}").format(template=isolate(job.template), file=isolate(job.stem))
    with time_limit(scaled(project.job_time_limit_s, job.rows), rendering):
        html = renderer.render(job.template, job.locale, job.bundle, page or project.page(job.page), awardees=awardees)
    check_rendered_text(project, job.locale, html, f"{job.template} ({job.locale})")
    return html


def _render_chunk(
    renderer: Renderer, item: CertificateSet, project: Project, awardees: tuple[Awardee, ...], stems: tuple[Path, ...]
) -> RenderedChunk:
    """A chunk's HTML (typeset together) and each certificate's own HTML (for its DOCX)."""
    options = project.print_options  # the chunks make the print file: its bleed and crop marks
    page = replace(project.page(item.document.page), bleed_mm=options.bleed_mm, crop_marks=options.crop_marks)
    job = item.job(item.print_stem, awardees)
    html = render_job(renderer, job, project, page=page)
    singles = chunking.single_certificates(html, len(awardees))
    if singles is None:  # a template of another shape: render each certificate alone
        singles = [render_job(renderer, job, project, (awardee,), page) for awardee in awardees]
    return RenderedChunk(awardees, stems, html, tuple(singles))


def render_certificate_set(
    renderer: Renderer, item: CertificateSet, project: Project, size: int
) -> list[RenderedChunk]:
    """Every chunk of a set at once (for tests and tools; the build renders them as it goes)."""
    pieces = chunking.cut(item.awardees, size)
    return [_render_chunk(renderer, item, project, awardees, item.stems_of(awardees)) for awardees in pieces]


def _check_selection(bundles: list[EventBundle], project: Project, selection: Selection) -> None:
    known = {b.event.id for b in bundles}
    unknown = [e for e in selection.events if e not in known]
    if unknown:
        known_text = isolate(", ".join(sorted(known))) if known else _("none")
        raise SelectionError(
            _("unknown event {events}; the data has: {known}").format(
                events=isolate(", ".join(unknown)), known=known_text
            )
        )
    unknown = [code for code in selection.locales if code not in project.locales]
    if unknown:
        raise SelectionError(
            _("unknown locale {locales}; configured: {configured}").format(
                locales=isolate(", ".join(unknown)), configured=isolate(", ".join(project.locales))
            )
        )
    kinds = [document.name for document in project.documents]
    unknown = [name for name in selection.documents if name not in kinds]
    if unknown:
        raise SelectionError(
            _("unknown document {documents}; the [documents] table of reporting.toml has: {kinds}").format(
                documents=isolate(", ".join(unknown)), kinds=isolate(", ".join(kinds))
            )
        )
    if selection.archive and (selection.stock or project.print_options.stock) == "preprinted":
        raise SelectionError(
            _(
                "--archive typesets every certificate and the print file whole, as PDF/A documents: it cannot "
                "print on pre-printed stock (print.stock); add --stock plain"
            )
        )


def _refuse_warnings(warnings: list[str]) -> None:
    if warnings:
        raise StrictFailure(warnings)
