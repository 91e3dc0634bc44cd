"""The variable layer laid out directly: each awardee's texts set in their boxes without a WeasyPrint document.

``typeset_variable`` (``writers/pdf_layers.py``) typesets the variable texts of
a chunk as a WeasyPrint document: page, margin boxes, style cascade, layout
and drawing, for a few lines of text an awardee. This module gives the same
result for the common case at a fraction of the cost:

- the computed styles of a box's texts come from WeasyPrint once per static
  layer, box, markup shape (``writers/inline_markup.py``) and scale: a *probe*
  typesets the first awardee of that shape through ``variable_html`` and reads
  its boxes (``writers/layout_probe.py``);
- every text is shaped by the same Pango through WeasyPrint's own bindings
  (``writers/pango_glyphs.py``), and the line is built by WeasyPrint's rules for
  one line of inline boxes: white space collapsed across elements, the line's
  leading and trailing spaces removed, right-to-left elements' children in
  reverse order, ``text-align``, every box on the line's baseline at the height
  its line-height strut gives it (``weasyprint/layout/inline.py``);
- a text too big shrinks exactly as ``typeset_variable`` shrinks it (the same
  ratios, ``next_scale``, the same ``BoxOverflow``).

The probe checks the direct layout of its own texts against WeasyPrint's boxes
(0.05 px); a shape that differs, and anything this layout does not do (markup
other than inline elements, letter or word spacing, justification, a vertical
alignment other than the baseline, a text needing two lines whose size would
depend on where it breaks), raises ``NotDirect``: the caller typesets that
batch with ``typeset_variable`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from weasyprint.formatting_structure.text import LINE_FEED_RE, SPACE_RE, TAB_RE, transform
from weasyprint.text.line_break import get_log_attrs, strut

from reporting.writers import inline_markup
from reporting.writers.glyph_runs import Glyph, GlyphRun, Page
from reporting.writers.layer_html import VariableText
from reporting.writers.pango_glyphs import FontFiles, ShapedText, ShapingRefused, shape
from reporting.writers.pdf_layers import Box, StaticLayer, box_overflow, next_scale

_EPSILON = 0.01  # CSS px: layout rounding, not overflow (as pdf_layers)
_COLLAPSING = ("normal", "nowrap", "pre-line")
_WRAPPING = ("normal", "pre-wrap", "pre-line")


class NotDirect(Exception):
    """The direct layout cannot promise WeasyPrint's result for this batch: typeset it with WeasyPrint."""


@dataclass
class BoxStyles:
    """What WeasyPrint computed for one box's markup shape at one scale (from a probe)."""

    line: Any  # the line box's style (the block's, inherited): a WeasyPrint computed style
    elements: list[Any]  # per element of the fragment, in document order: its inline box's style
    texts: dict[int, Any]  # parent element index (-1: the block) -> the style of the text boxes it holds
    verified: str = ""  # why the probe's own texts came out differently, "" when they matched
    supported: bool = False  # the styles passed _check_supported (once, on the probe)


@dataclass
class _Text:
    parent: int  # element index, -1 for the block
    text: str
    style: Any
    shaped: ShapedText | None = None
    x: float = 0.0
    room: float | None = None  # the width it takes on the line when not its own (a trimmed trailing space)


@dataclass
class LaidOutBox:
    """One box's text laid out at one scale."""

    texts: list[_Text]  # in document order, empty ones left out
    baseline: float  # CSS px, from the box's top
    height: float  # the line's height
    width: float  # the line's width
    ratio: float  # 1.0 when the text fits, else as pdf_layers._fit_ratio
    wrapped: bool = False  # the text needs two lines or more (then ratio is what every number of lines gives)


def lay_out(probe, layer: StaticLayer, pages: Sequence[tuple[VariableText, ...]], fonts: FontFiles) -> list[Page]:
    """Each page's (awardee's) variable texts as glyph runs, fitted to their boxes as ``typeset_variable`` fits them.

    ``probe(requests)`` gives the ``BoxStyles`` for (page index, box index, scale) requests
    (``layout_probe.Probe``). Raises ``BoxOverflow`` (the same as ``typeset_variable``) or ``NotDirect``."""
    trees = [[_parse(text.html) for text in texts] for texts in pages]
    shapes = [[inline_markup.shape(tree) for tree in page] for page in trees]
    scales = [[1.0] * len(texts) for texts in pages]
    laid: list[list[LaidOutBox | None]] = [[None] * len(texts) for texts in pages]
    # The same text in the same box at the same scale is laid out once (the date, a common position).
    done: dict[tuple[int, str, float], LaidOutBox] = {}
    while True:
        pending = [(p, i) for p, page in enumerate(laid) for i, box in enumerate(page) if box is None]
        if not pending:
            break
        styles = probe([(p, i, shapes[p][i], scales[p][i]) for p, i in pending])
        for p, i in pending:
            entry = styles[(i, shapes[p][i], scales[p][i])]
            if entry.verified:
                raise NotDirect(entry.verified)
            memo = (i, pages[p][i].html, scales[p][i])
            box = done.get(memo) or lay_out_box(entry, trees[p][i], layer.boxes[i], fonts)
            done[memo] = box
            if box.ratio >= 1:
                laid[p][i] = box
                continue
            text = pages[p][i]
            scale = next_scale(scales[p][i], box.ratio, text.min_scale)
            if scale is None:
                raise box_overflow(p, text)
            if box.wrapped and scale > text.min_scale + 1e-9:
                raise NotDirect("how much a text on several lines shrinks depends on where its lines break")
            scales[p][i] = scale
    drawn: dict[int, list[GlyphRun]] = {}  # a box laid out once is drawn once, whoever shares it
    for page in laid:
        for index, placed in enumerate(page):
            if id(placed) not in drawn:
                drawn[id(placed)] = _glyph_runs(placed, layer.boxes[index])
    return [tuple(run for placed in page for run in drawn[id(placed)]) for page in laid]


def _parse(html: str) -> inline_markup.Element:
    try:
        return inline_markup.parse(html)
    except inline_markup.Unsupported as exc:
        raise NotDirect(f"markup: {exc}") from None


def lay_out_box(styles: BoxStyles, tree: inline_markup.Element, box: Box, fonts: FontFiles) -> LaidOutBox:
    """One box's text on one line, as WeasyPrint's inline layout places it (see the module's docstring)."""
    line_style = styles.line
    if not styles.supported:
        for style in (line_style, *styles.elements):
            _check_supported(style)
        styles.supported = True
    texts, nested = _texts(tree, styles)
    try:
        for text in texts:
            text.shaped = shape(text.text, text.style, fonts) if text.text else None
    except ShapingRefused as exc:
        raise NotDirect(str(exc)) from None
    # Placed with the trailing spaces, then those removed: an RTL text moves the line (remove_last_whitespace).
    trim_shift = _remove_last_whitespace(texts, fonts)
    # A line breaks when its text, but for the trailing spaces, is wider than the box (split_inline_box).
    if sum(_width(text) for text in texts) > box.width * (1 + 1e-9) and _can_break(texts, line_style):
        return _wrapped(texts, line_style, box)
    _place(nested, styles, line_style["direction"], 0.0)
    texts = [text for text in texts if text.text]
    width = sum(_width(text) for text in texts)
    offset = _align_offset(line_style, box.width, width)
    start = offset if line_style["direction"] == "ltr" else box.width - width - offset
    for text in texts:
        text.x += start + trim_shift
    baseline, depth = _verticality(line_style, styles, texts)
    ratio = 1.0
    if baseline + depth > box.height + _EPSILON:
        ratio = box.height / (baseline + depth)
    if any(t.x < -_EPSILON or t.x + _width(t) > box.width + _EPSILON for t in texts):
        ratio = min(ratio, 0.999)
    return LaidOutBox(texts, baseline, baseline + depth, width, ratio)


def _check_supported(style) -> None:
    if style["letter_spacing"] != "normal" or style["word_spacing"]:
        raise NotDirect("letter-spacing or word-spacing")
    if style["text_transform"] not in ("none", "uppercase"):
        raise NotDirect(f"text-transform: {style['text_transform']}")
    if style["vertical_align"] != "baseline":
        raise NotDirect("vertical-align")
    if style["text_align_all"] == "justify" or style["text_align_last"] == "justify":
        raise NotDirect("justified text")
    if getattr(style["text_indent"], "value", 1):
        raise NotDirect("text-indent")
    if style["text_decoration_line"] != "none":
        raise NotDirect("text-decoration")
    if style["visibility"] != "visible" or style["position"] != "static" or style["float"] != "none":
        raise NotDirect("an element out of the line")
    sides = [style[f"{kind}_{side}"] for kind in ("padding", "margin") for side in ("left", "right")]
    sides += [style[f"border_{side}_width"] for side in ("left", "right")]
    if any(getattr(side, "value", side) not in (0, "auto") for side in sides):
        raise NotDirect("an inline element with padding, margin or border")


def _texts(tree: inline_markup.Element, styles: BoxStyles) -> tuple[list[_Text], list]:
    """The fragment's texts after WeasyPrint's white-space processing and text-transform, in document order,
    and the same texts in their elements: [text or (element index, [...])]."""
    texts: list[_Text] = []
    indexes = {id(element): number for number, element in enumerate(inline_markup.elements(tree))}
    collapsible = False  # the text before ends with a collapsible space

    def walk(node: inline_markup.Element, parent: int) -> list:
        nonlocal collapsible
        nested: list = []
        for child in node.children:
            if isinstance(child, inline_markup.Element):
                nested.append((indexes[id(child)], walk(child, indexes[id(child)])))
                continue
            style = styles.texts.get(parent)
            if style is None:
                if child.strip():
                    raise NotDirect("a text whose style the probe did not see")
                continue
            text, collapsible = _white_space(child, style, collapsible)
            if style["text_transform"] != "none":
                text = transform(style["text_transform"], text, (style["lang"] or "").split("-")[0].lower())
            if style["hyphens"] == "none":
                text = text.replace("\u00ad", "")
            texts.append(_Text(parent, text, style))
            nested.append(texts[-1])
        return nested

    nested = walk(tree, -1)
    # The line's leading spaces go (skip_first_whitespace).
    for text in texts:
        if text.style["white_space"] not in _COLLAPSING:
            break
        text.text = text.text.lstrip(" ")
        if text.text:
            break
    if any(("\n" in t.text or "\t" in t.text) for t in texts):
        raise NotDirect("a preserved line break or tab")
    return texts, nested


def _white_space(text: str, style, collapsible: bool) -> tuple[str, bool]:
    """``TextBox.process_whitespace`` of weasyprint/formatting_structure/boxes.py."""
    if not text:
        return text, collapsible
    text = LINE_FEED_RE.sub("\n", text)
    white_space = style["white_space"]
    if white_space in _COLLAPSING:
        text = TAB_RE.sub("\n", text)
    if white_space in ("normal", "nowrap"):
        text = text.replace("\n", " ")
    if white_space in _COLLAPSING:
        text = SPACE_RE.sub(" ", text)
        ends_with_space = text.endswith(" ")
        if collapsible and text.startswith(" "):
            text = text[1:]
        return text, ends_with_space
    return text, False


def _remove_last_whitespace(texts: list[_Text], fonts: FontFiles) -> float:
    """The line's trailing spaces removed (remove_last_whitespace); how far an RTL line moves for it."""
    # The line's last text box: texts emptied by the white-space processing make no box.
    last = next((text for text in reversed(texts) if text.text), None)
    if last is None or last.style["white_space"] not in _COLLAPSING:
        return 0.0
    trimmed = last.text.rstrip(" ")
    if trimmed == last.text:
        return 0.0
    assert last.shaped is not None
    before = last.shaped
    last.room = before.width
    last.text = trimmed
    after = shape(trimmed, last.style, fonts) if trimmed else None
    space = before.width - (after.width if after else 0.0)
    # The box takes the trimmed width, yet WeasyPrint draws the layout it had, with the spaces.
    last.shaped = replace(after, runs=before.runs) if after else None
    return -space if before.rtl else 0.0


def _width(text: _Text) -> float:
    return text.shaped.width if text.shaped else 0.0


def _can_break(texts: list[_Text], line_style) -> bool:
    """Whether the line has a break opportunity: where a too long text would wrap to a second line."""
    if line_style["white_space"] not in _WRAPPING:
        return False
    for text in texts:  # a word too long for the line is broken (split_first_line, step 5)
        breaks_words = (
            text.style["overflow_wrap"] in ("anywhere", "break-word") or text.style["word_break"] == "break-all"
        )
        if breaks_words and text.style["white_space"] in _WRAPPING and len(text.text.strip()) > 1:
            return True
    whole = "".join(text.text for text in texts)
    kept = []  # per character: may the line break before it
    for text in texts:
        wraps = text.style["white_space"] in _WRAPPING
        kept += [wraps or index == 0 for index in range(len(text.text))]
    attributes = get_log_attrs(whole, line_style["lang"])
    return any(attributes[index].is_line_break and kept[index] for index in range(1, len(whole)))


def _wrapped(texts: list[_Text], line_style, box: Box) -> LaidOutBox:
    """A text that breaks onto two lines or more: it shrinks, and by how much must not depend on where it breaks.

    ``_fit_ratio`` gives the box's height over the lines' height; with two lines or more that is at most
    half the box over one line's strut. When even that ratio asks for a size at or under the text's smallest
    (its data-min-size), every number of lines gives the same next size: its smallest. Otherwise WeasyPrint
    must say where the lines break."""
    line_height, _baseline = strut(line_style)
    if box.height >= 2 * line_height - _EPSILON:
        raise NotDirect("a box with room for several lines")
    return LaidOutBox(texts, 0.0, 2 * line_height, 0.0, box.height / (2 * line_height), wrapped=True)


def _place(nested: list, styles: BoxStyles, direction: str, x: float) -> float:
    """Each text's x from the line's start: children in order, in reverse order inside a right-to-left
    element (split_inline_box's reordering); returns the end of the items."""
    for item in nested[::-1] if direction == "rtl" else nested:
        if isinstance(item, _Text):
            item.x = x
            x += _width(item) if item.room is None else item.room
        else:
            x = _place(item[1], styles, styles.elements[item[0]]["direction"], x)
    return x


def _align_offset(line_style, available: float, width: float) -> float:
    """``text_align`` of weasyprint/layout/inline.py for the last (here the only) line."""
    if width >= available:
        return 0.0
    align = line_style["text_align_all"]
    if line_style["text_align_last"] != "auto":
        align = line_style["text_align_last"]
    if align in ("left", "right"):
        align = "start" if (align == "left") ^ (line_style["direction"] == "rtl") else "end"
    if align == "center":
        return (available - width) / 2
    return available - width if align == "end" else 0.0


def _verticality(line_style, styles: BoxStyles, texts: list[_Text]) -> tuple[float, float]:
    """The line's baseline from its top and its depth under the baseline: every box on one baseline, each as
    tall as its line-height (line_box_verticality, with _adjust_line_height and split_text_box's half-leadings)."""
    above, below = [], []
    for style in (line_style, *styles.elements):
        line_height, baseline = strut(style)
        above.append(baseline)
        below.append(line_height - baseline)
    for text in texts:
        assert text.shaped is not None
        line_height, _baseline = strut(text.style)
        baseline = text.shaped.baseline + (line_height - text.shaped.height) / 2
        above.append(baseline)
        below.append(line_height - baseline)
    return max(above), max(below)


def _glyph_runs(laid: LaidOutBox | None, box: Box) -> list[GlyphRun]:
    assert laid is not None
    runs = []
    y = box.page_y + laid.baseline
    for text in laid.texts:
        if text.shaped is None:
            continue
        color = text.style["color"]
        rgba = (*(float(c) for c in color.to("srgb").coordinates), float(color.alpha))
        x = box.page_x + text.x
        for run in text.shaped.runs:
            glyphs = tuple(Glyph(g.id, x + g.dx, y + g.dy, g.text) for g in run.glyphs)
            runs.append(GlyphRun(run.font, run.size, rgba, run.rtl, glyphs, run.name))  # type: ignore[arg-type]
    return runs
