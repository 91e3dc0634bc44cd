"""A variable box's inner HTML as a small tree of inline elements and texts, and its shape.

The direct layout of the variable layer (``writers/text_layout.py``) sets the
texts of a box in the styles WeasyPrint computed for the same markup on a probe
awardee. Two awardees' boxes share those styles when their markup is the same
once the texts are taken out: the *shape* (tags, attributes, and which texts
are blank, which a selector such as ``:empty`` could tell apart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements WeasyPrint's user-agent stylesheet shows inline and that hold text; anything else is laid out
# by WeasyPrint itself (the caller falls back). Whether the stylesheet keeps them inline is checked on the probe.
INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)


@dataclass
class Element:
    tag: str
    attributes: tuple[tuple[str, str | None], ...]
    children: list[Element | str] = field(default_factory=list)


class Unsupported(ValueError):
    """Markup the direct layout does not lay out (a block, a line break, an image, a comment...)."""


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("", ())
        self.open: list[Element] = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE_TAGS:
            raise Unsupported(tag)
        element = Element(tag, tuple(attrs))
        self.open[-1].children.append(element)
        self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        raise Unsupported(tag)

    def handle_endtag(self, tag):
        if len(self.open) < 2 or self.open[-1].tag != tag:
            raise Unsupported(f"/{tag}")
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].children.append(data)

    def handle_comment(self, data):
        raise Unsupported("comment")

    def handle_decl(self, decl):
        raise Unsupported("declaration")

    def handle_pi(self, data):
        raise Unsupported("processing instruction")


def parse(fragment: str) -> Element:
    """The fragment as a tree under an anonymous root (raises ``Unsupported``)."""
    parser = _Parser()
    parser.feed(fragment)
    parser.close()
    if len(parser.open) != 1:
        raise Unsupported("unclosed element")
    return parser.root


def shape(root: Element) -> str:
    """The markup without its texts: equal for two fragments the stylesheets style alike."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append("T" if child.strip() else ("W" if child else ""))
            else:
                parts.append(f"<{child.tag} {child.attributes!r}>")
                walk(child)
                parts.append(f"</{child.tag}>")

    walk(root)
    return "".join(parts)


def elements(root: Element) -> list[Element]:
    """Every element under ``root`` in document order (the order of ``ElementTree.iter``)."""
    found: list[Element] = []

    def walk(node: Element) -> None:
        for child in node.children:
            if isinstance(child, Element):
                found.append(child)
                walk(child)

    walk(root)
    return found
