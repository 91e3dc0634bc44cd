"""Shaped text ready to draw: what the variable layer's layout hands to its PDF drawing.

Typesetting a certificate's variable boxes (the name, the position and unit,
the register number) with a whole WeasyPrint document per batch costs far more
than the boxes need: the page, its margin boxes and the style cascade are
rebuilt for a few lines of text. The direct path lays those lines out itself
(``writers/text_layout.py``: shaping, line breaking, fitting to the box) and
draws the glyphs straight into a PDF (``writers/pdf_glyphs.py``). This module
is the contract between the two: lines of glyphs already placed on the page.

Coordinates are CSS px (1/96 in) from the top-left corner of the sheet without
bleed, y growing downwards, as ``Box.page_x``/``page_y`` in
``writers/pdf_layers.py``. The drawing converts to PDF points and adds the
bleed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Glyph:
    """One glyph on the page."""

    id: int  # the glyph's index in the font file
    x: float  # the glyph's origin (pen position plus HarfBuzz's x offset), CSS px
    y: float  # its baseline (plus HarfBuzz's y offset), CSS px
    text: str  # the characters this glyph shows, for copy and search; "" when it shares its cluster with the
    # glyph before it (Arabic marks), several characters for a ligature (lam-alef)


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one face, size and colour, in visual order (left to right on the page)."""

    font: Path  # the font file, one face (as named in reporting.toml's [fonts] table)
    size: float  # font size, CSS px
    color: tuple[float, float, float, float]  # sRGB red, green, blue and alpha, 0-1
    rtl: bool  # the run reads right to left (its text in logical order is its glyphs' texts reversed)
    glyphs: tuple[Glyph, ...]
    # The face's name in the PDF, as WeasyPrint writes it from the stylesheet's family ("Report-Tinos-Bold",
    # which tells a project font from a system one); "" for the font file's own PostScript name.
    name: str = ""


# One certificate's variable layer: every run of every variable box on its page.
Page = tuple[GlyphRun, ...]
