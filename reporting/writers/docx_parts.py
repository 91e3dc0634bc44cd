"""The parts that describe a DOCX rather than hold its text: settings, document properties, theme, font table.

python-docx's template describes a Word 2010 document written on a Mac in
2000: compatibility mode 14 (Word opens it in Compatibility Mode), Calibri and
Cambria in the theme, a font table of fonts we never use. Here each part is
made to say what our document is: Word 2013 layout (mode 15), the issuing body,
title, subject, language and date of the data, this program as the
application, and the house fonts and colour as the theme Word falls back on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from reporting.writers import ooxml

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
CORE_LIMIT = 255  # characters a core property may hold (python-docx refuses longer)

# Word 2013's own compatibility settings for a new document (ECMA-376 Part 1, 17.15.3;
# [MS-DOCX] 2.6.1): mode 15 is the layout of Word 2013 and later, no Compatibility Mode.
COMPATIBILITY = (
    ("compatibilityMode", "15"),
    ("overrideTableStyleFontSizeAndJustification", "1"),
    ("enableOpenTypeFeatures", "1"),
    ("doNotFlipMirrorIndents", "1"),
    ("differentiateMultirowTableHeaders", "1"),
)
MS_WORD = "http://schemas.microsoft.com/office/word"
# What the template's settings claim and ours must not: a spell check already done
# (proofState), a thumbnail (dropped), revision ids and a document id of another file.
FALSE_SETTINGS = ("w:proofState", "w:savePreviewPicture", "w:rsids", "w:attachedTemplate")
HOUSE_COLOUR = "7A1F1F"  # the certificate frame's; the theme's accent (built-in headings use it)


@dataclass(frozen=True)
class Description:
    """What a document says about itself: the HTML's <title>, author, description, language and date."""

    title: str = ""
    creator: str = ""  # the issuing body
    subject: str = ""
    language: str = ""  # Word's tag, e.g. vi-VN
    created: datetime | None = None
    rtl: bool = False


def set_compatibility(settings: etree._Element, description: Description) -> None:
    """Word 2013 compatibility (mode 15) and the document's language; drop what describes another file."""
    for tag in FALSE_SETTINGS:
        ooxml.remove(settings, tag)
    for found in settings.findall(f"{W14}docId"):
        settings.remove(found)
    compat = ooxml.child(settings, "w:compat", ooxml.SETTINGS_ORDER)
    for old in list(compat):
        compat.remove(old)  # w:useFELayout and the mode-14 settings
    for name, value in COMPATIBILITY:
        setting = etree.SubElement(compat, qn("w:compatSetting"))
        setting.set(qn("w:name"), name)
        setting.set(qn("w:uri"), MS_WORD)
        setting.set(qn("w:val"), value)
    if description.language:
        lang = ooxml.child(settings, "w:themeFontLang", ooxml.SETTINGS_ORDER)
        for attribute in list(lang.attrib):
            del lang.attrib[attribute]
        lang.set(qn("w:bidi" if description.rtl else "w:val"), description.language)


def set_core_properties(props, description: Description, epoch: datetime) -> None:
    """Title, subject, creator and language from the document; its date (never the clock's) as created/modified."""
    created = description.created or epoch
    if created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)
    props.title = shorten(description.title)
    props.subject = shorten(description.subject)
    props.author = shorten(description.creator)
    props.last_modified_by = shorten(description.creator)
    props.language = shorten(description.language)
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    props.created = props.modified = created
    props.last_printed = created


def shorten(text: str) -> str:
    """At most 255 characters, cut at a word with an ellipsis: a long title must not stop the build."""
    if len(text) <= CORE_LIMIT:
        return text
    cut = text[: CORE_LIMIT - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > CORE_LIMIT // 2 else cut).rstrip() + "\u2026"


def app_properties(description: Description) -> bytes:
    """docProps/app.xml: this program as the application, the issuing body as the company.

    No page, word or line counts: Word recomputes them, and a stale count is a false statement.
    """
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{escape(application())}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{escape(description.creator)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()


@lru_cache(maxsize=1)
def application() -> str:
    """This program and its version, as installed (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"reporting {version('reporting')}"
    except PackageNotFoundError:
        return "reporting"


def set_app_properties(package, description: Description) -> None:
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_properties(description)


def set_theme(document, latin: str, complex_script: str) -> None:
    """The theme's fonts and accent colour are the house ones: a built-in style a clerk picks
    in Word (Heading 4, Caption, ...) comes out in Times New Roman / Amiri, not Calibri and blue."""
    for rel in document.part.rels.values():
        if rel.reltype != RT.THEME:
            continue
        theme = etree.fromstring(rel.target_part.blob)
        for scheme in ("majorFont", "minorFont"):
            fonts = _theme_part(theme, f".//{A}fontScheme/{A}{scheme}")
            _theme_part(fonts, f"{A}latin").set("typeface", latin)
            _theme_part(fonts, f"{A}cs").set("typeface", complex_script)
            for script in fonts.findall(f"{A}font"):
                if script.get("script") == "Arab":
                    script.set("typeface", complex_script)
        accent = _theme_part(theme, f".//{A}clrScheme/{A}accent1")
        for old in list(accent):
            accent.remove(old)
        etree.SubElement(accent, f"{A}srgbClr").set("val", HOUSE_COLOUR)
        rel.target_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme_part(element: etree._Element, path: str) -> etree._Element:
    """An element python-docx's default theme always has; a theme without it is not one we can restyle."""
    found = element.find(path)
    if found is None:
        raise ValueError(f"the DOCX theme has no {path}")
    return found


def clear_font_table(table: etree._Element, keep: tuple[str, ...]) -> None:
    """Only the fonts the document names (the template lists Calibri, Cambria, MS Mincho ...)."""
    for font in table.findall(qn("w:font")):
        if font.get(qn("w:name")) not in keep:
            table.remove(font)
