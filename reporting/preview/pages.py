"""The preview's HTML pages: the index, one page per document, and the document's own HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from reporting.language.bidi import isolated
from reporting.preview import page_images as pdfpages
from reporting.preview.listing import Document, by_event
from reporting.preview.state import Preview
from reporting.writers import registry

_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class PageImage:
    src: str
    width: int
    height: int


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Data shown outside a rendered document (event titles) needs the same isolation the
    # documents get, or "35-CT/TW" reads "CT/TW-35" in an Arabic heading.
    environment.filters["isolated"] = lambda text, direction: Markup(isolated(text, direction))
    return environment


def _render(template: str, preview: Preview, **context) -> str:
    return (
        _environment()
        .get_template(template)
        .render(
            status=preview.status(),
            problems=preview.problems(),
            outcome=preview.outcome,
            warnings=preview.outcome.result.warnings if preview.outcome and preview.outcome.result is not None else [],
            has_documents=bool(preview.documents),
            **context,
        )
    )


def index_page(preview: Preview) -> str:
    return _render("index.html", preview, events=by_event(preview.documents), download=_download_url)


def document_page(preview: Preview, document: Document) -> str:
    pdf = document.file(preview.output, "pdf")
    pages = []
    if pdf.is_file():
        version = pdfpages.version(pdf)
        base = _document_url(document)
        pages = [
            PageImage(f"{base}/page-{n}.png?v={version}", width, height)
            for n, (width, height) in enumerate(pdfpages.page_sizes(pdf), 1)
        ]
    siblings = [d for key, d in preview.documents.items() if key[0] == document.event_id and key[2] == document.name]
    return _render(
        "document.html",
        preview,
        document=document,
        pages=pages,
        siblings=siblings,
        url=_document_url,
        download=_download_url,
    )


def missing_page(preview: Preview, what: str) -> str:
    return _render("missing.html", preview, what=what)


def document_html(document: Document) -> str:
    """The HTML WeasyPrint printed, with a ``<base>`` so its relative stylesheet and font URLs resolve."""
    return _HEAD.sub(lambda m: m.group(0) + '<base href="/templates/">', document.html, count=1)


def _document_url(document: Document) -> str:
    return f"/doc/{document.event_id}/{document.locale}/{document.name}"


def _download_url(stem: Path, fmt: str) -> str:
    return "/files/" + stem.with_suffix(registry.spec(fmt).suffix).as_posix()
