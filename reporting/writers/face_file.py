"""The glyphs a directly drawn variable layer may use from a face, and what a PDF says about the face.

Each page embeds a font program of its own, holding only the glyphs it draws
(``writers/glyph_program.py``), so a certificate's bytes depend on its own
glyphs and never on its neighbours'. Those programs are cut straight out of the
font file: there is no intermediate subset to make (fontTools took about 1.2 s
of CPU for each Amiri face, paid by every first build). What the file's glyphs
carry for hinting is left out when a glyph is cut (a PDF viewer does not run it
without the tables it calls into), and so are the file's shaping tables: the
glyph ids come from Pango, which shaped the text with this very file.

A glyph id the file does not have cannot be drawn: ``writers/pdf_glyphs.py``
raises ``GlyphNotInSubset`` and the caller typesets that batch the slow way.
The face is read once per worker process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from reporting.writers.glyph_program import SubsetTables


@dataclass(frozen=True)
class FaceFile:
    """One face: its tables, from which each page's program is cut, and what a PDF font dictionary says of it."""

    program: bytes  # the font file
    tables: SubsetTables  # its tables, read for cutting each page's program out of them
    glyphs: frozenset[int]  # the glyph ids it holds
    widths: tuple[float, ...]  # advance of each glyph id, 1/1000 em (as /W and TJ count)
    postscript_name: str
    flags: int
    bbox: tuple[int, int, int, int]  # 1/1000 em
    italic_angle: float
    ascent: int
    descent: int
    cap_height: int


def face_file(font: Path) -> FaceFile:
    """The face in ``font``, read once per process."""
    stat = font.stat()
    return _face_file(str(font), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _face_file(font: str, _mtime_ns: int, _size: int) -> FaceFile:
    program = Path(font).read_bytes()
    count = TTFont(io.BytesIO(program), lazy=True)["maxp"].numGlyphs
    return _described(program, frozenset(range(count)))


def _described(program: bytes, glyphs: frozenset[int]) -> FaceFile:
    font = TTFont(io.BytesIO(program), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = tuple(round(metrics[name][0] * scale, 3) for name in font.getGlyphOrder())
    head, hhea, post = font["head"], font["hhea"], font["post"]
    os2 = font.get("OS/2")
    name = font["name"].getDebugName(6) or "Font"
    italic = bool(post.italicAngle) or bool(head.macStyle & 2)
    cap_height = getattr(os2, "sCapHeight", 0)
    return FaceFile(
        program=program,
        tables=SubsetTables(program),
        glyphs=glyphs,
        widths=widths,
        postscript_name=name,
        flags=4 | (64 if italic else 0),  # symbolic (glyphs by id, not a standard encoding); italic
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        italic_angle=float(post.italicAngle),
        ascent=round(hhea.ascent * scale),
        descent=round(hhea.descent * scale),
        cap_height=round((cap_height or hhea.ascent) * scale),
    )
