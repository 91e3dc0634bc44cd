"""``build_reports.py serve`` in a real browser (Playwright driving Debian's Chromium).

Open the index, open the Arabic report, check it is right-to-left, edit a figure and see
it change, break the YAML and see the problem at file:line with the offending line, fix
it and see the page recover; plus downloads and what the server refuses to serve.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import copy_project
from previewutil import EVENT_FILE, FIGURE_LINE, CommandLine, edit, line_number

# A preview server, a build and Chromium.
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by ./run; Playwright's own download is not used
BUILD_TIMEOUT_MS = 60_000  # the first build of the reference data (about 8 s warm, 13 s cold)
REBUILD_TIMEOUT_MS = 20_000
ARABIC_REPORT = "inspectorate-2024-q1/ar/report"


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), "Debian's chromium is missing: run ./run setup"
    with sync_playwright() as driver:
        # As root Chromium refuses to start without --no-sandbox; containers often have a
        # small /dev/shm, which crashes its renderers unless told to use /tmp.
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The preview of a private copy of the project, on a free port."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    started = time.monotonic()
    serve = CommandLine("--project", str(project), "serve", "--port", "0", "--output", str(project / "output"))
    try:
        line = serve.wait_for_line(lambda stream, line: "Preview at http://127.0.0.1:" in line, timeout=30)
        print(f"server answering after {time.monotonic() - started:.2f} s")
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        yield url, project, serve
        assert serve.interrupt() == 0
    finally:
        serve.kill()


def test_index_lists_every_event_document_and_locale(server, browser):
    url, _, _ = server
    page = browser.new_page()
    page.goto(url)
    # The first build may still be running: the page reloads by itself when it ends.
    links = page.locator("a[data-document]")
    expect(links).to_have_count(8, timeout=BUILD_TIMEOUT_MS)  # 3 documents x 2 locales + 1 x 2
    shown = set(links.evaluate_all("links => links.map(a => a.dataset.document)"))
    assert shown == {
        f"{event}/{locale}/{name}"
        for locale in ("ar", "vi")
        for event, name in (
            ("directive-35-review", "report"),
            ("directive-35-review", "awardees"),
            ("directive-35-review", "certificates"),
            ("inspectorate-2024-q1", "report"),
        )
    }
    # Both directions: the Vietnamese report reads left to right.
    page.locator('a[data-document="inspectorate-2024-q1/vi/report"]').click()
    expect(page.locator("#document")).to_have_attribute("dir", "ltr")
    expect(page.frame_locator("#document-text").locator("html")).to_have_attribute("lang", "vi")
    assert page.frame_locator("#document-text").locator("body").evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.close()


def test_arabic_report_is_right_to_left_with_pages_and_downloads(server, browser):
    url, _, _ = server
    page = browser.new_page()
    page.goto(url)
    page.locator(f'a[data-document="{ARABIC_REPORT}"]').click(timeout=BUILD_TIMEOUT_MS)
    document = page.locator("#document")
    expect(document).to_have_attribute("lang", "ar")
    expect(document).to_have_attribute("dir", "rtl")
    assert document.evaluate("e => getComputedStyle(e).direction") == "rtl"
    text = page.frame_locator("#document-text")
    expect(text.locator("html")).to_have_attribute("dir", "rtl")
    expect(text.locator("html")).to_have_attribute("lang", "ar")
    assert text.locator("body").evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(text.locator("body")).to_contain_text("17 عملية تفتيش إدارية")
    # Every printed page is shown as an image that really loaded.
    images = page.locator(".pages img")
    assert images.count() >= 1
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
        expect(images.nth(index)).to_have_js_property("complete", True)
        assert images.nth(index).evaluate("img => img.naturalWidth") > 500
    # The download links give the built files.
    for label, magic in (("Download PDF", b"%PDF-"), ("Download DOCX", b"PK")):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        assert Path(download.value.path()).read_bytes().startswith(magic), label
    page.close()


def test_latin_codes_in_arabic_titles_of_the_preview_keep_their_order(server, browser):
    """The preview's own heading shows data outside any rendered document: it needs the documents'
    isolation, or "35-CT/TW" in the Arabic title reads "CT/TW-35"."""
    url, _, _ = server
    page = browser.new_page()
    page.goto(url)
    page.locator('a[data-document="directive-35-review/ar/report"]').click(timeout=BUILD_TIMEOUT_MS)
    code = page.locator("h1 bdi", has_text="35-CT/TW")
    expect(code).to_have_attribute("dir", "ltr")
    assert code.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert code.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    page.close()


# What a Vietnamese and an Arabic browser read on the index and on a document's page.
UI_LABELS = {
    "vi": {
        "home": "Xem trước",
        "status": "Đã cập nhật (lần dựng",
        "column": "Tài liệu",
        "report": "Báo cáo hội nghị",
        "link": "Xem trước (Tiếng Ả Rập)",
        "pages": "Các trang như khi in (",
        "download": "Tải về PDF",
        "text": "Văn bản (HTML dùng để in ra PDF)",
    },
    "ar": {
        "home": "معاينة",
        "status": "محدَّث (الإنشاء رقم",
        "column": "المستند",
        "report": "تقرير الاجتماع",
        "link": "معاينة (الفيتنامية)",
        "pages": "الصفحات كما ستُطبع (",
        "download": "تنزيل PDF",
        "text": "النص (صفحة HTML التي يُطبع منها ملف PDF)",
    },
}


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_preview_speaks_the_browsers_language(server, browser, language, tmp_path):
    """Accept-Language chooses the preview's own words and direction; each document keeps its own."""
    url, _, _ = server
    labels = UI_LABELS[language]
    accept = {"vi": "vi-VN,vi;q=0.9,en;q=0.8", "ar": "ar-EG,ar;q=0.9,en;q=0.8"}[language]
    context = browser.new_context(
        locale=accept.split(",")[0],
        extra_http_headers={"Accept-Language": accept},
        viewport={"width": 1100, "height": 800},
    )
    page = context.new_page()
    page.goto(url)
    expect(page.locator("a[data-document]")).to_have_count(8, timeout=BUILD_TIMEOUT_MS)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    assert page.locator("body").evaluate("e => getComputedStyle(e).direction") == ("rtl" if language == "ar" else "ltr")
    expect(page.locator("header.bar a.home")).to_have_text(labels["home"])
    expect(page.locator("#build-status")).to_contain_text(labels["status"])
    expect(page.locator("table.documents thead th").first).to_have_text(labels["column"])
    expect(page.locator("table.documents tbody th").first).to_have_text(labels["report"])
    link = page.locator('a[data-document="inspectorate-2024-q1/vi/report"]')
    expect(page.get_by_role("link", name=labels["link"]).first).to_be_visible()
    # Event ids stay left to right on an Arabic page; the bar mirrors (the status at the start's far end).
    code = page.locator("#event-inspectorate-2024-q1 h1 code")
    assert code.evaluate("e => getComputedStyle(e).direction") == "ltr"
    home, status = page.locator("header.bar a.home").bounding_box(), page.locator("#build-status").bounding_box()
    assert (status["x"] < home["x"]) == (language == "ar")
    page.screenshot(path=tmp_path / f"preview-index-{language}.png", full_page=True)

    link.click()
    expect(page.locator("section.card h2").first).to_contain_text(labels["pages"])
    expect(page.get_by_role("link", name=labels["download"])).to_be_visible()
    expect(page.locator("article#document section.card h2").nth(1)).to_have_text(labels["text"])
    # The Vietnamese document stays left to right inside an Arabic page, and keeps its language.
    expect(page.locator("#document")).to_have_attribute("dir", "ltr")
    expect(page.frame_locator("#document-text").locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.screenshot(path=tmp_path / f"preview-document-{language}.png")
    print(f"screenshots in {tmp_path}")
    context.close()


def test_edit_break_and_fix_the_yaml_while_the_page_is_open(server, browser):
    url, project, serve = server
    data = project / EVENT_FILE
    page = browser.new_page()
    page.goto(url + "doc/" + ARABIC_REPORT)
    body = page.frame_locator("#document-text").locator("body")
    expect(body).to_contain_text("17 عملية تفتيش إدارية", timeout=BUILD_TIMEOUT_MS)

    started = time.monotonic()
    edit(data, FIGURE_LINE, FIGURE_LINE.replace("17", "43"))
    expect(body).to_contain_text("43 عملية تفتيش إدارية", timeout=REBUILD_TIMEOUT_MS)
    print(f"edit to new figure in the browser: {time.monotonic() - started:.2f} s")
    expect(page.locator("#problems")).to_have_count(0)

    edit(data, "value: 43\n", "value: forty-three\n")
    problems = page.locator("#problems")
    expect(problems).to_contain_text(
        f"{EVENT_FILE}:{line_number(data, 'value: forty-three')}:", timeout=REBUILD_TIMEOUT_MS
    )
    expect(problems).to_contain_text("expected a number, found 'forty-three'")
    expect(problems.locator(".line.offending")).to_contain_text("value: forty-three")
    # The previous good document stays on show under the problems.
    expect(body).to_contain_text("43 عملية تفتيش إدارية")
    page.goto(url)  # the index says so too
    expect(page.locator("#problems")).to_contain_text("value: forty-three")

    page.goto(url + "doc/" + ARABIC_REPORT)
    edit(data, "value: forty-three\n", "value: 25\n")
    expect(page.locator("#problems")).to_have_count(0, timeout=REBUILD_TIMEOUT_MS)
    expect(page.frame_locator("#document-text").locator("body")).to_contain_text("25 عملية تفتيش إدارية")
    page.close()


@pytest.mark.parametrize(
    "path",
    [
        "templates/../data/inspectorate-2024-q1.yaml",
        "templates/%2e%2e/reporting.toml",
        "templates/report.html.j2",
        "templates/locale/ar/LC_MESSAGES/messages.po",
        "files/../reporting.toml",
        "files/manifest.json",
        "doc/no-such-event/ar/report",
    ],
)
def test_serves_nothing_but_the_preview_the_documents_and_their_assets(server, path):
    url, _, _ = server
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + path, timeout=10)
    assert refused.value.code == 404


def test_listens_on_localhost_only(server):
    import socket

    port = int(server[0].rsplit(":", 1)[1].strip("/"))
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in addresses:
        with socket.socket() as probe:
            probe.settimeout(2)
            assert probe.connect_ex((address, port)) != 0, f"the preview answers on {address}"
