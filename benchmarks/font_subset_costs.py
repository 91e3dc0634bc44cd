"""What each part of the Amiri subset a DOCX embeds costs: per Unicode range, per OpenType feature,
per table, per contextual-alternates lookup, and per zip compression level.

    .venv/bin/python benchmarks/font_subset_costs.py

Sizes are of the subset as reporting/writers/font_subset.py makes it, raw and deflated at the
level the DOCX zip stores fonts (ooxml.FONT_ZIP_LEVEL): the deflated size is what a DOCX grows by.
"""

from __future__ import annotations

import io
import sys
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.writers import docx_fonts, font_subset, ooxml  # noqa: E402

FONTS = ROOT / "templates" / "fonts" / "amiri"
REGULAR, BOLD = FONTS / "Amiri-Regular.ttf", FONTS / "Amiri-Bold.ttf"
KB = 1024


def _codes(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(code for first, last in spans for code in range(first, last + 1))


# The ranges an Arabic text may draw from; the shipped coverage is docx_fonts.ARABIC.
RANGES = {
    "basic Arabic letters 0621-063A 0641-064A": _codes((0x0621, 0x063A), (0x0641, 0x064A)),
    "harakat 064B-0652, superscript alef 0670": _codes((0x064B, 0x0652), (0x0670, 0x0670)),
    "tatweel 0640": _codes((0x0640, 0x0640)),
    "Arabic-Indic digits 0660-0669": _codes((0x0660, 0x0669)),
    "Arabic punctuation and signs 060C 061B 061F 066A-066D": _codes(
        (0x060C, 0x060C), (0x061B, 0x061B), (0x061F, 0x061F), (0x066A, 0x066D)
    ),
    "Latin digits, punctuation, spaces (docx_fonts.PUNCTUATION)": docx_fonts.PUNCTUATION,
    "Latin letters A-Z a-z": _codes((0x41, 0x5A), (0x61, 0x7A)),
    "rest of 0600-06FF (Quranic marks, Persian, Urdu)": _codes((0x0600, 0x06FF)) - docx_fonts.ARABIC,
    "Arabic Supplement 0750-077F": _codes((0x0750, 0x077F)),
    "Presentation Forms A FB50-FDFF": _codes((0xFB50, 0xFDFF)),
    "Presentation Forms B FE70-FEFF": _codes((0xFE70, 0xFEFF)),
}


def measure(path: Path, codes: Iterable[int], features: Iterable[str] = font_subset.SHAPING_FEATURES, font=None):
    """(bytes, deflated bytes, glyphs) of the subset of ``path`` (or of ``font``, a TTFont to change)."""
    font = font if font is not None else TTFont(path, recalcTimestamp=False)
    data = font_subset.embeddable(font, sorted(set(codes) & set(font.getBestCmap())), features)
    return len(data), len(zlib.compress(data, ooxml.FONT_ZIP_LEVEL)), TTFont(io.BytesIO(data))["maxp"].numGlyphs


def row(name: str, size: tuple[int, int, int], base: tuple[int, int, int] | None = None) -> str:
    text = f"  {name:58s} {size[2]:5d} {size[0] / KB:7.1f} {size[1] / KB:7.1f}"
    if base is not None:
        text += f" {(size[1] - base[1]) / KB:+7.1f}"
    return text


def ranges() -> None:
    shipped = measure(REGULAR, docx_fonts.ARABIC)
    print("Per Unicode range (Amiri Regular, shipped features), KB; 'change' is deflated, against the shipped subset")
    print(f"  {'range':58s} glyphs     raw deflated change")
    print(row("shipped coverage (docx_fonts.ARABIC)", shipped))
    for name, codes in RANGES.items():
        inside = codes <= docx_fonts.ARABIC
        changed = docx_fonts.ARABIC - codes if inside else docx_fonts.ARABIC | codes
        print(row(f"{'without' if inside else 'with'} {name}", measure(REGULAR, changed), shipped))


def features() -> None:
    font = TTFont(REGULAR, lazy=True)
    tags = sorted(
        {record.FeatureTag for table in ("GSUB", "GPOS") for record in font[table].table.FeatureList.FeatureRecord}
    )
    shipped = measure(REGULAR, docx_fonts.ARABIC)
    print("Per OpenType feature of Amiri (Regular, shipped coverage): a shipped feature removed, another added")
    print(f"  {'feature':58s} glyphs     raw deflated change")
    for tag in tags:
        kept = tag in font_subset.SHAPING_FEATURES
        chosen = [f for f in font_subset.SHAPING_FEATURES if f != tag] if kept else [*font_subset.SHAPING_FEATURES, tag]
        print(row(f"{'without' if kept else 'with'} {tag}", measure(REGULAR, docx_fonts.ARABIC, chosen), shipped))
    print(
        row(
            "only the joining forms (isol init medi fina rlig)",
            measure(REGULAR, docx_fonts.ARABIC, ["isol", "init", "medi", "fina", "rlig"]),
            shipped,
        )
    )
    print(row("every feature (before: with calt, ss01-ss08...)", measure(REGULAR, docx_fonts.ARABIC, ["*"]), shipped))


def tables() -> None:
    print("Per table of the shipped subsets, KB (each table deflated alone)")
    print(f"  {'table':8s} {'Regular raw':>12s} {'deflated':>9s} {'Bold raw':>9s} {'deflated':>9s}")
    fonts = [TTFont(io.BytesIO(_shipped(path))) for path in (REGULAR, BOLD)]
    for tag in sorted(set(fonts[0].reader.keys()) & set(fonts[1].reader.keys())):  # the same tables
        sizes = []
        for font in fonts:
            raw = font.reader[tag]
            sizes += [len(raw) / KB, len(zlib.compress(raw, ooxml.FONT_ZIP_LEVEL)) / KB]
        print(f"  {tag:8s} {sizes[0]:12.1f} {sizes[1]:9.1f} {sizes[2]:9.1f} {sizes[3]:9.1f}")
    for path, font in zip((REGULAR, BOLD), fonts, strict=True):
        data = _shipped(path)
        print(
            f"  {path.name}: {font['maxp'].numGlyphs} glyphs, {len(data) / KB:.1f} KB, deflated "
            + ", ".join(f"level {level} {len(zlib.compress(data, level)) / KB:.1f} KB" for level in (1, 6, 9))
        )


def contextual_lookups(shown: int = 12) -> None:
    """calt is not shipped: what each of its lookups would add alone (the costliest ``shown``)."""
    base = measure(REGULAR, docx_fonts.ARABIC)
    font = TTFont(REGULAR, lazy=False)
    lookups = sorted({i for r in _records(font, "calt") for i in r.Feature.LookupListIndex})
    costs = []
    for index in lookups:
        copy = TTFont(REGULAR, recalcTimestamp=False)
        for record in _records(copy, "calt"):
            record.Feature.LookupListIndex = [index]
            record.Feature.LookupCount = 1
        costs.append((measure(REGULAR, docx_fonts.ARABIC, [*font_subset.SHAPING_FEATURES, "calt"], copy), index))
    costs.sort(key=lambda cost: cost[0][1], reverse=True)  # by deflated size
    print(f"The contextual-alternates (calt) lookups of Amiri, each added alone ({len(lookups)} lookups)")
    print(f"  {'lookup':58s} glyphs     raw deflated change")
    for size, index in costs[:shown]:
        print(row(f"calt lookup {index}", size, base))
    rest = [size[1] - base[1] for size, _ in costs[shown:]]
    print(f"  the other {len(rest)} lookups add {sum(rest) / KB:.1f} KB deflated together (each alone)")


def _records(font: TTFont, tag: str):
    return [r for r in font["GSUB"].table.FeatureList.FeatureRecord if r.FeatureTag == tag]


def _shipped(path: Path) -> bytes:
    return docx_fonts.subset_font(path.read_bytes(), path, docx_fonts.ARABIC)


if __name__ == "__main__":
    started = time.perf_counter()
    for section in (ranges, features, tables, contextual_lookups):
        section()
        print()
    print(f"({time.perf_counter() - started:.0f} s)")
