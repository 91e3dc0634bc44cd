"""The preview's HTML pages: the index, one page per document, and the document's own HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from reporting import tool_language
from reporting.language.bidi import isolated
from reporting.preview import page_images as pdfpages
from reporting.preview.listing import Document, by_event
from reporting.preview.state import Preview
from reporting.tool_language import N_, _, n_
from reporting.writers import registry

_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
# The built-in document kinds by what a clerk calls them; a project's own kinds show their table name.
DOCUMENT_LABELS = {
    "report": N_("Meeting report"),
    "awardees": N_("List of awardees"),
    "certificates": N_("Certificates"),
}


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
        extensions=["jinja2.ext.i18n"],
    )
    # The tool's catalog, looked up at each call: the request's language (tool_language.speaking) is
    # in effect while a page renders, so one environment serves every browser in its own language.
    # Templates write _("... {named} ...")|fill(named=...) and n_(...) as the Python code does: the catalog
    # is extracted with the keywords _ and n_ only, so a {% trans %} block would never reach translators.
    # (A method the i18n extension adds to the environment, unknown to the type checker.)
    environment.install_gettext_callables(gettext=_, ngettext=n_, newstyle=False)  # type: ignore[attr-defined]
    environment.globals.update(
        n_=n_,
        number=tool_language.number,
        isolate=tool_language.isolate,
        ltr=ltr,
        language_name=language_name,
        document_label=document_label,
    )
    environment.filters["fill"] = fill
    # Data shown outside a rendered document (event titles) needs the same isolation the
    # documents get, or "35-CT/TW" reads "CT/TW-35" in an Arabic heading.
    environment.filters["isolated"] = lambda text, direction: Markup(isolated(text, direction))
    return environment


def fill(message: str, **values: object) -> Markup:
    """A translated message with its ``{named}`` placeholders filled: the message and plain values
    escaped, markup values (``ltr(...)``) kept."""
    return Markup(escape(message)).format(**values)


def ltr(text: object, tag: str = "bdi") -> Markup:
    """``text`` (a file name, an event id, a location, a command) in its own left-to-right order,
    whatever the page's direction: an element with ``dir`` is isolated from the words around it."""
    return Markup('<{tag} dir="ltr">{text}</{tag}>').format(tag=Markup(tag), text=text)


def language_name(code: str) -> str:
    """A document locale's name in the language the preview speaks ("Tiếng Việt", "العربية")."""
    try:
        name = Locale.parse(code).get_display_name(tool_language.current())
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def document_label(name: str) -> str:
    return _(DOCUMENT_LABELS[name]) if name in DOCUMENT_LABELS else name


def _render(template: str, preview: Preview, **context) -> str:
    language = tool_language.current()
    return (
        _environment()
        .get_template(template)
        .render(
            ui_language=language,
            ui_direction=tool_language.direction(language),
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
