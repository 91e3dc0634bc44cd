"""Bidi isolation: left-to-right fragments inside right-to-left documents get ``<bdi dir="ltr">``.

Without it the Unicode bidi algorithm reorders neutral characters around
Latin text in an Arabic line: "35-CT/TW" prints as "CT/TW-35" and a decision
number "1568/QĐ-UBND" splits across the line. Doing it once on the rendered
HTML covers data, catalog messages and formatted numbers alike, and both
writers see the same ``<bdi>`` (the DOCX writer turns it into LRI/PDI).
"""
from __future__ import annotations

import re

_LATIN = "A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
# Combining marks and zero-width (non-)joiners belong to the word they sit in: splitting
# "ă\u200da" into two isolates would show them in right-to-left order.
_JOINERS = "\u0300-\u036f\u200c\u200d"
_WORD = rf"[{_LATIN}0-9](?:[{_LATIN}0-9{_JOINERS}./:@_+\-]*[{_LATIN}0-9{_JOINERS}])?"
_LATIN_WORD = rf"(?=[0-9./:@_+\-]*[{_LATIN}]){_WORD}"
# Latin words separated by spaces stay one fragment ("Nguyễn Văn A"); other words stand alone.
_FRAGMENT = re.compile(rf"{_LATIN_WORD}(?: +{_LATIN_WORD})*|{_WORD}")
_NEEDS_ISOLATION = re.compile(rf"[{_LATIN}/:@]|[0-9]-[0-9]")
_ENTITY = re.compile(r"(&#?\w+;)")
_BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.S)
_TEXT = re.compile(r"(?<=>)([^<]+)(?=<)")


def isolate_ltr(html: str) -> str:
    """Wrap every LTR fragment of the body's text in ``<bdi dir="ltr">``; plain numbers are left alone."""
    match = _BODY.search(html)
    if not match:
        return html
    body = _TEXT.sub(lambda m: _isolate_text(m.group(1)), match.group(2))
    return html[: match.start(2)] + body + html[match.end(2):]


def localize_digits(html: str, translate) -> str:
    """Digits typed in data and messages ("عام 2024") in the locale's digit system.

    ``translate`` maps a digit string; Latin fragments keep their digits
    ("35-CT/TW" is a code, not a number a reader pronounces).
    """
    match = _BODY.search(html)
    if not match:
        return html

    def convert(text: str) -> str:
        parts = _ENTITY.split(text)
        return "".join(part if _ENTITY.fullmatch(part) else _FRAGMENT.sub(
            lambda m: m.group(0) if _has_latin(m.group(0)) else translate(m.group(0)), part) for part in parts)

    body = _TEXT.sub(lambda m: convert(m.group(1)), match.group(2))
    return html[: match.start(2)] + body + html[match.end(2):]


def _has_latin(fragment: str) -> bool:
    return re.search(f"[{_LATIN}]", fragment) is not None


def _isolate_text(text: str) -> str:
    parts = _ENTITY.split(text)
    return "".join(part if _ENTITY.fullmatch(part) else _FRAGMENT.sub(_wrap, part) for part in parts)


def _wrap(match: re.Match) -> str:
    fragment = match.group(0)
    if not _NEEDS_ISOLATION.search(fragment):
        return fragment
    return f'<bdi dir="ltr">{fragment}</bdi>'
