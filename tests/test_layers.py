"""Layered certificates (static page once, variable boxes per awardee) and printing on pre-printed stock."""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops

from conftest import LOCALES, copy_project, run_cli
from reporting.writers.layer_html import LayerError, split_layers
from textutil import pdf_text, squeeze

# Every test here typesets certificates (static and variable layers): the slow tier.
pytestmark = pytest.mark.slow

D35 = "directive-35-review"
MM = 72 / 25.4
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def word_boxes(path: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Every word on ``page`` with its box in PDF points from the top-left corner (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in _WORD.findall(out)]


def box_of(words, text: str) -> tuple[float, float, float, float]:
    """The box round the words of ``text`` (found in order on the page)."""
    wanted = text.split()
    for start in range(len(words)):
        if [w[0] for w in words[start : start + len(wanted)]] == wanted:
            found = words[start : start + len(wanted)]
            return (
                min(w[1] for w in found),
                min(w[2] for w in found),
                max(w[3] for w in found),
                max(w[4] for w in found),
            )
    raise AssertionError(f"{text!r} not on the page")


def differing_share(first: Path, second: Path, tmp_path: Path) -> float:
    """The share of pixels that differ clearly between the two PDFs' first pages at 40 dpi."""
    images = []
    tmp_path.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate((first, second)):
        prefix = tmp_path / f"page{number}"
        subprocess.run(
            ["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", "-png", str(path), str(prefix)], check=True
        )
        images.append(Image.open(next(tmp_path.glob(f"page{number}*.png"))))
    assert images[0].size == images[1].size
    changed = ImageChops.difference(*images).point(lambda v: 255 if v > 64 else 0)
    return changed.histogram()[255] / (images[0].size[0] * images[0].size[1])


def drawn_directly(path: Path, page: int = 0) -> bool:
    """The page's variable layer was laid out and drawn directly (writers/text_layout.py, pdf_glyphs.py: fonts
    /F0, /F1...), not typeset by WeasyPrint (whose fonts are /ABCDEF), so a test cannot pass on the fallback."""
    with pikepdf.open(path) as pdf:
        names = [str(name) for name in pdf.pages[page].Resources.get("/Font", {})]
    return bool(names) and all(re.fullmatch(r"/F\d+", name) for name in names)


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory):
    """The Directive 35 certificates built layered (as shipped) and unlayered (--no-layers), with their own cache."""
    root = tmp_path_factory.mktemp("layers")
    project = copy_project(root)
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    try:
        for name, option in (("layered", "--layers"), ("unlayered", "--no-layers")):
            code, _, err = run_cli(
                "--project", str(project), "--event", D35, "--format", "pdf", "--output", str(root / name), "-q", option
            )
            assert code == 0, err
    finally:
        os.environ.pop("XDG_CACHE_HOME") if previous is None else os.environ.update(XDG_CACHE_HOME=previous)
    return root


@pytest.mark.parametrize("locale", LOCALES)
def test_every_layered_certificate_matches_the_unlayered_one(both_paths, locale, tmp_path):
    """Same text in the same reading order, same page size, the name at the same place, the same look."""
    layered = sorted((both_paths / "layered" / D35 / locale / "certificates").glob("*.pdf"))
    assert len(layered) == 25
    for path in layered:
        other = both_paths / "unlayered" / D35 / locale / "certificates" / path.name
        assert pdf_text(path) == pdf_text(other)
        assert pdf_text(path, layout=True) == pdf_text(other, layout=True)
        with pikepdf.open(path) as one, pikepdf.open(other) as two:
            assert [float(v) for v in one.pages[0].mediabox] == [float(v) for v in two.pages[0].mediabox]
            assert "/StaticLayer" in one.pages[0].Resources.XObject  # drawn from the static layer
        assert drawn_directly(path)
        words, other_words = word_boxes(path), word_boxes(other)
        first_name_word = [w for w in words if w[2] > 150][0][0]  # below the heading: the name's line
        assert box_of(words, first_name_word) == pytest.approx(box_of(other_words, first_name_word), abs=0.05)
        assert differing_share(path, other, tmp_path / path.stem) < 0.001


@pytest.mark.parametrize("locale", LOCALES)
def test_layered_certificate_reads_heading_title_name_citation_signature(both_paths, locale):
    path = next((both_paths / "layered" / D35 / locale / "certificates").glob("12-*.pdf"))
    text = squeeze(pdf_text(path))
    heading = {"vi": "CỘNGHÒAXÃHỘI", "ar": "جمهوريةفيتنام"}[locale]
    title = {"vi": "BẰNGKHEN", "ar": "شهادةتقدير"}[locale]
    citation = {"vi": "thànhtíchxuấtsắc", "ar": "لأعمالاستقبال"}[locale]
    signer = {"vi": "PhạmQuangNgọc", "ar": "فامكوانجنغوك"}[locale]
    name = {"vi": "PhạmThịThuHương", "ar": "فامثيثوهوونغ"}[locale]
    positions = [text.find(squeeze(part)) for part in (heading, title, name, citation, signer)]
    assert -1 not in positions and positions == sorted(positions), positions


def test_layered_certificates_are_standalone_files_with_subset_embedded_fonts(both_paths):
    for path in sorted((both_paths / "layered" / D35).glob("*/certificates/*.pdf"))[::6]:
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), (
            fonts
        )  # embedded, subset, ToUnicode


def test_the_static_page_is_typeset_once_per_language_and_shape(both_paths):
    """Groups (no position line) and individuals make two static pages a language: four, for 50 certificates."""
    statics = sorted((both_paths / "cache" / "reporting" / "pdf-chunks").glob("static-*.pdf"))
    assert len(statics) == 4
    for path in statics:  # the static page holds no awardee's text
        text = pdf_text(path)
        assert "BẰNG KHEN" in text or "شهادة تقدير" in text
        assert "Phạm Thị Thu Hương" not in text and "Ninh Bình, ngày" not in text


def test_print_file_of_layers_holds_every_certificate_in_order(both_paths):
    for locale in LOCALES:
        folder = both_paths / "layered" / D35 / locale
        pages = pdf_text(folder / "certificates.pdf").split("\f")[:-1]
        singles = sorted((folder / "certificates").glob("*.pdf"))
        assert [squeeze(p) for p in pages] == [squeeze(pdf_text(s)) for s in singles]


def _set_name(project: Path, old: str, new: str) -> None:
    data = project / "data" / "directive-35-review.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(f'vi: "{old}"', f'vi: "{new}"'), encoding="utf-8")


def test_a_long_name_shrinks_to_its_box_and_a_longer_one_is_an_error_naming_the_awardee(tmp_path):
    project = copy_project(tmp_path)
    long = "Phạm Thị Thu Hương Nguyễn Hoàng Minh Châu Trần Lê Bảo Ngọc Anh"
    _set_name(project, "Phạm Thị Thu Hương", long)
    output = tmp_path / "output"
    code, _, err = run_cli(
        "--project", str(project), "--event", D35, "--locale", "vi", "--format", "pdf", "--output", str(output), "-q"
    )
    assert code == 0, err
    folder = output / D35 / "vi" / "certificates"
    shrunk = word_boxes(next(folder.glob("12-*.pdf")))
    normal = word_boxes(next(folder.glob("13-*.pdf")))
    top, bottom = box_of(shrunk, long)[1], box_of(shrunk, long)[3]
    name_top, name_bottom = box_of(normal, "Trần Minh Tuấn")[1:4:2]  # awardee i03, in the same box
    assert bottom - top < name_bottom - name_top  # a smaller size, on one line...
    assert top >= name_top - 0.5 and bottom <= name_bottom + 0.5  # ...inside the name's box
    assert squeeze(long) in squeeze(pdf_text(next(folder.glob("12-*.pdf"))))
    assert drawn_directly(next(folder.glob("12-*.pdf")))

    _set_name(project, long, long + " " + long + " " + long)
    code, _, err = run_cli(
        "--project", str(project), "--event", D35, "--locale", "vi", "--format", "pdf", "--output", str(output), "-q"
    )
    assert code == 1
    assert "12-i02-" in err and "awardee i02" in err and "name does not fit its box" in err and "70%" in err
    assert squeeze(long) in squeeze(pdf_text(next(folder.glob("12-*.pdf"))))  # the previous good file stays


def test_a_new_variable_field_needs_only_the_template(tmp_path):
    """Another data-variable element (as a template change adds the book number) becomes a box by itself."""
    project = copy_project(tmp_path)
    template = project / "templates" / "certificates.html.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            '<p class="center citation">',
            '<p class="center" data-variable="code">ID {{ awardee.id }}</p>\n<p class="center citation">',
        ),
        encoding="utf-8",
    )
    css = project / "templates" / "css" / "certificate.css"
    css.write_text(
        css.read_text(encoding="utf-8") + '\n[data-variable="code"] { min-height: 1.45em; }\n', encoding="utf-8"
    )
    for name, option in (("layered", "--layers"), ("unlayered", "--no-layers")):
        code, _, err = run_cli(
            "--project",
            str(project),
            "--event",
            D35,
            "--locale",
            "vi",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / name),
            "-q",
            option,
        )
        assert code == 0, err
    path = next((tmp_path / "layered" / D35 / "vi" / "certificates").glob("14-*.pdf"))
    other = tmp_path / "unlayered" / D35 / "vi" / "certificates" / path.name
    assert "ID i04" in pdf_text(path) and pdf_text(path) == pdf_text(other)
    assert box_of(word_boxes(path), "ID i04") == pytest.approx(box_of(word_boxes(other), "ID i04"), abs=0.05)


def test_a_variable_box_without_a_declared_size_is_refused(tmp_path):
    project = copy_project(tmp_path)
    css = project / "templates" / "css" / "certificate.css"
    css.write_text(
        css.read_text(encoding="utf-8").replace(
            'section.certificate [data-variable="name"] { min-height: 1.1em; }', ""
        ),
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "--project",
        str(project),
        "--event",
        D35,
        "--locale",
        "vi",
        "--format",
        "pdf",
        "--output",
        str(tmp_path / "out"),
        "-q",
    )
    assert code == 1
    assert "'name' has no min-height" in err


def test_splitting_the_layers_of_a_certificate():
    page = (
        '<html><body><section class="page certificate"><p>static</p>'
        '<p class="awardee" data-variable="name" data-min-size="70%">An <b>B</b></p>'
        '<td>No. <span data-variable="serial"><span>1</span>2</span></td></section></body></html>'
    )
    layers = split_layers(page)
    assert layers.static_html == page.replace("An <b>B</b>", "").replace("<span>1</span>2", "")
    assert [(t.name, t.html, t.min_scale) for t in layers.texts] == [
        ("name", "An <b>B</b>", 0.7),
        ("serial", "<span>1</span>2", 1.0),
    ]
    with pytest.raises(LayerError, match="two elements"):
        split_layers('<p data-variable="a">x</p><p data-variable="a">y</p>')
    with pytest.raises(LayerError, match="never closed"):
        split_layers('<p data-variable="a">x')
    with pytest.raises(LayerError, match="30% to 100%"):
        split_layers('<p data-variable="a" data-min-size="10%">x</p>')


def _preprinted(tmp_path: Path, offset: str) -> Path:
    project = copy_project(tmp_path)
    config = project / "reporting.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace('stock = "plain"', 'stock = "preprinted"')
        .replace("offset_mm = { x = 0, y = 0 }", f"offset_mm = {offset}"),
        encoding="utf-8",
    )
    return project


@pytest.mark.parametrize("locale", LOCALES)
def test_preprinted_stock_prints_only_the_variable_boxes_moved_by_the_offset(tmp_path, locale):
    project = _preprinted(tmp_path, "{ x = 2.5, y = -1.5 }")
    output = tmp_path / "output"
    code, _, err = run_cli(
        "--project", str(project), "--event", D35, "--locale", locale, "--format", "pdf", "--output", str(output), "-q"
    )
    assert code == 0, err
    folder = output / D35 / locale
    printed = folder / "certificates.pdf"
    singles = sorted((folder / "certificates").glob("*.pdf"))
    with pikepdf.open(printed) as pdf:
        assert len(pdf.pages) == 25
        page = pdf.pages[11]
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 841.9, 595.3]
        assert not list(pdf.pages[11].images)  # no emblem
        resources = page.Resources
        assert "/StaticLayer" not in resources.get("/XObject", {})
    assert drawn_directly(printed, 11)
    text = pdf_text(printed).split("\f")[11]
    single = pdf_text(singles[11])
    title = {"vi": "BẰNG KHEN", "ar": "شهادة تقدير"}[locale]
    assert title in single and title not in text  # no static text...
    assert squeeze({"vi": "Phạm Thị Thu Hương", "ar": "فام ثي ثو هوونغ"}[locale]) in squeeze(text)  # ...the name
    assert not re.search(r"CỘNG|جمهورية|1568", text)
    # every word exactly where the full certificate has it, moved 2.5 mm right and 1.5 mm up
    moved, full = word_boxes(printed, 12), word_boxes(singles[11])
    assert moved
    for word in moved:
        match = [
            w
            for w in full
            if w[0] == word[0] and abs(w[1] + 2.5 * MM - word[1]) < 0.05 and abs(w[2] - 1.5 * MM - word[2]) < 0.05
        ]
        assert match, word
    # the single certificates stay whole
    with pikepdf.open(singles[11]) as pdf:
        assert "/StaticLayer" in pdf.pages[0].Resources.XObject


def test_preprinted_stock_comes_with_a_calibration_page(tmp_path):
    project = _preprinted(tmp_path, "{ x = 1, y = 2 }")
    output = tmp_path / "output"
    assert (
        run_cli(
            "--project",
            str(project),
            "--event",
            D35,
            "--locale",
            "vi",
            "--format",
            "pdf",
            "--output",
            str(output),
            "-q",
        )[0]
        == 0
    )
    calibration = output / D35 / "vi" / "certificates-calibration.pdf"
    text = pdf_text(calibration)
    assert "x +1.0 mm, y +2.0 mm" in text
    for name in ("name", "position", "date"):
        assert re.search(rf"{name}: x \d+\.\d mm, y \d+\.\d mm", text), text
    assert "10 20 30" in " ".join(text.split())  # the ruler
    with pikepdf.open(calibration) as pdf:
        assert len(pdf.pages) == 1
        assert [round(float(v), 1) for v in pdf.pages[0].mediabox] == [0, 0, 841.9, 595.3]
    # back on plain paper: the calibration page was this build's, so it goes
    config = project / "reporting.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('stock = "preprinted"', 'stock = "plain"'), encoding="utf-8"
    )
    assert (
        run_cli(
            "--project",
            str(project),
            "--event",
            D35,
            "--locale",
            "vi",
            "--format",
            "pdf",
            "--output",
            str(output),
            "-q",
        )[0]
        == 0
    )
    assert not calibration.exists()
    assert "BẰNG KHEN" in pdf_text(output / D35 / "vi" / "certificates.pdf")


@pytest.mark.parametrize(
    "setting, message",
    [
        ("offset_mm = { x = 12, y = 0 }", "15 print.offset_mm.x: expected less than or equal to 10, found 12"),
        ('stock = "letterhead"', "print.stock: expected 'plain' or 'preprinted', found 'letterhead'"),
        ("offset_mm = { z = 1 }", "print.offset_mm.z: expected a known field, found unknown field 'z'"),
    ],
)
def test_print_settings_are_checked(tmp_path, setting, message):
    project = copy_project(tmp_path)
    config = project / "reporting.toml"
    text = config.read_text(encoding="utf-8")
    line = "offset_mm = { x = 0, y = 0 }" if setting.startswith("offset") else 'stock = "plain"'
    config.write_text(text.replace(line, setting), encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1 and message in err, err


def test_archive_cannot_print_on_preprinted_stock(tmp_path):
    project = copy_project(tmp_path)
    code, _, err = run_cli(
        "--project", str(project), "build", "--archive", "--stock", "preprinted", "--output", str(tmp_path / "out")
    )
    assert code == 2 and "--stock plain" in err
