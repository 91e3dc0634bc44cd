"""Bidi isolation and digits of rendered HTML, done once for data, catalog messages and numbers alike.

Without isolation the Unicode bidi algorithm reorders neutral characters
around Latin text in an Arabic line: "35-CT/TW" prints as "CT/TW-35" and a
decision number "1568/QĐ-UBND" splits across the line. Left-to-right
fragments get ``<bdi dir="ltr">``; both writers see the same ``<bdi>`` (the
DOCX writer turns it into an LRE...PDF embedding).
"""

from __future__ import annotations

import functools
import html as html_module
import re
from collections.abc import Callable

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
# Combining marks and zero-width (non-)joiners belong to the word they sit in: splitting
# "ă\u200da" into two isolates would show them in right-to-left order.
_JOINERS = "\u0300-\u036f\u200c\u200d"
_WORD = rf"[{_LATIN}0-9](?:[{_LATIN}0-9{_JOINERS}./:@_+\-]*[{_LATIN}0-9{_JOINERS}])?"
_LATIN_WORD = rf"(?=[0-9./:@_+\-]*[{_LATIN}]){_WORD}"
# Between Latin words, spaces and punctuation stay inside the fragment ("Nguyễn Văn A, B",
# "a<b"): isolating the words one by one would set them right to left. Arabic letters
# (\w minus Latin) end a fragment.
_SEPARATOR = r"[^\w\n]+"
# A percentage is isolated too: left to itself, the bidi algorithm set "10%" as "%10" inside an
# Arabic sentence (Pango 1.50) but "10%" alone in a table cell; isolated, it reads "10%" everywhere.
_FRAGMENT = re.compile(rf"{_LATIN_WORD}(?:{_SEPARATOR}{_LATIN_WORD})*|{_WORD}%|{_WORD}")
# Every fragment starts with a Latin letter or a digit: text without one is left as it is.
_FRAGMENT_CONTAINS = f"{_LATIN}0-9"
_NEEDS_ISOLATION = re.compile(rf"[{_LATIN}/:@%]|[0-9]-[0-9]")
_BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.S)


def isolate_ltr(html: str) -> str:
    """Wrap every LTR fragment of the body's text in ``<bdi dir="ltr">``; plain numbers are left alone."""
    return map_fragments(
        html,
        lambda fragment: (
            f'<bdi dir="ltr">{_escape(fragment)}</bdi>' if _NEEDS_ISOLATION.search(fragment) else _escape(fragment)
        ),
    )


_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_RTL_WORD = rf"[{_ARABIC}][{_ARABIC}\u200c\u200d]*"
# As for Latin: punctuation between Arabic words stays inside the fragment ("ب<ا").
_RTL_FRAGMENT = re.compile(rf"{_RTL_WORD}(?:{_SEPARATOR}{_RTL_WORD})*")
_RTL_FRAGMENT_CONTAINS = _ARABIC


def isolate_rtl(html: str) -> str:
    """In a left-to-right document, wrap Arabic fragments in ``<bdi dir="rtl">`` (the mirror case)."""
    return map_fragments(
        html, lambda fragment: f'<bdi dir="rtl">{_escape(fragment)}</bdi>', _RTL_FRAGMENT, _RTL_FRAGMENT_CONTAINS
    )


def isolated(text: str, direction: str) -> str:
    """Plain ``text`` as HTML for a ``direction`` context, its fragments of the other direction
    isolated: for pages of our own (the preview) that show data outside a rendered document."""
    wrapped = f"<body><p>{_escape(text)}</p></body>"  # text nodes are found between tags
    html = isolate_ltr(wrapped) if direction == "rtl" else isolate_rtl(wrapped)
    return html[len("<body><p>") : -len("</p></body>")]


def localize_digits(html: str, translate: Callable[[str], str]) -> str:
    """Digits typed in data and messages ("عام 2024") in the locale's digit system.

    Latin fragments keep their digits ("35-CT/TW" is a code, not a number a reader pronounces).
    """
    return map_fragments(html, lambda fragment: _escape(fragment if _has_latin(fragment) else translate(fragment)))


def map_fragments(
    html: str, replace: Callable[[str], str], pattern: re.Pattern = _FRAGMENT, contains: str = _FRAGMENT_CONTAINS
) -> str:
    """Apply ``replace`` (which returns HTML) to each ``pattern`` match in the body's text; the rest is re-escaped.

    ``contains``: characters (a regular expression character class without its brackets) every match
    of ``pattern`` holds one of. A text node with none of them, nor "&" or ">" (which re-escaping
    would rewrite), comes out as it went in, so it is not taken apart: most of a certificate's text
    nodes are such (the line breaks between tags; Arabic text when looking for Latin fragments, and
    the reverse). And a chunk's certificates repeat the same texts (the citation, the decision):
    each distinct text node is taken apart once a call (``replace`` depends on the fragment alone).
    """
    match = _BODY.search(html)
    if not match:
        return html
    done: dict[str, str] = {}

    def text_node(node: re.Match) -> str:
        raw = node.group(1)
        mapped = done.get(raw)
        if mapped is None:
            text = html_module.unescape(raw)  # "&lt;" is one character of the text
            pieces, last = [], 0
            for fragment in pattern.finditer(text):
                pieces += [_escape(text[last : fragment.start()]), replace(fragment.group(0))]
                last = fragment.end()
            mapped = done[raw] = "".join(pieces) + _escape(text[last:])
        return ">" + mapped  # the node's match starts at the ">" before it

    body = _text_nodes(contains).sub(text_node, match.group(2))
    return html[: match.start(2)] + body + html[match.end(2) :]


@functools.cache
def _text_nodes(contains: str) -> re.Pattern:
    """The text nodes (between ``>`` and ``<``) holding a character of ``contains``, "&" or ">", each
    matched with the ">" before it (group 1 is the text).

    A node starts right after a ">", so one without such a character cannot be matched from within
    either: the nodes found are whole, as ``(?<=>)([^<]+)(?=<)`` finds them. (That lookbehind,
    tried at every character, took longer than matching the ">".)
    """
    return re.compile(rf">([^<&>{contains}]*+[&>{contains}][^<]*+)(?=<)")


def _escape(text: str) -> str:
    return html_module.escape(text, quote=False)


_ANY_LATIN = re.compile(f"[{_LATIN}]")


def _has_latin(fragment: str) -> bool:
    return _ANY_LATIN.search(fragment) is not None
