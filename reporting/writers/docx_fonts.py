"""Word font embedding: the faces a DOCX shows travel inside it as obfuscated, subset font parts."""
from __future__ import annotations

import hashlib
import io
import unicodedata
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError
from lxml import etree

from reporting.build import cache
from reporting.errors import RenderError
from reporting.writers import ooxml

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
PAGE_BITS = 8  # subsets are made of whole 256-code-point pages (0x06xx: the Arabic block)


@dataclass(frozen=True)
class FontFiles:
    """One family's font files, relative to the fonts folder, and the pages its embedded subsets hold.

    A face without a file uses the nearest one. ``pages`` is fixed per family,
    not taken from each document: LibreOffice keeps the first embedded copy of
    a face it meets in a session (or a batch conversion) and ignores later ones,
    so every document must embed the same subset. A document's characters
    outside ``pages`` that the font has are added. ``None`` embeds whole files.
    """

    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    pages: frozenset[int] | None = None

    def slot_for(self, bold: bool, italic: bool) -> tuple[str, str]:
        """(embed slot, file) that shows text of this weight and style; Word synthesises what is missing."""
        choices = {
            (True, True): [("BoldItalic", self.bold_italic), ("Bold", self.bold), ("Italic", self.italic)],
            (True, False): [("Bold", self.bold)],
            (False, True): [("Italic", self.italic)],
        }.get((bold, italic), [])
        return next(((slot, path) for slot, path in choices if path), ("Regular", self.regular))


# The project's fonts (templates/fonts/README.md); Amiri has no italic, Noto Serif no bold italic.
# Pages: Basic Latin and Latin-1 (0x00), punctuation and currency (0x20), the dotted circle
# shapers show under a lone mark (0x25); Arabic (0x06); Latin Extended and combining marks
# (0x01-0x03) and Latin Extended Additional (0x1E) for Vietnamese. About half of each file.
FONT_FILES: dict[str, FontFiles] = {
    "Amiri": FontFiles("amiri/Amiri-Regular.ttf", bold="amiri/Amiri-Bold.ttf",
                       pages=frozenset({0x00, 0x06, 0x20, 0x25})),
    "Noto Serif": FontFiles("noto-serif/NotoSerif-Regular.ttf", bold="noto-serif/NotoSerif-Bold.ttf",
                            italic="noto-serif/NotoSerif-Italic.ttf",
                            pages=frozenset({0x00, 0x01, 0x02, 0x03, 0x1E, 0x20, 0x25})),
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
    return unicodedata.bidirectional(char) in ("R", "AL", "AN") or 0x0600 <= ord(char) <= 0x08FF \
        or 0xFB50 <= ord(char) <= 0xFEFF


def embed(document, usage: FontUsage, fonts_dir: Path, files: Mapping[str, FontFiles]) -> None:
    """Add a subset, obfuscated part per face ``usage`` names, listed in the font table; flag the settings."""
    faces = _faces(usage, files)
    if not faces:
        return
    table_part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(table_part.blob)
    subsetted = False
    for number, ((family, slot, relative), chars) in enumerate(sorted(faces.items()), start=1):
        pages = files[family].pages
        data = font_data(fonts_dir / relative, pages, chars)
        key = font_key(data)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscate(data, key),
                    document.part.package)
        entry = ooxml.font_entry(table, family)
        ooxml.describe_font(entry, *_description(fonts_dir / files[family].regular))
        ooxml.set_font_embed(entry, slot, table_part.relate_to(part, RT.FONT), key, subsetted=pages is not None)
        subsetted |= pages is not None
    # python-docx keeps parts it has no class for (the font table is one) as bytes.
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = document.settings.element
    ooxml.set_flag(settings, "w:embedTrueTypeFonts")
    if subsetted:  # Word, saving again, then embeds subsets too
        ooxml.set_flag(settings, "w:saveSubsetFonts")


def _faces(usage: FontUsage, files: Mapping[str, FontFiles]) -> dict[tuple[str, str, str], set[str]]:
    """(family, slot, file) -> characters, merging the faces that share a file."""
    faces: dict[tuple[str, str, str], set[str]] = {}
    for (family, bold, italic), chars in usage.chars.items():
        if family not in files:
            raise RenderError(f'no font file to embed for the font "{family}": known are '
                              f"{', '.join(sorted(files))} (DocxWriter font_files, or embed_fonts=False)")
        slot, relative = files[family].slot_for(bold, italic)
        faces.setdefault((family, slot, relative), set()).update(chars)
    return faces


def font_data(path: Path, pages: frozenset[int] | None, chars: set[str]) -> bytes:
    """What to embed of the font at ``path`` for text showing ``chars``: the file, or its subset to
    ``pages`` and the pages of those of ``chars`` it has."""
    data = _read(path)
    if pages is None:
        return data
    digest = hashlib.sha256(data).hexdigest()
    cmap = _cmap(digest, data, path)
    return subset_font(data, path, pages | {ord(c) >> PAGE_BITS for c in chars if ord(c) in cmap})


def subset_font(data: bytes, path: Path, pages: frozenset[int]) -> bytes:
    """The font cut down to the characters of ``pages`` it has, with every layout feature kept."""
    key = (hashlib.sha256(data).hexdigest(), frozenset(pages))
    if key not in _SUBSETS:  # a build embeds the same few subsets in many documents (0.4-0.9 s each)
        if len(_SUBSETS) >= 64:
            _SUBSETS.clear()
        _SUBSETS[key] = _cached_on_disk(key, lambda: _subset(data, path, key[1]))
    return _SUBSETS[key]


SUBSET_RECIPE = "all-layout-features, names, no-hinting"  # part of the cache key: change with _subset's options


def _cached_on_disk(key: tuple[str, frozenset[int]], make) -> bytes:
    """Subsetting is deterministic, so its result is kept between builds (about 4 s a build saved).

    The cache lives in $XDG_CACHE_HOME (default ~/.cache), keyed by the font's
    hash, the pages and the fontTools version; when it cannot be written the
    subset is simply made again next time.
    """
    import fontTools

    pages = ",".join(map(str, sorted(key[1])))
    name = hashlib.sha256(f"{key[0]}|{pages}|{fontTools.version}|{SUBSET_RECIPE}".encode()).hexdigest()
    path = cache.folder("font-subsets") / f"{name}.ttf"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    cache.keep(path, data)
    return data


_SUBSETS: dict[tuple[str, frozenset[int]], bytes] = {}


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
        raise RenderError(f"cannot read the font {path} to embed it: {exc.strerror or exc}") from None


def _open(data: bytes, path: Path, **options) -> TTFont:
    try:
        return TTFont(io.BytesIO(data), **options)
    except TTLibError as exc:
        raise RenderError(f"the font {path} cannot be read to embed it: {exc}") from None


def _subset(data: bytes, path: Path, pages: frozenset[int]) -> bytes:
    font = _open(data, path, recalcTimestamp=False)  # keep head.modified: the same bytes every run
    unicodes = sorted(code for code in font.getBestCmap() if code >> PAGE_BITS in pages)
    options = subset.Options()
    # Shaping needs every GSUB/GPOS feature (Arabic joining forms, Vietnamese mark
    # positioning), and Word finds the face by the names it carries.
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    # TrueType hinting is a third of Noto Serif's bytes and only tunes screen pixels at small
    # sizes (Word's DirectWrite and LibreOffice render unhinted outlines well; print ignores it).
    # Every certificate DOCX carries these fonts: 90 KB less each.
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=32)
def _description(path: Path) -> tuple[str, str, dict[str, str]]:
    """(PANOSE hex, pitch, w:sig attributes) from the full font's OS/2 and post tables."""
    font = _open(_read(path), path, lazy=True)
    os2 = font["OS/2"]
    fields = ("bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation",
              "bArmStyle", "bLetterForm", "bMidline", "bXHeight")
    panose = "".join(f"{getattr(os2.panose, name):02X}" for name in fields)
    pitch = "fixed" if font["post"].isFixedPitch else "variable"
    sig = {"usb0": os2.ulUnicodeRange1, "usb1": os2.ulUnicodeRange2, "usb2": os2.ulUnicodeRange3,
           "usb3": os2.ulUnicodeRange4, "csb0": os2.ulCodePageRange1, "csb1": os2.ulCodePageRange2}
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
