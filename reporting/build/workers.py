"""Long-lived worker processes that write the documents a build has rendered to HTML.

Each worker imports WeasyPrint, loads its fonts and keeps its writers (with
their parsed stylesheets and prepared DOCX parts) for the whole build, and
writes its files itself into the build's staging folder (publish.StagingArea): the
parent only adopts them (publish.Staging), so megabytes of DOCX never cross a pipe.
Whatever the number of workers, every file's bytes depend only on its task.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reporting.build import cache
from reporting.build.limits import scaled, time_limit
from reporting.build.lock import release_inherited_locks
from reporting.build.publish import HashingWriter, StagingArea, file_sha256
from reporting.config import Project
from reporting.errors import OutputWriteError, PageOverflow, RenderError, os_error_meaning
from reporting.tool_language import _, isolate
from reporting.writers import registry
from reporting.writers.registry import Writer

if TYPE_CHECKING:  # imported when the first PDF is signed: pyHanko takes a while to import
    from reporting.build.layered_certificates import LayeredCertificates
    from reporting.build.signing import PdfSigner


@dataclass(frozen=True)
class Written:
    """A file a task staged for ``target``; None when the target already holds these bytes."""

    target: Path
    temporary: Path | None
    sha256: str
    size: int


@dataclass(frozen=True)
class DocumentTask:
    """One document in one format."""

    format: str
    locale: str
    page: str
    html: str
    target: Path
    shown: Path  # the target as messages name it
    expected_pages: int | None = None
    archive: object | None = None  # writers.pdf.ArchiveSource for PDF/A with the data attached
    awardee_ids: tuple[str, ...] = ()
    rows: int = 0  # rows the document lists: its time limit grows with them
    html_file: Path | None = None  # a long list's HTML, handed over in a file (``html`` is then empty)


@dataclass(frozen=True)
class ChunkTask:
    """Certificates typeset as one PDF, split per awardee; ``targets[i]`` is None when page i is current."""

    locale: str
    html: str
    targets: tuple[Path | None, ...]
    awardee_ids: tuple[str, ...]
    shown: tuple[Path, ...]  # each certificate's file, as messages name it
    cache: Path | None  # where the whole chunk is kept for the print file
    trim: bool  # cut each certificate to its trim box (the chunk has bleed or crop marks)


@dataclass(frozen=True)
class LayeredChunkTask:
    """Certificates as layers: each distinct static page typeset once, the variable boxes many to a document.

    ``statics`` are the distinct static pages' HTML; awardee i is drawn on
    ``statics[static_of[i]]`` with ``texts[i]``. ``cache`` keeps what the print
    file is joined from: the whole pages, or (``variable_only``, for pre-printed
    stock) the variable layer alone.
    """

    locale: str
    statics: tuple[str, ...]
    static_of: tuple[int, ...]
    texts: tuple[tuple, ...]  # per awardee: writers.layer_html.VariableText, one per variable box
    targets: tuple[Path | None, ...]
    awardee_ids: tuple[str, ...]
    shown: tuple[Path, ...]
    cache: Path | None
    variable_only: bool
    trim: bool


@dataclass(frozen=True)
class CalibrationTask:
    """The calibration page for pre-printed stock: a ruler grid and crosshairs at the variable boxes."""

    locale: str
    static: str  # the static page's HTML, whose variable boxes are marked
    offset_mm: tuple[float, float]
    target: Path


@dataclass(frozen=True)
class PreparedCertificatesTask:
    """The certificates of one chunk in a format that prepares a document once and fills in each
    awardee (``CertificateBatching.PREPARED``: DOCX), each from its own HTML."""

    format: str
    locale: str
    page: str
    htmls: tuple[str, ...]
    targets: tuple[Path, ...]
    shown: tuple[Path, ...]


@dataclass(frozen=True)
class PrintFileTask:
    """The combined print file, joined from the chunks' PDFs."""

    chunks: tuple[Path, ...]
    duplex: bool
    target: Path
    offset_mm: tuple[float, float] | None = None  # pre-printed stock: variable layers, moved by this


# The formats and locales whose writers a worker makes as it starts.
Warm = tuple[tuple[str, ...], tuple[str, ...]]

Task = DocumentTask | ChunkTask | LayeredChunkTask | CalibrationTask | PreparedCertificatesTask | PrintFileTask


class Worker:
    """What one process keeps between tasks: the project, its writers, the PDF signer."""

    def __init__(self, project: Project, area: StagingArea, sign_key: Path | None, force: bool = False):
        self.project, self.area = project, area
        self.sign_key = sign_key
        self.force = force  # --force: write every file, even one already holding the same bytes
        self._writers: dict[tuple[str, str, bool], Writer] = {}
        self._signer: PdfSigner | None = None
        self._layers: LayeredCertificates | None = None

    def run(self, task: Task) -> list[Written]:
        if isinstance(task, DocumentTask):
            return [self._document(task)]
        if isinstance(task, ChunkTask):
            return self._chunk(task)
        if isinstance(task, PreparedCertificatesTask):
            return self._prepared_certificates(task)
        if isinstance(task, LayeredChunkTask):
            return self.layers.chunk(task)
        if isinstance(task, CalibrationTask):
            return [self.layers.calibration(task)]
        return [self._print_file(task)]

    def warm_up(self, formats: tuple[str, ...], locales: tuple[str, ...]) -> None:
        """Make the writers of these formats and locales now (a first build, while the parent loads and
        renders), and what they prepare before their first document (``warm_up()``: the DOCX font
        subsets, each made by one worker): the first tasks then only write. What fails here is said
        again, with its message, by the task that needs it."""
        for name in formats:
            for locale in locales:
                for batch in (False, True) if registry.spec(name).make_batch is not None else (False,):
                    try:
                        writer = self.writer(name, locale, batch)
                        getattr(writer, "warm_up", lambda: None)()
                    except Exception:  # reported by the task that needs this writer
                        self._writers.pop((name, locale, batch), None)

    @property
    def layers(self):
        if self._layers is None:
            from reporting.build.layered_certificates import LayeredCertificates

            self._layers = LayeredCertificates(self)
        return self._layers

    def writer(self, name: str, locale: str, batch: bool = False):
        """The worker's writer of a format for a locale (``batch``: its certificate batch writer), made once."""
        if (name, locale, batch) not in self._writers:
            self._writers[name, locale, batch] = make_writer(self.project, name, locale, batch)
        return self._writers[name, locale, batch]

    def _document(self, task: DocumentTask) -> Written:
        limit = scaled(self.project.job_time_limit_s, task.rows)
        with time_limit(limit, _writing(task.shown)), named(task.shown, task.awardee_ids):
            html = task.html if task.html_file is None else task.html_file.read_text(encoding="utf-8")
            writer = self.writer(task.format, task.locale)
            geometry = self.project.page(task.page)
            parts = self._parts(task, html) if hasattr(writer, "write_parts") else None  # a writer joining parts
            if parts is not None:
                data = writer.write_parts(html, parts, geometry)
                data = self._signed(data) if registry.spec(task.format).paged else data
            elif registry.spec(task.format).paged:
                data = self._signed(
                    writer.write(html, geometry, expected_pages=task.expected_pages, archive=task.archive)
                )
            else:
                data = writer.write(html, geometry)
        return self.stage(task.target, data)

    def _parts(self, task: DocumentTask, html: str) -> list[str] | None:
        """A long list's HTML in parts typeset one after the other (memory follows the part); None for
        a document short enough to write whole, or archived (a PDF/A document is typeset whole)."""
        if task.rows <= self.project.list_part_rows or task.archive is not None or task.expected_pages:
            return None
        from reporting.writers.html_parts import split_rows

        return split_rows(html, self.project.list_part_rows)

    def _chunk(self, task: ChunkTask) -> list[Written]:
        from reporting.writers.pdf_split import split_pages

        count = len(task.targets)
        writer = self.writer("pdf", task.locale)
        with time_limit(self.project.job_time_limit_s * count, writing_chunk(task.shown[0])):
            try:
                pdf = writer.write(task.html, expected_pages=count)
            except RenderError as exc:
                if not isinstance(exc, PageOverflow):
                    where = _("{file} (or another of its chunk)").format(file=isolate(task.shown[0]))
                    raise RenderError(f"{where}: {exc}") from None
                self._find_overflow(task, writer)
                raise
        if task.cache is not None:
            cache.keep(task.cache, pdf)
        wanted = [(i, target) for i, target in enumerate(task.targets) if target is not None]
        pages = split_pages(pdf, [i for i, _ in wanted], trim=task.trim)
        return [self.stage(target, pages[i]) for i, target in wanted]

    def _find_overflow(self, task: ChunkTask, writer) -> None:
        """A chunk came out with too many pages: name the certificate that needs two."""
        from reporting.build.chunks import single_certificates

        singles = single_certificates(task.html, len(task.targets)) or ()  # none: a template not cut apart
        for html, shown, awardee in zip(singles, task.shown, task.awardee_ids, strict=False):
            with named(shown, (awardee,)):
                writer.write(html, expected_pages=1)

    def _prepared_certificates(self, task: PreparedCertificatesTask) -> list[Written]:
        writer = self.writer(task.format, task.locale, batch=True)
        geometry = self.project.page(task.page)
        if len(task.htmls) > 1 and hasattr(writer, "expect"):
            writer.expect(task.htmls[1], geometry)  # the first certificate prepares the batch's document
        written = []
        for html, target, shown in zip(task.htmls, task.targets, task.shown, strict=True):
            with time_limit(self.project.job_time_limit_s, _writing(shown)), named(shown, ()):
                written.append(self.stage(target, writer.write(html, geometry)))
        return written

    def _print_file(self, task: PrintFileTask) -> Written:
        from reporting.build.memory import return_freed_memory
        from reporting.writers.pdf_split import write_print_file

        def write(out: HashingWriter) -> None:
            write_print_file(out, task.chunks, task.duplex, task.offset_mm)

        written = self.stage_streamed(task.target, write)
        return_freed_memory()  # what the chunks' pages held is let go: the process shrinks back
        return written

    def stage(self, target: Path, data: bytes) -> Written:
        """Stage ``data`` for ``target``, unless the file already holds exactly these bytes (a certificate
        re-typeset with its chunk usually does): it is then left alone, modification time and all."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            if not self.force and target.stat().st_size == len(data) and target.read_bytes() == data:
                return Written(target, None, digest, len(data))
        except OSError:
            pass
        try:
            return Written(target, self.area.write(target, data), digest, len(data))
        except OSError as exc:  # disk full, read-only: say which file, not where in the worker it happened
            raise OutputWriteError(
                _("cannot write {file}: {meaning}").format(file=isolate(target), meaning=os_error_meaning(exc))
            ) from None

    def stage_streamed(self, target: Path, write: Callable[[HashingWriter], None]) -> Written:
        """Stage the file ``write`` writes piece by piece, as ``stage`` does (left alone if the target
        already holds exactly these bytes)."""
        try:
            path, digest, size = self.area.write_streamed(target, write)
        except OSError as exc:
            raise OutputWriteError(
                _("cannot write {file}: {meaning}").format(file=isolate(target), meaning=os_error_meaning(exc))
            ) from None
        try:
            if not self.force and target.stat().st_size == size and file_sha256(target) == digest:
                path.unlink()
                return Written(target, None, digest, size)
        except OSError:
            pass
        return Written(target, path, digest, size)

    def _signed(self, pdf: bytes) -> bytes:
        """The PDF signed with --sign's key (the signer is made once per process), or as it was without one."""
        if self.sign_key is None:
            return pdf
        if self._signer is None:
            from reporting.build.signing import PdfSigner

            self._signer = PdfSigner(self.sign_key)
        return self._signer.sign(pdf)


def make_writer(project: Project, name: str, locale: str, batch: bool = False) -> Writer:
    """A registered format's writer for one locale; ``batch``: the one that writes its certificates."""
    spec = registry.spec(name)
    make = spec.make_batch if batch and spec.make_batch is not None else spec.make
    return make(project, locale)


@contextmanager
def named(shown: Path, awardee_ids: tuple[str, ...]):
    """Prefix a RenderError with the file being written (and the awardees, for a page overflow)."""
    try:
        yield
    except RenderError as exc:
        if str(exc).startswith(f"{isolate(shown)}:"):
            raise
        hint = ""
        if awardee_ids and isinstance(exc, PageOverflow):
            hint = " " + _(
                "(a name or the citation is too long for one certificate page; awardees: {awardees})"
            ).format(awardees=isolate(", ".join(awardee_ids)))
        raise RenderError(f"{isolate(shown)}: {exc}{hint}") from None


def _writing(shown: Path) -> str:
    """What a time limit names: the file being written."""
    return _("writing {file}").format(file=isolate(shown))


def writing_chunk(first: Path) -> str:
    """What a chunk's time limit names: its first certificate and the rest."""
    return _("writing {file} and the rest of its chunk").format(file=isolate(first))


# -- the pool ---------------------------------------------------------------

_WORKER: Worker | None = None


def _start(
    project: Project,
    area: StagingArea,
    sign_key: Path | None,
    force: bool,
    parent: int,
    warm: Warm | None = None,
) -> None:
    global _WORKER
    release_inherited_locks()
    _die_with(parent)
    # Ctrl-C reaches the whole process group: the build decides (it waits for running
    # tasks, then removes what was staged); a worker dying mid-file would only leave litter.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = Worker(project, area, sign_key, force)
    if warm is not None:
        _WORKER.warm_up(*warm)


def _die_with(parent: int) -> None:
    """A worker of a build killed with ``kill -9`` must not go on (Linux: PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the pool's own shutdown still ends workers of a build that exits
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _run_in_worker(task: Task) -> list[Written]:
    assert _WORKER is not None
    return _WORKER.run(task)


class Workers:
    """``jobs`` worker processes (forked, so they start with the parent's imports); one means in-process.

    At most two tasks per worker are in flight, so memory stays bounded
    whatever the number of awardees.
    """

    def __init__(
        self, project: Project, area: StagingArea, jobs: int, sign_key: Path | None = None, force: bool = False
    ):
        self.jobs = max(1, jobs)
        self.project, self.area, self.sign_key, self.force = project, area, sign_key, force
        self._executor: ProcessPoolExecutor | None = None
        self._local: Worker | None = None
        self._warm: Warm | None = None  # writers the processes make as they start (start(warm=...))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Wait for the running tasks, cancel the others and end the processes (again: nothing)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def start(self, warm: Warm | None = None) -> None:
        """Start the processes now (with more than one job), while the parent is small: forked later,
        each would start with a copy of everything the parent then holds (a big event's data).

        The parent imports the writers' libraries first (the processes share those pages). ``warm``
        (formats, locales): each process also makes those writers as it starts, while the parent goes on
        loading and rendering (not waited for)."""
        if self.jobs > 1:
            _import_writers()
            self._warm = warm
            executor = self._pool()
            futures = [executor.submit(os.getpid) for _ in range(self.jobs)]
            if warm is None:
                for future in futures:
                    future.result()

    def run(self, tasks: Iterable[Task], at_once: int | None = None) -> Generator[list[Written], None, None]:
        """Each task's files as it finishes; ``at_once``: at most that many tasks running (tasks whose
        memory grows with the batch). If one fails (or the caller stops), the tasks not started are
        cancelled; leaving the ``with`` block waits for those running."""
        queue = iter(tasks)
        first = list(itertools.islice(queue, 2))  # one task alone is not worth starting processes
        queue = itertools.chain(first, queue)
        if self.jobs == 1 or len(first) < 2:
            if self._local is None:
                self._local = Worker(self.project, self.area, self.sign_key, self.force)
            for task in queue:
                yield self._local.run(task)
            return
        executor = self._pool()
        pending: set[Future] = set()
        try:
            while True:
                while len(pending) < (at_once or 2 * self.jobs):
                    queued = next(queue, None)
                    if queued is None:
                        break
                    pending.add(executor.submit(_run_in_worker, queued))
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # fork: workers inherit the imports (WeasyPrint takes half a second to import).
            context = multiprocessing.get_context("fork")
            self._executor = ProcessPoolExecutor(
                self.jobs,
                mp_context=context,
                initializer=_start,
                initargs=(self.project, self.area, self.sign_key, self.force, os.getpid(), self._warm),
            )
        return self._executor


def _import_writers() -> None:
    """The libraries the shipped writers use, imported once before the fork (each worker would
    otherwise import them inside its first task's time limit)."""
    import docx  # noqa: F401
    import fontTools.ttLib  # noqa: F401
    import weasyprint  # noqa: F401


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
