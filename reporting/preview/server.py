"""The preview's HTTP side: routes, static files, downloads and the reload stream, on 127.0.0.1 only.

The standard library's ThreadingHTTPServer is enough for one person previewing on their
own machine: no extra dependency, one thread per connection (so a long-lived
Server-Sent Events stream does not block page loads), and it never listens beyond
localhost. It is not meant to be exposed to a network, and is not.
"""

from __future__ import annotations

import contextlib
import mimetypes
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reporting.build.watch import Outcome, keep_building
from reporting.errors import PortUnavailable
from reporting.preview import page_images as pdfpages
from reporting.preview import pages
from reporting.preview.state import Preview
from reporting.tool_language import N_, _, current, isolate, speaking
from reporting.writers import registry

HOST = "127.0.0.1"
KEEPALIVE_S = 15
# On Ctrl-C, how long to wait for a build to stop after the file it is writing (a combined
# certificates PDF takes a second or two); past that it is abandoned, as after kill -9.
JOIN_TIMEOUT_S = 10  # an SSE comment this often notices a closed tab and frees its thread
# Under templates/, only what a document's HTML pulls in may be served: not templates or catalogs.
STATIC_SUFFIXES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".svg", ".gif"}
# A request must arrive whole within this many seconds, and a stalled reader is dropped after it:
# a slow or idle client cannot hold a thread forever.
REQUEST_TIMEOUT_S = 10
# At most this many connections are served at once (each open tab holds one for its event
# stream); past it a connection is answered 503 at once, so slow clients cannot pin a thread each.
MAX_CONNECTIONS = 32
LISTEN_BACKLOG = 64  # connections the kernel queues while every worker is busy
# What a refused request is told, in the reader's language (the status line stays HTTP's English).
REFUSALS = {
    HTTPStatus.BAD_REQUEST: N_("This address cannot be read."),
    HTTPStatus.NOT_FOUND: N_("Nothing is served at this address."),
    HTTPStatus.MISDIRECTED_REQUEST: N_("This preview answers only at 127.0.0.1 or localhost."),
}


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive after Ctrl-C
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((HOST, port), PreviewHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    @property
    def hosts(self) -> set[str]:
        """The Host headers a browser sends for this server; any other name is a DNS rebinding attempt."""
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def process_request(self, request, client_address) -> None:
        """A thread per connection, up to MAX_CONNECTIONS; past that, 503 at once from this thread."""
        if not self.slots.acquire(blocking=False):
            try:
                request.settimeout(1)
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        pass  # a client that vanished or stalled (timeouts): nothing to report, nothing to answer


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.0"  # one request per connection: simple, and fine on localhost
    timeout = REQUEST_TIMEOUT_S  # the socket's: reading the request, and each write

    def do_GET(self) -> None:  # the name http.server calls for a GET
        # Every text of the answer in the language this browser gets (see reporting/preview/language.py).
        with speaking(self.server.preview.language.for_request(self.headers.get("Accept-Language"))):
            self._answer()

    def _answer(self) -> None:
        if self.headers.get("Host", "").lower() not in self.server.hosts:
            # A page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name.
            return self._send_error(HTTPStatus.MISDIRECTED_REQUEST)
        path = unquote(urlsplit(self.path).path)
        parts = [part for part in path.split("/") if part]
        if "\x00" in path:  # no file name holds one (and pathlib would raise on it)
            return self._send_error(HTTPStatus.BAD_REQUEST)
        # The browser went away (a reload) or stopped reading: nothing to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            self._route(parts)

    def _route(self, parts: list[str]) -> None:
        preview = self.server.preview
        if not parts:
            return self._send_html(pages.index_page(preview))
        head, rest = parts[0], parts[1:]
        if head == "events" and not rest:
            return self._stream_events()
        if head == "status" and not rest:
            return self._send(preview.status().as_json().encode(), "application/json")
        if head == "templates":
            return self._send_static(preview.root / "templates", rest)
        if head == "files":
            return self._send_download(rest)
        if head == "doc" and len(rest) >= 3:
            event, locale, name = rest[:3]
            document = preview.documents.get((event, locale, name))
            if document is None:
                return self._send_html(pages.missing_page(preview, "/".join(rest[:3])), HTTPStatus.NOT_FOUND)
            return self._send_document_part(document, rest[3:])
        self._send_html(pages.missing_page(preview, "/".join(parts)), HTTPStatus.NOT_FOUND)

    def _send_document_part(self, document, rest: list[str]) -> None:
        preview = self.server.preview
        if not rest:
            return self._send_html(pages.document_page(preview, document))
        if rest == ["document.html"]:
            # The same HTML WeasyPrint printed; <base> makes its css/, fonts/ and assets/ resolve
            # under /templates/. Scripts are refused: templates come from shared drives.
            return self._send(
                pages.document_html(document).encode(),
                "text/html; charset=utf-8",
                {"Content-Security-Policy": "script-src 'none'; object-src 'none'"},
            )
        if len(rest) == 1 and rest[0].startswith("page-") and rest[0].endswith(".png"):
            pdf = document.file(preview.output, "pdf")
            try:
                png = pdfpages.page_png(pdf, int(rest[0][5:-4]) - 1)
            except (ValueError, IndexError, FileNotFoundError):
                return self._send_error(HTTPStatus.NOT_FOUND)
            # The URL carries the file's version, so a cached image is never stale.
            return self._send(png, "image/png", {"Cache-Control": "max-age=3600"})
        self._send_error(HTTPStatus.NOT_FOUND)

    def _send_static(self, folder: Path, rest: list[str]) -> None:
        target = _inside(folder, rest)
        if target is None or target.suffix.lower() not in STATIC_SUFFIXES or not target.is_file():
            return self._send_error(HTTPStatus.NOT_FOUND)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(target.read_bytes(), kind, {"Cache-Control": "no-cache"})

    def _send_download(self, rest: list[str]) -> None:
        target = _inside(self.server.preview.output, rest)
        if target is None or target.suffix not in registry.media_types() or not target.is_file():
            return self._send_error(HTTPStatus.NOT_FOUND)
        self._send(
            target.read_bytes(),
            registry.media_types()[target.suffix],
            {"Content-Disposition": f'attachment; filename="{target.name}"', "Cache-Control": "no-store"},
        )

    def _stream_events(self) -> None:
        """Server-Sent Events: the build status now, then each time it changes (building, finished)."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")  # reconnect quickly after a server restart
        status = None
        while not preview.closing.is_set():
            current = preview.wait_for_change(status, KEEPALIVE_S) if status else preview.status()
            if current == status:
                self.wfile.write(b": keep-alive\n\n")
            else:
                self.wfile.write(f"event: build\ndata: {current.as_json()}\n\n".encode())
                status = current
            self.wfile.flush()

    def _send_html(self, html: str, code: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(html.encode(), "text/html; charset=utf-8", {"Cache-Control": "no-store", **self._language()}, code)

    def _send_error(self, code: HTTPStatus) -> None:
        text = f"{code.value} {code.phrase}\n"
        if code in REFUSALS:
            text += _(REFUSALS[code]) + "\n"
        self._send(text.encode(), "text/plain; charset=utf-8", self._language(), code)

    def _language(self) -> dict[str, str]:
        """Headers of a response in the reader's language; ``Vary`` when another browser could get
        another language, so no cache hands one reader's page to the other. Files, images, the status
        and the event stream are the same for everyone and carry neither."""
        headers = {"Content-Language": current()}
        if self.server.preview.language.follows_browser:
            headers["Vary"] = "Accept-Language"
        return headers

    def _send(
        self, body: bytes, kind: str, headers: dict[str, str] | None = None, code: HTTPStatus = HTTPStatus.OK
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # (the parameter names are http.server's)
        pass  # one line per image and stylesheet would bury the build messages


def _inside(folder: Path, parts: list[str]) -> Path | None:
    """``folder/parts`` if it stays inside ``folder`` (no ``..`` or symlink escape), else None."""
    base = folder.resolve()
    target = base.joinpath(*parts).resolve()
    return target if target.is_relative_to(base) and target != base else None


def serve(preview: Preview, port: int, ready: Callable[[str], None], report: Callable[[Outcome], None]) -> None:
    """Serve until Ctrl-C, building now and after every change in a second thread.

    The server answers at once (``ready`` gets the URL before the first build ends); pages
    say a build is running and reload when it is done. Should the watch itself fail (say,
    the system's limit of watched folders), the server stops too and the error is raised:
    a preview that silently stopped rebuilding would mislead.
    """
    try:
        server = PreviewServer(preview, port)
    except OSError as exc:
        raise PortUnavailable(
            _("cannot serve on {address}: {reason}").format(
                address=isolate(f"{HOST}:{port}"), reason=exc.strerror or exc
            )
        ) from None
    stop = threading.Event()
    failures: list[BaseException] = []

    def watch() -> None:
        try:
            keep_building(preview.rebuilder, stop, report, preview.build)
        except Exception as exc:  # handed to the main thread, raised there
            failures.append(exc)
            server.shutdown()

    watcher = threading.Thread(target=watch, name="preview-watcher", daemon=True)
    try:
        ready(server.url)
        watcher.start()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.rebuilder.cancelled.set()  # a build in progress stops after its current file
        preview.close()
        server.server_close()
        if watcher.ident is not None:  # Ctrl-C may come between the URL shown and the watcher started
            watcher.join(timeout=JOIN_TIMEOUT_S)
    if failures:
        raise failures[0]
