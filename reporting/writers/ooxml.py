"""What python-docx has no API for: direction, complex-script fonts, fields, page borders, schema order, packages."""

from __future__ import annotations

import copy

from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from reporting.writers import opc_zip


def _order(*tags: str) -> dict[str, int]:
    return {qn(tag): rank for rank, tag in enumerate(tags)}


# Child order fixed by the schema (ECMA-376 Part 1, transitional). Word refuses
# a file whose children are out of order, so every insertion goes through these.
PPR_ORDER = _order(
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
RPR_ORDER = _order(
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
SECTPR_ORDER = _order(
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
TBLPR_ORDER = _order(
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
TCPR_ORDER = _order(
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)
TBLBORDERS_ORDER = _order("w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end", "w:insideH", "w:insideV")
CELLMAR_ORDER = _order("w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end")
STYLE_PR_ORDER = _order("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr")  # inside w:tblStylePr
NUMPR_ORDER = _order("w:ilvl", "w:numId")
NUM_ORDER = _order("w:abstractNumId", "w:lvlOverride")
LVL_ORDER = _order(
    "w:start",
    "w:numFmt",
    "w:lvlRestart",
    "w:pStyle",
    "w:isLgl",
    "w:suff",
    "w:lvlText",
    "w:lvlPicBulletId",
    "w:legacy",
    "w:lvlJc",
    "w:pPr",
    "w:rPr",
)
ABSTRACT_NUM_ORDER = _order(
    "w:nsid",
    "w:multiLevelType",
    "w:tmpl",
    "w:name",
    "w:styleLink",
    "w:numStyleLink",
    "w:lvl",
)
PBDR_ORDER = _order("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar")
PGBORDERS_ORDER = _order("w:top", "w:left", "w:bottom", "w:right")
FONT_ORDER = _order(
    "w:altName",
    "w:panose1",
    "w:charset",
    "w:family",
    "w:notTrueType",
    "w:pitch",
    "w:sig",
    "w:embedRegular",
    "w:embedBold",
    "w:embedItalic",
    "w:embedBoldItalic",
)
# CT_Settings up to the last element python-docx's template holds; later ones rank
# as unknown, which is harmless: only early elements (the font flags) are inserted.
SETTINGS_ORDER = _order(
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:uiCompat97To2003",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:decimalSymbol",
    "w:listSeparator",
)
STYLE_ORDER = _order(
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
)


def child(parent: etree._Element, tag: str, order: dict[str, int], **attrs: str) -> etree._Element:
    """Return ``parent``'s ``tag`` child, inserted at its schema position if absent; set ``attrs``."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        _insert_in_order(parent, found, order)
    for name, value in attrs.items():
        found.set(qn(f"w:{name}"), value)
    return found


def remove(parent: etree._Element, *tags: str) -> None:
    """Drop ``parent``'s children named ``tags`` (used to clear theme-driven style properties)."""
    for tag in tags:
        for found in parent.findall(qn(tag)):
            parent.remove(found)


def _insert_in_order(parent: etree._Element, new: etree._Element, order: dict[str, int]) -> None:
    # Before the first sibling ranked after the new element; siblings the table
    # does not know (extensions) rank first, so they never push ours forward.
    rank = order[new.tag]
    for index, sibling in enumerate(parent):
        if order.get(sibling.tag, -1) > rank:
            parent.insert(index, new)
            return
    parent.append(new)


# -- paragraphs -------------------------------------------------------------


def set_bidi(pPr: etree._Element) -> None:
    """Right-to-left paragraph: LibreOffice and Word then read ``jc``/``ind`` left as start."""
    child(pPr, "w:bidi", PPR_ORDER)


def set_jc(pPr: etree._Element, value: str) -> None:
    """Alignment; in a ``w:bidi`` paragraph "left" is the start (right) side, "right" the end."""
    child(pPr, "w:jc", PPR_ORDER, val=value)


def set_keep_next(pPr: etree._Element) -> None:
    child(pPr, "w:keepNext", PPR_ORDER)


def set_page_break_before(pPr: etree._Element) -> None:
    child(pPr, "w:pageBreakBefore", PPR_ORDER)


def set_spacing(pPr: etree._Element, **values: int | str) -> None:
    """``w:spacing`` attributes: before/after in twentieths of a point, line in 240ths, lineRule."""
    child(pPr, "w:spacing", PPR_ORDER, **{name: str(value) for name, value in values.items()})


def set_start_indent(pPr: etree._Element, start: int, hanging: int) -> None:
    """Hanging indent on the start side; ``w:left`` is the start side of a ``w:bidi`` paragraph."""
    child(pPr, "w:ind", PPR_ORDER, left=str(start), hanging=str(hanging))


def set_bottom_border(pPr: etree._Element, eighths_pt: int = 5) -> None:
    """A thin black rule under the paragraph (``<hr>``)."""
    border = child(pPr, "w:pBdr", PPR_ORDER)
    child(border, "w:bottom", PBDR_ORDER, val="single", sz=str(eighths_pt), space="1", color="000000")


# -- runs -------------------------------------------------------------------


def set_fonts(rPr: etree._Element, latin: str, complex_script: str, east_asia: str | None = None) -> None:
    """Explicit font names for every script slot, replacing any theme font reference."""
    fonts = child(rPr, "w:rFonts", RPR_ORDER)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    slots = {"ascii": latin, "hAnsi": latin, "cs": complex_script}
    if east_asia:
        slots["eastAsia"] = east_asia
    for slot, font in slots.items():
        fonts.set(qn(f"w:{slot}"), font)


def set_size(rPr: etree._Element, points: float) -> None:
    """Size for Latin (``w:sz``) and complex scripts (``w:szCs``), in half-points."""
    half_points = str(round(points * 2))
    child(rPr, "w:sz", RPR_ORDER, val=half_points)
    child(rPr, "w:szCs", RPR_ORDER, val=half_points)


def set_bold(rPr: etree._Element, on: bool = True) -> None:
    """Bold (or, with ``on=False``, explicitly not) for both scripts: Arabic text only follows ``w:bCs``."""
    _toggle(rPr, ("w:b", "w:bCs"), on)


def set_italic(rPr: etree._Element, on: bool = True) -> None:
    """Italic for Latin and Vietnamese only (``w:i``), never ``w:iCs``: Arabic has no italics
    and Amiri no italic face, so Word and LibreOffice would slant the letters synthetically."""
    _toggle(rPr, ("w:i",), on)


def _toggle(rPr: etree._Element, tags: tuple[str, ...], on: bool) -> None:
    for tag in tags:
        element = child(rPr, tag, RPR_ORDER)
        if not on:  # a style that must undo its base's bold or italic
            element.set(qn("w:val"), "0")


def set_numbering(pPr: etree._Element, num_id: int, level: int = 0) -> None:
    """The list (``w:num``) and level a paragraph is numbered in."""
    numPr = child(pPr, "w:numPr", PPR_ORDER)
    child(numPr, "w:ilvl", NUMPR_ORDER, val=str(level))
    child(numPr, "w:numId", NUMPR_ORDER, val=str(num_id))


def set_table_style(tblPr: etree._Element, style_id: str, header_row: bool) -> None:
    """The table's style and which of its conditional parts apply (only the header row, if any)."""
    child(tblPr, "w:tblStyle", TBLPR_ORDER, val=style_id)
    flags = 0x0600 | (0x0020 if header_row else 0)  # firstRow, noHBand, noVBand (17.4.56)
    child(
        tblPr,
        "w:tblLook",
        TBLPR_ORDER,
        val=f"{flags:04X}",
        firstRow=str(int(header_row)),
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="1",
        noVBand="1",
    )


def set_color(rPr: etree._Element, rgb: str) -> None:
    """A fixed colour, dropping the template's theme colour attributes."""
    color = child(rPr, "w:color", RPR_ORDER)
    for name in list(color.attrib):
        del color.attrib[name]
    color.set(qn("w:val"), rgb)


def set_rtl(rPr: etree._Element) -> None:
    child(rPr, "w:rtl", RPR_ORDER)


def set_ltr_run(rPr: etree._Element, lang: str) -> None:
    """A left-to-right run inside right-to-left text: explicitly not ``w:rtl``, in its own language.

    Word resolves the neutral characters of a run without ``w:rtl`` left to right
    ("35-CT/TW" keeps its order); the language tells spell checkers and converters.
    """
    child(rPr, "w:rtl", RPR_ORDER, val="0")
    child(rPr, "w:lang", RPR_ORDER, val=lang)


def set_lang(rPr: etree._Element, tag: str, rtl: bool) -> None:
    """Language for spelling and shaping: right-to-left languages go in ``w:bidi``."""
    child(rPr, "w:lang", RPR_ORDER, **{"bidi" if rtl else "val": tag})


# -- sections and tables ----------------------------------------------------


def set_section_bidi(sectPr: etree._Element) -> None:
    """Right-to-left section: page columns and gutter run from the right."""
    child(sectPr, "w:bidi", SECTPR_ORDER)


def set_page_number_format(sectPr: etree._Element, fmt: str) -> None:
    """How PAGE fields number the section's pages (an ST_NumberFormat, e.g. ``hindiNumbers``)."""
    child(sectPr, "w:pgNumType", SECTPR_ORDER, fmt=fmt)


def set_page_borders(
    sectPr: etree._Element, spaces_pt: tuple[int, ...], style: str, eighths_pt: int, color: str
) -> None:
    """A border round every page of the section, ``spaces_pt`` (top right bottom left) out from the text."""
    borders = child(sectPr, "w:pgBorders", SECTPR_ORDER, offsetFrom="text")
    top, right, bottom, left = spaces_pt
    for side, space in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        child(borders, f"w:{side}", PGBORDERS_ORDER, val=style, sz=str(eighths_pt), space=str(space), color=color)


def set_bidi_visual(tblPr: etree._Element) -> None:
    """Right-to-left table: the first column is drawn on the right."""
    child(tblPr, "w:bidiVisual", TBLPR_ORDER)


def set_table_width_pct(tblPr: etree._Element, fiftieths: int = 5000) -> None:
    """Table width as a share of the text width (5000 = 100%)."""
    child(tblPr, "w:tblW", TBLPR_ORDER, w=str(fiftieths), type="pct")


TRPR_ORDER = _order(
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
)


def set_row(trPr: etree._Element, header: bool) -> None:
    """A row is never split across pages (WeasyPrint keeps rows whole); a header row repeats on each page."""
    child(trPr, "w:cantSplit", TRPR_ORDER)
    if header:
        child(trPr, "w:tblHeader", TRPR_ORDER)


def set_no_wrap(tcPr: etree._Element) -> None:
    child(tcPr, "w:noWrap", TCPR_ORDER)


# -- fields -----------------------------------------------------------------


def field_runs(instruction: str, result: str, rPr: etree._Element) -> list[etree._Element]:
    """A complex field (begin, instruction, separate, cached result, end), each run formatted as ``rPr``.

    Complex rather than ``w:fldSimple``: LibreOffice and Word both read it, and
    the result run carries the same direction and fonts as the text around it.
    """
    runs = []
    for kind, text in (
        ("begin", None),
        ("instrText", f" {instruction} "),
        ("separate", None),
        ("t", result),
        ("end", None),
    ):
        run = OxmlElement("w:r")
        run.append(copy.deepcopy(rPr))
        if text is None:
            run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
        else:
            node = OxmlElement(f"w:{kind}")
            node.text = text
            node.set(qn("xml:space"), "preserve")
            run.append(node)
        runs.append(run)
    return runs


# -- settings and font table ------------------------------------------------


def set_flag(settings: etree._Element, tag: str) -> None:
    """An on/off setting such as ``w:embedTrueTypeFonts``, at its schema position."""
    child(settings, tag, SETTINGS_ORDER)


def font_entry(fonts: etree._Element, name: str) -> etree._Element:
    """The font table's ``w:font`` named ``name``, added at the end if absent."""
    for font in fonts.findall(qn("w:font")):
        if font.get(qn("w:name")) == name:
            return font
    font = OxmlElement("w:font", {qn("w:name"): name})
    fonts.append(font)
    return font


def describe_font(font: etree._Element, panose: str, pitch: str, sig: dict[str, str]) -> None:
    """What Word matches a substitute by: PANOSE class, pitch and Unicode/code page coverage."""
    child(font, "w:panose1", FONT_ORDER, val=panose)
    child(font, "w:charset", FONT_ORDER, val="00")
    child(font, "w:family", FONT_ORDER, val="auto")
    child(font, "w:pitch", FONT_ORDER, val=pitch)
    child(font, "w:sig", FONT_ORDER, **sig)


def set_font_embed(font: etree._Element, slot: str, rId: str, key: str, subsetted: bool) -> None:
    """``w:embedRegular`` (or Bold, Italic, BoldItalic): the obfuscated font part and its key."""
    embed = child(font, f"w:embed{slot}", FONT_ORDER, fontKey=key)
    embed.set(qn("r:id"), rId)
    if subsetted:
        embed.set(qn("w:subsetted"), "1")


# -- pictures ---------------------------------------------------------------


def set_description(inline: etree._Element, text: str) -> None:
    """Alt text of a picture: ``wp:docPr/@descr``, what Word's Alt Text pane and screen readers read."""
    properties = inline.find(qn("wp:docPr"))
    assert properties is not None, "python-docx makes every inline picture with its wp:docPr"
    properties.set("descr", text)


# -- package ----------------------------------------------------------------

# Embedded fonts are most of a package's bytes: at level 1 they come out about 5%
# larger than at the default 6, in a third of the time (measured on Amiri, Noto Serif).
FONT_ZIP_LEVEL = 1


def drop_template_parts(document) -> None:
    """Drop three parts of python-docx's template that would misdescribe our document: its
    Word 2010 copy of the styles (contradicting our edits, so Word may "repair" the file;
    also a third of the save), the thumbnail of a page that is not ours and its empty
    bibliography (custom XML)."""
    for owner, suffix in (
        (document.part, "/stylesWithEffects"),
        (document.part.package, "/thumbnail"),
        (document.part, "/customXml"),
    ):
        for rId, rel in list(owner.rels.items()):
            if rel.reltype.endswith(suffix):
                owner.rels.pop(rId)


# Members that differ between documents; the rest (styles, settings, fonts) are
# compressed once per process and reused (opc_zip's cache).
VARYING_MEMBERS = frozenset({"word/document.xml"})


def zip_package(entries: dict[str, bytes]) -> bytes:
    """The DOCX bytes of ``entries`` (name -> uncompressed bytes)."""
    return zip_members(compressed_members(entries))


def compressed_members(entries: dict[str, bytes]) -> dict[str, opc_zip.Member]:
    return {
        name: opc_zip.member(
            name,
            data,
            FONT_ZIP_LEVEL if name.endswith(".odttf") else opc_zip.DEFAULT_LEVEL,
            cache=name not in VARYING_MEMBERS,
        )
        for name, data in entries.items()
    }


def zip_members(members: dict[str, opc_zip.Member]) -> bytes:
    """[Content_Types].xml first, then by name."""
    return opc_zip.write(members[name] for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)))


class _Entries(dict):
    """Stands in for python-docx's zip writer: keeps each member's bytes by name."""

    def write(self, pack_uri, blob: bytes) -> None:
        self[pack_uri.membername] = blob


def package_entries(package) -> dict[str, bytes]:
    """The members ``OpcPackage.save`` would zip, uncompressed.

    Saving through python-docx and unzipping again compressed every part twice,
    which the embedded fonts made the larger part of a write.
    """
    for part in package.parts:
        part.before_marshal()
    entries = _Entries()
    PackageWriter._write_content_types_stream(entries, package.parts)
    PackageWriter._write_pkg_rels(entries, package.rels)
    # python-docx annotates this argument as its PhysPkgWriter factory class; what it uses is write() alone.
    PackageWriter._write_parts(entries, package.parts)  # type: ignore[arg-type]
    return entries
