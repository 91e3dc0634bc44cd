"""The preview speaks the reader's language: which one (option, setting, browser, environment), over HTTP.

The server runs in this process on a free port, without building anything (the pages then say a build
is awaited or show the problems given to them); the browser test in test_preview.py looks at real pages.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from conftest import copy_project
from previewutil import CommandLine
from reporting.build.watch import Outcome
from reporting.errors import DataError, Problem
from reporting.preview.language import PreviewLanguage, preview_language
from reporting.preview.server import PreviewServer
from reporting.preview.state import Preview


@pytest.mark.parametrize(
    ("option", "configured", "environ", "fixed", "fallback"),
    [
        ("vi", "ar", {"LANG": "ar_EG.UTF-8"}, "vi", "vi"),  # --ui-language over everything
        (None, "ar", {"LANG": "vi_VN.UTF-8"}, "ar", "ar"),  # then [ui] language
        (None, None, {"LANG": "vi_VN.UTF-8"}, None, "vi"),  # else each browser, then the environment
        (None, None, {"LANG": "C.UTF-8"}, None, "en"),
        (None, "", {}, None, "en"),
    ],
)
def test_which_choices_fix_the_language_and_which_leave_it_to_the_browser(option, configured, environ, fixed, fallback):
    language = preview_language(option, configured, environ)
    assert (language.fixed, language.fallback, language.follows_browser) == (fixed, fallback, fixed is None)


@pytest.fixture
def preview_server(tmp_path):
    """Starts a preview server on a free port with a given language rule; stops it after the test."""
    servers = []

    def start(language: PreviewLanguage, outcome: Outcome | None = None) -> tuple[str, Preview]:
        preview = Preview(SimpleNamespace(output=tmp_path / "output", root=tmp_path), language)  # type: ignore[arg-type]
        preview.outcome = outcome
        server = PreviewServer(preview, 0)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/", preview

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def fetch(url: str, accept_language: str | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept-Language": accept_language} if accept_language else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode()


def html_element(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_the_browser_chooses_when_nothing_fixes_the_language(preview_server):
    url, _ = preview_server(PreviewLanguage(None, "en"))
    status, headers, page = fetch(url, "ar-EG,ar;q=0.9,en;q=0.5")
    assert status == 200 and html_element(page) == '<html lang="ar" dir="rtl">'
    assert "<title>معاينة: كل المستندات</title>" in page and "جارٍ إنشاء المستندات…" in page
    assert headers["Vary"] == "Accept-Language" and headers["Content-Language"] == "ar"
    status, headers, page = fetch(url, "fr;q=1, vi;q=0.8, ar;q=0.5")  # by q-value, the first we speak
    assert html_element(page) == '<html lang="vi" dir="ltr">' and "Đang dựng các tài liệu…" in page
    assert headers["Vary"] == "Accept-Language"


def test_the_header_beats_the_environment_which_serves_the_others(preview_server):
    url, _ = preview_server(preview_language(None, None, {"LANG": "vi_VN.UTF-8"}))
    assert html_element(fetch(url, "ar")[2]) == '<html lang="ar" dir="rtl">'
    for header in (None, "de-DE,fr;q=0.5"):  # no header, or only languages the tool does not speak
        status, headers, page = fetch(url, header)
        assert html_element(page) == '<html lang="vi" dir="ltr">' and "Xem trước" in page
        assert headers["Vary"] == "Accept-Language"


@pytest.mark.parametrize(("option", "configured"), [("vi", None), (None, "vi"), ("vi", "ar")])
def test_the_option_or_setting_beats_the_header_for_every_browser(preview_server, option, configured):
    url, _ = preview_server(preview_language(option, configured, {"LANG": "ar_EG.UTF-8"}))
    for header in ("ar", "en-US,en;q=0.9", None):
        status, headers, page = fetch(url, header)
        assert html_element(page) == '<html lang="vi" dir="ltr">' and "Đang dựng các tài liệu…" in page
        assert "Vary" not in headers  # the same page for every browser: caches may share it
        assert headers["Content-Language"] == "vi"


def test_machine_readable_answers_stay_the_same_for_everyone(preview_server):
    url, _ = preview_server(PreviewLanguage(None, "en"))
    english, arabic = fetch(url + "status", "en"), fetch(url + "status", "ar")
    assert english[2] == arabic[2] == '{"generation": 0, "building": false}'
    assert "Vary" not in arabic[1] and arabic[1]["Content-Type"] == "application/json"


def test_not_found_speaks_the_readers_language(preview_server):
    url, _ = preview_server(PreviewLanguage(None, "en"))
    status, headers, page = fetch(url + "doc/no-such-event/ar/report", "vi")
    assert status == 404 and headers["Vary"] == "Accept-Language"
    assert 'Không có gì ở địa chỉ <code dir="ltr">no-such-event/ar/report</code>.' in page
    status, headers, text = fetch(url + "files/../reporting.toml", "ar")
    assert status == 404 and text == "404 Not Found\nلا يُقدَّم شيء في هذا العنوان.\n"


@pytest.mark.parametrize(
    ("count", "heading"),
    [
        (1, "مشكلة واحدة: فشل الإنشاء الأخير"),
        (2, "مشكلتان: فشل الإنشاء الأخير"),
        (3, "3 مشكلات: فشل الإنشاء الأخير"),
        (11, "11 مشكلةً: فشل الإنشاء الأخير"),  # 11-99: accusative singular
        (100, "100 مشكلة: فشل الإنشاء الأخير"),  # 100 and up: genitive singular
    ],
)
def test_arabic_problem_headings_agree_with_their_count(preview_server, count, heading):
    problems = [Problem("data/x.yaml", n, 3, "date", "bad") for n in range(1, count + 1)]
    url, _ = preview_server(PreviewLanguage(None, "en"), Outcome(1, error=DataError(problems)))
    page = fetch(url, "ar")[2]
    assert f"<h2>{heading}</h2>" in page
    # locations keep their left-to-right order inside the Arabic page
    assert '<span class="where" dir="auto">data/x.yaml:1:3</span> <code dir="ltr">date</code>' in page


@pytest.mark.slow
def test_serve_follows_the_environment_then_the_browser(tmp_path, monkeypatch):
    """The command itself: LANG=vi_VN serves Vietnamese to a browser that asks for nothing we speak,
    Arabic to one that asks for it; --ui-language en serves English to both."""
    project = copy_project(tmp_path)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")  # the server's environment (the subprocess inherits it)
    for extra, no_header, arabic in (([], "vi", "ar"), (["--ui-language", "en"], "en", "en")):
        serve = CommandLine(
            "--project", str(project), "serve", "--port", "0", "--event", "inspectorate-2024-q1",
            "--locale", "vi", "--format", "docx", "--output", str(tmp_path / "output"), *extra,
        )  # fmt: skip
        try:
            line = serve.wait_for_line(lambda stream, line: "http://127.0.0.1:" in line, timeout=30)
            url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
            assert line.startswith("Xem trước tại" if not extra else "Preview at")
            assert f'<html lang="{no_header}"' in fetch(url, "de")[2]
            assert f'<html lang="{arabic}"' in fetch(url, "ar")[2]
            assert serve.interrupt() == 0
        finally:
            serve.kill()


def test_ctrl_c_right_after_the_address_is_shown_stops_cleanly():
    """Ctrl-C between the address shown and the watcher started: the server stops, no error about a thread
    that never ran (the preview's tests met it under load as exit code 1)."""
    import threading

    from reporting.preview.server import serve

    closed = threading.Event()

    class Rebuilder:
        cancelled = threading.Event()

    class Stub:
        rebuilder = Rebuilder()

        def close(self):
            closed.set()

    def ready(url):
        assert url.startswith("http://127.0.0.1:")
        raise KeyboardInterrupt

    serve(Stub(), 0, ready, lambda outcome: None)  # type: ignore[arg-type]
    assert closed.is_set()
