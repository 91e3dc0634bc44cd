"""Shaped glyph runs drawn straight into a PDF: the variable layer of many certificates without WeasyPrint.

``variable_layer_pdf`` writes one page per awardee with the page boxes and
document information of the static layer's page, each run as real text:
Type0 fonts with Identity-H codes, their positions exact (a text matrix where a
run starts or a glyph leaves the baseline, TJ adjustments between glyphs), a
ToUnicode map from the glyphs' texts so the text can be searched and copied
(pdftotext puts right-to-left text back in reading order). The
result goes through the same path as WeasyPrint's variable layer:
``pdf_overlay.underlay``, ``interleave``, ``pdf_split.split_pages``.

A run's glyphs must be in its face's font file (``writers/face_file.py``),
else ``GlyphNotInSubset``. Each page embeds its own font program per face, cut
from that file with just the glyphs it shows (``writers/glyph_program.py``),
with its widths and ToUnicode map: a certificate split out of a document
carries nothing of its neighbours, so its bytes stay the same whoever shares
its document, and it stays a few kilobytes.

The file is written as bytes directly (under a millisecond a page, most of it
cutting the font programs: benchmarks/glyph_pdf.py); pikepdf only reads the
static page, once per static layer.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pikepdf

from reporting.errors import RenderError
from reporting.tool_language import _, isolate, number
from reporting.writers.face_file import FaceFile, face_file
from reporting.writers.glyph_runs import GlyphRun, Page

PT_PER_PX = 0.75  # CSS px are 1/96 in, PDF points 1/72 in
_BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
_CIDSYSTEMINFO = b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"


class GlyphNotInSubset(RenderError):
    """A run draws a glyph its face's file does not hold: typeset this batch with WeasyPrint instead."""

    def __init__(self, page: int, font: Path, glyph: int):
        super().__init__(
            _("glyph {glyph} of the font {font} (page {page}) is not among the glyphs drawn directly").format(
                glyph=number(glyph), font=isolate(font.name), page=number(page + 1)
            )
        )
        self.page = page
        self.font = font
        self.glyph = glyph


@dataclass(frozen=True)
class PageSheet:
    """What the variable pages take from the static page: its boxes, the trim box's origin, the document info."""

    boxes: bytes  # "/MediaBox [...] /TrimBox [...]" as in the static page
    left: float  # the trim box's left and top edges, PDF pt
    top: float
    info: bytes | None


@lru_cache(maxsize=8)
def page_sheet(static_pdf: bytes) -> PageSheet:
    with pikepdf.open(io.BytesIO(static_pdf)) as pdf:
        page = pdf.pages[0]
        boxes = b" ".join(
            name.encode() + b" " + page.obj[name].unparse(resolved=True) for name in _BOXES if name in page.obj
        )
        trim = [float(value) for value in page.trimbox]
        info = pdf.trailer.Info.unparse(resolved=True) if "/Info" in pdf.trailer else None
    return PageSheet(boxes, min(trim[0], trim[2]), max(trim[1], trim[3]), info)


def variable_layer_pdf(pages: list[Page], static_pdf: bytes) -> bytes:
    """One PDF page per entry of ``pages``, each drawing its runs on a sheet like ``static_pdf``'s one page.

    Raises ``GlyphNotInSubset`` for a glyph a face's file lacks.
    """
    return variable_layer_of(draw_pages(pages, static_pdf), static_pdf)


def draw_pages(pages: list[Page], static_pdf: bytes) -> list[DrawnPage]:
    """Each page's runs drawn (content stream, font programs, widths, ToUnicode maps), not yet in a file:
    the variable layer and each awardee's own file (``writers/certificate_pdf.py``) are written from them.
    Raises ``GlyphNotInSubset`` for a glyph a face's file lacks."""
    sheet = page_sheet(static_pdf)
    return [_drawn(index, runs, sheet, face_file) for index, runs in enumerate(pages)]


def variable_layer_of(drawn: list[DrawnPage], static_pdf: bytes) -> bytes:
    """The variable layer: one page per drawn page, with the static page's boxes and document information."""
    sheet = page_sheet(static_pdf)
    writer = PdfObjects()
    catalog, tree = writer.reserve(), writer.reserve()
    info = writer.add(sheet.info) if sheet.info is not None else None
    kids = [page.write(writer, tree, sheet.boxes) for page in drawn]
    writer.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    writer.put(tree, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    return writer.finish(catalog, info)


class ObjectSink(Protocol):
    """Where drawn pages write their objects, children first: ``PdfObjects`` (a file of its own) or a print
    file (``pdf_stream.py``); each call returns the object's number."""

    def add(self, body: bytes) -> int: ...

    def add_page(self, body: bytes) -> int: ...

    def add_stream(self, data: bytes, entries: bytes = b"") -> int: ...


@dataclass(frozen=True)
class _DrawnFont:
    """A page's Type0 font made ready to write: its program (deflated), descriptor, widths and ToUnicode map."""

    resource: bytes  # the page's name for it: /F0, /F1...
    name: bytes  # its subset tag and PostScript name
    program: bytes  # deflated
    length: int  # the program's length before deflating
    descriptor: bytes  # the descriptor's entries but its program's
    widths: bytes
    to_unicode: bytes

    def write(self, writer: ObjectSink, deflate: bool) -> int:
        stream = writer.add_stream(self.program, b"/Filter /FlateDecode /Length1 %d" % self.length)
        descriptor = writer.add(b"<< %s /FontFile2 %d 0 R >>" % (self.descriptor, stream))
        cid_font = writer.add(
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo %s /FontDescriptor %d 0 R "
            b"/CIDToGIDMap /Identity /DW 0 /W [1 [%s]] >>" % (self.name, _CIDSYSTEMINFO, descriptor, self.widths)
        )
        to_unicode = writer.add_stream(*_deflated(self.to_unicode, deflate))
        return writer.add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] "
            b"/ToUnicode %d 0 R >>" % (self.name, cid_font, to_unicode)
        )


@dataclass(frozen=True)
class DrawnPage:
    """One page's runs drawn: its content stream, fonts and transparency states, written into any file."""

    content: bytes
    fonts: tuple[_DrawnFont, ...]
    states: bytes  # the /ExtGState entries, or nothing

    def write(self, writer: ObjectSink, parent: int, boxes: bytes, under: tuple[bytes, int] | None = None) -> int:
        """The page's objects into ``writer``; returns the page's number. With ``under`` (a resource name
        and a Form XObject's number), that form is drawn first, under the runs, and the streams deflated."""
        deflate = under is not None
        resources = []
        if self.fonts:
            entries = b" ".join(font.resource + b" %d 0 R" % font.write(writer, deflate) for font in self.fonts)
            resources.append(b"/Font << " + entries + b" >>")
        if self.states:
            resources.append(b"/ExtGState << " + self.states + b" >>")
        content = self.content
        if under is not None:
            resources.append(b"/XObject << %s %d 0 R >>" % under)
            content = b"q %s Do Q\n" % under[0] + content
        contents = writer.add_stream(*_deflated(content, deflate))
        return writer.add_page(
            b"<< /Type /Page /Parent %d 0 R %s /Resources << %s >> /Contents %d 0 R >>"
            % (parent, boxes, b" ".join(resources), contents)
        )


def _deflated(data: bytes, deflate: bool) -> tuple[bytes, bytes]:
    """A stream's data and its filter entry: deflated (at zlib's default level, so always the same bytes) or not."""
    return (zlib.compress(data), b"/Filter /FlateDecode") if deflate else (data, b"")


def _drawn(index: int, runs: Page, sheet: PageSheet, face: Callable[[Path], FaceFile]) -> DrawnPage:
    fonts: dict[Path, _PageFont] = {}
    alphas: dict[float, bytes] = {}
    content = []
    for run in runs:
        if not run.glyphs:
            continue
        if run.font not in fonts:
            fonts[run.font] = _PageFont(b"/F%d" % len(fonts), face(run.font), run.name)
        font = fonts[run.font]
        alpha = run.color[3]
        if alpha < 1:
            content.append(b"q %s gs\n" % alphas.setdefault(alpha, b"/GA%d" % len(alphas)))
        content.append(_draw(run, font, sheet, index))
        if alpha < 1:
            content.append(b"Q\n")
    states = b" ".join(name + b" << /Type /ExtGState /ca %s >>" % _num(alpha) for alpha, name in alphas.items())
    return DrawnPage(b"".join(content), tuple(font.drawn() for font in fonts.values()), states)


def _draw(run: GlyphRun, font: _PageFont, sheet: PageSheet, page: int) -> bytes:
    """One run as a text object: a text matrix at its first glyph (and wherever a glyph leaves the
    line, as a raised mark does), TJ adjustments putting every other glyph at its own x."""
    size = run.size * PT_PER_PX
    red, green, blue = run.color[:3]
    parts = [b"BT %s %s Tf %s %s %s rg\n" % (font.name, _num(size), _num(red), _num(green), _num(blue))]
    widths, held = font.subset.widths, font.subset.glyphs
    shown: list[bytes] = []
    pen_x = baseline = None  # where the viewer's pen is, PDF pt
    for glyph in run.glyphs:
        if glyph.id not in held:
            raise GlyphNotInSubset(page, run.font, glyph.id)
        x, y = sheet.left + glyph.x * PT_PER_PX, sheet.top - glyph.y * PT_PER_PX
        code = b"<%04x>" % font.code(glyph.id, glyph.text)
        if pen_x is None or y != baseline:
            if shown:
                parts.append(b"[%s] TJ\n" % b"".join(shown))
                shown = []
            parts.append(b"1 0 0 1 %s %s Tm " % (_num(x), _num(y)))
            pen_x, baseline = round(x, 3), y
        else:
            # A positive TJ number moves the next glyph left, in 1/1000 of the font size.
            adjustment = round((pen_x - x) * 1000 / size, 3)
            if adjustment:
                shown.append(_num(adjustment))
                pen_x -= adjustment * size / 1000
        shown.append(code)
        pen_x += _whole(widths[glyph.id]) * size / 1000
    if shown:
        parts.append(b"[%s] TJ\n" % b"".join(shown))
    parts.append(b"ET\n")
    return b"".join(parts)


# Fonts made for pages, by face and (glyph, text) codes, oldest first; each keeps its face alive, so an id
# is never reused while its entry is here.
_MADE_FONTS: dict[tuple[int, str, tuple[tuple[int, str], ...]], tuple[FaceFile, _DrawnFont]] = {}
_MADE_FONTS_KEPT = 512


class _PageFont:
    """A face as one page uses it: a code for each glyph and text the page shows, in order of first use.

    Code ``n`` is glyph ``n`` of the page's own font program (``writers/glyph_program.py``),
    so the encoding is Identity-H. A glyph showing different texts on one page (a
    letter alone and the same letter carrying a mark in its cluster) is in the
    program twice, one code for each text.
    """

    def __init__(self, name: bytes, subset: FaceFile, face_name: str = ""):
        self.name, self.subset = name, subset
        self.face_name = face_name or subset.postscript_name  # as the PDF names it, after its subset tag
        self.codes: dict[tuple[int, str], int] = {}  # (glyph, text) -> code

    def code(self, glyph: int, text: str) -> int:
        code = self.codes.get((glyph, text))
        if code is None:
            code = self.codes[(glyph, text)] = len(self.codes) + 1
        return code

    def drawn(self) -> _DrawnFont:
        """The page's font made ready to write: its program cut and deflated, its widths, its ToUnicode map.

        Pages showing the same glyphs with the same texts in one face (the same position or unit on many
        certificates) get the same font: it is made once and kept, under this page's resource name."""
        key = (id(self.subset), self.face_name, tuple(self.codes))
        found = _MADE_FONTS.get(key)
        if found is not None and found[0] is self.subset:
            return replace(found[1], resource=self.name)
        made = self._made()
        if len(_MADE_FONTS) >= _MADE_FONTS_KEPT:
            _MADE_FONTS.pop(next(iter(_MADE_FONTS)))
        _MADE_FONTS[key] = (self.subset, made)
        return made

    def _made(self) -> _DrawnFont:
        glyphs = [glyph for glyph, _text in self.codes]
        program = self.subset.tables.page_program(glyphs)
        tag = "".join(chr(65 + byte % 26) for byte in hashlib.sha256(program).digest()[:6])
        name = f"{tag}+{self.face_name}".encode()
        subset = self.subset
        descriptor = (
            b"/Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s "
            b"/Ascent %d /Descent %d /CapHeight %d /StemV 80"
            % (
                name,
                subset.flags,
                *subset.bbox,
                _num(subset.italic_angle),
                subset.ascent,
                subset.descent,
                subset.cap_height,
            )
        )
        widths = b" ".join(b"%d" % _whole(subset.widths[glyph]) for glyph in glyphs)
        to_unicode = _to_unicode({code: text for (_glyph, text), code in self.codes.items()})
        return _DrawnFont(self.name, name, zlib.compress(program), len(program), descriptor, widths, to_unicode)


def _to_unicode(texts: dict[int, str]) -> bytes:
    """The ToUnicode CMap: each code to its text as UTF-16BE (a ligature to several characters, a mark
    sharing its letter's cluster to none)."""
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    items = sorted(texts.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines.extend(b"<%04x> <%s>" % (code, text.encode("utf-16-be").hex().encode()) for code, text in batch)
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


def _whole(width: float) -> int:
    """A glyph's /W width in whole 1/1000 em: PDFium (Chromium's viewer) truncates fractional widths and
    would misplace the glyphs after it; the TJ adjustments take up the difference, as in WeasyPrint's PDFs."""
    return int(width + 0.5)


def _num(value: float) -> bytes:
    """A PDF number, to 1/1000 (of a point, or of the font size in TJ): exact enough and always the same."""
    text = b"%.3f" % value
    text = text.rstrip(b"0").rstrip(b".")
    return b"0" if text in (b"-0", b"") else text


class PdfObjects:
    """A PDF file assembled from objects given as bytes: numbered as they come, then the xref table.

    ``written`` are objects 1, 2... already written out (``b"1 0 obj ... endobj\\n"`` each), the same in
    many files: a static page's Form XObject and what it uses (``writers/certificate_pdf.py``)."""

    def __init__(self, written: tuple[bytes, ...] = ()) -> None:
        self.written = written
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.written) + len(self.objects)

    def put(self, number: int, body: bytes) -> None:
        self.objects[number - len(self.written) - 1] = body

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.written) + len(self.objects)

    def add_page(self, body: bytes) -> int:
        """A page object: here like any other (a writer sharing equal objects must not share pages)."""
        return self.add(body)

    def add_stream(self, data: bytes, entries: bytes = b"") -> int:
        return self.add(b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data))

    def finish(self, root: int, info: int | None, file_id: bytes | None = None) -> bytes:
        """The file; with ``file_id`` (16 bytes or more, hex-written), the trailer's /ID."""
        out = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", *self.written]
        offsets, position = [], len(out[0])
        for chunk in self.written:
            offsets.append(position)
            position += len(chunk)
        for index, body in enumerate(self.objects, start=len(self.written) + 1):
            assert body is not None, "an object reserved and never written"
            chunk = b"%d 0 obj\n%s\nendobj\n" % (index, body)
            offsets.append(position)
            out.append(chunk)
            position += len(chunk)
        count = len(offsets) + 1
        out.append(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        out.append(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        trailer = b"/Size %d /Root %d 0 R" % (count, root)
        if info is not None:
            trailer += b" /Info %d 0 R" % info
        if file_id is not None:
            trailer += b" /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
        out.append(b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, position))
        return b"".join(out)
