"""The variable layer's stylesheets: the certificate's linked sheets, parsed once a worker, without page-margin boxes.

A variable-layer document holds only a few absolutely positioned boxes a page,
yet with the certificate's ``<link>`` stylesheets WeasyPrint parses them again
for every document and lays out the page-margin boxes they declare (the
reports' running header and footer) on every page, although no variable page
has anything to put there. So the variable document links nothing: its head
keeps the page rule, the ``@font-face`` rules and the document information,
and the linked sheets are handed to WeasyPrint already parsed, their ``@page``
rules without the margin boxes inside them. Every other rule stays, so the
texts inside a variable box (``.nobr``, an isolated Latin code) are set as on
the whole certificate.

The sheets are read through the writer's confined fetcher for every document
(a file read) and parsed again only when their bytes change.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse

import tinycss2
import weasyprint

from reporting.errors import RenderError
from reporting.writers.pdf import RefusedURL

_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_STYLESHEET = re.compile(r"""\brel=["']?stylesheet\b""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def unlinked(head: str) -> tuple[str, list[str]]:
    """``head`` without its ``<link rel="stylesheet">`` elements, and their hrefs in document order."""
    hrefs: list[str] = []

    def cut(match: re.Match) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if not _STYLESHEET.search(tag) or href is None:
            return tag
        hrefs.append(href.group(1) if href.group(1) is not None else href.group(2))
        return ""

    return _LINK.sub(cut, head), hrefs


def without_margin_boxes(css: str) -> str:
    """``css`` with the nested at-rules (``@top-center``, ``@bottom-center``, ...) of its ``@page`` rules removed."""
    rules = tinycss2.parse_stylesheet(css)
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            kept = [
                node for node in tinycss2.parse_blocks_contents(rule.content) if getattr(node, "type", "") != "at-rule"
            ]
            rule.content = tinycss2.parse_component_value_list(tinycss2.serialize(kept))
    return tinycss2.serialize(rules)


# (URL, sha256 of its bytes) -> the parsed sheet; a worker's whole life, a few entries.
_PARSED: dict[tuple[str, str], weasyprint.CSS] = {}


def parsed_sheets(writer, hrefs: list[str]) -> list[weasyprint.CSS]:
    """The sheets ``hrefs`` (relative to the writer's base URL) for a variable layer, margin boxes left out."""
    parsed = []
    for href in hrefs:
        url = urllib.parse.urljoin(writer.base_url, href)
        try:
            response = writer.fetcher.fetch(url)
        except RefusedURL as exc:  # the static layer, typeset first, has already read the same links
            raise RenderError(str(exc)) from None
        body = response.read()
        key = (url, hashlib.sha256(body).hexdigest())
        if key not in _PARSED:
            # No @font-face in the linked sheets (the documents' own <style> has them), so the
            # font configuration given here is only WeasyPrint's bookkeeping.
            _PARSED[key] = weasyprint.CSS(
                string=without_margin_boxes(body.decode("utf-8")),
                base_url=response.url,
                url_fetcher=writer.fetcher,
                font_config=writer.font_config,
            )
        parsed.append(_PARSED[key])
    return parsed
