"""The computed styles of a variable box's texts, read from WeasyPrint once per markup shape and scale.

A user's stylesheet may style the pieces of a variable text (``.field-name``,
``.nobr``, an isolated Latin fragment) apart from its box, and the variable
layer's boxes are styled by the rules ``variable_html`` writes for a scale. So
the direct layout asks WeasyPrint: for the first awardee of each (box, markup
shape, scale) it typesets that awardee's variable page through the existing
path (``variable_html``, the parsed sheets of ``layer_css``) and reads the
styles of the boxes WeasyPrint built: the line's, each element's, the texts'.

Before any other awardee uses them, the direct layout of the probe's own texts
is compared with WeasyPrint's text boxes (place, width, baseline, text); a
difference over 0.05 px marks the entry, and the batch goes to WeasyPrint.
Entries live as long as the worker, keyed by the static page's HTML, the parsed
sheets and the writer's font configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from reporting.errors import ReportingError
from reporting.writers import inline_markup
from reporting.writers.layer_css import parsed_sheets, unlinked
from reporting.writers.layer_html import VariableText, head_of
from reporting.writers.pango_glyphs import FontFiles
from reporting.writers.pdf_layers import StaticLayer, _walk, variable_html
from reporting.writers.text_layout import BoxStyles, NotDirect, lay_out_box

TOLERANCE = 0.05  # CSS px between the direct layout and WeasyPrint's on the probe
_ENTRIES: dict[tuple, BoxStyles] = {}
_LIMIT = 4096  # entries a worker keeps (a few per box, shape and scale in practice)


class Probe:
    """``probe(requests)`` for ``text_layout.lay_out``: the styles of each (page, box, shape, scale) requested."""

    def __init__(
        self, writer, static_html: str, layer: StaticLayer, pages: Sequence[tuple[VariableText, ...]], fonts: FontFiles
    ):
        self.writer = writer
        self.static_html = static_html
        self.layer = layer
        self.pages = pages
        self.fonts = fonts
        self.sheets = tuple(parsed_sheets(writer, unlinked(head_of(static_html))[1]))
        self.key = (
            hashlib.sha256(static_html.encode("utf-8")).hexdigest(),
            tuple(id(sheet) for sheet in self.sheets),
            id(writer.font_config),
        )
        self.probes = 0  # WeasyPrint documents typeset

    def __call__(self, requests: list[tuple[int, int, str, float]]) -> dict[tuple[int, str, float], BoxStyles]:
        found: dict[tuple[int, str, float], BoxStyles] = {}
        wanted: dict[int, list[float]] = {}  # page -> the scales of its probe page
        covered: set[tuple[int, str, float]] = set()  # one probe page for each missing entry, not one per awardee
        for page, index, shape, scale in requests:
            entry = _ENTRIES.get((self.key, index, shape, scale))
            if entry is not None:
                found[(index, shape, scale)] = entry
                continue
            if (index, shape, scale) not in covered:
                covered.add((index, shape, scale))
                wanted.setdefault(page, [1.0] * len(self.pages[page]))[index] = scale
        if wanted:
            self._probe(wanted)
            for _page, index, shape, scale in requests:
                found[(index, shape, scale)] = _ENTRIES[(self.key, index, shape, scale)]
        return found

    def _probe(self, wanted: dict[int, list[float]]) -> None:
        pages = [self.pages[page] for page in wanted]
        scales = list(wanted.values())
        try:
            document = self.writer.typeset(
                variable_html(self.static_html, self.layer, pages, scales),
                expected_pages=len(pages),
                stylesheets=self.sheets,
            )
        except ReportingError as exc:
            raise NotDirect(f"the probe: {exc}") from None
        self.probes += 1
        if len(_ENTRIES) > _LIMIT:
            _ENTRIES.clear()
        for texts, page_scales, page in zip(pages, scales, document.pages, strict=True):
            boxes = [
                box
                for box in _walk(page._page_box)
                if type(box).__name__ == "BlockBox" and "vbox" in (box.element.get("class") or "").split()
            ]
            if len(boxes) != len(texts):
                raise NotDirect("the probe's boxes")
            for index, (text, scale, vbox) in enumerate(zip(texts, page_scales, boxes, strict=True)):
                tree = inline_markup.parse(text.html)
                entry = _styles(vbox)
                entry.verified = self._check(entry, tree, index, vbox)
                _ENTRIES[(self.key, index, inline_markup.shape(tree), scale)] = entry

    def _check(self, entry: BoxStyles, tree: inline_markup.Element, index: int, vbox) -> str:
        """ "" when the direct layout of the probe's texts is WeasyPrint's, else what differs."""
        fit = vbox.children[0]
        lines = [box for box in fit.children if type(box).__name__ == "LineBox"]
        try:
            laid = lay_out_box(entry, tree, self.layer.boxes[index], self.fonts)
        except NotDirect as exc:
            return str(exc)
        if (len(lines) != 1) != laid.wrapped:
            return "the probe's text breaks where the direct layout does not, or the other way round"
        if laid.wrapped:
            return ""  # it shrinks; the size it gets is probed and checked in its turn
        theirs = [box for box in _walk(lines[0]) if type(box).__name__ == "TextBox"]
        if [box.text for box in theirs] != [text.text for text in laid.texts]:
            return "the probe's texts differ"
        left, top = vbox.content_box_x(), vbox.content_box_y()
        for box, text in zip(theirs, laid.texts, strict=True):
            differences = (
                box.position_x - left - text.x,
                box.width - (text.shaped.width if text.shaped else 0.0),
                box.position_y + box.baseline - top - laid.baseline,
            )
            if any(abs(d) > TOLERANCE for d in differences):
                return f"the probe's text {box.text!r} is off by {differences}"
        if abs(fit.margin_height() - laid.height) > TOLERANCE:
            return "the probe's line height differs"
        return ""


def _styles(vbox) -> BoxStyles:
    """The styles of the box's line, elements and texts, from WeasyPrint's boxes."""
    fit = vbox.children[0]
    order = {id(element): number for number, element in enumerate(list(fit.element.iter())[1:])}
    elements: dict[int, Any] = {}
    texts: dict[int, Any] = {}
    line_style = None

    def walk(box, parent: int) -> None:
        nonlocal line_style
        kind = type(box).__name__
        if "::" in (box.element_tag or ""):
            raise NotDirect("generated content")
        if kind == "LineBox":
            line_style = line_style or box.style
        elif kind == "InlineBox":
            parent = order.get(id(box.element), -2)
            if parent < 0:
                raise NotDirect("an inline box of no element of the text")
            elements.setdefault(parent, box.style)
        elif kind == "TextBox":
            texts.setdefault(parent, box.style)
            return
        else:
            raise NotDirect(f"a {kind} in the text")
        for child in box.children:
            walk(child, parent)

    for child in fit.children:
        walk(child, -1)
    if line_style is None:
        line_style = fit.style  # an empty text: the line would take the block's style
    if len(elements) != len(order):
        raise NotDirect("an element without an inline box (display: none, block...)")
    return BoxStyles(line_style, [elements[number] for number in range(len(order))], texts)
