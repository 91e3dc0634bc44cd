"""A long document typeset in parts (``html_parts``) and joined into one PDF, pages numbered on.

Each part after the first starts with a blank page that is dropped once the part is laid out:
it takes the template's first-page rules (no page number on page 1, as Decree 30/2020 wants), so
the part's real pages are laid out as the document's later pages are, and it carries the page
counter (``counter-reset`` on it), so the part's pages go on from the last part's number. What
a part cannot know is the total: ``counter(pages)`` counts the part's pages only.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pikepdf

from reporting.writers.pdf_split import save_pdf

# Right after <body>: a page of its own, dropped after layout (see above).
_LEAD_PAGE = '<div style="break-after: page; height: 0; margin: 0"></div>'


def continuing(html: str, pages_before: int) -> str:
    """A part after the first: its lead page numbered ``pages_before``, its first real page one more."""
    rule = f"<style>@page :first {{ counter-reset: page {pages_before}; }}</style>\n"
    head_end = html.index("</head>")
    body = html.index(">", html.index("<body", head_end)) + 1
    return html[:head_end] + rule + html[head_end:body] + _LEAD_PAGE + html[body:]


def typeset_parts(writer, parts: Iterable[str]) -> bytes:
    """The parts typeset one at a time by ``writer`` (a ``PdfWriter``) and joined in order."""
    pdfs: list[bytes] = []
    pages = 0
    for index, html in enumerate(parts):
        document = writer.typeset(continuing(html, pages) if index else html)
        if index:
            document = document.copy(document.pages[1:])
        pages += len(document.pages)
        pdfs.append(writer.finish(document))
        del document  # the boxes of this part go before the next part is laid out
    return join(pdfs)


def join(pdfs: list[bytes]) -> bytes:
    """The pages of ``pdfs`` in order, in the first one's document (its metadata, language, outline)."""
    combined = pikepdf.open(io.BytesIO(pdfs[0]))
    for data in pdfs[1:]:
        with pikepdf.open(io.BytesIO(data)) as part:
            combined.pages.extend(part.pages)
    return save_pdf(combined)
