"""The built PDF's pages as PNG images, so the preview shows the document exactly as it will print.

pypdfium2 (PDFium, the engine of Chrome's PDF viewer) comes as a pip wheel with no system
library to install. PDFium is not thread-safe, so every call goes through one lock; the
server's threads then share a small cache keyed by the file's identity (path, size, mtime),
which changes whenever a rebuild rewrites the file.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from pathlib import Path

# 110 dpi: sharp on a laptop screen at the page's natural width, about 100 KB a page.
SCALE = 110 / 72
CACHE_SIZE = 128

_lock = threading.Lock()
_images: OrderedDict[tuple, bytes] = OrderedDict()


def _identity(path: Path) -> tuple:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def version(path: Path) -> str:
    """Changes when the file is rewritten: appended to image URLs so browsers never show a stale page."""
    _, size, mtime = _identity(path)
    return f"{mtime:x}-{size:x}"


def page_sizes(path: Path) -> list[tuple[int, int]]:
    """Each page's image size in pixels: the page lays out before its image arrives, so a
    reload after a rebuild can return to the place the reader was."""
    import pypdfium2

    with _lock:
        document = pypdfium2.PdfDocument(path.read_bytes())
        try:
            return [
                (round(width * SCALE), round(height * SCALE))
                for width, height in (document.get_page_size(i) for i in range(len(document)))
            ]
        finally:
            document.close()


def page_png(path: Path, index: int) -> bytes:
    """Page ``index`` (from 0) as PNG; raises IndexError past the last page."""
    key = _identity(path) + (index,)
    with _lock:
        if key in _images:
            _images.move_to_end(key)
            return _images[key]
        png = _render(path, index)
        _images[key] = png
        while len(_images) > CACHE_SIZE:
            _images.popitem(last=False)
        return png


def _render(path: Path, index: int) -> bytes:
    import pypdfium2

    # Read the bytes first: a rebuild may rename a new file over this one at any moment.
    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        if not 0 <= index < len(document):
            raise IndexError(index)
        page = document[index]
        bitmap = page.render(scale=SCALE)
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()
    finally:
        document.close()
