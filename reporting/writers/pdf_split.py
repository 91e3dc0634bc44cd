"""Page surgery on finished PDFs with pikepdf (qpdf): split a chunk of certificates, join a print file.

Typesetting fifty certificates in one WeasyPrint document and splitting it costs
about half of typesetting each alone (layout set-up, font subsetting and PDF
writing are paid once per document); pikepdf splits at about 1 ms a page.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from reporting.errors import RenderError
from reporting.tool_language import _
from reporting.writers.drawn_chunk import DrawnChunk, decode, is_drawn_chunk
from reporting.writers.pdf_glyphs import page_sheet
from reporting.writers.pdf_overlay import open_pdf, shift
from reporting.writers.pdf_overlay import trim as trim_page
from reporting.writers.pdf_stream import ByteSink, StreamedPdf


def split_pages(pdf: bytes | pikepdf.Pdf, wanted: Iterable[int] | None = None, trim: bool = False) -> dict[int, bytes]:
    """Page index -> a standalone one-page PDF of that page (every page, or those ``wanted``).

    Each file carries what its page uses (the chunk's font subsets, the emblem)
    and the chunk's document information. With ``trim``, the page is cut to its
    trim box: bleed and crop marks belong to the print file only.
    """
    source = open_pdf(pdf) if isinstance(pdf, bytes) else pdf
    indexes = range(len(source.pages)) if wanted is None else sorted(wanted)
    pages: dict[int, bytes] = {}
    for index in indexes:
        single = pikepdf.new()
        single.pages.append(source.pages[index])
        if trim:
            trim_page(single.pages[0])
        if "/Info" in source.trailer:
            single.trailer.Info = single.copy_foreign(source.trailer.Info)
        pages[index] = save_pdf(single)
    return pages


def write_print_file(
    out: ByteSink, chunks: Iterable[Path], duplex: bool, offset_mm: tuple[float, float] | None = None
) -> None:
    """The chunks' pages in order, written to ``out`` one chunk at a time; with ``duplex`` a blank page after each.

    Only one chunk is open at a time (pdf_stream.py): the memory of the join does not grow with the
    file. Every chunk brings its own font subsets, shared by its pages, and what repeats from chunk to
    chunk (the static layer) is written once, so the file stays a few kilobytes a certificate. With
    ``offset_mm`` (pre-printed stock: the chunks are variable layers), each page is cut to the sheet
    and its content moved by the printer's calibration offset. A chunk kept as drawn pages
    (``writers/drawn_chunk.py``) is written from them, without reading a PDF back.
    """
    combined = StreamedPdf(out)
    statics = _StaticForms(combined)
    for path in chunks:
        data = path.read_bytes()
        if is_drawn_chunk(data) and offset_mm is None:
            _add_drawn_chunk(combined, statics, decode(data), duplex)
            continue
        with open_pdf(chunk_pdf(data)) as chunk:
            if combined.info is None and "/Info" in chunk.trailer:
                combined.set_info(chunk.trailer.Info)
            for page in chunk.pages:
                if offset_mm is not None:
                    trim_page(page)
                    shift(chunk, page, offset_mm)
                combined.add_page(page)
                if duplex:
                    combined.add_blank_page([float(v) for v in page.obj.MediaBox])
            combined.end_chunk()
    if not combined.pages:
        raise RenderError(_("the print file would have no pages"))
    combined.close()


def _add_drawn_chunk(combined: StreamedPdf, statics: _StaticForms, chunk: DrawnChunk, duplex: bool) -> None:
    forms = [statics.form(static) for static in chunk.statics]
    if combined.info is None and forms[0].info is not None:
        combined.set_info_written(forms[0].info)
    for static, page in zip(chunk.static_of, chunk.pages, strict=True):
        form = forms[static]
        combined.add_drawn_page(page, form.boxes, form.number)
        if duplex:
            combined.add_blank_page(form.media_box)
    combined.end_chunk()


@dataclass(frozen=True)
class _StaticForm:
    number: int  # the Form XObject's number in the print file
    boxes: bytes  # the static page's boxes, bleed and trim box included: the drawn pages take them
    media_box: list[float]
    info: bytes | None


class _StaticForms:
    """Each static page's Form XObject, written once into the print file (every chunk brings it again)."""

    def __init__(self, combined: StreamedPdf):
        self.combined = combined
        self.written: dict[bytes, _StaticForm] = {}  # digest of the static page's PDF -> its form

    def form(self, static_pdf: bytes) -> _StaticForm:
        key = hashlib.sha256(static_pdf).digest()
        found = self.written.get(key)
        if found is None:
            sheet = page_sheet(static_pdf)
            with open_pdf(static_pdf) as pdf:
                page = pdf.pages[0]
                number = self.combined.add_form(pdf.make_indirect(page.as_form_xobject()))
                media_box = [float(v) for v in page.obj.MediaBox]
            found = self.written[key] = _StaticForm(number, sheet.boxes, media_box, sheet.info)
        return found


def chunk_pdf(data: bytes) -> bytes:
    """A kept chunk as a PDF: as it is, or, kept as drawn pages, its pages written out (one file of them)."""
    if not is_drawn_chunk(data):
        return data
    out = io.BytesIO()
    combined = StreamedPdf(out)
    _add_drawn_chunk(combined, _StaticForms(combined), decode(data), duplex=False)
    combined.close()
    return out.getvalue()


def save_pdf(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # deterministic_id: the /ID is a hash of the content, so the same page gives the same bytes.
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
