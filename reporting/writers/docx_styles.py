"""The Word style set: what staff change in Word to restyle a document, mirroring templates/css/*.css.

Every paragraph of a DOCX names one of these styles (``w:pStyle``), every table
one of the two table styles (``w:tblStyle``); runs carry only what differs from
their paragraph's style (bold inside a sentence, a size class, the ``w:rtl``
flag). *Normal* names the fonts per script (``w:ascii``/``w:hAnsi`` for Latin
and Vietnamese, ``w:cs`` for Arabic) and the locale's language (``w:lang``,
``w:bidi`` for Arabic), and every other style is based on it; each style sets
its sizes, bold and italic for both scripts (``w:sz``/``w:szCs``,
``w:b``/``w:bCs``, ``w:i``/``w:iCs``), so editing a style in Word changes the
look of every paragraph in it.

The styles part is a function of (direction, language, fonts, body size) only,
never of a document's text, so it can be made once per locale and reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reporting.writers import ooxml

# CSS line-height 1.45 is a multiple of the font size, and WeasyPrint sets every line of a
# paragraph that tall: "exact" lines in Word. "auto" would multiply the font's own line and
# "at least" let it win: Amiri's is 1.76 em in LibreOffice (hhea) and 4.2 em in Word, which
# reads usWinAscent + usWinDescent (2546 + 1629 units of 1000).
LINE_HEIGHT = 1.45
LIST_INDENT_EM = 1.6  # li { padding-inline-start: 1.6em }
MM_TWIPS = 1440 / 25.4

NORMAL, LIST, FOOTER, HEADER, RULE = "Normal", "ListParagraph", "Footer", "Header", "Rule"
TABLE_TEXT, TABLE_HEADER = "TableText", "TableHeader"
LIST_NUMBER, LIST_BULLET = "ListNumber", "ListBullet"
REPORT_TABLE, LAYOUT_TABLE = "ReportTable", "LayoutTable"
# The lists (w:numId) the List Number and List Bullet styles number with; each
# list of a document has its own w:num restarting at 1 (docx_lists).
ORDERED, BULLET = 1, 2


@dataclass(frozen=True)
class Look:
    """What a paragraph style gives its runs, so a run states only what differs."""

    size: float
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class ParagraphStyle:
    """One paragraph style; ``None`` fields inherit from the style it is based on."""

    style_id: str
    name: str
    based_on: str | None = NORMAL
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: str | None = None  # logical: start / end / center / justify
    color: str | None = None
    before_em: float | None = None  # space above, in ems of the style's size
    after_em: float | None = None
    keep_next: bool = False
    side_indent_mm: float = 0.0  # both sides (the citation's 6 mm margins)
    letter_spacing_em: float = 0.0
    next_style: str | None = None
    outline_level: int | None = None  # 0 = level 1 of the outline and the navigation pane
    before_mm: float | None = None  # space above in mm (room for a signature), instead of before_em
    first_line_mm: float = 0.0  # first-line indent (p.text { text-indent: 1cm })


# Alignment names of the HTML subset -> w:jc. "left"/"right" in a w:bidi paragraph
# are its start/end (Word and LibreOffice agree), so one mapping serves both directions.
JC = {"start": "left", "end": "right", "center": "center", "justify": "both"}


def paragraph_styles(body_pt: float, rtl: bool) -> tuple[ParagraphStyle, ...]:
    """The style set, sizes and spacing from templates/css (common, report, certificate)."""
    return (
        ParagraphStyle(NORMAL, "Normal", based_on=None, size=body_pt, after_em=0.5),
        # Headings: h1-h3 { margin: 0.8em 0 0.4em; page-break-after: avoid }
        # The document's title (h1.title: the document kind, 14 pt, Decree 30/2020; centred, 1em above)
        # is Heading 1, the top of the outline: Word's navigation pane, pandoc and mammoth know
        # headings by these names and levels. A plain h1 is Heading 1 aligned to the start.
        ParagraphStyle(
            "Heading1",
            "heading 1",
            size=14,
            bold=True,
            align="center",
            before_em=1.0,
            after_em=0.0,
            keep_next=True,
            next_style=NORMAL,
            outline_level=0,
        ),
        ParagraphStyle(
            "Heading2",
            "heading 2",
            size=13,
            bold=True,
            before_em=0.8,
            after_em=0.4,
            keep_next=True,
            next_style=NORMAL,
            outline_level=1,
        ),
        ParagraphStyle(
            "Heading3",
            "heading 3",
            size=13,
            bold=True,
            italic=not rtl,
            before_em=0.8,
            after_em=0.4,
            keep_next=True,
            next_style=NORMAL,
            outline_level=2,
        ),
        ParagraphStyle("Subtitle", "Subtitle", bold=True, align="center"),  # report.css .subtitle
        ParagraphStyle("SampleNotice", "Sample Notice", size=11, align="center", color="8A1C1C"),  # .sample
        ParagraphStyle("Reporters", "Reporters", align="end", before_em=1.0),  # report.css .reporters
        # li { margin-bottom: 0.25em }; the indent is the numbering level's (or the style's, unnumbered)
        ParagraphStyle(LIST, "List Paragraph", after_em=0.25),
        ParagraphStyle(LIST_NUMBER, "List Number", after_em=0.25),
        ParagraphStyle(LIST_BULLET, "List Bullet", after_em=0.25),
        # th, td: the cell padding spaces them, not a paragraph margin; lines 1.45 em as elsewhere
        ParagraphStyle(TABLE_TEXT, "Table Text", after_em=0.0),
        ParagraphStyle(TABLE_HEADER, "Table Header", based_on=TABLE_TEXT, bold=True),  # th
        ParagraphStyle("NationalHeading", "National Heading", based_on=TABLE_TEXT, size=11, align="center"),
        ParagraphStyle(FOOTER, "footer", size=11, align="center", after_em=0.0),
        ParagraphStyle(HEADER, "header", size=13, align="center", after_em=0.0),
        *official_styles(rtl),
        # Certificates (certificate.css): section.certificate p { margin-bottom: 0.3em }
        ParagraphStyle("CertificateText", "Certificate Text", align="center", after_em=0.3),
        ParagraphStyle("CertificateMotto", "Certificate Motto", based_on="CertificateText", size=11),
        # certificate.css margins: .issuer 0.4em above, h1.title 0.05em, .awardee 0.1em / 0.2em
        ParagraphStyle(
            "CertificateIssuer",
            "Certificate Issuer",
            based_on="CertificateText",
            size=14,
            bold=True,
            before_em=0.4,
            color="A01818",
        ),
        ParagraphStyle(
            "CertificateTitle",
            "Certificate Title",
            based_on="CertificateText",
            size=34,
            bold=True,
            color="A01818",
            before_em=0.05,
            after_em=0.05,
            letter_spacing_em=0.0 if rtl else 0.05,
            outline_level=0,
        ),
        ParagraphStyle(
            "AwardeeName", "Awardee Name", based_on="CertificateText", size=24, bold=True, before_em=0.1, after_em=0.2
        ),
        # .citation { font-style: italic; margin: 0 6mm 0.5em }, upright in Arabic
        ParagraphStyle(
            "Citation", "Citation", based_on="CertificateText", italic=not rtl, side_indent_mm=6, after_em=0.5
        ),
        ParagraphStyle("Signatory", "Signatory", based_on=TABLE_TEXT, align="center"),
        ParagraphStyle("CertificateNote", "Certificate Note", based_on="Signatory", size=11),
    )


def official_styles(rtl: bool) -> tuple[ParagraphStyle, ...]:
    """The heading block, title, annex line and closing of an official document (report.css).

    Sizes as Decree 30/2020 Appendix I prescribes them; italics only in left-to-right
    documents (Arabic is never slanted: Amiri has no italic face).
    """
    italic = not rtl
    heading = "NationalHeading"
    return (
        ParagraphStyle("ParentBody", "Parent Body", based_on=heading, size=12),
        ParagraphStyle("BodyName", "Issuing Body", based_on=heading, size=12, bold=True),
        ParagraphStyle("NationalName", "National Name", based_on=heading, size=12, bold=True),
        ParagraphStyle("Motto", "Motto", based_on=heading, size=13, bold=True),
        ParagraphStyle("PartyName", "Party Heading", based_on=heading, size=15, bold=True),
        ParagraphStyle("Asterisk", "Asterisk", based_on=heading, size=13),
        ParagraphStyle("DocumentNumber", "Document Number", based_on=heading, size=13, before_em=0.3),
        ParagraphStyle("PlaceDate", "Place and Date", based_on=heading, size=13, italic=italic, before_em=0.3),
        # hr: an empty paragraph of a hair's height carries the rule close under the text
        ParagraphStyle(RULE, "Rule", based_on=TABLE_TEXT, size=2, before_em=0.0, after_em=1.0),
        ParagraphStyle("Summary", "Summary", size=14, bold=True, align="center", after_em=0.0, keep_next=True),
        ParagraphStyle("AnnexLine", "Annex Line", italic=italic, align="center", before_em=0.2, after_em=0.0),
        # p.text: first line indented 1 cm (Decree 30/2020); not in Arabic, as common.css says why
        ParagraphStyle("BodyText", "Body Text", align="justify", first_line_mm=0.0 if rtl else 10),
        ParagraphStyle("RecipientsLabel", "Recipients Label", based_on=TABLE_TEXT, size=12, bold=True, italic=italic),
        ParagraphStyle("Recipient", "Recipient", based_on=TABLE_TEXT, size=11),
        ParagraphStyle("SignerTitle", "Signer Title", based_on=TABLE_TEXT, bold=True, align="center"),
        ParagraphStyle("SignerName", "Signer Name", based_on=TABLE_TEXT, bold=True, align="center", before_mm=35),
        # certificate.css: 30 mm, so a certificate keeps to one page with a 25 mm margin for a letterhead
        ParagraphStyle("CertificateSignerName", "Certificate Signer Name", based_on="SignerName", before_mm=30),
        ParagraphStyle(
            "Bestows", "Certificate Bestows", based_on="CertificateText", bold=True, before_em=0.2, after_em=0.0
        ),
    )


class StyleSet:
    """The paragraph styles by id, with what each finally gives its runs (its chain resolved)."""

    def __init__(self, body_pt: float, rtl: bool):
        self.styles = {style.style_id: style for style in paragraph_styles(body_pt, rtl)}

    def _resolved(self, style_id: str, attribute: str):
        style = self.styles[style_id]
        while getattr(style, attribute) is None and style.based_on is not None:
            style = self.styles[style.based_on]
        return getattr(style, attribute)

    def look(self, style_id: str) -> Look:
        """Size, bold and italic after inheritance; neither bold nor italic where no style says."""
        return Look(
            self._resolved(style_id, "size"),
            bool(self._resolved(style_id, "bold")),
            bool(self._resolved(style_id, "italic")),
        )

    def align(self, style_id: str) -> str | None:
        return self._resolved(style_id, "align")


@dataclass(frozen=True)
class Fonts:
    """What the styles name: the Latin and complex-script families and the body size."""

    latin: str
    complex: str
    size_pt: float


# Only in certificates / only in reports and lists: a document lists the styles of its kind
# (Word's style pane shows what a clerk can use here), plus any other it does use.
CERTIFICATE_STYLES = frozenset(
    {
        "CertificateText",
        "CertificateMotto",
        "CertificateIssuer",
        "CertificateTitle",
        "AwardeeName",
        "Citation",
        "Signatory",
        "CertificateNote",
        "CertificateSignerName",
        "Bestows",
    }
)
REPORT_STYLES = frozenset(
    {
        "Heading1",
        "Heading2",
        "Heading3",
        "Subtitle",
        "SampleNotice",
        "Reporters",
        LIST,
        LIST_NUMBER,
        LIST_BULLET,
        TABLE_HEADER,
        "NationalHeading",
        FOOTER,
        REPORT_TABLE,
        "ParentBody",
        "BodyName",
        "NationalName",
        "Motto",
        "PartyName",
        "Asterisk",
        "DocumentNumber",
        "PlaceDate",
        "Summary",
        "AnnexLine",
        "BodyText",
        "RecipientsLabel",
        "Recipient",
        "SignerTitle",
        "SignerName",
        HEADER,
    }
)
# The defaults Word expects in every styles part (ECMA-376 Part 1, 17.7.4.17): hidden.
DEFAULT_STYLES = (
    ("character", "DefaultParagraphFont", "Default Paragraph Font"),
    ("table", "TableNormal", "Normal Table"),
    ("numbering", "NoList", "No List"),
)
# Word's built-in styles (Heading 4-9, Caption, Quote, ...) stay latent and hidden from the
# gallery and the recommended list; one a clerk applies anyway takes the theme's fonts and
# colour, which docx_parts makes the house ones. 376: the built-in styles Word 2013 knows.
LATENT_STYLES = {
    "defLockedState": "0",
    "defUIPriority": "99",
    "defSemiHidden": "1",
    "defUnhideWhenUsed": "1",
    "defQFormat": "0",
    "count": "376",
}


def apply(styles, fonts: Fonts, rtl: bool, lang: str) -> None:
    """Write the style set into the styles part (``styles`` is its ``w:styles`` element),
    replacing the template's 179 styles and 137 latent-style exceptions."""
    _start_afresh(styles, fonts, rtl, lang)
    style_set = StyleSet(fonts.size_pt, rtl)
    for style in style_set.styles.values():
        _write_paragraph_style(styles, style, style_set, fonts, rtl, lang)
    _write_table_style(styles, REPORT_TABLE, "Report Table", fonts.size_pt, borders=True)
    _write_table_style(styles, LAYOUT_TABLE, "Layout Table", fonts.size_pt, borders=False)


def _start_afresh(styles, fonts: Fonts, rtl: bool, lang: str) -> None:
    """Nothing of the template's styles but the document defaults, in our fonts, size and language."""
    for old in styles.findall(qn("w:style")):
        styles.remove(old)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        for old in list(latent):
            latent.remove(old)
        for name, value in LATENT_STYLES.items():
            latent.set(qn(f"w:{name}"), value)
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:  # text outside any style (none of ours) still gets our fonts
        ooxml.set_fonts(defaults, fonts.latin, fonts.complex, fonts.latin)
        ooxml.set_size(defaults, fonts.size_pt)
        ooxml.remove(defaults, "w:lang")
        if lang:
            ooxml.set_lang(defaults, lang, rtl)
    paragraph = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    if paragraph is not None:  # the template's 10 pt after and 1.15 lines: our styles say their own
        ooxml.set_spacing(paragraph, after=0, line=240, lineRule="auto")
    for style_type, style_id, name in DEFAULT_STYLES:
        style = _style_element(styles, style_type, style_id, name)
        style.set(qn("w:default"), "1")
        ooxml.child(style, "w:uiPriority", ooxml.STYLE_ORDER, val="99")
        ooxml.child(style, "w:semiHidden", ooxml.STYLE_ORDER)
        ooxml.child(style, "w:unhideWhenUsed", ooxml.STYLE_ORDER)


def keep_kind(styles, used: set[str], certificate: bool) -> None:
    """Drop the other kind's styles the document does not use, nor bases its styles on:
    a report lists no Awardee Name, a certificate no Heading 1."""
    other = REPORT_STYLES if certificate else CERTIFICATE_STYLES
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    needed, pending = set(), list(used)
    while pending:  # the used styles and every style they are based on
        style_id = pending.pop()
        if style_id in needed or style_id not in by_id:
            continue
        needed.add(style_id)
        based = by_id[style_id].find(qn("w:basedOn"))
        if based is not None:
            pending.append(based.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id in other and style_id not in needed:
            styles.remove(style)


def _style_element(styles, style_type: str, style_id: str, name: str):
    """A fresh ``w:style``: the template's own version (theme fonts, colours, numbering) is dropped."""
    for old in styles.xpath(f'w:style[@w:styleId="{style_id}"]'):
        styles.remove(old)
    style = OxmlElement("w:style", {qn("w:type"): style_type, qn("w:styleId"): style_id})
    if style_id == NORMAL:
        style.set(qn("w:default"), "1")
    ooxml.child(style, "w:name", ooxml.STYLE_ORDER, val=name)
    styles.append(style)
    return style


def _write_paragraph_style(
    styles, spec: ParagraphStyle, style_set: StyleSet, fonts: Fonts, rtl: bool, lang: str
) -> None:
    style = _style_element(styles, "paragraph", spec.style_id, spec.name)
    if spec.based_on:
        ooxml.child(style, "w:basedOn", ooxml.STYLE_ORDER, val=spec.based_on)
    if spec.next_style:
        ooxml.child(style, "w:next", ooxml.STYLE_ORDER, val=spec.next_style)
    ooxml.child(style, "w:qFormat", ooxml.STYLE_ORDER)
    pPr = ooxml.child(style, "w:pPr", ooxml.STYLE_ORDER)
    size = style_set.look(spec.style_id).size
    if spec.keep_next:
        ooxml.set_keep_next(pPr)
    if rtl and spec.style_id == NORMAL:
        ooxml.set_bidi(pPr)
    spacing: dict[str, int | str] = {}
    if spec.before_em is not None:
        spacing["before"] = round(spec.before_em * size * 20)
    if spec.before_mm is not None:
        spacing["before"] = round(spec.before_mm * MM_TWIPS)
    if spec.after_em is not None:
        spacing["after"] = round(spec.after_em * size * 20)
    if spec.size is not None or spec.based_on is None:  # the line grows with the style's size
        spacing.update(line(size))
    if spacing:
        ooxml.set_spacing(pPr, **spacing)
    if spec.style_id in (LIST_NUMBER, LIST_BULLET):
        ooxml.set_numbering(pPr, ORDERED if spec.style_id == LIST_NUMBER else BULLET)
    if spec.style_id == LIST:  # unnumbered list items: a hanging indent on the start side
        indent = list_indent(fonts.size_pt)
        ooxml.set_start_indent(pPr, indent, indent)
    if spec.side_indent_mm:
        twips = str(round(spec.side_indent_mm * MM_TWIPS))
        ooxml.child(pPr, "w:ind", ooxml.PPR_ORDER, left=twips, right=twips)
    if spec.first_line_mm:
        ooxml.child(pPr, "w:ind", ooxml.PPR_ORDER, firstLine=str(round(spec.first_line_mm * MM_TWIPS)))
    if spec.align:
        ooxml.set_jc(pPr, JC[spec.align])
    if spec.outline_level is not None:
        ooxml.child(pPr, "w:outlineLvl", ooxml.PPR_ORDER, val=str(spec.outline_level))
    rPr = ooxml.child(style, "w:rPr", ooxml.STYLE_ORDER)
    if spec.based_on is None:  # the root names the fonts and language; every other style inherits them
        ooxml.set_fonts(rPr, fonts.latin, fonts.complex, fonts.latin)
        if lang:
            ooxml.set_lang(rPr, lang, rtl)
    if spec.bold is not None:
        ooxml.set_bold(rPr, spec.bold)
    if spec.italic is not None:
        ooxml.set_italic(rPr, spec.italic)
    if spec.color:
        ooxml.set_color(rPr, spec.color)
    if spec.letter_spacing_em:
        ooxml.child(rPr, "w:spacing", ooxml.RPR_ORDER, val=str(round(spec.letter_spacing_em * size * 20)))
    if spec.size is not None:
        ooxml.set_size(rPr, spec.size)


def _write_table_style(styles, style_id: str, name: str, body_pt: float, borders: bool) -> None:
    """Report tables: 0.6 pt black rules, padding 0.4em at the sides, a bold header row (th, td of common.css).

    Layout tables (two header blocks side by side): no rules, padding 0 0.2em.
    """
    style = _style_element(styles, "table", style_id, name)
    ooxml.child(style, "w:basedOn", ooxml.STYLE_ORDER, val="TableNormal")
    ooxml.child(style, "w:qFormat", ooxml.STYLE_ORDER)
    tblPr = ooxml.child(style, "w:tblPr", ooxml.STYLE_ORDER)
    if borders:
        rules = ooxml.child(tblPr, "w:tblBorders", ooxml.TBLPR_ORDER)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            ooxml.child(rules, f"w:{side}", ooxml.TBLBORDERS_ORDER, val="single", sz="5", space="0", color="000000")
    # The CSS pads 0.15em above and below too, but LibreOffice 7.4 makes a table style's top and
    # bottom cell margins far larger than asked (Arabic lists ran to a third page): sides only.
    vertical, horizontal = 0.0, (0.4 if borders else 0.2)
    margins = ooxml.child(tblPr, "w:tblCellMar", ooxml.TBLPR_ORDER)
    for side, em in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
        ooxml.child(margins, f"w:{side}", ooxml.CELLMAR_ORDER, w=str(round(em * body_pt * 20)), type="dxa")
    if borders:  # th { font-weight: bold }: the header row, where w:tblLook asks for it
        header = OxmlElement("w:tblStylePr", {qn("w:type"): "firstRow"})
        ooxml.set_bold(ooxml.child(header, "w:rPr", ooxml.STYLE_PR_ORDER))
        style.append(header)  # the last child a style may have


def line(size: float) -> dict[str, int | str]:
    return {"line": round(LINE_HEIGHT * size * 20), "lineRule": "exact"}


def list_indent(body_pt: float) -> int:
    """The hanging indent of list items, in twips: the marker's box of 1.6 em."""
    return round(LIST_INDENT_EM * body_pt * 20)
