"""The variable layer laid out directly (writers/text_layout.py) against WeasyPrint's own (typeset_variable).

Each test lays out the same batch both ways and compares what a reader gets:
every word's box on every page (pdftotext -bbox), the text in reading order,
the same error for a text that does not fit. The batches are the Directive 35
certificates as the build hands them to a worker.
"""

from __future__ import annotations

import dataclasses
import html
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting.build import layered_certificates
from reporting.build.layered_certificates import LayeredCertificates
from reporting.writers import inline_markup, layout_probe
from reporting.writers.pdf import PdfWriter
from reporting.writers.pdf_layers import BoxOverflow, typeset_variable
from reporting.writers.text_layout import NotDirect, lay_out
from textutil import squeeze

D35 = "directive-35-review"
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
LONG_VI = "Phạm Thị Thu Hương Nguyễn Hoàng Minh Châu Trần Lê Bảo Ngọc Anh"
LONG_AR = "فام ثي ثو هوونغ نجوين هوانغ مينه تشاو تران لي باو نغوك آنه فام ثي ثو هوونغ نجوين هوانغ"


@dataclasses.dataclass
class Batch:
    """What a worker gets for one static page: its HTML, the measured layer, one tuple of texts per awardee."""

    static_html: str
    layer: object
    pages: list
    templates: Path


@pytest.fixture(scope="module")
def batches(tmp_path_factory, monkeypatch_module) -> dict[str, list[Batch]]:
    """The batches of the Directive 35 certificates, per locale, as the build hands them to the worker."""
    root = tmp_path_factory.mktemp("text-layout")
    project = copy_project(root)
    captured: dict[str, list[Batch]] = {"ar": [], "vi": []}
    original = LayeredCertificates.variable

    def record(self, writer, html_, layer, pages):
        locale = "ar" if 'lang="ar"' in html_[:400] else "vi"
        captured[locale].append(Batch(html_, layer, list(pages), project / "templates"))
        return original(self, writer, html_, layer, pages)

    monkeypatch_module.setattr(LayeredCertificates, "variable", record)
    monkeypatch_module.setenv("XDG_CACHE_HOME", str(root / "cache"))
    code, _, err = run_cli(
        "--project", str(project), "--event", D35, "--format", "pdf", "--output", str(root / "out"), "-q", "--jobs", "1"
    )
    assert code == 0, err
    assert all(len(found) == 2 for found in captured.values())  # groups and individuals: two static pages each
    return captured


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _writer(batch: Batch) -> PdfWriter:
    return PdfWriter(batch.templates)


def _direct(batch: Batch, pages: list | None = None) -> bytes:
    from reporting.writers.pdf_glyphs import variable_layer_pdf

    pages = batch.pages if pages is None else pages
    worker = _Worker(batch.templates)
    fonts = worker.font_files()
    writer = _writer(batch)
    probe = layout_probe.Probe(writer, batch.static_html, batch.layer, pages, fonts)
    return variable_layer_pdf(lay_out(probe, batch.layer, pages, fonts), batch.layer.pdf)


class _Worker(LayeredCertificates):
    """The worker's font table without a worker: the project's [fonts] files."""

    def __init__(self, templates: Path):
        from reporting.config import load_project

        self.project = load_project(templates.parent)
        self._fonts = None


def _words(data: bytes, tmp_path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    path = tmp_path / f"layer-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout.decode()
    return [
        [(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in _WORD.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def _text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"text-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()


def assert_same_drawing(batch: Batch, pages: list, tmp_path: Path) -> None:
    """Every word of every page in the same place and size on both paths (0.05 pt), the same text."""
    theirs = typeset_variable(_writer(batch), batch.static_html, batch.layer, pages)
    ours = _direct(batch, pages)
    their_pages, our_pages = _words(theirs, tmp_path), _words(ours, tmp_path)
    assert len(our_pages) == len(their_pages) == len(pages)
    for their_words, our_words in zip(their_pages, our_pages, strict=True):
        assert [w[0] for w in our_words] == [w[0] for w in their_words]
        for our, their in zip(our_words, their_words, strict=True):
            assert our[1:] == pytest.approx(their[1:], abs=0.05), (our, their)
    assert _text(ours, tmp_path) == _text(theirs, tmp_path)


def _with(texts: tuple, name: str, markup: str) -> tuple:
    return tuple(dataclasses.replace(text, html=markup) if text.name == name else text for text in texts)


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["ar", "vi"])
def test_direct_layout_puts_every_word_where_weasyprint_puts_it(batches, locale, tmp_path):
    for batch in batches[locale]:
        assert_same_drawing(batch, batch.pages, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("locale, long", [("vi", LONG_VI), ("ar", LONG_AR)])
def test_a_long_name_shrinks_to_the_same_size_on_both_paths(batches, locale, long, tmp_path):
    batch = batches[locale][1]  # individuals: an honorific and a name
    honorific = {"vi": "Bà", "ar": "السيدة"}[locale]
    name = f'<span class="field-honorific">{honorific}</span> <span class="field-name">{long}</span>'
    pages = [_with(batch.pages[1], "name", name), batch.pages[2]]
    assert_same_drawing(batch, pages, tmp_path)
    fonts = _Worker(batch.templates).font_files()
    probe = layout_probe.Probe(_writer(batch), batch.static_html, batch.layer, pages, fonts)
    shrunk, normal = lay_out(probe, batch.layer, pages, fonts)
    assert shrunk[0].size < normal[0].size == pytest.approx(32.0)  # 24pt, at 70% to 95% of it
    assert shrunk[0].size >= 0.7 * 32.0 - 0.01  # Pango keeps sizes in 1/1024 px


@pytest.mark.slow
@pytest.mark.parametrize("locale, long", [("vi", LONG_VI), ("ar", LONG_AR)])
def test_a_name_too_long_even_at_its_smallest_is_the_same_error_on_both_paths(batches, locale, long):
    batch = batches[locale][1]
    pages = [batch.pages[0], _with(batch.pages[1], "name", f'<span class="field-name">{long} {long} {long}</span>')]
    with pytest.raises(BoxOverflow) as theirs:
        typeset_variable(_writer(batch), batch.static_html, batch.layer, pages)
    with pytest.raises(BoxOverflow) as ours:
        _direct(batch, pages)
    assert (ours.value.page, str(ours.value)) == (theirs.value.page, str(theirs.value)) == (1, str(theirs.value))
    assert "the name does not fit its box" in str(ours.value) and "70%" in str(ours.value)


@pytest.mark.slow
def test_an_arabic_position_with_latin_and_digits_reads_in_order(batches, tmp_path):
    batch = batches["ar"][1]
    position = '<span class="field-position">رئيس فريق <bdi dir="ltr">ABC-123 Đoàn</bdi> رقم 2024</span>'
    pages = [_with(batch.pages[1], "position", position)]
    assert_same_drawing(batch, pages, tmp_path)
    assert squeeze("رئيس فريق ABC-123 Đoàn رقم 2024") in squeeze(_text(_direct(batch, pages), tmp_path))


@pytest.mark.slow
def test_markup_or_style_it_does_not_lay_out_goes_to_weasyprint_with_the_same_result(batches, tmp_path):
    batch = batches["vi"][1]
    fonts = _Worker(batch.templates).font_files()
    writer = _writer(batch)
    underlined = [_with(batch.pages[1], "name", '<span class="field-name">Phạm Thị <u>Thu Hương</u></span>')]
    spaced_html = batch.static_html.replace("</head>", "<style>.field-name { letter-spacing: 1px }</style></head>", 1)
    spaced = Batch(spaced_html, batch.layer, batch.pages[:2], batch.templates)
    for case, pages in ((batch, underlined), (spaced, spaced.pages)):
        with pytest.raises(NotDirect):
            lay_out(layout_probe.Probe(writer, case.static_html, case.layer, pages, fonts), case.layer, pages, fonts)
        before = dict(layered_certificates.PATHS_TAKEN)
        made = _Worker(batch.templates).variable(writer, case.static_html, case.layer, pages)
        assert layered_certificates.PATHS_TAKEN["weasyprint"] == before["weasyprint"] + 1
        assert made == typeset_variable(writer, case.static_html, case.layer, pages)
    assert "Thu Hương" in _text(made, tmp_path)


@pytest.mark.slow
def test_a_probe_the_direct_layout_disagrees_with_sends_the_batch_to_weasyprint(batches, monkeypatch):
    batch = batches["vi"][0]
    monkeypatch.setattr(layout_probe, "TOLERANCE", -1.0)  # no layout is that exact: every probe disagrees
    monkeypatch.setattr(layout_probe, "_ENTRIES", {})
    fonts = _Worker(batch.templates).font_files()
    probe = layout_probe.Probe(_writer(batch), batch.static_html, batch.layer, batch.pages, fonts)
    with pytest.raises(NotDirect, match="off by"):
        lay_out(probe, batch.layer, batch.pages, fonts)
    assert probe.probes == 1


def test_markup_shapes_ignore_the_texts_but_not_the_markup():
    def shape(fragment: str) -> str:
        return inline_markup.shape(inline_markup.parse(fragment))

    honorific = '<span class="field-honorific">{}</span> <span class="field-name">{}</span>'
    assert shape(honorific.format("Ông", "Nguyễn Văn Hùng")) == shape(honorific.format("Bà", "Phạm Thị Thu Hương"))
    assert shape(honorific.format("Ông", "A")) != shape('<span class="field-name">A</span>')
    assert shape("<b>A</b>") != shape("<i>A</i>") != shape("<i></i>")
    assert inline_markup.parse("A &amp; <b>B</b>").children[0] == "A & "
    for fragment in ("A<br>B", "<div>A</div>", '<img src="x.png">', "<!-- note -->A", "<b>A"):
        with pytest.raises(inline_markup.Unsupported):
            inline_markup.parse(fragment)


def test_the_shipped_fonts_are_found_by_their_bytes():
    worker = _Worker(ROOT / "templates")
    files = worker.font_files()._by_digest
    assert {path.name for path in files.values()} >= {"Amiri-Bold.ttf", "Tinos-Regular.ttf", "Tinos-Bold.ttf"}
