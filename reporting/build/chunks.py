"""Certificates in chunks: which awardees are typeset together, and each one's own HTML.

Chunk membership is fixed by the data alone: the awardees in print order
(the awardee list's order, one language at a time), cut every ``size``
awardees. So a certificate's bytes never depend on ``--jobs`` or on whether the
build was full or incremental; an incremental rebuild re-typesets the chunk.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from reporting.build import cache

Item = TypeVar("Item")
SECTION = '<section class="page certificate">'
CACHE_DAYS = 30


def cut(items: Sequence[Item], size: int) -> list[tuple[Item, ...]]:
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]


def single_certificates(html: str, count: int) -> list[str] | None:
    """Each certificate's own HTML, cut out of the chunk's: the head, its section, the tail.

    That is exactly what rendering the template for that one awardee gives
    (tests/test_batches.py checks it for the reference data); None when the
    HTML does not have one ``<section class="page certificate">`` per awardee.
    """
    starts = []
    position = html.find(SECTION)
    while position != -1:
        starts.append(position)
        position = html.find(SECTION, position + 1)
    if len(starts) != count:
        return None
    ends = [html.index("</section>", start) + len("</section>") for start in starts]
    if any(end > next_start for end, next_start in zip(ends, starts[1:], strict=False)):  # (one fewer start)
        return None  # nested sections: not the shape we know how to cut
    head, tail = html[: starts[0]], html[ends[-1] :]
    return [head + html[start:end] + tail for start, end in zip(starts, ends, strict=True)]


def join(htmls: list[str]) -> str:
    """The chunks' certificates in one HTML document (for the preview): the first chunk's head and
    tail round every chunk's sections."""
    first = htmls[0]
    start, end = first.find(SECTION), first.rfind("</section>") + len("</section>")
    if start == -1:
        return first
    bodies = [html[html.find(SECTION) : html.rfind("</section>") + len("</section>")] for html in htmls]
    return first[:start] + "\n".join(bodies) + first[end:]


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
