"""The print file written chunk by chunk (writers/pdf_stream.py) against the whole-document join it replaced.

The chunks are the real ones a build typesets (Directive 35, five certificates a chunk, as layers);
the reference is the join the build made before: every page appended to one pikepdf document and
saved by qpdf. Same pages, same texts in the same order, same boxes, same blank backs, same
document information; and its memory does not grow with the number of chunks.
"""

from __future__ import annotations

import io
import os
import subprocess
import tracemalloc
from pathlib import Path

import pikepdf
import pytest

from conftest import LOCALES, copy_project, run_cli, with_crop_marks_and_bleed
from reporting.build.publish import StagingArea
from reporting.build.workers import Worker
from reporting.config import load_project
from reporting.errors import RenderError
from reporting.writers.drawn_chunk import is_drawn_chunk
from reporting.writers.pdf_overlay import shift, trim
from reporting.writers.pdf_split import chunk_pdf, save_pdf, write_print_file
from reporting.writers.pdf_stream import StreamedPdf
from textutil import pdf_pages, squeeze

D35 = "directive-35-review"
OFFSET = (2.5, -1.5)  # a pre-printed stock's calibration offset, millimetres


@pytest.fixture(scope="module")
def chunks(tmp_path_factory) -> dict[str, list[Path]]:
    """Each language's typeset chunks in print order (five certificates each), as the build kept them."""
    root = tmp_path_factory.mktemp("print-stream")
    project = copy_project(root)
    with_crop_marks_and_bleed(project)  # the chunks' pages carry trim and bleed boxes the print file must keep
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    try:
        code, _, err = run_cli(
            "--project", str(project), "--event", D35, "--format", "pdf", "--chunk-size", "5",
            "--output", str(root / "out"), "-q",
        )  # fmt: skip
        assert code == 0, err
    finally:
        os.environ.pop("XDG_CACHE_HOME") if previous is None else os.environ.update(XDG_CACHE_HOME=previous)
    found: dict[str, list[Path]] = {}
    cached = [path for path in (root / "cache" / "reporting" / "pdf-chunks").glob("*.pdf") if "static" not in path.name]
    assert all(is_drawn_chunk(path.read_bytes()) for path in cached)  # drawn directly, kept as drawn
    for locale in LOCALES:
        printed = [squeeze(page) for page in pdf_pages(root / "out" / D35 / locale / "certificates.pdf")]
        ordered = {}
        for path in cached:
            first = squeeze(pdf_pages(_as_pdf(path, root / "as-pdf"))[0])
            if first in printed:
                ordered[printed.index(first)] = path
        found[locale] = [ordered[start] for start in sorted(ordered)]
        assert len(found[locale]) == 5  # 25 certificates a language
    return found


def _as_pdf(path: Path, folder: Path) -> Path:
    """A kept chunk as a PDF file (one kept as drawn pages, written out)."""
    folder.mkdir(exist_ok=True)
    made = folder / path.name
    made.write_bytes(chunk_pdf(path.read_bytes()))
    return made


def joined_whole(chunks: list[Path], duplex: bool, offset_mm=None) -> bytes:
    """The print file as the build joined it before: every page in one pikepdf document, saved by qpdf."""
    combined = pikepdf.new()
    info = None
    for path in chunks:
        chunk = pikepdf.open(io.BytesIO(chunk_pdf(path.read_bytes())))
        if info is None and "/Info" in chunk.trailer:
            info = combined.copy_foreign(chunk.trailer.Info)
        for page in chunk.pages:
            combined.pages.append(page)
            page = combined.pages[-1]
            if offset_mm is not None:
                trim(page)
                shift(combined, page, offset_mm)
            if duplex:
                box = [float(v) for v in page.obj.MediaBox]
                blank = combined.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
                blank.obj.MediaBox = pikepdf.Array(box)
    if info is not None:
        combined.trailer.Info = info
    return save_pdf(combined)


def streamed(chunks: list[Path], duplex: bool, offset_mm=None) -> bytes:
    out = io.BytesIO()
    write_print_file(out, chunks, duplex, offset_mm)
    return out.getvalue()


def _boxes(path: Path) -> list[dict[str, list[float]]]:
    with pikepdf.open(path) as pdf:
        names = ("/MediaBox", "/TrimBox", "/BleedBox")
        return [
            {box: [round(float(v), 3) for v in page.obj[box]] for box in names if box in page.obj} for page in pdf.pages
        ]


def _word_boxes(path: Path) -> list[str]:
    """Every word with its position, as pdftotext places it (the offset moves them all)."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in html.splitlines() if line.strip().startswith(("<word", "<page"))]


def _check(path: Path) -> None:
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("duplex", [False, True], ids=["simplex", "duplex"])
@pytest.mark.parametrize("offset_mm", [None, OFFSET], ids=["plain", "preprinted-offset"])
def test_streamed_print_file_equals_the_whole_document_join(chunks, locale, duplex, offset_mm, tmp_path):
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    old.write_bytes(joined_whole(chunks[locale], duplex, offset_mm))
    new.write_bytes(streamed(chunks[locale], duplex, offset_mm))
    _check(new)
    old_pages, new_pages = pdf_pages(old), pdf_pages(new)
    assert len(new_pages) == (50 if duplex else 25)
    assert new_pages == old_pages  # the same texts, page by page, in the same order
    if duplex:
        assert not any(page.strip() for page in new_pages[1::2])  # the blank backs
        with pikepdf.open(new) as pdf:
            assert all("/Contents" not in page.obj for page in pdf.pages[1::2])
    assert _boxes(new) == _boxes(old)  # media, trim and bleed boxes (cut to the sheet with an offset)
    assert _word_boxes(new) == _word_boxes(old)  # every word where it was: the offset moved them alike
    with pikepdf.open(old) as one, pikepdf.open(new) as two:
        assert dict(two.docinfo) == dict(one.docinfo) and "/Title" in two.docinfo


@pytest.mark.slow
def test_the_same_chunks_give_the_same_bytes_and_their_id_follows_the_content(chunks):
    first = streamed(chunks["vi"], True)
    assert streamed(chunks["vi"], True) == first
    other = streamed(chunks["vi"][:-1], True)
    with pikepdf.open(io.BytesIO(first)) as one, pikepdf.open(io.BytesIO(other)) as two:
        assert one.trailer.ID[0] == one.trailer.ID[1]
        assert bytes(one.trailer.ID[0]) != bytes(two.trailer.ID[0])


@pytest.mark.slow
def test_what_repeats_in_every_chunk_is_written_once(chunks):
    """The static layer's Form XObject (and what it uses) comes with every chunk; the file keeps one copy."""
    data = streamed(chunks["vi"] * 4, False)
    whole = joined_whole(chunks["vi"] * 4, False)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 100
        forms = {page.Resources.XObject["/StaticLayer"].objgen for page in pdf.pages}
    with pikepdf.open(io.BytesIO(whole)) as pdf:
        copies = {page.Resources.XObject["/StaticLayer"].objgen for page in pdf.pages}
    assert len(forms) <= 2 < len(copies)  # groups' and individuals' static pages, against one a chunk
    assert len(data) < len(whole)


def _distinct_chunks(chunks: list[Path], count: int, folder: Path) -> list[Path]:
    """``count`` chunks with pages of their own (a mark in each page's content), as a big event has."""
    made = []
    for number in range(count):
        with pikepdf.open(io.BytesIO(chunk_pdf(chunks[number % len(chunks)].read_bytes()))) as pdf:
            for page in pdf.pages:
                page.contents_add(pikepdf.Stream(pdf, b"%% chunk %d\n" % number))
            path = folder / f"chunk-{number}.pdf"
            pdf.save(path)
            made.append(path)
    return made


def _traced_peak(chunks: list[Path]) -> tuple[int, StreamedPdf]:
    sink = type("Sink", (), {"write": lambda self, data: len(data)})()  # what is written goes to a file
    combined = None
    tracemalloc.start()
    try:
        combined = StreamedPdf(sink)
        for path in chunks:
            with pikepdf.open(path) as chunk:
                for page in chunk.pages:
                    combined.add_page(page)
                    combined.add_blank_page([0, 0, 842, 595])
                combined.end_chunk()
        combined.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, combined


@pytest.mark.slow
def test_memory_of_the_join_does_not_grow_with_the_chunks(chunks, tmp_path):
    made = _distinct_chunks(chunks["ar"], 40, tmp_path)
    peak_10, ten = _traced_peak(made[:10])
    peak_40, forty = _traced_peak(made)
    assert len(forty.pages) == 4 * len(ten.pages) == 400
    assert peak_40 < 1.5 * peak_10, (peak_10, peak_40)  # four times the chunks, not four times the memory
    # The content-hash table keeps the last chunk's objects and those that repeat, not every chunk's.
    kept = lambda pdf: len(pdf.shared) + len(pdf.previous) + len(pdf.current)  # noqa: E731
    assert kept(forty) <= kept(ten) + 5


def test_a_print_file_of_no_pages_is_refused_and_nothing_stays_staged(tmp_path):
    project = load_project(copy_project(tmp_path))
    output = tmp_path / "out"
    area = StagingArea(output, output / ".staging")
    worker = Worker(project, area, None)
    with pytest.raises(RenderError, match="no pages"):
        worker.stage_streamed(output / "certificates.pdf", lambda out: write_print_file(out, [], False))
    assert not list(area.folder.rglob("*.pdf"))


def test_a_print_file_already_holding_the_same_bytes_is_left_alone(tmp_path):
    project = load_project(copy_project(tmp_path))
    output = tmp_path / "out"
    target = output / "certificates.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"%PDF the same bytes")
    area = StagingArea(output, output / ".staging")
    same = Worker(project, area, None).stage_streamed(target, lambda out: out.write(b"%PDF the same bytes"))
    assert same.temporary is None and same.size == len(b"%PDF the same bytes")
    assert not area.path_for(target).exists()
    changed = Worker(project, area, None).stage_streamed(target, lambda out: out.write(b"%PDF other bytes"))
    assert changed.temporary == area.path_for(target) and changed.temporary.read_bytes() == b"%PDF other bytes"
    forced = Worker(project, area, None, force=True).stage_streamed(
        target, lambda out: out.write(b"%PDF the same bytes")
    )
    assert forced.temporary is not None  # --force writes every file


def _linked_chunk(path: Path) -> Path:
    """Two pages, the first with a link to the second and an annotation pointing back to its page."""
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page(page_size=(842, 595))
    first, second = pdf.pages
    link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[10, 10, 100, 40],
            Dest=[second.obj, pikepdf.Name.Fit],
            P=first.obj,
        )
    )
    first.obj.Annots = pikepdf.Array([link])
    pdf.save(path)
    return path


def test_a_link_to_another_page_does_not_bring_the_chunks_page_tree(tmp_path):
    chunk = _linked_chunk(tmp_path / "linked.pdf")
    path = tmp_path / "print.pdf"
    with open(path, "wb") as out:
        write_print_file(out, [chunk, chunk], duplex=False)
    _check(path)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 4
        annotation = pdf.pages[0].Annots[0]
        assert annotation.P.objgen == pdf.pages[0].objgen  # back to its own page in the print file
        assert annotation.Dest[0] is None  # the chunk's other page is not copied beside the file's pages
        assert all(obj.get("/Type") != pikepdf.Name.Pages for obj in pdf.objects if obj.objgen != pdf.Root.Pages.objgen)
