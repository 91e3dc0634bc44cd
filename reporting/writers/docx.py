"""HTML subset (docs/html-subset.md) -> DOCX, reading the same tree WeasyPrint reads, right-to-left aware."""

from __future__ import annotations

import base64
import binascii
import copy
import io
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import cast

import docx
import tinyhtml5
from docx.enum.section import WD_ORIENT
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.oxml.text.run import CT_R
from docx.shared import Mm
from docx.table import _Cell

from reporting.config import PageGeometry
from reporting.errors import RenderError
from reporting.tool_language import _, isolate
from reporting.writers import docx_fonts, docx_lists, docx_parts, docx_styles, docx_tables, ooxml
from reporting.writers.docx_styles import FOOTER, HEADER, JC, LIST, NORMAL, TABLE_HEADER, TABLE_TEXT

XHTML = "{http://www.w3.org/1999/xhtml}"
SPEC = "docs/html-subset.md"

# Sizes and spacing mirror templates/css/common.css so both formats look alike; the
# paragraph styles (docx_styles) hold the rest. A size class differing from the
# paragraph's style is the one size a run states itself.
SIZES = {"small": 11.0, "large": 16.0, "xlarge": 26.0}
SIGNATURE_SPACE_EM = 1.5
TABLE_SPACE_AFTER_EM = 0.8
# Style hooks naming a paragraph style: the element's paragraphs take it (a
# section's or a table's hook: every paragraph inside, every cell's paragraphs).
PARAGRAPH_HOOKS = {
    "issuer": "CertificateIssuer",
    "citation": "Citation",
    "subtitle": "Subtitle",
    "sample": "SampleNotice",
    "reporters": "Reporters",
    "motto": "CertificateMotto",
    "certificate": "CertificateText",
    "awardee": "AwardeeName",
    # The official document's heading block, title, annex line and closing (report.css)
    "parent-body": "ParentBody",
    "body-name": "BodyName",
    "national-name": "NationalName",
    "motto-line": "Motto",
    "party-name": "PartyName",
    "asterisk": "Asterisk",
    "number-line": "DocumentNumber",
    "place-date": "PlaceDate",
    "summary": "Summary",
    "annex-line": "AnnexLine",
    "text": "BodyText",
    "recipients-label": "RecipientsLabel",
    "recipient": "Recipient",
    "signer-title": "SignerTitle",
    "signer-name": "SignerName",
    "bestows": "Bestows",
}
CELL_HOOKS = {"signing": "Signatory", "heading": "NationalHeading", "closing": "TableText"}
# Column widths come from the stylesheets (docx_tables: table.heading 40/60, table.closing 45/55),
# and no table row breaks across pages (ooxml.set_row).
# hr classes: a centred rule this share of its column long (report.css hr.rule-short, hr.rule-long).
RULES = {"rule-short": 0.33, "rule-long": 0.67}
SMALL_CELL_STYLES = {"Signatory": "CertificateNote"}  # td.small of the signing table
# In a certificate's signing table (certificate.css), the signer's name has its own space above.
SIGNING_STYLES = {"SignerName": "CertificateSignerName"}

LANG_TAGS = {"ar": "ar-SA", "vi": "vi-VN"}
# The language of a fragment in the other direction: Latin codes and names in Arabic text are
# Vietnamese in our documents (1568/QĐ-UBND), fragments in Vietnamese text Arabic.
LTR_FRAGMENT_LANG, RTL_FRAGMENT_LANG = "vi-VN", "ar-SA"

# <bdi> text whose direction differs from the document's is its own run, with the
# direction (w:rtl on or off) and language of its text, not wrapped in embedding controls
# (LRE ... PDF ended up in copy-paste, search and converters). That is all Word needs: it
# resolves the neutral characters of a run by the run's direction. LibreOffice reads no
# run direction (its DOCX import drops w:rtl; the same in 7.4, 25.2 and 26.8), and shows
# "35-CT/TW" as "CT/TW-35" because the code starts with digits (digits after Arabic letters
# are Arabic numbers, laid out right to left); it also ignores w:dir and w:bdo, w:cs, a
# w:lang w:bidi, the digits in a run of their own, a non-breaking hyphen, a content control
# or field around the code (test_docx_writer's strict xfail tries w:dir): such a fragment
# (starting with a weak or neutral character) alone gets one mark of its direction
# (LRM/RLM) before it, outside the code itself. LibreOffice itself saves such a mark.
DIRECTION_MARKS = {"ltr": "\u200e", "rtl": "\u200f"}
STRONG = ("L", "R", "AL")
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

EPOCH = datetime(2000, 1, 1)  # core properties' dates when the caller gives none

# The running footer (a direct child of <body>) becomes the section's footer; its
# spans become fields Word and LibreOffice fill in on every page.
RUNNING_FOOTER = "running-footer"
# The running header (the page number, top centre) becomes the section's header from
# page 2 on: the first page has its own, blank header (w:titlePg), as Decree 30 asks.
RUNNING_HEADER = "running-header"
FIELDS = {"page-number": "PAGE", "page-count": "NUMPAGES"}
FOOTER_PT = 11.0  # the "small" size, also the Footer style's
HEADER_PT = 13.0  # the Header style's, common.css .running-header
DIGIT_SYSTEMS = ("latn", "arab")
# Arabic-Indic page numbers without a viewer's digit substitution (ECMA-376 Part 1):
# PAGE follows the section's w:pgNumType (ST_NumberFormat "hindiNumbers", 17.18.59),
# NUMPAGES does not and takes the general format switch HINDIARABIC (17.16.4.3).
# LibreOffice 7.4 reads neither and prints Latin digits.
PAGE_FORMAT = {"arab": "hindiNumbers"}
COUNT_SWITCH = {"arab": r"\* HINDIARABIC"}
ARABIC_INDIC = "".join(chr(0x0660 + digit) for digit in range(10))
FIELD_RESULT = {"latn": "1", "arab": ARABIC_INDIC[1]}  # shown until the viewer updates the field
FIELD_DIGITS = {"latn": "0123456789", "arab": "0123456789" + ARABIC_INDIC}  # for the embedded fonts
# The certificate frame of templates/css/certificate.css (border: 2.2mm double #7a1f1f)
# as a page border. Word's w:sz of a double border is one of its two lines (the gap is
# as wide): 3 x 2 pt is about 2.1 mm.
FRAME_STYLE, FRAME_EIGHTHS_PT, FRAME_COLOR = "double", 16, "7A1F1F"
MAX_BORDER_SPACE_PT = 31  # the most w:space may be
MM_PER_PT = 25.4 / 72

ALIGN_CLASSES = ("center", "start", "end", "justify")
BLOCK_CLASSES = frozenset({*ALIGN_CLASSES, *SIZES, "upper", "awardee", "keep", "signature"})
INLINE_CLASSES = frozenset({*SIZES, "upper"})
CLASSES: dict[str, frozenset[str]] = {
    **dict.fromkeys(("p", "div", "h2", "h3", "ol", "ul", "li"), BLOCK_CLASSES),
    "h1": BLOCK_CLASSES | {"title"},
    "section": BLOCK_CLASSES | {"page"},
    "table": BLOCK_CLASSES | {"layout"},
    **dict.fromkeys(("td", "th"), BLOCK_CLASSES | {"num"}),
    **dict.fromkeys(("thead", "tbody", "tr", "br", "img"), frozenset()),
    "hr": frozenset(RULES),
    # The spec lists the inline classes under <span>; strong/em/b/i/bdi are
    # spans with a meaning, so they take the same classes.
    **dict.fromkeys(("strong", "b", "em", "i", "bdi"), INLINE_CLASSES),
    "span": INLINE_CLASSES | {"marker", "nobr", *FIELDS},
}
# Style hooks: classes named for what they mark, styled by the CSS; the DOCX
# writer gives each the subset classes that carry its meaning in Word.
STYLE_HOOKS: dict[str, frozenset[str]] = {
    "heading": frozenset(),
    "figures": frozenset(),
    "awardees": frozenset(),
    "signing": frozenset({"layout"}),
    "certificate": frozenset(),
    "subtitle": frozenset({"center"}),
    "issuer": frozenset({"center"}),
    "citation": frozenset({"center"}),
    "sample": frozenset({"small", "center"}),
    "reporters": frozenset({"end"}),
    "emblem-line": frozenset({"center"}),
    "emblem": frozenset(),
    "motto": frozenset({"small", "center"}),
    # Paragraph styles name their look (PARAGRAPH_HOOKS); the hook adds no subset class.
    **{
        name: frozenset()
        for name in PARAGRAPH_HOOKS
        if name not in ("issuer", "citation", "subtitle", "sample", "reporters", "motto", "certificate", "awardee")
    },
    "issuing": frozenset(),
    "national": frozenset(),
    "closing": frozenset({"layout"}),
    "recipients": frozenset(),
    "signer": frozenset(),
    # A certificate's variable fields (what a pre-printed form leaves blank): marks only.
    **{f"field-{name}": frozenset() for name in ("honorific", "name", "position", "book-number", "date")},
}
INLINE_TAGS = frozenset({"strong", "b", "em", "i", "span", "bdi", "br", "img"})
# The PDF would honour these and the DOCX could not (dir is honoured on <bdi> only).
REFUSED_ATTRIBUTES = ("style", "dir", "rowspan")
_SPACE = re.compile(r"[ \t\n\f\r]+")  # HTML's white space; not U+00A0
_SLASH = re.compile("/(?!\u2060)")
NO_BREAK_HYPHEN = "\u2011"
_MM = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)mm\s*", re.IGNORECASE)
IMAGE_ERRORS = (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError)


@dataclass(frozen=True)
class FontChoice:
    """Fonts of a document: Latin text, complex-script (Arabic) text, body size."""

    latin: str = docx_fonts.LATIN_FAMILY
    complex: str = docx_fonts.COMPLEX_FAMILY
    size_pt: float = 13

    @classmethod
    def for_docx(cls, size_pt: float, embed_latin: bool) -> FontChoice:
        """Times New Roman, not embedded; or Tinos, its metric twin, embedded (the shipped [fonts] table's two
        settings of the Latin face, for writers made without a project)."""
        return cls(latin=docx_fonts.EMBEDDED_LATIN_FAMILY if embed_latin else docx_fonts.LATIN_FAMILY, size_pt=size_pt)


DEFAULT_FONTS = FontChoice()


@dataclass(frozen=True)
class _Info:
    """What ``<html>`` and ``<head>`` say about the whole document."""

    rtl: bool
    lang: str  # Word's language tag, e.g. ar-SA
    title: str
    digits: str = "latn"  # the locale's digit system: "latn" or "arab"
    creator: str = ""  # <meta name="author">: the issuing body
    subject: str = ""  # <meta name="description">
    created: datetime | None = None  # <meta name="dcterms.created">: the document's own date

    def description(self) -> docx_parts.Description:
        return docx_parts.Description(self.title, self.creator, self.subject, self.lang, self.created, self.rtl)


@dataclass(frozen=True)
class _Block:
    """Paragraph formatting a block hands down to the blocks it contains."""

    align: str | None = None
    size: float | None = None
    bold: bool = False
    keep: bool = False
    in_cell: bool = False
    style: str | None = None  # the paragraph style of the paragraphs inside (docx_styles), None: Normal
    width: int | None = None  # twips of the text area or cell, for a rule shorter than the line


@dataclass(frozen=True)
class _Format:
    """Formatting of one run; ``isolate`` is the direction of a <bdi> unlike the document's."""

    bold: bool = False
    italic: bool = False
    size: float = 13
    isolate: str | None = None


@dataclass(frozen=True)
class _Image:
    """What an ``<img>`` asks for: the picture's bytes, its size in mm and its alt text."""

    src: str
    blob: bytes = field(repr=False)
    width_mm: float
    height_mm: float
    alt: str


@dataclass(frozen=True)
class _Piece:
    """Inline content before runs are made: text, a line break ("br"), a page "field" or an "image"."""

    text: str
    fmt: _Format
    kind: str = "text"
    image: _Image | None = None


class DocxWriter:
    """HTML subset -> python-docx document."""

    name = "docx"
    suffix = ".docx"

    def __init__(
        self,
        fonts: FontChoice = DEFAULT_FONTS,
        base_dir: Path | None = None,
        *,
        embed_fonts: bool = True,
        fonts_dir: Path | None = None,
        font_files: dict[str, docx_fonts.FontFiles] = docx_fonts.FONT_FILES,
        embed_latin: bool = False,
        embed_complex: bool = True,
    ):
        """``base_dir`` is the templates folder: ``<img src>`` is relative to it, as WeasyPrint's base URL.

        With ``embed_fonts`` the complex-script faces the text uses travel in the file,
        subset, from ``font_files`` (family -> files) under ``fonts_dir``; its default is
        ``base_dir / "fonts"`` if that folder exists. Without a folder nothing is embedded.
        The Latin faces too with ``embed_latin`` (Times New Roman, the default, is on every
        Windows and Mac and is not embedded: ``FontChoice.for_docx()`` names Tinos); the complex-script
        ones unless ``embed_complex`` is false. A build gives all of these from reporting.toml's
        ``[fonts]`` (writers/font_table.py); the defaults are the shipped table's (a test checks).
        """
        self.fonts = fonts
        self.base_dir = base_dir.resolve() if base_dir is not None else None
        if fonts_dir is None and self.base_dir is not None and (self.base_dir / "fonts").is_dir():
            fonts_dir = self.base_dir / "fonts"
        self.fonts_dir = fonts_dir.resolve() if embed_fonts and fonts_dir is not None else None
        self.font_files = font_files
        embedded = ((fonts.complex, embed_complex), (fonts.latin, embed_latin))
        self.embedded = frozenset(family for family, embed in embedded if embed)
        self._style_fonts = docx_styles.Fonts(fonts.latin, fonts.complex, fonts.size_pt)

    def warm_up(self) -> None:
        """Make the font subsets the documents will embed now (a build's worker, as it starts)."""
        if self.fonts_dir is not None:
            docx_fonts.prepare_subsets(self.fonts_dir, self.font_files, self.embedded)

    def write(self, html: str, geometry: PageGeometry, created: datetime | None = None) -> bytes:
        """Return the DOCX bytes for ``html``; the same arguments always give the same bytes."""
        return ooxml.zip_package(self.package(html, geometry, created))

    def write_parts(self, html: str, parts: list[str], geometry: PageGeometry) -> bytes:
        """One DOCX of a long document (``html``) cut into parts (``html_parts``), written part by part;
        whole if its parts do not join (docx_join.PartsDiffer)."""
        from reporting.writers.docx_join import PartsDiffer, write_joined

        try:
            return write_joined(self, parts, geometry)
        except PartsDiffer:
            return self.write(html, geometry)

    def package(
        self,
        html: str,
        geometry: PageGeometry,
        created: datetime | None = None,
        usage: docx_fonts.FontUsage | None = None,
    ) -> dict[str, bytes]:
        """The package's members (name -> bytes) before zipping; ``usage`` collects the text per font."""
        root = _parse(html)
        info = _document_info(root)
        document = docx.Document()
        docx_styles.apply(document.styles.element, self._style_fonts, info.rtl, info.lang)
        _set_geometry(document.sections[0], geometry, info.rtl)
        _set_page_numbers(document.sections[0], info.digits)
        usage = usage or docx_fonts.FontUsage(self.fonts.latin, self.fonts.complex)
        lists = docx_lists.Lists(info.digits, docx_styles.list_indent(self.fonts.size_pt))
        body = root.find("body")
        if body is not None:
            cells = docx_tables.Stylesheets(self._stylesheets(root)).cell_rules(root)
            self._write_body(body, document, geometry, info, usage, lists, cells)
        lists.write(document.part.numbering_part.element)
        docx_styles.keep_kind(document.styles.element, _used_styles(document), _has_certificate(body))
        docx_fonts.write_font_table(document, usage, self.fonts_dir, self.font_files, self.embedded)
        self._describe(document, info, created)
        return ooxml.package_entries(document.part.package)

    def _describe(self, document, info: _Info, created: datetime | None) -> None:
        """Settings, properties and theme say what the document is (docx_parts)."""
        description = info.description()
        if created is not None:  # the caller's date wins over the HTML's
            description = replace(description, created=created)
        docx_parts.set_compatibility(document.settings.element, description)
        docx_parts.set_core_properties(document.core_properties, description, EPOCH)
        docx_parts.set_app_properties(document.part.package, description)
        docx_parts.set_theme(document, self.fonts.latin, self.fonts.complex)
        ooxml.drop_template_parts(document)

    def _stylesheets(self, root) -> tuple[Path, ...]:
        """The files of the document's ``<link rel="stylesheet">``s, under the templates folder."""
        if self.base_dir is None:
            return ()
        links = [node.get("href", "") for node in root.iterfind("head/link") if node.get("rel") == "stylesheet"]
        paths = [(self.base_dir / urllib.parse.unquote(link)).resolve() for link in links if ":" not in link]
        return tuple(path for path in paths if path.is_relative_to(self.base_dir))

    def _write_body(self, body, document, geometry: PageGeometry, info: _Info, usage, lists, cells) -> None:
        """The body's blocks; its running footer as the section's footer; a frame round certificates."""
        section = document.sections[0]
        footer = _take_running(body, RUNNING_FOOTER)
        header = _take_running(body, RUNNING_HEADER)
        if _has_certificate(body):
            _set_frame(section, geometry)
        top, right, bottom, left = geometry.margins_mm
        text_width = round((geometry.width_mm - left - right) * docx_styles.MM_TWIPS)
        writer = _BodyWriter(info, self.fonts, document.part, self.base_dir, usage, lists)
        writer.tables = _TableSizer(
            cells, self.fonts_dir or _fonts_folder(self.base_dir), self.font_files, self.fonts, info.rtl
        )
        writer.blocks(body, document, _Block(width=text_width))
        if footer is not None:
            writer = _BodyWriter(info, self.fonts, document.part, self.base_dir, usage, lists, in_footer=True)
            _set_footer_distance(section, geometry, writer.running_footer(footer, section.footer))
        if header is not None:
            writer = _BodyWriter(info, self.fonts, document.part, self.base_dir, usage, lists, in_footer=True)
            _set_header_distance(section, geometry, writer.running_header(header, section))


# -- reading the HTML -------------------------------------------------------


def _parse(html: str):
    """Parse as WeasyPrint does; XHTML tags lose their namespace, foreign ones (svg) keep it."""
    root = tinyhtml5.parse(html)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(XHTML):
            element.tag = element.tag[len(XHTML) :]
    return root


def _document_info(root) -> _Info:
    direction = root.get("dir", "ltr").lower()
    if direction not in ("ltr", "rtl"):
        raise RenderError(_expected(f'<html dir="{direction}">', '"ltr" or "rtl"'))
    digits = root.get("data-digits", "latn")
    if digits not in DIGIT_SYSTEMS:
        raise RenderError(_expected(f'<html data-digits="{digits}">', '"latn" or "arab"'))
    lang = root.get("lang", "")
    title = root.find("head/title")
    title_text = _SPACE.sub(" ", "".join(title.itertext())).strip() if title is not None else ""
    meta = {
        node.get("name", "").lower(): _SPACE.sub(" ", node.get("content", "")).strip()
        for node in root.iterfind("head/meta")
        if node.get("name")
    }
    return _Info(
        rtl=direction == "rtl",
        lang=_word_language(lang),
        title=title_text,
        digits=digits,
        creator=meta.get("author", ""),
        subject=meta.get("description", ""),
        created=_meta_date(meta.get("dcterms.created", "")),
    )


def _meta_date(value: str) -> datetime | None:
    """``<meta name="dcterms.created" content="2024-08-20">`` (or with a time), as WeasyPrint reads it."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise RenderError(
            _at(f'<meta name="dcterms.created" content="{value[:40]}">')
            + _("expected a date YYYY-MM-DD ({guide})").format(guide=isolate(SPEC))
        ) from None


def _take_running(body, name: str):
    """Detach ``<body>``'s ``div.running-footer`` (or header): the section's footer, not body content."""
    found = [node for node in body if node.tag == "div" and name in node.get("class", "").split()]
    if len(found) > 1:
        one = _("a document has one footer") if name == RUNNING_FOOTER else _("a document has one header")
        raise RenderError(_explained(f'{len(found)} <div class="{name}">', one))
    for node in found:
        _detach(body, node)
    return found[0] if found else None


def _detach(parent, element) -> None:
    """Remove ``element``, keeping the text after it (its tail) in the document."""
    index = list(parent).index(element)
    if element.tail:
        if index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _hooks(element) -> frozenset[str]:
    """The element's classes as written, before style hooks become subset classes."""
    return frozenset(element.get("class", "").split())


def _used_styles(document) -> set[str]:
    """The paragraph and table styles the body and footer name."""
    parts = [document.element.body] + [
        part._element
        for section in document.sections
        for part in (section.header, section.first_page_header, section.footer)
        if not part.is_linked_to_previous
    ]
    return {node.get(qn("w:val")) for part in parts for node in part.iter(qn("w:pStyle"), qn("w:tblStyle"))}


def _has_certificate(body) -> bool:
    if body is None:
        return False
    return any("certificate" in node.get("class", "").split() for node in body.iter("section"))


def _word_language(lang: str) -> str:
    """Word wants a region (ar-SA); a tag that already has one is kept as written."""
    if "-" in lang:
        return lang
    return LANG_TAGS.get(lang.lower(), lang)


def _content(element) -> Iterator:
    """The element's text and child elements in document order; comments give only their tail."""
    if element.text:
        yield element.text
    for node in element:
        if isinstance(node.tag, str):
            yield node
        if node.tail:
            yield node.tail


def _classes(element, parent_tag: str, extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """The element's classes, refusing any element, class or attribute outside the subset."""
    allowed = CLASSES.get(element.tag)
    if allowed is None:
        raise RenderError(_not_in_subset(f"<{element.tag}> inside <{parent_tag}>"))
    allowed |= extra
    for name in REFUSED_ATTRIBUTES:
        if element.get(name) is not None and (element.tag, name) != ("bdi", "dir"):
            raise RenderError(_not_in_subset(f'<{element.tag} {name}="...">'))
    named = frozenset(element.get("class", "").split())
    for running in (RUNNING_FOOTER, RUNNING_HEADER):
        if running in named - allowed:
            where = isolate(f'<{element.tag} class="{running}"> inside <{parent_tag}>')
            rule = (
                _("the running footer must be a {div} directly in {body}")
                if running == RUNNING_FOOTER
                else _("the running header must be a {div} directly in {body}")
            ).format(div=isolate("<div>"), body=isolate("<body>"))
            raise RenderError(f"{where}: {rule} ({isolate(SPEC)})")
    classes = frozenset().union(*(STYLE_HOOKS.get(name, {name}) for name in named))
    unknown = sorted(classes - allowed)
    if unknown:
        raise RenderError(_not_in_subset(f'class "{unknown[0]}" on <{element.tag}>'))
    return classes


def _first_strong_direction(text: str) -> str:
    """Direction of ``dir=auto``: the first strong character's, else left-to-right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


# -- writing the body -------------------------------------------------------


class _BodyWriter:
    """Walks the body's blocks into paragraphs and tables; holds the state of one write."""

    def __init__(
        self,
        info: _Info,
        fonts: FontChoice,
        part,
        base_dir: Path | None,
        usage: docx_fonts.FontUsage,
        lists: docx_lists.Lists,
        in_footer: bool = False,
    ):
        self.info, self.fonts = info, fonts
        self.part, self.base_dir = part, base_dir  # the document part holds the pictures
        self.usage, self.lists, self.in_footer = usage, lists, in_footer
        self.styles = docx_styles.StyleSet(fonts.size_pt, info.rtl)
        self._pictures = 0  # docPr ids: 1, 2, ... in document order
        self._rpr_cache: dict[tuple[_Format, docx_styles.Look], object] = {}
        self._pages = 0
        self._break_pending = False  # the next paragraph starts a page
        self._space_before = 0.0  # points above the next paragraph (signature)
        self.tables = _TableSizer({}, None, {}, fonts, info.rtl)  # the stylesheets' rules, set by the writer

    def blocks(self, container, parent, block: _Block) -> None:
        """Write ``container``'s children; loose inline content becomes a paragraph, as in CSS."""
        loose: list = []
        for node in _content(container):
            if isinstance(node, str) or node.tag in INLINE_TAGS:
                loose.append(node)
                continue
            self._loose_paragraph(loose, container, parent, block)
            self.block(node, container.tag, parent, block)
        self._loose_paragraph(loose, container, parent, block)

    def _loose_paragraph(self, loose: list, container, parent, block: _Block) -> None:
        if any(not isinstance(node, str) or node.strip() for node in loose):
            style = block.style or NORMAL
            base = self._base_format(block, style)
            pieces = [p for node in loose for p in self._inline_node(node, container.tag, base)]
            self._write_paragraph(parent, block, style, pieces)
        loose.clear()

    def block(self, element, parent_tag: str, parent, block: _Block) -> None:
        classes = _classes(element, parent_tag)
        tag = element.tag
        if tag in ("h1", "h2", "h3"):
            block = replace(block, size=None)  # headings have their own size, as in the CSS
        block = self._derive(block, element, classes)
        if tag == "h1" and "title" not in classes and block.align is None:
            block = replace(block, align="start")  # Heading 1 is centred for the title; h1 is not
        if tag in ("p", "h1", "h2", "h3"):
            style = _paragraph_style(tag, classes, block)
            pieces = self._inline(element, self._base_format(block, style))
            self._write_paragraph(parent, block, style, pieces)
        elif tag in ("div", "section"):
            if "page" in classes:
                self._start_page()
            self.blocks(element, parent, block)
        elif tag in ("ol", "ul"):
            self._list(element, parent, block)
        elif tag == "table" and block.in_cell:
            raise RenderError(_explained(f"<table> inside <{parent_tag}>", _("tables do not nest")))
        elif tag == "table":
            cell_style = next((CELL_HOOKS[name] for name in sorted(_hooks(element)) if name in CELL_HOOKS), TABLE_TEXT)
            self._table(element, parent, replace(block, style=cell_style), "layout" in classes)
        elif tag == "hr":
            self._rule(parent, block, classes)
        else:
            raise RenderError(_explained(f"<{tag}> inside <{parent_tag}>", _("not allowed there")))

    def _derive(self, block: _Block, element, classes: frozenset[str]) -> _Block:
        """The block formatting ``element``'s classes give it and its descendants."""
        changes: dict = {}
        align = next((name for name in ALIGN_CLASSES if name in classes), None)
        size = next((SIZES[name] for name in SIZES if name in classes), None)
        if align:
            changes["align"] = align
        if size:
            changes["size"] = size
        if "keep" in classes:
            changes["keep"] = True
        if "num" in classes:
            changes["align"] = "end"
        if element.tag == "th":
            changes["bold"] = True
        style = next(
            (PARAGRAPH_HOOKS[name] for name in sorted(_hooks(element) | classes) if name in PARAGRAPH_HOOKS), None
        )
        if element.tag in ("td", "th") and "small" in classes and block.style in SMALL_CELL_STYLES:
            style = SMALL_CELL_STYLES[block.style]
        if block.style == "Signatory" and style in SIGNING_STYLES:
            style = SIGNING_STYLES[style]
        if element.tag == "th" and block.style == TABLE_TEXT:
            style = TABLE_HEADER
        if style:
            changes["style"] = style
        if "signature" in classes:
            changes["align"] = "end"
            self._space_before = SIGNATURE_SPACE_EM * (size or block.size or self.fonts.size_pt)
        return replace(block, **changes) if changes else block

    def running_footer(self, element, footer) -> float:
        """The ``div.running-footer`` as the section's footer: one centred line; returns its size."""
        classes = _classes(element, "body", frozenset({RUNNING_FOOTER}))
        block = self._derive(_Block(align="center", size=FOOTER_PT), element, classes)
        footer.is_linked_to_previous = False  # adds the footer part and its w:footerReference
        ftr = footer._element
        for placeholder in ftr.p_lst:  # python-docx's empty paragraph; ours replaces it
            ftr.remove(placeholder)
        self._write_paragraph(footer, block, FOOTER, self._inline(element, self._base_format(block, FOOTER)))
        if not ftr.p_lst:  # a footer part must hold a paragraph
            self._paragraph(footer, block, FOOTER)
        return block.size or FOOTER_PT

    def running_header(self, element, section) -> float:
        """The ``div.running-header`` as the section's header from page 2 on; page 1's stays blank."""
        classes = _classes(element, "body", frozenset({RUNNING_HEADER}))
        block = self._derive(_Block(align="center", size=HEADER_PT), element, classes)
        section.different_first_page_header_footer = True  # w:titlePg
        section.first_page_header.is_linked_to_previous = False  # its own part, one empty paragraph
        header = section.header
        header.is_linked_to_previous = False
        hdr = header._element
        for placeholder in hdr.p_lst:
            hdr.remove(placeholder)
        self._write_paragraph(header, block, HEADER, self._inline(element, self._base_format(block, HEADER)))
        if not hdr.p_lst:
            self._paragraph(header, block, HEADER)
        return block.size or HEADER_PT

    def _rule(self, parent, block: _Block, classes: frozenset[str]) -> None:
        """``<hr>``: a rule under an empty thin paragraph; ``rule-short``/``rule-long`` centred, a share of the line."""
        pPr = self._paragraph(parent, block, docx_styles.RULE).get_or_add_pPr()
        ooxml.set_bottom_border(pPr)
        share = next((RULES[name] for name in sorted(classes) if name in RULES), None)
        if share is not None and block.width:
            side = str(round(block.width * (1 - share) / 2))
            ooxml.child(pPr, "w:ind", ooxml.PPR_ORDER, left=side, right=side)

    def _start_page(self) -> None:
        """Every ``section.page`` but the first starts a new page."""
        self._break_pending = self._pages > 0
        self._pages += 1

    # -- paragraphs ---------------------------------------------------------

    def _write_paragraph(
        self, parent, block: _Block, style: str, pieces: list[_Piece], num_id: int | None = None, label: str = ""
    ) -> None:
        pieces = _merge(_mark_direction(_collapse(pieces)))
        if not pieces:  # an empty block has no line box in CSS either
            return
        self._record_fonts(pieces, label)
        p = self._paragraph(parent, block, style, num_id)
        if any(piece.kind == "image" for piece in pieces):  # the line grows to hold the picture, as in CSS
            size = block.size or self.styles.look(style).size
            ooxml.set_spacing(p.get_or_add_pPr(), **{**docx_styles.line(size), "lineRule": "atLeast"})
        for run in self._runs(pieces, self.styles.look(style)):
            p.append(run)

    def _record_fonts(self, pieces: list[_Piece], label: str) -> None:
        """Tell the font usage what each run (and a list number) shows, in the face its format gives it."""
        for piece in pieces:
            text = FIELD_DIGITS[self.info.digits] if piece.kind == "field" else piece.text
            if text:
                self.usage.add(text, piece.fmt.bold, piece.fmt.italic, self._rtl(piece.fmt))
        if label:
            self.usage.add(label, False, False, self.info.rtl)

    def _paragraph(self, parent, block: _Block, style: str | None = None, num_id: int | None = None):
        """A new ``w:p`` in ``parent`` in ``style``, with the paragraph properties the block adds to it."""
        style = style or block.style or NORMAL
        p = parent.add_paragraph()._p
        pPr = p.get_or_add_pPr()
        if style != NORMAL:
            pPr.get_or_add_pStyle().val = style
        if num_id is not None:  # its own list, restarting at 1 (the style's list would go on counting)
            ooxml.set_numbering(pPr, num_id)
        if self._break_pending:
            ooxml.set_page_break_before(pPr)
            self._break_pending = False
        if block.keep:
            ooxml.set_keep_next(pPr)
        if self.info.rtl:
            ooxml.set_bidi(pPr)
        self._spacing(pPr, block, style)
        if block.align and block.align != self.styles.align(style):
            ooxml.set_jc(pPr, JC[block.align])
        return p

    def _spacing(self, pPr, block: _Block, style: str) -> None:
        """Only what the style does not say: the line of a size class, the space a signature or table leaves."""
        size = block.size if block.size and block.size != self.styles.look(style).size else None
        spacing: dict[str, int | str] = docx_styles.line(size) if size else {}
        if self._space_before:
            spacing["before"] = round(self._space_before * 20)
            self._space_before = 0.0
        if spacing:
            ooxml.set_spacing(pPr, **spacing)

    def _base_format(self, block: _Block, style: str) -> _Format:
        """The format of a paragraph's plain text: its style's, with the block's bold and size classes."""
        look = self.styles.look(style)
        return _Format(bold=block.bold or look.bold, italic=look.italic, size=block.size or look.size)

    # -- inline content -----------------------------------------------------

    def _inline(self, element, fmt: _Format, nodes: list | None = None) -> list[_Piece]:
        nodes = list(_content(element)) if nodes is None else nodes
        return [piece for node in nodes for piece in self._inline_node(node, element.tag, fmt)]

    def _inline_node(self, node, parent_tag: str, fmt: _Format) -> list[_Piece]:
        if isinstance(node, str):
            return [_Piece(node, fmt)]
        classes = _classes(node, parent_tag)
        tag = node.tag
        if tag not in INLINE_TAGS:
            raise RenderError(_explained(f"<{tag}> inside <{parent_tag}>", _("only inline elements may be here")))
        if tag == "br":
            return [_Piece("", fmt, "br")]
        if tag == "img":
            if self.in_footer:
                raise RenderError(_not_in_subset('<img> inside <div class="running-footer">'))
            return [_Piece("", fmt, "image", _image(node, self.base_dir))]
        fmt = _inline_format(fmt, tag, classes)
        fields = sorted(FIELDS.keys() & classes)
        if fields:
            return [self._field(node, fields, fmt)]
        if tag == "bdi":
            return [self._bdi(node, fmt)]
        if "marker" in classes:  # _list takes each item's marker before its text is read
            raise RenderError(
                _explained('<span class="marker">', _("elsewhere than first in an {li}").format(li=isolate("<li>")))
            )
        if "nobr" in classes:
            return [replace(piece, text=_no_break(piece.text)) for piece in self._inline(node, fmt)]
        return self._inline(node, fmt)

    def _field(self, element, classes: list[str], fmt: _Format) -> _Piece:
        """``span.page-number`` / ``span.page-count``: an empty span the viewer fills with a number."""
        shown = f'<span class="{" ".join(classes)}">'
        if not self.in_footer:
            raise RenderError(
                _explained(shown, _("outside the running footer: only the footer knows its page"), colon=False)
            )
        if len(classes) > 1 or len(element) or (element.text or "").strip():
            raise RenderError(
                _explained(shown, _("must be empty and name one number: the field replaces its content"), colon=False)
            )
        return _Piece(FIELDS[classes[0]], fmt, "field")

    def _bdi(self, element, fmt: _Format) -> _Piece:
        if len(element):
            raise RenderError(
                _explained("<bdi>", _("may hold only text, found {tag}").format(tag=isolate(f"<{element[0].tag}>")))
            )
        text = element.text or ""
        direction = element.get("dir", "auto").lower()
        if direction not in ("ltr", "rtl", "auto"):
            raise RenderError(_expected(f'<bdi dir="{direction}">', '"ltr", "rtl" or "auto"'))
        if direction == "auto":
            direction = _first_strong_direction(text)
        isolated = direction if (direction == "rtl") != self.info.rtl else None
        return _Piece(text, replace(fmt, isolate=isolated))

    def _runs(self, pieces: list[_Piece], look: docx_styles.Look) -> Iterator:
        for piece in pieces:
            if piece.kind == "field":
                digits = self.info.digits
                yield from ooxml.field_runs(
                    _instruction(piece.text, digits), FIELD_RESULT[digits], self._run_properties(piece.fmt, look)
                )
                continue
            run = cast(CT_R, OxmlElement("w:r"))  # python-docx makes each tag its registered class
            rPr = self._run_properties(piece.fmt, look)
            if len(rPr):
                run.append(rPr)
            if piece.kind == "text":
                _append_text(run, piece.text)
            elif piece.image is not None:  # (only an "image" piece has one)
                run.add_drawing(self._picture(piece.image))
            else:
                run.append(OxmlElement("w:br"))
            yield run

    def _picture(self, image: _Image):
        """A ``wp:inline`` of exactly the ``<img>``'s size, its alt text as the description."""
        try:
            rId, picture = self.part.get_or_add_image(io.BytesIO(image.blob))  # one part per distinct image
        except IMAGE_ERRORS as exc:
            raise RenderError(
                _explained(
                    f'<img src="{_shown(image.src)}">', _("not an image Word can show (PNG, JPEG, GIF, BMP or TIFF)")
                )
            ) from exc
        # Our own count, not python-docx's next_id: that searches the whole document per picture.
        self._pictures += 1
        inline = CT_Inline.new_pic_inline(
            self._pictures, rId, picture.filename, Mm(image.width_mm), Mm(image.height_mm)
        )
        try:
            ooxml.set_description(inline, image.alt)
        except ValueError as exc:  # control characters XML 1.0 cannot hold
            raise RenderError(
                isolate(f'<img alt="{image.alt[:40]}">') + " " + _("holds a character XML cannot hold")
            ) from exc
        return inline

    def _run_properties(self, fmt: _Format, look: docx_styles.Look):
        """A fresh ``w:rPr`` for ``fmt`` in a paragraph whose style gives ``look``, built once per pair and write."""
        prototype = self._rpr_cache.get((fmt, look))
        if prototype is None:
            prototype = self._rpr_cache[fmt, look] = self._build_run_properties(fmt, look)
        return copy.deepcopy(prototype)

    def _build_run_properties(self, fmt: _Format, look: docx_styles.Look):
        """Only what differs from the paragraph's style, and the direction: fonts and language are the styles'."""
        rPr = OxmlElement("w:rPr")
        if fmt.bold != look.bold:
            ooxml.set_bold(rPr, fmt.bold)
        if fmt.italic != look.italic:
            ooxml.set_italic(rPr, fmt.italic)
        if fmt.size != look.size:
            ooxml.set_size(rPr, fmt.size)
        if self._rtl(fmt):
            ooxml.set_rtl(rPr)
        elif self.info.rtl:  # a left-to-right <bdi> in Arabic text
            ooxml.set_ltr_run(rPr, LTR_FRAGMENT_LANG)
        if fmt.isolate == "rtl":  # an Arabic <bdi> in Vietnamese text
            ooxml.set_lang(rPr, RTL_FRAGMENT_LANG, rtl=True)
        return rPr

    def _rtl(self, fmt: _Format) -> bool:
        """Whether a run is right-to-left (``w:rtl``).

        w:rtl makes Word treat neutral characters as right-to-left, which
        would scramble "35-CT/TW": a left-to-right <bdi> goes without it.
        """
        return fmt.isolate == "rtl" or (self.info.rtl and fmt.isolate != "ltr")

    # -- lists and tables ---------------------------------------------------

    def _list(self, element, parent, block: _Block) -> None:
        """Each <li> a paragraph; with markers, a Word list numbering them in place of the marker text."""
        items = []
        for node in _content(element):
            if isinstance(node, str):
                if node.strip():
                    raise RenderError(_expected(f"text directly inside <{element.tag}>", "<li>"))
                continue
            classes = _classes(node, element.tag)
            if node.tag != "li":
                raise RenderError(_expected(f"<{node.tag}> inside <{element.tag}>", "<li>"))
            items.append((node, classes, *_take_marker(node)))
        markers = [marker for _, _, marker, _ in items if marker is not None]
        style, num_id = LIST, None
        if markers and len(markers) < len(items):
            raise RenderError(_explained(f"<{element.tag}>", _("some items have a marker and some do not")))
        if markers:
            style, num_id = self.lists.add(element.tag, markers)
        for node, classes, marker, rest in items:
            item = self._derive(block, node, classes)
            self._write_paragraph(
                parent, item, style, self._inline(node, self._base_format(item, style), rest), num_id, marker or ""
            )

    def _table(self, element, parent, block: _Block, layout: bool) -> None:
        rows = _table_rows(element)
        if not rows:
            return
        columns = max(sum(_colspan(cell) for cell, _ in row) for row, _ in rows)
        if self._break_pending:  # a page break needs a paragraph to carry it
            self._paragraph(parent, block)
        table = parent.add_table(len(rows), columns)
        tbl = table._tbl
        # A first row of <th> is the table style's header row (bold in Word; LibreOffice 7.4
        # ignores a table style's conditional formats, so <th> paragraphs are also in Table Header).
        header_row = not layout and all(cell.tag == "th" for cell, _ in rows[0][0])
        _table_properties(tbl.tblPr, layout, self.info.rtl, header_row)
        widths = self.tables.widths(rows, columns, tbl, layout)
        for (row, header), tr in zip(rows, tbl.tr_lst, strict=True):
            ooxml.set_row(tr.get_or_add_trPr(), header)  # tr { break-inside: avoid } for every table
            self._table_row(row, tr, table, widths, replace(block, in_cell=True))
        self._space_before = TABLE_SPACE_AFTER_EM * self.fonts.size_pt  # a table has no margin of its own

    def _table_row(self, row: list, tr, table, widths: list[int], block: _Block) -> None:
        tcs = list(tr.tc_lst)
        column = 0
        for cell, classes in row:
            span = _colspan(cell)
            tc = tcs[column]
            for extra in tcs[column + 1 : column + span]:  # a colspan is one w:tc with w:gridSpan
                tr.remove(extra)
            tcPr = tc.get_or_add_tcPr()
            tcPr.get_or_add_tcW().set(qn("w:w"), str(sum(widths[column : column + span])))
            if span > 1:
                tcPr.get_or_add_gridSpan().val = span
            if "num" in classes or self.tables.rules.get(cell, docx_tables.CellRule()).nowrap:
                ooxml.set_no_wrap(tcPr)
            self._cell(cell, classes, _Cell(tc, table), replace(block, width=sum(widths[column : column + span])))
            column += span
        for tc in tcs[column:]:  # a short row: empty cells, still right-to-left
            self._cell(None, frozenset(), _Cell(tc, table), block)

    def _cell(self, cell, classes: frozenset[str], container: _Cell, block: _Block) -> None:
        tc = container._tc
        for placeholder in tc.p_lst:  # python-docx's empty paragraph; ours replace it
            tc.remove(placeholder)
        if cell is not None:
            self.blocks(cell, container, self._derive(block, cell, classes))
        if not tc.p_lst:
            self._paragraph(container, block)


def _paragraph_style(tag: str, classes: frozenset[str], block: _Block) -> str:
    """The paragraph style of a p or heading: a certificate's title, a heading, or what its hooks name."""
    if tag == "h1" and "title" in classes:
        return "CertificateTitle" if block.style == "CertificateText" else "Heading1"
    if tag != "p":
        return f"Heading{tag[1:]}"
    return block.style or NORMAL


def _take_marker(li) -> tuple[str | None, list]:
    """An item's leading ``span.marker`` text (None without one), and the item's other content."""
    nodes = list(_content(li))
    first = next((index for index, node in enumerate(nodes) if not isinstance(node, str) or node.strip()), None)
    if first is None or isinstance(nodes[first], str) or "marker" not in _hooks(nodes[first]):
        return None, nodes
    marker = nodes[first]
    _classes(marker, "li")
    if marker.tag != "span" or len(marker):
        raise RenderError(
            _explained(
                f'<{marker.tag} class="marker">',
                _("must be a {span} holding only text").format(span=isolate("<span>")),
                colon=False,
            )
        )
    return _SPACE.sub(" ", marker.text or "").strip(), nodes[first + 1 :]


def _no_break(text: str) -> str:
    """``span.nobr`` in Word, which has no such property: no-break spaces, non-breaking hyphens
    (written as Word's ``w:noBreakHyphen``), and a word joiner after a slash (LibreOffice breaks
    "35-CT/" | "TW" otherwise)."""
    return _SLASH.sub("/\u2060", text.replace(" ", "\u00a0").replace("-", NO_BREAK_HYPHEN))


def _append_text(run, text: str) -> None:
    """``text`` as ``w:t`` elements of ``run``, each non-breaking hyphen as Word's own ``w:noBreakHyphen``
    (shown and copied as a hyphen)."""
    for index, part in enumerate(text.split(NO_BREAK_HYPHEN)):
        if index:
            run.append(OxmlElement("w:noBreakHyphen"))
        if not part:
            continue
        element = OxmlElement("w:t")
        try:
            element.text = part
        except ValueError as exc:  # control characters XML 1.0 cannot hold
            raise RenderError(
                _("text {text} holds a character XML cannot hold").format(text=isolate(repr(text[:40])))
            ) from exc
        if part != part.strip(" "):
            element.set(qn("xml:space"), "preserve")
        run.append(element)


def _instruction(field: str, digits: str) -> str:
    """PAGE takes the section's page number format; NUMPAGES needs the format as a switch."""
    return f"{field} {COUNT_SWITCH[digits]}" if field == "NUMPAGES" and digits in COUNT_SWITCH else field


def _inline_format(fmt: _Format, tag: str, classes: frozenset[str]) -> _Format:
    size = next((SIZES[name] for name in SIZES if name in classes), fmt.size)
    return replace(fmt, bold=fmt.bold or tag in ("strong", "b"), italic=fmt.italic or tag in ("em", "i"), size=size)


# -- images -----------------------------------------------------------------


def _image(element, base_dir: Path | None) -> _Image:
    """The picture an ``<img>`` names, refused unless its src, alt, width and height are all usable."""
    src = element.get("src", "")
    alt = _SPACE.sub(" ", element.get("alt", "")).strip()
    if not alt:  # the description is what a screen reader says instead of the picture
        raise RenderError(
            _explained(
                f'<img src="{_shown(src)}">',
                _("needs {alt}, a description of the picture").format(alt=isolate('alt="..."')),
                colon=False,
            )
        )
    width, height = (_millimetres(element, src, name) for name in ("width", "height"))
    return _Image(src, _image_bytes(src, base_dir), width, height, alt)


def _millimetres(element, src: str, name: str) -> float:
    """A width or height attribute in mm, the unit both formats share."""
    value = element.get(name)
    match = _MM.fullmatch(value or "")
    if match is None or float(match[1]) <= 0:
        found = f'{name}="{value}"' if value is not None else f"no {name}"
        raise RenderError(
            _explained(
                f'<img src="{_shown(src)}">',
                _("has {found}: expected a size in mm, e.g. {example}").format(
                    found=isolate(found), example=isolate(f'{name}="22mm"')
                ),
                colon=False,
            )
        )
    return float(match[1])


def _image_bytes(src: str, base_dir: Path | None) -> bytes:
    """The bytes of a data: URI, or of a file under ``base_dir`` resolved as WeasyPrint resolves it."""
    parts = urllib.parse.urlsplit(src)
    if parts.scheme.lower() == "data":
        return _data_uri(src)
    if not parts.path or parts.scheme or parts.netloc or parts.path.startswith("/") or parts.query or parts.fragment:
        raise RenderError(
            _expected(
                f'<img src="{_shown(src)}">',
                _("a path relative to the templates folder or a {uri} URI").format(
                    uri=isolate("data:image/...;base64")
                ),
                quoted=False,
            )
        )
    if base_dir is None:
        raise RenderError(
            _at(f'<img src="{_shown(src)}">') + _("the DOCX writer was given no templates folder (base_dir)")
        )
    try:
        path = (base_dir / urllib.parse.unquote(parts.path)).resolve()
        if not path.is_relative_to(base_dir):  # after resolving, so ../ and symlinks cannot leave it
            raise RenderError(
                _at(f'<img src="{_shown(src)}">')
                + _("outside the templates folder {folder}").format(folder=isolate(base_dir))
            )
        return path.read_bytes()
    except (OSError, ValueError) as exc:  # missing, a folder, or a NUL in the name
        reason = getattr(exc, "strerror", None) or str(exc)
        raise RenderError(
            _at(f'<img src="{_shown(src)}">')
            + _("cannot read {file}: {reason}").format(file=isolate(base_dir / parts.path), reason=reason)
        ) from None


def _data_uri(src: str) -> bytes:
    """Decode ``data:image/...;base64,...``; other data: URIs are not pictures."""
    header, comma, payload = src[len("data:") :].partition(",")
    media, *params = (value.strip().lower() for value in header.split(";"))
    if not comma or not media.startswith("image/") or params != ["base64"]:
        raise RenderError(
            _explained(
                f'<img src="{_shown(src)}">',
                _("a {scheme} URI must be {form}").format(
                    scheme=isolate("data:"), form=isolate("data:image/...;base64,...")
                ),
            )
        )
    try:
        return base64.b64decode(_SPACE.sub("", urllib.parse.unquote(payload)), validate=True)
    except binascii.Error as exc:
        raise RenderError(
            _at(f'<img src="{_shown(src)}">')
            + _("the {scheme} URI is not valid base64 ({reason})").format(scheme=isolate("data:"), reason=exc)
        ) from None


def _not_in_subset(what: str) -> str:
    """``<x> inside <y> is not in the HTML subset (docs/html-subset.md)``, the markup kept in its own order."""
    return _("{markup} is not in the HTML subset ({guide})").format(markup=isolate(what), guide=isolate(SPEC))


def _explained(what: str, why: str, colon: bool = True) -> str:
    """``<x> inside <y>: why (docs/html-subset.md)``: the markup, then the rule it breaks."""
    return f"{isolate(what)}{':' if colon else ''} {why} ({isolate(SPEC)})"


def _at(what: str) -> str:
    """The markup a message is about, isolated, and the colon after it."""
    return f"{isolate(what)}: "


def _expected(what: str, wanted: str, quoted: bool = True) -> str:
    """``<html dir="x">: expected "ltr" or "rtl" (docs/html-subset.md)``; ``quoted``: ``wanted`` is markup
    or values (kept in their own order), not words of the tool's language."""
    wanted = isolate(wanted) if quoted else wanted
    return f"{isolate(what)}: " + _("expected {wanted} ({guide})").format(wanted=wanted, guide=isolate(SPEC))


def _shown(src: str) -> str:
    """``src`` for a message: data: URIs are cut short."""
    return src[:57] + "..." if src[:5].lower() == "data:" and len(src) > 60 else src


def _table_rows(element) -> list[tuple[list, bool]]:
    """Rows as (cells, is_header); each cell is (element, classes). Refuses what Word can't show."""
    rows = []
    for node in _content(element):
        if isinstance(node, str):
            continue
        _classes(node, "table")
        if node.tag == "tr":
            rows.append((_row_cells(node), False))
        elif node.tag in ("thead", "tbody"):
            rows.extend((_row_cells(tr), node.tag == "thead") for tr in _children(node, ("tr",)))
        else:
            raise RenderError(_not_in_subset(f"<{node.tag}> inside <table>"))
    return rows


def _children(element, allowed: tuple[str, ...]) -> list:
    """Child elements, which must be among ``allowed``; text between them must be blank."""
    found = []
    for node in _content(element):
        if isinstance(node, str):
            if node.strip():
                raise RenderError(_not_in_subset(f"text directly inside <{element.tag}>"))
            continue
        _classes(node, element.tag)
        if node.tag not in allowed:
            raise RenderError(_not_in_subset(f"<{node.tag}> inside <{element.tag}>"))
        found.append(node)
    return found


def _row_cells(tr) -> list[tuple]:
    return [(cell, _classes(cell, "tr")) for cell in _children(tr, ("td", "th"))]


def _colspan(cell) -> int:
    value = cell.get("colspan", "1")
    if not value.isdigit() or int(value) < 1:
        raise RenderError(_expected(f'<{cell.tag} colspan="{value}">', _("a whole number of at least 1"), quoted=False))
    return int(value)


def _table_properties(tblPr, layout: bool, rtl: bool, header_row: bool) -> None:
    """Style (rules, padding, bold header row), direction and full width; ``tblLook`` says which header applies."""
    ooxml.remove(tblPr, "w:tblStyle")  # python-docx's default
    ooxml.set_table_style(tblPr, docx_styles.LAYOUT_TABLE if layout else docx_styles.REPORT_TABLE, header_row)
    if rtl:
        ooxml.set_bidi_visual(tblPr)
    ooxml.set_table_width_pct(tblPr)


class _TableSizer:
    """Column widths from the stylesheet rules of the cells and, for text that must not wrap, its width."""

    def __init__(self, rules: dict, fonts_dir: Path | None, files, fonts: FontChoice, rtl: bool):
        self.rules, self.fonts_dir, self.files, self.fonts, self.rtl = rules, fonts_dir, files, fonts, rtl

    def widths(self, rows: list, columns: int, tbl, layout: bool) -> list[int]:
        """Widths in twips, written to the grid (Word autofits anyway; LibreOffice takes them as they are)."""
        grid = tbl.tblGrid.gridCol_lst
        total = sum(int(col.get(qn("w:w"))) for col in grid)
        padding = 2 * (0.2 if layout else 0.4) * self.fonts.size_pt * 20  # the table style's cell margins
        cells: list[list[docx_tables.Cell]] = [[] for _ in range(columns)]
        for row, _row_classes in rows:
            column = 0
            for cell, _classes in row:
                span = _colspan(cell)
                if span == 1:
                    cells[column].append(self._cell(cell, padding))
                column += span
        widths = docx_tables.column_widths(cells, total, equal=layout)
        for col, width in zip(grid, widths, strict=True):
            col.set(qn("w:w"), str(width))
        return widths

    def _cell(self, cell, padding: float) -> docx_tables.Cell:
        rule = self.rules.get(cell, docx_tables.CellRule())
        text = docx_tables.text_of(cell)
        widths = [self._measure(text, cell.tag == "th")] if rule.nowrap and text else []
        # a no-wrap line inside the cell (.national-name), measured bold: its style's weight is unknown here
        widths += [self._measure(line, True) for line in rule.nowrap_texts]
        return docx_tables.Cell(rule, len(text), max(widths) + padding if widths else 0.0)

    def _measure(self, text: str, bold: bool) -> float:
        """Twips, in the face that draws the text (Amiri for Arabic letters); a generous guess without fonts."""
        size = self.fonts.size_pt
        if self.fonts_dir is None:
            return len(text) * 0.6 * size * 20
        complex_text = any(docx_fonts._is_complex(char) for char in text)
        family = self.fonts.complex if complex_text else self.fonts.latin
        if family not in self.files:
            return len(text) * 0.6 * size * 20
        return docx_fonts.text_width(self.fonts_dir, self.files[family], text, bold, size) * 20 * MEASURE_SLACK


# Advance widths leave out kerning and shaping (Amiri's joined forms are narrower or wider than
# its isolated ones): a little room so a no-wrap text never wraps in LibreOffice.
MEASURE_SLACK = 1.08


def _fonts_folder(base_dir: Path | None) -> Path | None:
    """The shipped fonts, for measuring text even when nothing is embedded."""
    if base_dir is not None and (base_dir / "fonts").is_dir():
        return base_dir / "fonts"
    return None


# -- whitespace and bidi ----------------------------------------------------


def _collapse(pieces: list[_Piece]) -> list[_Piece]:
    """Collapse white space as CSS does: one space between words, none at line ends."""
    out: list[_Piece] = []
    after_space = True  # the start of a block or line drops leading space
    for piece in pieces:
        if piece.kind in ("image", "field"):  # an atomic inline, like a word: spaces around it stay
            out.append(piece)
            after_space = False
            continue
        if piece.kind != "text":
            _strip_trailing_space(out)
            out.append(piece)
            after_space = True
            continue
        text = _SPACE.sub(" ", piece.text)
        if after_space:
            text = text.lstrip(" ")
        if text:
            out.append(replace(piece, text=text))
            after_space = text.endswith(" ")
    _strip_trailing_space(out)
    return out


def _strip_trailing_space(out: list[_Piece]) -> None:
    if out and out[-1].kind == "text" and out[-1].text.endswith(" "):
        text = out[-1].text[:-1]
        if text:
            out[-1] = replace(out[-1], text=text)
        else:
            out.pop()


def _mark_direction(pieces: list[_Piece]) -> list[_Piece]:
    """A direction mark before a <bdi> fragment that starts with a weak or neutral character."""
    return [
        replace(p, text=DIRECTION_MARKS[p.fmt.isolate] + p.text)
        if p.fmt.isolate and p.text and unicodedata.bidirectional(p.text[0]) not in STRONG
        else p
        for p in pieces
    ]


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    """Join neighbouring text of one format into one run."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and piece.kind == out[-1].kind == "text" and piece.fmt == out[-1].fmt:
            out[-1] = replace(piece, text=out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


# -- styles, page, package --------------------------------------------------


def _set_geometry(section, geometry: PageGeometry, rtl: bool) -> None:
    """Page size, orientation and margins from the one PageGeometry the CSS @page also uses."""
    landscape = geometry.orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(geometry.width_mm)
    section.page_height = Mm(geometry.height_mm)
    top, right, bottom, left = geometry.margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    if rtl:
        ooxml.set_section_bidi(section._sectPr)


def _set_page_numbers(section, digits: str) -> None:
    """Arabic-Indic page numbers for PAGE fields in Word, whatever its digit substitution setting."""
    if digits in PAGE_FORMAT:
        ooxml.set_page_number_format(section._sectPr, PAGE_FORMAT[digits])


def _set_footer_distance(section, geometry: PageGeometry, size_pt: float) -> None:
    """The footer line in the middle of the bottom margin, where the PDF's @page margin box centres it."""
    line_mm = size_pt * 1.7 * MM_PER_PT  # Amiri's single line is about 1.7 em, Noto Serif's less
    section.footer_distance = Mm(max(0.0, (geometry.margins_mm[2] - line_mm) / 2))


def _set_header_distance(section, geometry: PageGeometry, size_pt: float) -> None:
    """The page number in the middle of the top margin, where the PDF's @top-center box centres it."""
    line_mm = size_pt * 1.7 * MM_PER_PT
    section.header_distance = Mm(max(0.0, (geometry.margins_mm[0] - line_mm) / 2))


def _set_frame(section, geometry: PageGeometry) -> None:
    """The certificate frame: a page border in the middle of each page margin.

    The PDF draws it on the margin with the text padded inside; the text area
    stays the page geometry's here, so a certificate fills the same one page
    (padding it as the CSS does pushed Arabic signatures onto a second page),
    and the frame goes into the margin, as far from the text as from the paper.
    """
    frame_mm = 3 * FRAME_EIGHTHS_PT / 8 * MM_PER_PT  # two lines and the gap between them
    spaces = tuple(
        min(MAX_BORDER_SPACE_PT, max(0, round((margin - frame_mm) / 2 / MM_PER_PT))) for margin in geometry.margins_mm
    )
    ooxml.set_page_borders(section._sectPr, spaces, FRAME_STYLE, FRAME_EIGHTHS_PT, FRAME_COLOR)
