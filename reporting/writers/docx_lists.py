"""Word numbering for the HTML lists: every <ol>/<ul> is a list Word numbers itself (numbering.xml).

Templates write each item's marker (``<span class="marker">3.</span>``) because
WeasyPrint puts right-to-left list markers on the wrong side. The DOCX writer
checks that the markers are what Word will show (1., 2., ... in the document's
digits; one bullet character for a whole <ul>), drops them from the text and
numbers the paragraphs instead: staff then edit a real Word list, and in a
right-to-left paragraph the number stands on the right.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reporting.errors import RenderError
from reporting.tool_language import _, isolate
from reporting.writers import ooxml
from reporting.writers.docx_styles import BULLET, LIST_BULLET, LIST_NUMBER, ORDERED

SPEC = "docs/html-subset.md"
ARABIC_INDIC = "".join(chr(0x0660 + digit) for digit in range(10))
# ST_NumberFormat of each digit system: "hindiNumbers" is Arabic-Indic ١، ٢، ٣.
NUMBER_FORMATS = {"latn": "decimal", "arab": "hindiNumbers"}
DEFAULT_BULLET = "\u2022"
FIRST_LIST_ID = 10  # a document's own lists; each restarts at 1


def label(number: int, digits: str) -> str:
    """The label Word shows for item ``number`` of an ordered list: "3." or "٣."."""
    text = str(number)
    if digits == "arab":
        text = text.translate({ord("0") + d: ARABIC_INDIC[d] for d in range(10)})
    return text + "."


class Lists:
    """The numbering part of one document: the styles' two lists, then one ``w:num`` per HTML list."""

    def __init__(self, digits: str, indent_twips: int):
        self.digits, self.indent = digits, indent_twips
        self._lists: list[tuple[int, str]] = []  # (abstractNum id, bullet or "") per HTML list
        self._bullets: dict[str, int] = {DEFAULT_BULLET: BULLET}  # bullet character -> abstractNum id

    def add(self, tag: str, markers: list[str]) -> tuple[str, int]:
        """Check one list's markers; return its paragraph style and the ``w:numId`` its items take."""
        if tag == "ol":
            expected = [label(number, self.digits) for number in range(1, len(markers) + 1)]
            if markers != expected:
                raise RenderError(
                    isolate(f"<ol> markers {markers[:3]} ...")
                    + ": "
                    + _("expected {numbers} ..., the numbers Word shows in the document's digits ({guide})").format(
                        numbers=isolate(expected[:3]), guide=isolate(SPEC)
                    )
                )
            abstract, style = ORDERED, LIST_NUMBER
        else:
            if len(set(markers)) != 1 or len(markers[0]) != 1:
                raise RenderError(
                    isolate(f"<ul> markers {markers[:3]}")
                    + ": "
                    + _("expected one character, the same on every item ({guide})").format(guide=isolate(SPEC))
                )
            abstract = self._bullets.setdefault(markers[0], max(self._bullets.values()) + 1)
            style = LIST_BULLET
        self._lists.append((abstract, markers[0] if tag == "ul" else ""))
        return style, FIRST_LIST_ID + len(self._lists) - 1

    def write(self, numbering) -> None:
        """Replace the template's definitions in ``numbering`` (the ``w:numbering`` element)."""
        for old in list(numbering):
            numbering.remove(old)
        numbering.append(self._abstract(ORDERED, "%1.", NUMBER_FORMATS[self.digits], LIST_NUMBER))
        for bullet, abstract in sorted(self._bullets.items(), key=lambda item: item[1]):
            numbering.append(self._abstract(abstract, bullet, "bullet", LIST_BULLET if abstract == BULLET else None))
        for num_id, abstract in ((ORDERED, ORDERED), (BULLET, BULLET)):
            numbering.append(_num(num_id, abstract, restart=False))
        for index, (abstract, _bullet) in enumerate(self._lists):
            numbering.append(_num(FIRST_LIST_ID + index, abstract, restart=True))

    def _abstract(self, abstract_id: int, text: str, number_format: str, style: str | None):
        """One level: the label at the start side, then a tab to the hanging indent (li .marker's 1.6 em box)."""
        abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
        ooxml.child(abstract, "w:multiLevelType", ooxml.ABSTRACT_NUM_ORDER, val="singleLevel")
        lvl = ooxml.child(abstract, "w:lvl", ooxml.ABSTRACT_NUM_ORDER, ilvl="0")
        ooxml.child(lvl, "w:start", ooxml.LVL_ORDER, val="1")
        ooxml.child(lvl, "w:numFmt", ooxml.LVL_ORDER, val=number_format)
        if style:  # the style that numbers its paragraphs with this list (List Number, List Bullet)
            ooxml.child(lvl, "w:pStyle", ooxml.LVL_ORDER, val=style)
        ooxml.child(lvl, "w:suff", ooxml.LVL_ORDER, val="tab")
        ooxml.child(lvl, "w:lvlText", ooxml.LVL_ORDER, val=text)
        ooxml.child(lvl, "w:lvlJc", ooxml.LVL_ORDER, val="left")  # the start side, in both directions
        pPr = ooxml.child(lvl, "w:pPr", ooxml.LVL_ORDER)
        ooxml.set_start_indent(pPr, self.indent, self.indent)
        return abstract


def _num(num_id: int, abstract_id: int, restart: bool):
    num = OxmlElement("w:num", {qn("w:numId"): str(num_id)})
    ooxml.child(num, "w:abstractNumId", ooxml.NUM_ORDER, val=str(abstract_id))
    if restart:  # each HTML list counts from 1, as the template's markers do
        override = OxmlElement("w:lvlOverride", {qn("w:ilvl"): "0"})
        override.append(OxmlElement("w:startOverride", {qn("w:val"): "1"}))
        num.append(override)
    return num
