"""Layered certificates: the static page typeset once, only the variable boxes per awardee.

WeasyPrint spends most of a certificate's time laying out and shaping the
text every certificate shares (heading, title, citation, signature block). So
the page is made in two layers, as print shops do with variable-data printing:

- the static layer: the certificate with its variable elements emptied
  (``writers/layer_html.py``), typeset once per event, language and template
  version; on it we measure where each variable box lies and how its text is
  styled (the computed style: font, size, weight, colour, alignment, line
  height);
- the variable layer: for many awardees in one WeasyPrint document, a page
  holding only absolutely positioned boxes at those places, in those styles,
  with the awardee's text. A text taller or wider than its box shrinks in
  steps of 5% down to its ``data-min-size``, then is an error naming the awardee.

``writers/pdf_overlay.py`` puts the static page under each variable page as a
PDF Form XObject.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

from reporting.errors import RenderError
from reporting.tool_language import _, isolate, number
from reporting.writers.layer_css import parsed_sheets, unlinked
from reporting.writers.layer_html import MARKER, Layers, VariableText, head_of

STEP = 0.05  # how much a text shrinks at a time
_EPSILON = 0.01  # CSS px: layout rounding, not overflow


@dataclass(frozen=True)
class Box:
    """A variable box measured on the static layer (CSS px, its content box)."""

    name: str
    x: float  # from the certificate section's top-left corner
    y: float
    width: float
    height: float
    page_x: float  # from the page's top-left corner (the sheet's, without bleed)
    page_y: float
    style: dict  # the element's computed text style, as CSS declarations

    def css(self, scale: float) -> str:
        declarations = dict(self.style)
        for name in ("font-size", "letter-spacing", "word-spacing"):
            if declarations.get(name, "").endswith("px"):
                declarations[name] = f"{float(declarations[name][:-2]) * scale:.4f}px"
        if declarations["line-height"].endswith("px"):  # a number (1.45) scales with the font by itself
            declarations["line-height"] = f"{float(declarations['line-height'][:-2]) * scale:.4f}px"
        return "; ".join(f"{key}: {value}" for key, value in declarations.items())


@dataclass(frozen=True)
class StaticLayer:
    """The typeset static page and the variable boxes measured on it."""

    pdf: bytes
    boxes: tuple[Box, ...]
    page_width: float  # CSS px, the sheet without bleed
    page_height: float

    def geometry_json(self) -> str:
        return json.dumps(
            {"boxes": [asdict(box) for box in self.boxes], "page": [self.page_width, self.page_height]}, sort_keys=True
        )

    @classmethod
    def from_cache(cls, pdf: bytes, geometry: str) -> StaticLayer:
        data = json.loads(geometry)
        return cls(pdf, tuple(Box(**box) for box in data["boxes"]), *data["page"])


def typeset_static(writer, layers: Layers) -> StaticLayer:
    """Typeset the static page once and measure its variable boxes."""
    measured: list = []

    def measure(document) -> None:
        measured.append(_measure(document, [text.name for text in layers.texts]))

    pdf = writer.write(layers.static_html, expected_pages=1, inspect=measure)
    boxes, width, height = measured[0]
    return StaticLayer(pdf, boxes, width, height)


def _measure(document, names: list[str]) -> tuple[tuple[Box, ...], float, float]:
    page = document.pages[0]._page_box
    found, section = {}, None
    for box in page.descendants():
        element = box.element
        if element is None or type(box).__name__ != "BlockBox":
            continue
        if section is None and box.element_tag == "section":
            section = box
        name = element.get(MARKER)
        if name and name not in found and box.element_tag == element.tag:
            found[name] = box
    missing = [name for name in names if name not in found]
    if section is None or missing:
        raise RenderError(
            _(
                "the variable box {name} is not a block on the certificate page (give the element marked {marker} "
                "display: block)"
            ).format(name=isolate(repr(missing[0] if missing else "")), marker=isolate(MARKER))
        )
    bleed_x, bleed_y = page.margin_width() - page.style["size"][0], page.margin_height() - page.style["size"][1]
    boxes = tuple(_box(name, found[name], section, bleed_x / 2, bleed_y / 2) for name in names)
    return boxes, page.style["size"][0], page.style["size"][1]


def _box(name: str, box, section, bleed_x: float, bleed_y: float) -> Box:
    minimum = box.style["min_height"]
    if minimum == "auto" or not minimum.value:
        raise RenderError(
            _(
                "the variable box {name} has no min-height in the certificate stylesheet: the room its text may "
                "take must be declared, so the page is laid out the same for every awardee"
            ).format(name=isolate(repr(name)))
        )
    x, y = box.content_box_x(), box.content_box_y()
    origin_x, origin_y = section.border_box_x(), section.border_box_y()
    return Box(
        name, x - origin_x, y - origin_y, box.width, box.height, x - bleed_x, y - bleed_y, _text_style(box.style)
    )


def _text_style(style) -> dict:
    """The computed style a box's text is set in, as CSS (the variable layer has none of its ancestors)."""
    color = style["color"]
    red, green, blue = (round(c * 255) for c in color.to("srgb").coordinates)
    line_height = style["line_height"]
    spacing = style["letter_spacing"]
    return {
        "font-family": ", ".join(f'"{family}"' for family in style["font_family"]),
        "font-size": f"{style['font_size']:.4f}px",
        "font-weight": str(style["font_weight"]),
        "font-style": style["font_style"],
        "font-stretch": style["font_stretch"],
        "color": f"rgba({red}, {green}, {blue}, {color.alpha:g})",
        "text-align": style["text_align_all"],
        "text-align-last": style["text_align_last"],
        "line-height": f"{line_height.value:.4f}px" if hasattr(line_height, "unit") else str(line_height),
        "letter-spacing": spacing if spacing == "normal" else f"{spacing:.4f}px",
        "word-spacing": f"{style['word_spacing']:.4f}px",
        "direction": style["direction"],
        "text-transform": style["text_transform"],
        "white-space": style["white_space"],
        "hyphens": style["hyphens"],
    }


_LAYER_CSS = """
@page { marks: none; }
section.certificate.variable-layer { border: none; padding: 0; margin: 0; min-height: 0; height: 1px;
  position: relative; }
.vbox { position: absolute; margin: 0; padding: 0; border: none; overflow: visible; }
.vfit { margin: 0; padding: 0; }
"""


def variable_html(
    static_html: str, layer: StaticLayer, pages: list[tuple[VariableText, ...]], scales: list[list[float]]
) -> str:
    """One page per awardee holding only its variable texts, at the static layer's places.

    The head links no stylesheet: ``typeset_variable`` hands the certificate's linked sheets to
    WeasyPrint already parsed (``writers/layer_css.py``)."""
    rules: dict[tuple[int, float], str] = {}
    body = []
    for texts, page_scales in zip(pages, scales, strict=True):
        boxes = []
        for index, (text, scale) in enumerate(zip(texts, page_scales, strict=True)):
            rule = rules.setdefault((index, scale), f"vbox-{index}-{round(scale * 100)}")
            boxes.append(f'<div class="vbox {rule}"><div class="vfit">{text.html}</div></div>')
        body.append('<section class="page certificate variable-layer">' + "".join(boxes) + "</section>")
    css = [_LAYER_CSS]
    for (index, scale), rule in rules.items():
        box = layer.boxes[index]
        css.append(
            f".{rule} {{ left: {box.x:.4f}px; top: {box.y:.4f}px; width: {box.width:.4f}px; "
            f"height: {box.height:.4f}px; {box.css(scale)} }}"
        )
    head, _links = unlinked(head_of(static_html))
    head = head.replace("</head>", "<style>" + "\n".join(css) + "</style>\n</head>", 1)
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def overflowing(document, pages: int) -> list[list[float]]:
    """For each page and box: 1.0 when its text fits, else how much smaller it must get (height ratio)."""
    found = []
    for page in document.pages[:pages]:
        ratios = []
        for box in _walk(page._page_box):
            if type(box).__name__ == "BlockBox" and "vbox" in (box.element.get("class") or "").split():
                ratios.append(_fit_ratio(box))
        found.append(ratios)
    return found


def _walk(box):
    """Every box under ``box``, absolutely positioned ones included (descendants() stops at their placeholder)."""
    box = getattr(box, "_box", box)  # layout.absolute.AbsolutePlaceholder
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _fit_ratio(box) -> float:
    fit = box.children[0]
    ratio = 1.0
    if fit.margin_height() > box.height + _EPSILON:
        ratio = box.height / fit.margin_height()
    left, right = box.content_box_x() - _EPSILON, box.content_box_x() + box.width + _EPSILON
    for child in _walk(fit):
        if type(child).__name__ == "TextBox" and (child.position_x < left or child.position_x + child.width > right):
            ratio = min(ratio, 0.999)
    return ratio


def next_scale(scale: float, ratio: float, minimum: float) -> float | None:
    """The next, smaller scale for a text ``ratio`` too big at ``scale``; None when below its minimum."""
    if scale <= minimum + 1e-9:
        return None
    wanted = math.floor(scale * ratio / STEP + 1e-9) * STEP
    return round(max(minimum, min(wanted, scale - STEP)), 4)


class BoxOverflow(RenderError):
    """A variable text does not fit its box even at its smallest allowed size."""

    def __init__(self, page: int, message: str):
        super().__init__(message)
        self.page = page


def box_overflow(page: int, text: VariableText) -> BoxOverflow:
    """The error for ``text`` (on ``page`` of a batch) not fitting its box even at its smallest size."""
    return BoxOverflow(
        page,
        _(
            "the {name} does not fit its box on the certificate even at {percent}% of its size; "
            "shorten it, or let it shrink further ({setting})"
        ).format(
            name=isolate(text.name),
            percent=number(round(text.min_scale * 100)),
            setting=isolate(f'data-min-size on the element marked {MARKER}="{text.name}"'),
        ),
    )


def typeset_variable(writer, static_html: str, layer: StaticLayer, pages: list[tuple[VariableText, ...]]) -> bytes:
    """The variable layer of ``pages`` (one awardee each) as one PDF, every text fitted to its box."""
    scales = [[1.0] * len(texts) for texts in pages]
    sheets = tuple(parsed_sheets(writer, unlinked(head_of(static_html))[1]))
    while True:
        document = writer.typeset(
            variable_html(static_html, layer, pages, scales), expected_pages=len(pages), stylesheets=sheets
        )
        changed = False
        for page, ratios in enumerate(overflowing(document, len(pages))):
            for index, ratio in enumerate(ratios):
                if ratio >= 1:
                    continue
                text = pages[page][index]
                scale = next_scale(scales[page][index], ratio, text.min_scale)
                if scale is None:
                    raise box_overflow(page, text)
                scales[page][index] = scale
                changed = True
        if not changed:
            return writer.finish(document)
