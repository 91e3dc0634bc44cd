"""A certificate's HTML cut into its two layers: the static page and the variable boxes.

The template declares what varies per awardee: every element carrying
``data-variable="<name>"`` (the name, the position and unit, the register
number, ...). Such an element is a box of fixed place and size on the page:
its stylesheet gives it a ``min-height``, the room its text may take, so the
rest of the page is laid out the same whatever the text. The static layer is
the certificate's HTML with those elements emptied (identical for every
awardee of an event and language, so typeset once); the variable layer is the
text of those elements, typeset many awardees per document at the places
measured on the static layer (``writers/pdf_layers.py``).

An element may declare how far its text may shrink to fit its box:
``data-min-size="70%"`` (default 100%: it may not shrink).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from reporting.tool_language import _, isolate

MARKER = "data-variable"
_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\s" + MARKER + r'="([^"]+)"[^>]*>')
_MIN_SIZE = re.compile(r'\sdata-min-size="(\d+(?:\.\d+)?)%"')


@dataclass(frozen=True)
class VariableText:
    """One variable box's content for one awardee."""

    name: str  # the data-variable value
    html: str  # the element's inner HTML
    min_scale: float  # how far the text may shrink (data-min-size), 1.0 = not at all


@dataclass(frozen=True)
class Layers:
    """One certificate as its static HTML (variable elements emptied) and its variable texts."""

    static_html: str
    texts: tuple[VariableText, ...]

    @property
    def static_id(self) -> str:
        return hashlib.sha256(self.static_html.encode("utf-8")).hexdigest()


class LayerError(ValueError):
    """The template's variable elements are not of a shape that can be layered."""


def split_layers(html: str) -> Layers:
    """Cut ``html`` (one certificate) into its static HTML and its variable texts, in document order."""
    pieces, texts, position = [], [], 0
    names: set[str] = set()
    for match in _START.finditer(html):
        if match.start() < position:
            raise LayerError(
                _("the variable element {name} is inside another variable element").format(
                    name=isolate(repr(match.group(2)))
                )
            )
        tag, name = match.group(1).lower(), match.group(2)
        if name in names:
            raise LayerError(
                _("two elements are marked {marker}; each variable box needs its own name").format(
                    marker=isolate(f"{MARKER}={name!r}")
                )
            )
        names.add(name)
        end = _closing_tag(html, tag, match.end(), name)
        size = _MIN_SIZE.search(match.group(0))
        scale = float(size.group(1)) / 100 if size else 1.0
        if size is not None and not 0.3 <= scale <= 1:
            raise LayerError(
                _("{setting}: expected a percentage from 30% to 100%, found {value}%").format(
                    setting=isolate(f"data-min-size of {name!r}"), value=size.group(1)
                )
            )
        texts.append(VariableText(name, html[match.end() : end], scale))
        pieces += [html[position : match.end()]]
        position = end
    pieces.append(html[position:])
    return Layers("".join(pieces), tuple(texts))


def _closing_tag(html: str, tag: str, start: int, name: str) -> int:
    """Where the element opened just before ``start`` closes (same-name elements nested inside counted)."""
    opening = re.compile(rf"<{tag}\b[^>]*>|</{tag}\s*>", re.IGNORECASE)
    depth = 1
    for match in opening.finditer(html, start):
        depth += -1 if match.group(0).startswith("</") else 1
        if depth == 0:
            return match.start()
    raise LayerError(
        _("the variable element {name} ({tag}) is never closed").format(
            name=isolate(repr(name)), tag=isolate(f"<{tag}>")
        )
    )


def head_of(html: str) -> str:
    """Everything up to and including ``<body>``: the language, direction, stylesheets and page rule."""
    start = html.find("<body")
    return html[: html.index(">", start) + 1]
