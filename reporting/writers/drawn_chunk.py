"""A chunk of drawn certificates kept for the print file as what was drawn, not as a PDF.

The print file used to be joined from each chunk kept as a PDF (the static
page under each drawn page, saved by qpdf): the chunk was serialised once to
keep it, then read back and every page's objects walked one by one through
pikepdf to write the print file, about 1.5 ms a page, three times what drawing
it cost. A chunk whose pages were all drawn directly (``writers/pdf_glyphs.py``)
is kept instead as its static pages and its drawn pages (content streams,
fonts), and the print file writes those pages as bytes (``pdf_stream.py``).

The file starts with ``MAGIC``, never with ``%PDF``: ``is_drawn_chunk`` tells
the two kinds of kept chunk apart. Then, each a 4-byte big-endian length or
count followed by its bytes: the static pages' PDFs, the distinct fonts, the
pages (their static page, content, transparency states and fonts). It is read
back only by this program, from its own cache folder, keyed by the code's
version (``build/freshness.py``), so there is no other version to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.writers.pdf_glyphs import DrawnPage, _DrawnFont

MAGIC = b"%reporting drawn chunk 1\n"


@dataclass(frozen=True)
class DrawnChunk:
    """A chunk's pages in print order: ``pages[i]`` drawn over ``statics[static_of[i]]``."""

    statics: tuple[bytes, ...]  # the static pages' one-page PDFs
    static_of: tuple[int, ...]
    pages: tuple[DrawnPage, ...]


def is_drawn_chunk(data: bytes) -> bool:
    return data.startswith(MAGIC)


def encode(chunk: DrawnChunk) -> bytes:
    out = _Writer()
    out.count(len(chunk.statics))
    for static in chunk.statics:
        out.blob(static)
    fonts: dict[_FontFields, int] = {}  # a font shared by many pages (the date's, a position's) is kept once
    for page in chunk.pages:
        for font in page.fonts:
            fonts.setdefault(_font_fields(font), len(fonts))
    out.count(len(fonts))
    for name, program, length, descriptor, widths, to_unicode in fonts:
        out.blob(name)
        out.blob(program)
        out.count(length)
        out.blob(descriptor)
        out.blob(widths)
        out.blob(to_unicode)
    out.count(len(chunk.pages))
    for static_index, page in zip(chunk.static_of, chunk.pages, strict=True):
        out.count(static_index)
        out.blob(page.content)
        out.blob(page.states)
        out.count(len(page.fonts))
        for font in page.fonts:
            out.blob(font.resource)
            out.count(fonts[_font_fields(font)])
    return b"".join(out.parts)


def decode(data: bytes) -> DrawnChunk:
    """The chunk ``encode`` wrote; ValueError for anything else."""
    if not is_drawn_chunk(data):
        raise ValueError("not a drawn chunk")
    read = _Reader(data, len(MAGIC))
    statics = tuple(read.blob() for _ in range(read.count()))
    fonts: list[_FontFields] = []
    for _ in range(read.count()):
        name, program, length = read.blob(), read.blob(), read.count()
        fonts.append((name, program, length, read.blob(), read.blob(), read.blob()))
    static_of, pages = [], []
    for _ in range(read.count()):
        static = read.count()
        if static >= len(statics):
            raise ValueError("a page of a static page the chunk does not hold")
        content, states = read.blob(), read.blob()
        used = []
        for _ in range(read.count()):
            resource = read.blob()
            used.append(_DrawnFont(resource, *fonts[read.count()]))
        static_of.append(static)
        pages.append(DrawnPage(content, tuple(used), states))
    if read.position != len(data):
        raise ValueError("bytes after the last page")
    return DrawnChunk(statics, tuple(static_of), tuple(pages))


# name, program, its length before deflating, descriptor, widths, ToUnicode map: a _DrawnFont but its resource
_FontFields = tuple[bytes, bytes, int, bytes, bytes, bytes]


def _font_fields(font: _DrawnFont) -> _FontFields:
    """What a font is, but for the name a page gives it (/F0, /F1...)."""
    return (font.name, font.program, font.length, font.descriptor, font.widths, font.to_unicode)


class _Writer:
    def __init__(self) -> None:
        self.parts: list[bytes] = [MAGIC]

    def count(self, value: int) -> None:
        self.parts.append(value.to_bytes(4, "big"))

    def blob(self, data: bytes) -> None:
        self.parts.append(len(data).to_bytes(4, "big"))
        self.parts.append(data)


class _Reader:
    def __init__(self, data: bytes, position: int) -> None:
        self.data, self.position = data, position

    def count(self) -> int:
        end = self.position + 4
        if end > len(self.data):
            raise ValueError("the drawn chunk is cut short")
        value = int.from_bytes(self.data[self.position : end], "big")
        self.position = end
        return value

    def blob(self) -> bytes:
        size = self.count()
        end = self.position + size
        if end > len(self.data):
            raise ValueError("the drawn chunk is cut short")
        value = self.data[self.position : end]
        self.position = end
        return value
