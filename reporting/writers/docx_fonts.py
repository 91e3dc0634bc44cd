"""Word font embedding: the faces a DOCX shows travel inside it as obfuscated, subset font parts."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from fontTools.ttLib import TTFont, TTLibError
from lxml import etree

from reporting.build import cache
from reporting.errors import RenderError
from reporting.tool_language import _, isolate
from reporting.writers import docx_parts, font_subset, ooxml

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
PAGE_BITS = 8  # characters beyond a family's coverage come with their 256-code-point page


def _ranges(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(code for first, last in spans for code in range(first, last + 1))


@dataclass(frozen=True)
class FontFiles:
    """One family's font files, relative to the fonts folder, and the characters its embedded subsets hold.

    A face without a file uses the nearest one. ``coverage`` is fixed per
    family, not taken from each document: LibreOffice keeps the first embedded
    copy of a face it meets in a session (or a batch conversion) and ignores
    later ones, so every document must embed the same subset, and a clerk who
    edits a name must find every letter of the script. A document's characters
    outside ``coverage`` that the font has are added with their whole 256-code-point
    page (so documents still mostly share one subset). ``None`` embeds whole files.
    """

    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    coverage: frozenset[int] | None = None

    def slot_for(self, bold: bool, italic: bool) -> tuple[str, str]:
        """(embed slot, file) that shows text of this weight and style; Word synthesises what is missing."""
        choices = {
            (True, True): [("BoldItalic", self.bold_italic), ("Bold", self.bold), ("Italic", self.italic)],
            (True, False): [("Bold", self.bold)],
            (False, True): [("Italic", self.italic)],
        }.get((bold, italic), [])
        return next(((slot, path) for slot, path in choices if path), ("Regular", self.regular))


# Digits, punctuation and spaces of Basic Latin and Latin-1 (not the letters: Latin text is in
# the Latin font), dashes, quotes, ellipsis and per mille, the joiners and direction marks the
# shapers read, and the dotted circle shapers show under a lone mark.
PUNCTUATION = _ranges(
    (0x20, 0x40),
    (0x5B, 0x60),
    (0x7B, 0x7E),
    (0xA0, 0xBF),
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x200C, 0x200F),
    (0x2010, 0x2027),
    (0x2030, 0x2030),
    (0x25CC, 0x25CC),
)
# The Arabic of Arabic text (what each costs: benchmarks/font_subset_costs.py): letters hamza
# to yeh, tatweel and the harakat, Arabic-Indic digits and signs, the comma, semicolon and
# question mark, superscript alef. Quranic marks, Persian, Urdu and the presentation forms
# are left out (they doubled Amiri's subset); a document using one adds its page.
ARABIC = PUNCTUATION | _ranges(
    (0x060C, 0x060C), (0x061B, 0x061B), (0x061F, 0x063A), (0x0640, 0x0652), (0x0660, 0x066D), (0x0670, 0x0670)
)
# Every Vietnamese letter: Basic Latin and Latin-1, Latin Extended-A (Đ đ) and the horn
# letters of Extended-B (Ơ ơ Ư ư), the combining tone marks, Latin Extended Additional
# (precomposed letters with tones), the dong sign.
VIETNAMESE = PUNCTUATION | _ranges(
    (0x20, 0x7E), (0xA0, 0x17F), (0x1A0, 0x1B0), (0x300, 0x323), (0x1EA0, 0x1EF9), (0x20AB, 0x20AB)
)

# The DocxWriter's defaults, for a writer made without a project (tests, tools): the shipped
# [fonts] table of reporting.toml, which a build reads instead (font_table.py; a test keeps the
# two equal). The DOCX names Times New Roman for Latin and Vietnamese text (Decree 30/2020
# prescribes it; Word has it, LibreOffice substitutes a metric-compatible face), described in the
# font table from Tinos, which has its metrics. Embedded, it names Tinos: an embedded face is
# found by its own name, and Tinos may not be renamed Times New Roman. Amiri has no italic.
LATIN_FAMILY, EMBEDDED_LATIN_FAMILY, COMPLEX_FAMILY = "Times New Roman", "Tinos", "Amiri"
TINOS = FontFiles(
    "tinos/Tinos-Regular.ttf",
    bold="tinos/Tinos-Bold.ttf",
    italic="tinos/Tinos-Italic.ttf",
    bold_italic="tinos/Tinos-BoldItalic.ttf",
    coverage=VIETNAMESE,
)
FONT_FILES: dict[str, FontFiles] = {
    COMPLEX_FAMILY: FontFiles("amiri/Amiri-Regular.ttf", bold="amiri/Amiri-Bold.ttf", coverage=ARABIC),
    EMBEDDED_LATIN_FAMILY: TINOS,
    LATIN_FAMILY: TINOS,
}


class FontUsage:
    """The characters each (family, bold, italic) shows, gathered while runs are written."""

    def __init__(self, latin: str, complex_script: str):
        self.latin, self.complex = latin, complex_script
        self.chars: dict[tuple[str, bool, bool], set[str]] = {}

    def add(self, text: str, bold: bool, italic: bool, rtl: bool) -> None:
        """Record ``text`` for the fonts Word or LibreOffice may draw it in.

        Word draws a whole ``w:rtl`` run in the complex-script font; LibreOffice
        picks per character (Latin letters in the Latin font, Arabic in the
        complex one, neutral characters with their neighbours). The union covers both.
        """
        complex_chars = {c for c in text if rtl or _is_complex(c)}
        latin_chars = {c for c in text if unicodedata.bidirectional(c) == "L"} if rtl else set(text) - complex_chars
        for family, chars in ((self.complex, complex_chars), (self.latin, latin_chars)):
            if chars:
                self.chars.setdefault((family, bold, italic), set()).update(chars)


def _is_complex(char: str) -> bool:
    """Arabic-script (and other right-to-left) characters, which Word sets in the ``w:cs`` font."""
    return (
        unicodedata.bidirectional(char) in ("R", "AL", "AN")
        or 0x0600 <= ord(char) <= 0x08FF
        or 0xFB50 <= ord(char) <= 0xFEFF
    )


def write_font_table(
    document, usage: FontUsage, fonts_dir: Path | None, files: Mapping[str, FontFiles], embedded: frozenset[str]
) -> None:
    """List the document's two families in the font table (described from their files, so Word
    picks a close substitute); embed a subset, obfuscated part per face of the ``embedded``
    families that ``usage`` names, and flag the settings."""
    table_part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(table_part.blob)
    families = (usage.latin, usage.complex)
    docx_parts.clear_font_table(table, families)
    for family in families:
        entry = ooxml.font_entry(table, family)
        if fonts_dir is not None and family in files:
            ooxml.describe_font(entry, *_description(fonts_dir / files[family].regular))
    faces = _faces(usage, files, embedded) if fonts_dir is not None else {}
    subsetted = False
    for number, ((family, slot, relative), chars) in enumerate(sorted(faces.items()), start=1):
        coverage = files[family].coverage
        assert fonts_dir is not None  # (faces are found only in a fonts folder)
        data = font_data(fonts_dir / relative, coverage, chars)
        key = font_key(data)
        part = Part(
            PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscate(data, key), document.part.package
        )
        entry = ooxml.font_entry(table, family)
        ooxml.set_font_embed(entry, slot, table_part.relate_to(part, RT.FONT), key, subsetted=coverage is not None)
        subsetted |= coverage is not None
    # python-docx keeps parts it has no class for (the font table is one) as bytes.
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    if faces:
        settings = document.settings.element
        ooxml.set_flag(settings, "w:embedTrueTypeFonts")
        if subsetted:  # Word, saving again, then embeds subsets too
            ooxml.set_flag(settings, "w:saveSubsetFonts")


def subset_key(usage: FontUsage, files: Mapping[str, FontFiles]) -> frozenset:
    """What decides the embedded fonts: each face used and the pages its characters add beyond its coverage."""

    def extra_pages(family: str, chars: set[str]) -> frozenset[int]:
        coverage = files[family].coverage if family in files else None
        return frozenset(ord(c) >> PAGE_BITS for c in chars if coverage is None or ord(c) not in coverage)

    return frozenset((key, extra_pages(key[0], chars)) for key, chars in usage.chars.items())


def text_width(fonts_dir: Path, files: FontFiles, text: str, bold: bool, size_pt: float) -> float:
    """``text``'s width in points from the face's advance widths (no kerning or shaping: a close estimate)."""
    advances, upm = _advances(fonts_dir / files.slot_for(bold, False)[1])
    missing = advances.get(ord("0"), upm // 2)
    return sum(advances.get(ord(char), missing) for char in text) / upm * size_pt


@lru_cache(maxsize=16)
def _advances(path: Path) -> tuple[dict[int, int], int]:
    font = _open(_read(path), path, lazy=True)
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def _faces(
    usage: FontUsage, files: Mapping[str, FontFiles], embedded: frozenset[str]
) -> dict[tuple[str, str, str], set[str]]:
    """(family, slot, file) -> characters of the ``embedded`` families, merging the faces that share a file."""
    faces: dict[tuple[str, str, str], set[str]] = {}
    for (family, bold, italic), chars in usage.chars.items():
        if family not in embedded:
            continue
        if family not in files:
            raise RenderError(
                _(
                    'no font file to embed for the font "{family}": known are {known} ([fonts] in reporting.toml)'
                ).format(family=isolate(family), known=isolate(", ".join(sorted(files))))
            )
        slot, relative = files[family].slot_for(bold, italic)
        faces.setdefault((family, slot, relative), set()).update(chars)
    return faces


def font_data(path: Path, coverage: frozenset[int] | None, chars: set[str]) -> bytes:
    """What to embed of the font at ``path`` for text showing ``chars``: the file, or its subset to
    ``coverage`` and the pages of those of ``chars`` outside it that the font has."""
    data = _read(path)
    if coverage is None:
        return data
    digest = hashlib.sha256(data).hexdigest()
    cmap = _cmap(digest, data, path)
    pages = frozenset(ord(c) >> PAGE_BITS for c in chars if ord(c) in cmap and ord(c) not in coverage)
    return subset_font(data, path, coverage, pages)


def subset_font(data: bytes, path: Path, coverage: frozenset[int], pages: frozenset[int] = frozenset()) -> bytes:
    """The font cut down to ``coverage`` and the characters of ``pages`` it has, shaping features kept."""
    key = (hashlib.sha256(data).hexdigest(), coverage, pages)
    if key not in _SUBSETS:  # a build embeds the same few subsets in many documents (0.3-0.6 s each)
        if len(_SUBSETS) >= 64:
            _SUBSETS.clear()
        made = _cached_on_disk(key, lambda: _subset(data, path, coverage, pages))
        assert made is not None  # (waited for, so never None)
        _SUBSETS[key] = made
    return _SUBSETS[key]


def prepare_subsets(fonts_dir: Path, files: Mapping[str, FontFiles], embedded: frozenset[str]) -> None:
    """Make the subsets every DOCX with these faces embeds (each file of an embedded family cut to its
    coverage), unless another process is making one already: a build's workers call this as they start,
    while the parent loads and renders, so that the first document embedding a face finds it made."""
    for family in sorted(embedded & set(files)):
        faces = files[family]
        if faces.coverage is None:
            continue
        for relative in dict.fromkeys(f for f in (faces.regular, faces.bold, faces.italic, faces.bold_italic) if f):
            font = fonts_dir / relative
            try:
                data = font.read_bytes()
            except OSError:
                continue  # the document embedding it says so
            key = (hashlib.sha256(data).hexdigest(), faces.coverage, frozenset[int]())
            if key not in _SUBSETS:
                made = _cached_on_disk(key, functools.partial(_subset, data, font, faces.coverage, frozenset()), False)
                if made is not None:
                    _SUBSETS[key] = made


def _cached_on_disk(key: tuple[str, frozenset[int], frozenset[int]], make, wait: bool = True) -> bytes | None:
    """Subsetting is deterministic, so its result is kept between builds (about 4 s a build saved).

    The cache lives in $XDG_CACHE_HOME (default ~/.cache), keyed by the font's
    hash, the characters and the fontTools version; when it cannot be written the
    subset is simply made again next time. One process makes an entry at a time
    (the others wait for it, the build's two workers starting with the same document
    kind); ``wait=False``: None at once if another process is making it.
    """
    import fontTools

    coverage, pages = (",".join(map(str, sorted(codes))) for codes in key[1:])
    name = hashlib.sha256(f"{key[0]}|{coverage}|{pages}|{fontTools.version}|{font_subset.RECIPE}".encode()).hexdigest()
    path = cache.folder("font-subsets") / f"{name}.ttf"
    try:
        return path.read_bytes()
    except OSError:
        pass
    with _making(path, wait) as ours:
        if not ours:
            return None
        try:
            return path.read_bytes()  # made while this process waited
        except OSError:
            pass
        data = make()
        cache.keep(path, data)
        return data


@contextlib.contextmanager
def _making(path: Path, wait: bool):
    """Hold ``path``'s lock file while making it: True if this process may make it (the lock held, or
    no lock to be had: an unwritable cache), False if another holds it and ``wait`` is false."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 (closed below)
    except OSError:
        yield True
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        except OSError:
            pass  # a file system without locks: make it, as before
        yield True


_SUBSETS: dict[tuple[str, frozenset[int], frozenset[int]], bytes] = {}


def _cmap(digest: str, data: bytes, path: Path) -> frozenset[int]:
    """The code points the font has, read once per font file content."""
    if digest not in _CMAPS:
        _CMAPS[digest] = frozenset(_open(data, path, lazy=True).getBestCmap())
    return _CMAPS[digest]


_CMAPS: dict[str, frozenset[int]] = {}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RenderError(
            _("cannot read the font {file} to embed it: {reason}").format(
                file=isolate(path), reason=exc.strerror or exc
            )
        ) from None


def _open(data: bytes, path: Path, **options) -> TTFont:
    try:
        return TTFont(io.BytesIO(data), **options)
    except TTLibError as exc:
        raise RenderError(
            _("the font {file} is not a font that can be embedded: {reason}").format(file=isolate(path), reason=exc)
        ) from None


def _subset(data: bytes, path: Path, coverage: frozenset[int], pages: frozenset[int]) -> bytes:
    # recalcTimestamp: keep head.modified, the same bytes every run. lazy: the layout subtables are read as
    # the subsetter reaches them, so the lookups of the features it drops are never decoded (a quarter of
    # the time of an Arabic face; the same bytes).
    font = _open(data, path, recalcTimestamp=False, lazy=True)
    unicodes = (code for code in font.getBestCmap() if code in coverage or code >> PAGE_BITS in pages)
    return font_subset.embeddable(font, unicodes)


@lru_cache(maxsize=32)
def _description(path: Path) -> tuple[str, str, dict[str, str]]:
    """(PANOSE hex, pitch, w:sig attributes) from the full font's OS/2 and post tables."""
    font = _open(_read(path), path, lazy=True)
    os2 = font["OS/2"]
    fields = (
        "bFamilyType",
        "bSerifStyle",
        "bWeight",
        "bProportion",
        "bContrast",
        "bStrokeVariation",
        "bArmStyle",
        "bLetterForm",
        "bMidline",
        "bXHeight",
    )
    panose = "".join(f"{getattr(os2.panose, name):02X}" for name in fields)
    pitch = "fixed" if font["post"].isFixedPitch else "variable"
    sig = {
        "usb0": os2.ulUnicodeRange1,
        "usb1": os2.ulUnicodeRange2,
        "usb2": os2.ulUnicodeRange3,
        "usb3": os2.ulUnicodeRange4,
        "csb0": os2.ulCodePageRange1,
        "csb1": os2.ulCodePageRange2,
    }
    return panose, pitch, {name: f"{value:08X}" for name, value in sig.items()}


def font_key(data: bytes) -> str:
    """A GUID fixed by the font's bytes, so two writes of a document stay byte-identical."""
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:sha256:{hashlib.sha256(data).hexdigest()}")
    return "{" + str(guid).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1: XOR the first 32 bytes with the key's 16 bytes, read from the GUID backwards.

    The same operation undoes it.
    """
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ key_bytes[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]
