"""One text of one computed style shaped by Pango exactly as WeasyPrint shapes and draws a text box.

WeasyPrint lays out every text box with a Pango layout of its own (its text, its
style: ``weasyprint/text/line_break.py``, ``create_layout``) and draws it by
walking the first line's runs and glyphs (``weasyprint/draw/text.py``,
``draw_first_line``). Here the same layout is made through WeasyPrint's own
bindings to the same Pango, HarfBuzz and fontconfig, so the glyphs, advances and
line metrics are the reference path's; the glyph positions are those the PDF
text operators WeasyPrint writes put the glyphs at (advances in thousandths of
the font size, an x offset in the same units, the rounding of its kerning
adjustments).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from weasyprint.text.ffi import FROM_UNITS, ffi, pango
from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face, get_pango_font_key
from weasyprint.text.line_break import create_layout, line_size


class ShapingRefused(ValueError):
    """A glyph the direct path cannot draw: a character without a glyph, a font outside [fonts]."""


@dataclass(frozen=True)
class PlacedGlyph:
    id: int
    dx: float  # from the text box's left edge, CSS px
    dy: float  # from its baseline, CSS px (down)
    text: str


@dataclass(frozen=True)
class ShapedRun:
    font: Path
    size: float
    rtl: bool
    glyphs: tuple[PlacedGlyph, ...]
    name: str  # as WeasyPrint names the face in a PDF: its Pango description ("Report Tinos Bold"), dashed


@dataclass(frozen=True)
class ShapedText:
    """A text box's measures (as ``split_first_line`` gives them) and its glyphs."""

    width: float
    height: float
    baseline: float  # from the top of the Pango line
    rtl: bool  # the line's resolved direction (remove_last_whitespace moves an RTL line)
    runs: tuple[ShapedRun, ...]


class FontFiles:
    """Which file of [fonts] a Pango font was loaded from, by the bytes WeasyPrint gave fontconfig."""

    def __init__(self, files: Mapping[str, Path]):
        self._by_digest = dict(files)  # sha256 of the file's bytes -> its path
        self._by_font: dict[int, Path | None] = {}
        self._names: dict[int, str] = {}
        self._widths: dict[tuple[int, float, int], int] = {}
        self._rects = ffi.new("PangoRectangle[2]")

    def path(self, pango_font) -> tuple[int, Path, float]:
        key, description, size = get_pango_font_key(pango_font)
        if key not in self._by_font:
            data = get_hb_object_data(get_pango_font_hb_face(pango_font))
            digest = hashlib.sha256(data or b"").hexdigest()
            self._by_font[key] = self._by_digest.get(digest)
            # weasyprint/pdf/fonts.py: the description up to its size or variations, spaces as dashes.
            described = ffi.string(pango.pango_font_description_to_string(description)).decode()
            self._names[key] = re.split(" [#@]", described)[0].replace(" ", "-")
        found = self._by_font[key]
        if found is None:
            raise ShapingRefused("a font outside the [fonts] table")
        return key, found, size

    def name(self, key: int) -> str:
        """The PDF name of the face ``path`` traced (its Pango description, as WeasyPrint writes it)."""
        return self._names[key]

    def logical_width(self, key: int, pango_font, size: float, glyph: int) -> int:
        """The glyph's width in thousandths of the font size, rounded as the PDF font's /W entry."""
        cache_key = (key, size, glyph)
        width = self._widths.get(cache_key)
        if width is None:
            pango.pango_font_get_glyph_extents(pango_font, glyph, self._rects, self._rects + 1)
            width = self._widths[cache_key] = round(self._rects[1].width * 1000 * FROM_UNITS / size)
        return width


def shape(text: str, style, fonts: FontFiles) -> ShapedText:
    """``text`` set on one line in ``style`` (a WeasyPrint computed style)."""
    layout = create_layout(text, style, None, None, 0)
    first_line, _ = layout.get_first_line()
    width, height = line_size(first_line, style)
    baseline = pango.pango_layout_get_baseline(layout.layout) * FROM_UNITS
    rtl = bool(layout.first_line_direction % 2)
    runs = _runs(first_line, layout.text.encode(), fonts) if text.strip() else ()
    return ShapedText(width, height, baseline, rtl, runs)


def _runs(first_line, utf8: bytes, fonts: FontFiles) -> tuple[ShapedRun, ...]:
    runs: list[ShapedRun] = []
    pen = 0.0  # the PDF text position, CSS px from the box's left edge
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        clusters = glyph_string.log_clusters
        item = glyph_item.item
        pango_font = item.analysis.font
        key, path, size = fonts.path(pango_font)
        rtl = bool(item.analysis.level % 2)
        placed: list[PlacedGlyph] = []
        for i, info in enumerate(glyph_string.glyphs[0:count]):
            glyph, width = info.glyph, info.geometry.width
            if glyph == pango.PANGO_GLYPH_EMPTY:
                pen += width / 1000  # WeasyPrint moves by -width / size thousandths of the size
                continue
            if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                raise ShapingRefused("a character without a glyph")
            start = clusters[i]
            if rtl:
                end = item.length if i == 0 else clusters[i - 1]
            else:
                end = item.length if i == count - 1 else clusters[i + 1]
            offset = info.geometry.x_offset / size  # thousandths of the size, as WeasyPrint writes it
            pen += offset * size / 1000
            logical = fonts.logical_width(key, pango_font, size, glyph)
            text = utf8[item.offset + start : item.offset + end].decode()
            placed.append(PlacedGlyph(glyph, pen, info.geometry.y_offset / 1000, text))
            kerning = logical + offset - width * 1000 * FROM_UNITS / size
            pen += (logical - int(kerning)) * size / 1000
        if placed:
            runs.append(ShapedRun(path, size, rtl, tuple(placed), fonts.name(key)))
    return tuple(runs)
