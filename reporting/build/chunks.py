"""Certificates in chunks: which awardees are typeset together, and each one's own HTML.

Chunk membership is fixed by the data alone: the awardees in print order
(the awardee list's order, one language at a time), cut every ``size``
awardees. So a certificate's bytes never depend on ``--jobs`` or on whether the
build was full or incremental; an incremental rebuild re-typesets the chunk.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from reporting.build import cache

Item = TypeVar("Item")
# What a one-per-awardee template (``one_per = "awardee"`` in [documents]) marks each awardee's
# page with: <section class="page certificate" data-per-awardee>. The same on every awardee's page,
# so a certificate's static layer stays one for all (writers/layer_html.py).
PER_AWARDEE = "data-per-awardee"
_MARKED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?\s" + PER_AWARDEE + r"(?=[\s=/>])[^>]*>")
CACHE_DAYS = 30


def cut(items: Sequence[Item], size: int) -> list[tuple[Item, ...]]:
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]


def single_certificates(html: str, count: int) -> list[str] | None:
    """Each awardee's own HTML, cut out of the chunk's: the head, its marked element, the tail.

    That is exactly what rendering the template for that one awardee gives
    (tests/test_batches.py checks it for the reference data); None when the
    HTML does not have one element marked ``data-per-awardee`` per awardee.
    """
    spans = awardee_spans(html)
    if not spans or len(spans) != count:
        return None
    head, tail = html[: spans[0][0]], html[spans[-1][1] :]
    return [head + html[start:end] + tail for start, end in spans]


def join(htmls: list[str]) -> str:
    """The chunks' certificates in one HTML document (for the preview): the first chunk's head and
    tail round every chunk's marked elements."""
    bodies = []
    for html in htmls:
        spans = awardee_spans(html)
        if not spans:
            return htmls[0]
        bodies.append((spans[0][0], spans[-1][1]))
    (start, end), first = bodies[0], htmls[0]
    return first[:start] + "\n".join(html[a:b] for html, (a, b) in zip(htmls, bodies, strict=True)) + first[end:]


def awardee_spans(html: str) -> list[tuple[int, int]] | None:
    """(start, end) of each element marked ``data-per-awardee``, start tag to end tag; None when one is
    not closed. A marked element inside another belongs to it."""
    spans = []
    position = 0
    while (match := _MARKED.search(html, position)) is not None:
        end = _element_end(html, match.group(1), match.end())
        if end is None:
            return None
        spans.append((match.start(), end))
        position = end
    return spans


def _element_end(html: str, tag: str, position: int) -> int | None:
    """Where the element whose start tag ends at ``position`` ends, counting nested ``tag`` elements."""
    tags = re.compile(rf"<(/?){tag}(?=[\s/>])[^>]*>", re.IGNORECASE)
    depth = 1
    for found in tags.finditer(html, position):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return found.end()
    return None


def cache_folder() -> Path:
    """Where typeset chunks are kept for the print file, so a one-name fix re-typesets one chunk.

    Content-addressed (the chunk's key), so an entry is never stale; entries
    unused for a month are removed. A cache that cannot be written only costs time: the chunks
    are then kept in a temporary folder for this build alone.
    """
    return cache.usable_folder("pdf-chunks")


def touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)


def prune(folder: Path) -> None:
    cutoff = time.time() - CACHE_DAYS * 86400
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
        except OSError:
            pass
