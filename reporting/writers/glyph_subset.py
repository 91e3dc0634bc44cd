"""The glyphs a directly drawn variable layer may use from a face: one fixed subset per font file.

A subset made from the glyphs of the awardees sharing a document changes when
one name changes, and with it the bytes of every neighbour's certificate. This
subset is made from a fixed repertoire of characters instead (the Latin of
Vietnamese, the Arabic blocks, their marks and punctuation: whatever the font
has), together with every glyph the font's shaping features can turn them into
(the closure over GSUB: joining forms, ligatures, contextual alternates). So it
depends on the font file alone, is made once per font and code version (kept in
the build's cache folder between builds and in memory within a worker), and
every certificate drawn with the face embeds the same bytes.

Glyph ids are those of the font file (the subsetter keeps them), so the shaped
runs of ``writers/glyph_runs.py`` name the subset's glyphs as they are. A glyph
outside the subset cannot be drawn: ``writers/pdf_glyphs.py`` raises
``GlyphNotInSubset`` and the caller typesets that batch the slow way. What a
PDF embeds is cut from this subset per page (``writers/glyph_program.py``).

fontTools makes the subset (about 0.3 s for Tinos, 1.5 s for Amiri; HarfBuzz's
subsetter, reachable only through WeasyPrint's bindings, does not say which
glyphs its closure kept, and those are what a run is checked against).
"""

from __future__ import annotations

import hashlib
import io
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools import version as fonttools_version
from fontTools.ttLib import TTFont

from reporting.writers.glyph_program import SubsetTables

# (first, last) code points: Basic Latin, Latin-1, Latin Extended-A and -B, combining marks,
# Latin Extended Additional (Vietnamese), general punctuation (with the joiners and direction
# marks), Arabic, Arabic Supplement, Arabic Presentation Forms-A and -B.
REPERTOIRE = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0100, 0x024F),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
# Changes with the repertoire or any option below: part of the subsets' cache key.
RECIPE = "glyph-subset 1: repertoire above, default features' closure, glyph ids kept, no hinting, no layout tables"
# The tables a PDF viewer reads from an embedded TrueType program: outlines and metrics, not shaping.
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG")


@dataclass(frozen=True)
class FaceSubset:
    """One face's embeddable subset and what a PDF font dictionary says about it."""

    program: bytes  # the TrueType subset (glyph ids as in the font file)
    tables: SubsetTables  # the same, read for cutting each page's program out of it
    glyphs: frozenset[int]  # the ids the subset holds
    widths: tuple[float, ...]  # advance of each glyph id, 1/1000 em (as /W and TJ count)
    postscript_name: str
    flags: int
    bbox: tuple[int, int, int, int]  # 1/1000 em
    italic_angle: float
    ascent: int
    descent: int
    cap_height: int


def face_subset(font: Path, cache_folder: Path | None = None) -> FaceSubset:
    """The subset of the face in ``font``: from memory, else from ``cache_folder``, else made (and kept there)."""
    stat = font.stat()
    return _face_subset(str(font), stat.st_mtime_ns, stat.st_size, cache_folder)


@lru_cache(maxsize=16)
def _face_subset(font: str, _mtime_ns: int, _size: int, cache_folder: Path | None) -> FaceSubset:
    data = Path(font).read_bytes()
    key = hashlib.sha256(data + f"|{fonttools_version}|{RECIPE}".encode()).hexdigest()[:32]
    program, glyphs = _cached(cache_folder, key) or _made(data, cache_folder, key)
    return _described(program, glyphs)


def _cached(folder: Path | None, key: str) -> tuple[bytes, frozenset[int]] | None:
    if folder is None:
        return None
    try:
        program = (folder / f"glyph-subset-{key}.ttf").read_bytes()
        ids = array("H")
        ids.frombytes((folder / f"glyph-subset-{key}.gids").read_bytes())
    except (OSError, ValueError):
        return None
    from reporting.build.chunks import touch  # kept from the monthly pruning while in use

    touch(folder / f"glyph-subset-{key}.ttf")
    touch(folder / f"glyph-subset-{key}.gids")
    return program, frozenset(ids)


def _made(data: bytes, folder: Path | None, key: str) -> tuple[bytes, frozenset[int]]:
    program, glyphs = make_subset(data)
    if folder is not None:
        from reporting.build import cache

        cache.keep(folder / f"glyph-subset-{key}.gids", array("H", sorted(glyphs)).tobytes())
        cache.keep(folder / f"glyph-subset-{key}.ttf", program)
    return program, glyphs


def make_subset(data: bytes) -> tuple[bytes, frozenset[int]]:
    """The font ``data`` cut down to the repertoire and its closure: (TrueType bytes, glyph ids kept)."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # keep head.modified: the same bytes every run
    order = {name: index for index, name in enumerate(font.getGlyphOrder())}
    options = subset.Options()
    options.retain_gids = True
    options.hinting = False
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for first, last in REPERTOIRE for code in range(first, last + 1)])
    subsetter.subset(font)
    glyphs = frozenset(order[name] for name in subsetter.glyphs_retained)
    # The closure needed GSUB; a PDF viewer draws glyph ids and never shapes.
    for table in _LAYOUT_TABLES:
        if table in font:
            del font[table]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), glyphs


def _described(program: bytes, glyphs: frozenset[int]) -> FaceSubset:
    font = TTFont(io.BytesIO(program), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = tuple(round(metrics[name][0] * scale, 3) for name in font.getGlyphOrder())
    head, hhea, post = font["head"], font["hhea"], font["post"]
    os2 = font.get("OS/2")
    name = font["name"].getDebugName(6) or "Font"
    italic = bool(post.italicAngle) or bool(head.macStyle & 2)
    cap_height = getattr(os2, "sCapHeight", 0)
    return FaceSubset(
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
