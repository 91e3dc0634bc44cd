"""PDF writer: WeasyPrint with a URL fetcher confined to the project's template folder."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import mimetypes
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.text.ffi import ffi as weasyprint_ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from reporting.errors import EnvironmentProblem, PageOverflow, RenderError
from reporting.tool_language import _, isolate
from reporting.writers.cffi_arrays import derive_array_types

derive_array_types(weasyprint_ffi)  # a font subset's glyph array without parsing C (cffi_arrays.py)


class RefusedURL(FatalURLFetchingError):
    """A template asked for something outside the allowed folders; rendering stops."""


# The base URL every document is typeset against, whatever the folder the project is checked out in:
# WeasyPrint names images and derives identifiers from URLs, so a real file:// path would make the
# bytes depend on where the checkout lives. The fetcher maps it to the templates folder.
VIRTUAL_BASE = "file:///reporting-templates/"


class ConfinedFetcher(URLFetcher):
    """Serves the templates folder (as ``VIRTUAL_BASE``, or by its real ``file:`` URL) and ``data:``
    URIs; refuses everything else.

    WeasyPrint's default fetcher reads any local file and fetches ``http://``
    (DESIGN.md §4), so a template or a data value could embed ``/etc/passwd``.
    """

    def __init__(self, allowed_roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.virtual_root = self.allowed_roots[0]  # what VIRTUAL_BASE stands for

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise RefusedURL(
                _("refused to fetch {url}: only files under the templates folder and data: URIs are allowed").format(
                    url=isolate(url)
                )
            )
        path = self._local_path(url)
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise RefusedURL(
                _("refused to fetch {url}: outside {folders}").format(
                    url=isolate(url), folders=isolate(", ".join(map(str, self.allowed_roots)))
                )
            )
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise RefusedURL(
                _("could not read {url}: {reason}").format(url=isolate(url), reason=exc.strerror)
            ) from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # Answer with the virtual URL: relative URLs in a stylesheet resolve against it, still path-free.
        shown = (
            VIRTUAL_BASE + path.relative_to(self.virtual_root).as_posix()
            if path.is_relative_to(self.virtual_root)
            else path.as_uri()
        )
        return URLFetcherResponse(shown, body, {"Content-Type": content_type})

    def _local_path(self, url: str) -> Path:
        local = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
        if url.startswith(VIRTUAL_BASE):
            local = str(self.virtual_root / local.removeprefix(urllib.parse.urlsplit(VIRTUAL_BASE).path))
        return Path(local).resolve()

    def _data(self, url: str) -> URLFetcherResponse:
        header, _comma, payload = url[5:].partition(",")
        media = header.removesuffix(";base64") or "text/plain"
        body = base64.b64decode(payload) if header.endswith(";base64") else urllib.parse.unquote_to_bytes(payload)
        return URLFetcherResponse(url, body, {"Content-Type": media})


def check_harfbuzz_subsetting() -> None:
    """Without Debian's libharfbuzz-subset0, WeasyPrint silently subsets fonts with fontTools, ~25x slower."""
    from weasyprint.text import ffi

    if getattr(ffi, "harfbuzz_subset", None) is None:
        raise EnvironmentProblem(
            _(
                "WeasyPrint found no HarfBuzz subsetter: install the system package libharfbuzz-subset0 "
                "(apt-get install libharfbuzz-subset0), or run ./run setup"
            )
        )


class PdfWriter:
    """HTML -> PDF bytes. One instance keeps its font configuration across documents."""

    name = "pdf"
    suffix = ".pdf"

    def __init__(self, templates_dir: Path):
        self.base_url = VIRTUAL_BASE
        self.fetcher = ConfinedFetcher([templates_dir])
        self.font_config = FontConfiguration()

    def write(
        self,
        html: str,
        geometry=None,
        expected_pages: int | None = None,
        archive: ArchiveSource | None = None,
        inspect=None,
    ) -> bytes:
        """The PDF of ``html``; with ``expected_pages``, a different page count is an error.

        With ``archive``, a PDF/A-3b file with the data it was made from attached;
        ``inspect(document)`` is called on the laid-out pages before they are drawn.
        The page geometry is already in the HTML's @page rule (render.page_css).
        """
        document = self.typeset(self.with_measured_columns(html), expected_pages)
        if inspect is not None:
            inspect(document)
        return self.finish(document, html, archive)

    def write_parts(self, html: str, parts: list[str], geometry=None) -> bytes:
        """One PDF of a long document (``html``) cut into parts (``html_parts``), typeset one after the other."""
        from reporting.writers.pdf_parts import typeset_parts

        return typeset_parts(self, parts)

    def with_measured_columns(self, html: str) -> str:
        """``html`` with each long table's columns measured once and set fixed (``table_columns``):
        the columns auto layout gives it, without measuring every cell, and the same in every part."""
        from reporting.writers.table_columns import fix_long_tables

        return fix_long_tables(html, self.typeset)

    def typeset(self, html: str, expected_pages: int | None = None, stylesheets: tuple = ()):
        """The laid-out WeasyPrint document of ``html`` (not drawn yet); ``stylesheets``: parsed
        ``weasyprint.CSS`` sheets applied after the document's own (the variable layer's, parsed once)."""
        with self._checked():
            html_document = weasyprint.HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
            document = html_document.render(font_config=self.font_config, stylesheets=list(stylesheets))
        if expected_pages is not None and len(document.pages) != expected_pages:
            raise PageOverflow(expected_pages, len(document.pages))
        return document

    def finish(self, document, html: str = "", archive: ArchiveSource | None = None) -> bytes:
        """Draw a typeset document as PDF bytes."""
        with self._checked():
            return document.write_pdf(**(archive.options(html, self.fetcher) if archive else {}))

    @contextmanager
    def _checked(self):
        """Refused URLs and missing glyphs (which WeasyPrint only logs) become RenderErrors."""
        capture = _WarningCapture()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(capture)
        try:
            yield
        except RefusedURL as exc:
            raise RenderError(str(exc)) from None
        finally:
            logger.removeHandler(capture)
        if capture.missing_glyphs:
            raise RenderError(
                _("a character has no glyph in the document's fonts: {detail}").format(
                    detail=isolate(capture.missing_glyphs[0])
                )
            )


@dataclass(frozen=True)
class ArchiveSource:
    """The YAML a document was made from, for PDF/A-3 archiving (attached with AFRelationship Source)."""

    name: str
    data: bytes
    date: dt.date
    sheets: tuple[tuple[str, bytes], ...] = ()  # (file name, bytes) of spreadsheets the awardees came from

    def options(self, html: str, fetcher: ConfinedFetcher) -> dict:
        stamp = dt.datetime.combine(self.date, dt.time())  # from the data, never the clock
        files = [
            (self.name, self.data, "application/yaml", "Data the document was generated from"),
            *(
                (
                    name,
                    data,
                    _SHEET_TYPES.get(Path(name).suffix.lower(), "application/octet-stream"),
                    "Awardee list the document was generated from",
                )
                for name, data in self.sheets
            ),
        ]
        attachments = [
            weasyprint.Attachment(
                url=f"data:{mime};base64," + base64.b64encode(data).decode(),
                url_fetcher=fetcher,
                name=name,
                created=stamp,
                modified=stamp,
                description=description,
                relationship="Source",
            )
            for name, data, mime, description in files
        ]
        # /ID from the content: the same document gets the same identifier, a changed one another.
        content = html.encode("utf-8") + self.data + b"".join(data for _name, data in self.sheets)
        identifier = hashlib.sha256(content).hexdigest()[:32].encode("ascii")
        # pdf_tags: the structure tree (headings, paragraphs, tables) for assistive technology.
        return {"pdf_variant": "pdf/a-3b", "attachments": attachments, "pdf_identifier": identifier, "pdf_tags": True}


_SHEET_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
}


class _WarningCapture(logging.Handler):
    """WeasyPrint only logs a missing glyph; a certificate with a box instead of a letter is an error."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.missing_glyphs: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message or "glyph" in message.lower():
            self.missing_glyphs.append(message)
