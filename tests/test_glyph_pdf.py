"""Glyph runs drawn straight into a PDF (writers/pdf_glyphs.py), read back with poppler and qpdf.

The runs are shaped here with uharfbuzz, independently of the layout code that
makes them in a build, then drawn over a WeasyPrint static page, split per
awardee and read back: the text in reading order, the glyphs' places,
the embedded fonts, the bytes, the ink.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from reporting.writers.certificate_pdf import certificate_pdfs
from reporting.writers.glyph_runs import Glyph, GlyphRun
from reporting.writers.pdf_glyphs import (
    GlyphNotInSubset,
    _PageFont,
    draw_pages,
    variable_layer_of,
    variable_layer_pdf,
)
from reporting.writers.pdf_overlay import interleave, open_pdf, underlay
from reporting.writers.pdf_split import save_pdf, split_pages, write_print_file

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "templates" / "fonts"
TINOS_BOLD = FONTS / "tinos" / "Tinos-Bold.ttf"
TINOS = FONTS / "tinos" / "Tinos-Regular.ttf"
AMIRI_BOLD = FONTS / "amiri" / "Amiri-Bold.ttf"
AMIRI = FONTS / "amiri" / "Amiri-Regular.ttf"
PT = 0.75
# A4 landscape with 3 mm of bleed and crop marks, as the certificates: the runs' coordinates are from
# the trim box's corner, so a wrong bleed offset shows in every position test.
STATIC_HTML = """<html><head><style>@page { size: A4 landscape; bleed: 3mm; marks: crop; margin: 0 }
body { margin: 0 } p { position: absolute; left: 100px; top: 40px; font-size: 16px; margin: 0 }</style></head>
<body><p>STATIC</p></body></html>"""
VI_NAME = "Nguyễn Thị Hương"
AR_NAME = "علاء الدين بن عبد الله"


def shape(text: str, font: Path, size: float, x: float, y: float, color=(0.0, 0.0, 0.0, 1.0)) -> GlyphRun:
    """``text`` shaped by HarfBuzz as one run, its pen starting at (x, y) (CSS px, baseline)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(font)))
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(char) for char in text])  # clusters count characters, not UTF-8 bytes
    buffer.guess_segment_properties()
    rtl = buffer.direction == "rtl"
    hb.shape(hb.Font(face), buffer)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    # The glyph that comes first in reading order carries its cluster's text; the others none.
    texts, seen = {}, set()
    for index in reversed(range(len(infos))) if rtl else range(len(infos)):
        cluster = infos[index].cluster
        texts[index] = "" if cluster in seen else text[cluster : ends[cluster]]
        seen.add(cluster)
    scale, pen, glyphs = size / face.upem, x, []
    for index, (info, position) in enumerate(zip(infos, positions, strict=True)):
        glyphs.append(
            Glyph(info.codepoint, pen + position.x_offset * scale, y - position.y_offset * scale, texts[index])
        )
        pen += position.x_advance * scale
    return GlyphRun(font, size, color, rtl, tuple(glyphs))


def certificate(name_vi: str = VI_NAME, name_ar: str = AR_NAME) -> tuple[GlyphRun, ...]:
    return (
        shape(name_vi, TINOS_BOLD, 40, 120, 200),
        shape("Chuyên viên, Phòng Tổng hợp", TINOS, 22, 120, 260, (0.1, 0.2, 0.5, 1)),
        shape(name_ar, AMIRI_BOLD, 40, 120, 340, (0.5, 0, 0, 1)),
        shape("رئيس قسم الشؤون العامة", AMIRI, 24, 120, 400, (0, 0, 0, 0.5)),
    )


def text_of(pdf: bytes, folder: Path, *options: str) -> str:
    path = folder / "read.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def static_pdf() -> bytes:
    from reporting.writers.pdf import PdfWriter

    return PdfWriter(ROOT / "templates").write(STATIC_HTML, expected_pages=1)


@pytest.fixture(scope="module")
def split(static_pdf) -> dict[int, bytes]:
    """Three certificates drawn, under the static page, split per awardee and cut to the trim box."""
    pages = [certificate(), certificate("Trần Văn Đức", "محمد بن خالد"), certificate("Lê Thị Mai", "سلمى")]
    variable = variable_layer_pdf(pages, static_pdf)
    return split_pages(interleave([underlay(open_pdf(variable), static_pdf)], [(0, 0), (0, 1), (0, 2)]), trim=True)


@pytest.mark.slow
def test_split_page_reads_back_both_names_in_reading_order(split, tmp_path):
    text = text_of(split[0], tmp_path)
    lines = [line.strip("\u202a\u202b\u202c ") for line in text.splitlines() if line.strip()]
    assert lines == ["STATIC", VI_NAME, "Chuyên viên, Phòng Tổng hợp", AR_NAME, "رئيس قسم الشؤون العامة"]
    assert "Trần" not in text and "محمد" not in text  # a neighbour's name is no part of this page


@pytest.mark.slow
def test_split_page_is_a_valid_standalone_pdf_with_the_static_page_under_it(split, static_pdf, tmp_path):
    path = tmp_path / "single.pdf"
    path.write_bytes(split[1])
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(path) as pdf, open_pdf(static_pdf) as static:
        assert len(pdf.pages) == 1
        assert [float(v) for v in pdf.pages[0].mediabox] == [float(v) for v in static.pages[0].trimbox]
        assert pdf.docinfo.Producer == static.docinfo.Producer
    assert "STATIC" in text_of(split[1], tmp_path) and "Trần Văn Đức" in text_of(split[1], tmp_path)


@pytest.mark.slow
def test_glyph_origins_read_back_where_the_runs_put_them(split, tmp_path):
    """pdftotext -bbox gives each word's left edge: its leftmost glyph's origin, in pt from the trim box."""
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        text_of(split[0], tmp_path, "-bbox"),
    )
    found = {(text, round(float(x_min), 1)): float(x_min) for x_min, _x_max, text in words}
    expected = []
    for run in certificate():
        word: list[Glyph] = []
        for glyph in (*run.glyphs, None):
            if glyph is None or glyph.text == " ":
                if word:
                    expected.append(min(g.x for g in word) * PT)
                word = []
            else:
                word.append(glyph)
    assert len(expected) == len(words) - 1  # every word but STATIC
    lefts = sorted(found.values())
    for x in expected:
        nearest = min(lefts, key=lambda left: abs(left - x))
        assert abs(nearest - x) < 0.05, (x, nearest)


@pytest.mark.slow
def test_every_glyph_is_drawn_at_its_harfbuzz_position(static_pdf):
    """The content stream read as a viewer places glyphs (text matrix, widths, TJ adjustments): each glyph
    within 0.01 pt of the run's position, kerned pairs and the harakat (marks off the baseline) included."""
    runs = (
        shape("مُحَمَّد عَلِيّ", AMIRI, 37, 130.3, 250.7),
        shape("Tr\u00e2\u0300n AVATAR Vĩnh", TINOS, 29.5, 101.1, 150.2),
    )
    variable = variable_layer_pdf([runs], static_pdf)
    with open_pdf(variable) as pdf, open_pdf(static_pdf) as static:
        left, _bottom, _right, top = (float(v) for v in static.pages[0].trimbox)
        drawn = _glyph_origins(pdf.pages[0])
    expected = [(left + g.x * PT, top - g.y * PT) for run in runs for g in run.glyphs]
    assert len(drawn) == len(expected)
    assert any(y != expected[0][1] for _x, y in expected)  # some mark is off the baseline
    for (x, y), (want_x, want_y) in zip(drawn, expected, strict=True):
        assert abs(x - want_x) < 0.01 and abs(y - want_y) < 0.01, ((x, y), (want_x, want_y))


@pytest.mark.slow
def test_widths_are_whole_numbers_so_a_viewer_truncating_them_places_every_glyph(static_pdf):
    """PDFium (Chromium's viewer) truncates a fractional /W width: every width is a whole number of 1/1000 em,
    and the glyphs read with truncated widths still sit within 0.05 pt of the run's positions along a name."""
    runs = (
        shape("Nguyễn Thị Hương Trần Văn Đức Lê Thị Mai Hoàng Quang Điệp", TINOS_BOLD, 40, 120.3, 200),
        shape("علاء الدين بن عبد الله محمد بن خالد", AMIRI_BOLD, 40, 120.7, 340),
    )
    variable = variable_layer_pdf([runs], static_pdf)
    with open_pdf(variable) as pdf, open_pdf(static_pdf) as static:
        left, _bottom, _right, top = (float(v) for v in static.pages[0].trimbox)
        page = pdf.pages[0]
        for _name, font in page.Resources.Font.items():
            widths = font.DescendantFonts[0].W[1]
            assert len(widths) > 10
            assert all(isinstance(width, int) for width in widths), widths.unparse()  # a real reads as Decimal
        drawn = _glyph_origins(page, read_width=lambda value: float(int(value)))
    expected = [(left + g.x * PT, top - g.y * PT) for run in runs for g in run.glyphs]
    assert len(drawn) == len(expected)
    for (x, y), (want_x, want_y) in zip(drawn, expected, strict=True):
        assert abs(x - want_x) < 0.05 and abs(y - want_y) < 0.05, ((x, y), (want_x, want_y))


def _glyph_origins(page, read_width=float) -> list[tuple[float, float]]:
    """Each shown glyph's origin, as PDF text operators place it (no Tc, Tw, Tz or Ts: they are never set),
    each width read by ``read_width``."""
    origins: list[tuple[float, float]] = []
    widths: dict[int, float] = {}
    size = x = y = 0.0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "Tf":
            size = float(operands[1])
            descendant = page.Resources.Font[str(operands[0])].DescendantFonts[0]
            w = list(descendant.W)
            widths = {}
            while w:
                first, values, w = int(w[0]), w[1], w[2:]
                widths.update({first + i: read_width(v) for i, v in enumerate(values)})
        elif name == "Tm":
            x, y = float(operands[4]), float(operands[5])
        elif name == "TJ":
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    for i in range(0, len(data), 2):
                        origins.append((x, y))
                        x += widths[int.from_bytes(data[i : i + 2], "big")] * size / 1000
                else:
                    x -= float(item) * size / 1000
    return origins


@pytest.mark.slow
def test_fonts_are_embedded_subsets_named_by_a_tag_from_their_hash(split, tmp_path):
    listings = []
    for index in (0, 2):
        path = tmp_path / f"fonts{index}.pdf"
        path.write_bytes(split[index])
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        listings.append([line.split() for line in listing.splitlines() if re.match(r"[A-Z]{6}\+(Tinos|Amiri)", line)])
    for ours in listings:
        assert sorted(fields[0].split("+")[1] for fields in ours) == [
            "Amiri-Bold",
            "Amiri-Regular",
            "Tinos",
            "Tinos-Bold",
        ]
        for fields in ours:
            assert fields[1:7] == ["CID", "TrueType", "Identity-H", "yes", "yes", "yes"], fields
    # Each page embeds the glyphs it shows: the same text, the same program and tag; another name, another.
    tags = [{fields[0] for fields in ours} for ours in listings]
    assert {tag for tag in tags[0] if "Regular" in tag or tag.endswith("+Tinos")} == {
        tag for tag in tags[1] if "Regular" in tag or tag.endswith("+Tinos")
    }
    assert {tag for tag in tags[0] if "Bold" in tag}.isdisjoint(tag for tag in tags[1] if "Bold" in tag)


@pytest.mark.slow
def test_a_page_font_program_holds_the_glyphs_shown_and_their_parts():
    """Cut from the face's subset: glyph n is the n-th glyph the page shows, its outline and advance unchanged."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    from reporting.writers.glyph_program import SubsetTables

    original = TTFont(AMIRI_BOLD)
    glyphs = list(dict.fromkeys(glyph.id for glyph in shape(AR_NAME, AMIRI_BOLD, 30, 0, 0).glyphs))
    program = SubsetTables(AMIRI_BOLD.read_bytes()).page_program([*glyphs, glyphs[0]])
    cut = TTFont(io.BytesIO(program))
    assert cut["maxp"].numGlyphs >= len(glyphs) + 2  # .notdef, the glyphs, one twice, and their components
    names, original_names = cut.getGlyphOrder(), original.getGlyphOrder()
    inked = 0
    for number, glyph in enumerate([*glyphs, glyphs[0]], start=1):
        drawn, expected = DecomposingRecordingPen(cut.getGlyphSet()), DecomposingRecordingPen(original.getGlyphSet())
        cut.getGlyphSet()[names[number]].draw(drawn)
        original.getGlyphSet()[original_names[glyph]].draw(expected)
        assert drawn.value == expected.value
        inked += bool(drawn.value)
        assert cut["hmtx"][names[number]] == original["hmtx"][original_names[glyph]]
    assert inked >= len(glyphs) - 4  # all but the spaces
    assert _sfnt_sum(program) == 0xB1B0AFBA  # head's checkSumAdjustment makes the whole file sum to this


def _sfnt_sum(data: bytes) -> int:
    return sum(int.from_bytes(data[i : i + 4], "big") for i in range(0, len(data), 4)) & 0xFFFFFFFF


@pytest.mark.slow
def test_a_page_is_the_same_bytes_whoever_shares_its_document(static_pdf, split):
    def alone(pages) -> bytes:
        variable = variable_layer_pdf(pages, static_pdf)
        return split_pages(underlay(open_pdf(variable), static_pdf), [0], trim=True)[0]

    # Other neighbours, with letters the first document did not have (ợ, ả, ج, ظ).
    assert alone([certificate(), certificate("Phạm Thị Thuận Lợi", "جعفر"), certificate("Đỗ Hải", "ظافر")]) == split[0]
    assert alone([certificate()]) == split[0]
    assert variable_layer_pdf([certificate()], static_pdf) == variable_layer_pdf([certificate()], static_pdf)


@pytest.mark.slow
def test_a_certificate_written_directly_is_the_split_page_in_text_and_ink(static_pdf, split, tmp_path):
    """certificate_pdf writes each awardee's file without splitting the chunk: a clean standalone file cut to
    the trim box, with the document information, the same text and the same pixels as the split page, and
    the same bytes whoever shares its chunk."""
    pages = [certificate(), certificate("Trần Văn Đức", "محمد بن خالد"), certificate("Lê Thị Mai", "سلمى")]
    written = certificate_pdfs(draw_pages(pages, static_pdf), static_pdf, trim=True)
    for index, data in enumerate(written):
        path = tmp_path / f"direct-{index}.pdf"
        path.write_bytes(data)
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout
        with open_pdf(data) as pdf, open_pdf(static_pdf) as static:
            assert len(pdf.pages) == 1 and "/TrimBox" not in pdf.pages[0].obj
            assert [float(v) for v in pdf.pages[0].mediabox] == [float(v) for v in static.pages[0].trimbox]
            assert pdf.docinfo.Producer == static.docinfo.Producer
            assert "/StaticLayer" in pdf.pages[0].Resources.XObject
        assert text_of(data, tmp_path, "-layout") == text_of(split[index], tmp_path, "-layout")
        assert _rendered(data, tmp_path / f"direct-{index}") == _rendered(split[index], tmp_path / f"split-{index}")
    assert "Lê Thị Mai" in text_of(written[2], tmp_path) and VI_NAME not in text_of(written[2], tmp_path)
    alone = certificate_pdfs(draw_pages([pages[1]], static_pdf), static_pdf, trim=True)
    assert alone == [written[1]]


@pytest.mark.slow
def test_the_print_file_takes_the_drawn_pages(static_pdf, tmp_path):
    variable = variable_layer_pdf([certificate(), certificate("Lê Thị Mai", "سلمى")], static_pdf)
    chunk = tmp_path / "chunk.pdf"
    chunk.write_bytes(save_pdf(underlay(open_pdf(variable), static_pdf)))
    out = io.BytesIO()
    write_print_file(out, [chunk], duplex=True)
    printed = out.getvalue()
    with open_pdf(printed) as pdf:
        assert len(pdf.pages) == 4
    text = text_of(printed, tmp_path)
    assert VI_NAME in text and "Lê Thị Mai" in text


def _pages_of(pdf: bytes, folder: Path) -> list[tuple[bytes, str, list]]:
    """Each page's ink (pdftoppm), words with their boxes (pdftotext -bbox) and page boxes."""
    found = []
    with open_pdf(pdf) as whole:
        for number, page in enumerate(whole.pages):
            single = pikepdf.new()
            single.pages.append(page)
            data = save_pdf(single)
            names = ("/MediaBox", "/TrimBox", "/BleedBox")
            boxes = [[round(float(v), 3) for v in page.obj[name]] for name in names if name in page.obj]
            words = text_of(data, folder, "-bbox")
            found.append((_rendered(data, folder / f"page-{number}"), words[words.index("<page") :], boxes))
    return found


@pytest.mark.slow
def test_a_chunk_kept_as_drawn_pages_prints_as_the_chunk_kept_as_a_pdf(static_pdf, tmp_path):
    """Kept as drawn (writers/drawn_chunk.py), a chunk of two static pages gives the print file the
    same pages as the PDF of the chunk the build kept before (static page underlaid by pikepdf): the
    same ink, words in the same places, the same bleed and trim boxes, blank backs; each static page's
    form written once for all the chunks."""
    from reporting.writers.drawn_chunk import DrawnChunk, decode, encode
    from reporting.writers.pdf import PdfWriter

    other = PdfWriter(ROOT / "templates").write(STATIC_HTML.replace("STATIC", "OTHER STATIC"), expected_pages=1)
    statics = (static_pdf, other)
    static_of = (0, 1, 0)
    runs = [certificate(), certificate("Trần Văn Đức", "محمد بن خالد"), certificate("Lê Thị Mai", "سلمى")]
    drawn = [draw_pages([runs[i]], statics[s])[0] for i, s in enumerate(static_of)]
    kept = encode(DrawnChunk(statics, static_of, tuple(drawn)))
    assert decode(kept) == DrawnChunk(statics, static_of, tuple(drawn))
    groups = [[page for page, s in zip(drawn, static_of, strict=True) if s == group] for group in (0, 1)]
    layers = [underlay(open_pdf(variable_layer_of(groups[g], statics[g])), statics[g]) for g in (0, 1)]
    as_pdf = save_pdf(interleave(layers, [(0, 0), (1, 0), (0, 1)]))
    paths = {}
    for name, data in (("drawn", kept), ("pdf", as_pdf)):
        paths[name] = [tmp_path / f"{name}-{n}.chunk" for n in range(2)]
        for path in paths[name]:
            path.write_bytes(data)
    printed = {}
    for name, chunks in paths.items():
        out = io.BytesIO()
        write_print_file(out, chunks, duplex=True)
        printed[name] = out.getvalue()
        (tmp_path / f"{name}.pdf").write_bytes(printed[name])
        check = subprocess.run(["qpdf", "--check", str(tmp_path / f"{name}.pdf")], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout
    new, old = _pages_of(printed["drawn"], tmp_path), _pages_of(printed["pdf"], tmp_path)
    assert len(new) == 12 and new == old
    assert ">Trần<" in new[2][1] and ">OTHER<" in new[2][1] and not any("<word" in p[1] for p in new[1::2])
    assert new[0][2][0] != new[0][2][1]  # the bleed is there: the media box is bigger than the trim box
    with open_pdf(printed["drawn"]) as pdf, open_pdf(printed["pdf"]) as before:
        assert dict(pdf.docinfo) == dict(before.docinfo)
        forms = {page.Resources.XObject["/StaticLayer"].objgen for page in pdf.pages[::2]}
    assert len(forms) == 2  # one a static page, for both chunks
    again = io.BytesIO()
    write_print_file(again, paths["drawn"], duplex=True)
    assert again.getvalue() == printed["drawn"]


@pytest.mark.slow
def test_transparency_only_where_a_run_asks_for_it(static_pdf):
    opaque = shape(VI_NAME, TINOS_BOLD, 30, 100, 100)
    faint = shape(VI_NAME, TINOS_BOLD, 30, 100, 200, (0, 0, 0, 0.25))
    with open_pdf(variable_layer_pdf([(opaque,), (opaque, faint)], static_pdf)) as pdf:
        assert "/ExtGState" not in pdf.pages[0].Resources
        states = pdf.pages[1].Resources.ExtGState
        assert [float(state.ca) for state in states.values()] == [0.25]
        assert b"gs" in pdf.pages[1].Contents.read_bytes() and b"gs" not in pdf.pages[0].Contents.read_bytes()


@pytest.mark.slow
def test_a_glyph_the_face_lacks_raises_for_the_batch_to_fall_back(static_pdf, tmp_path):
    from fontTools.ttLib import TTFont

    count = TTFont(TINOS, lazy=True)["maxp"].numGlyphs
    missing = GlyphRun(TINOS, 30, (0, 0, 0, 1), False, (Glyph(count, 100, 100, "?"),))
    with pytest.raises(GlyphNotInSubset) as raised:
        variable_layer_pdf([certificate(), (missing,)], static_pdf)
    assert raised.value.page == 1 and raised.value.font == TINOS and raised.value.glyph == count
    assert "Tinos-Regular.ttf" in str(raised.value)
    # Any glyph of the face is drawn, not only those of Vietnamese and Arabic: a Russian partner's name.
    cyrillic = shape("Жуков", TINOS, 30, 100, 100)
    drawn = variable_layer_pdf([(cyrillic,)], static_pdf)
    assert "Жуков" in text_of(split_pages(underlay(open_pdf(drawn), static_pdf), [0], trim=True)[0], tmp_path)


@pytest.mark.slow
def test_one_glyph_with_two_texts_on_a_page_reads_back_both(static_pdf, tmp_path):
    """A letter alone and the same glyph carrying its cluster's mark: the second text gets a code of its own."""
    plain = shape("Ha", TINOS, 30, 100, 100)
    marked = GlyphRun(TINOS, 30, (0, 0, 0, 1), False, (Glyph(plain.glyphs[0].id, 100, 200, "H\u0302"),))
    pdf = variable_layer_pdf([(plain, marked)], static_pdf)
    lines = [line for line in text_of(pdf, tmp_path).splitlines() if line.strip()]
    assert lines == ["Ha", "H\u0302"]


@pytest.mark.slow
def test_the_ink_is_where_weasyprint_puts_the_same_text(tmp_path):
    """The page rendered beside WeasyPrint's rendering of the same text at the same place: the same pixels.

    Not quite all: poppler fills the self-crossing outline of Amiri's initial ain one way when the
    text matrix flips y (as WeasyPrint draws) and the other way when it does not, a few dozen pixels."""
    from reporting.writers.pdf import PdfWriter

    page = "@page { size: 400px 200px; margin: 0 }"
    blank = PdfWriter(ROOT / "templates").write(f"<html><head><style>{page}</style></head><body></body></html>")
    for font, text in ((TINOS_BOLD, VI_NAME), (AMIRI_BOLD, AR_NAME)):
        relative = font.relative_to(ROOT / "templates")
        html = (
            f"<html><head><style>{page} @font-face {{ font-family: F; src: url({relative}) }} "
            "p { position: absolute; left: 20px; top: 40px; margin: 0; font: 30px F; white-space: nowrap }"
            f"</style></head><body><p>{text}</p></body></html>"
        )
        weasyprint_pdf = PdfWriter(ROOT / "templates").write(html)
        x, baseline = _first_text_origin(weasyprint_pdf)
        assert x == pytest.approx(20)
        weasy = _pixels(weasyprint_pdf, tmp_path / "weasy")
        ours = _pixels(variable_layer_pdf([(shape(text, font, 30, x, baseline),)], blank), tmp_path / "ours")
        assert all(abs(a - b) <= 1 for a, b in zip(_ink_box(ours), _ink_box(weasy), strict=True)), text
        ink = sum(1 for value in weasy if value < 128)
        differing = sum(1 for a, b in zip(weasy, ours, strict=True) if abs(a - b) > 64)
        assert ink > 500 and differing < ink * 0.05, (text, differing, ink)


def _first_text_origin(pdf: bytes) -> tuple[float, float]:
    """Where WeasyPrint starts its first line: its text matrix, in CSS px from the page's top-left corner
    (WeasyPrint scales its pages' content to px and flips y first)."""
    with open_pdf(pdf) as document:
        for operands, operator in pikepdf.parse_content_stream(document.pages[0]):
            if str(operator) == "Tm":
                return float(operands[4]), float(operands[5])
    raise AssertionError("no text in the PDF")


def _rendered(pdf: bytes, stem: Path) -> bytes:
    """The first page at 72 dpi, grey levels (with its size) as pdftoppm writes them."""
    stem.with_suffix(".pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-singlefile", str(stem.with_suffix(".pdf")), str(stem)], check=True
    )
    return stem.with_suffix(".pgm").read_bytes()


def _pixels(pdf: bytes, stem: Path) -> bytes:
    """The page at 96 dpi (one pixel a CSS px), grey levels row by row."""
    stem.with_suffix(".pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "96", "-gray", "-singlefile", str(stem.with_suffix(".pdf")), str(stem)], check=True
    )
    image = stem.with_suffix(".pgm").read_bytes()
    assert image.startswith(b"P5\n400 200\n255\n")
    return image[len(b"P5\n400 200\n255\n") :]


def _ink_box(pixels: bytes, width: int = 400) -> tuple[int, int, int, int]:
    inked = [index for index, value in enumerate(pixels) if value < 128]
    columns = [index % width for index in inked]
    return min(columns), inked[0] // width, max(columns), inked[-1] // width


def test_a_glyph_showing_another_text_gets_a_code_of_its_own():
    font = _PageFont(b"/F0", None, "Report-Tinos")  # type: ignore[arg-type]  # codes need no font
    assert [font.code(7, "a"), font.code(7, "a"), font.code(7, "á"), font.code(3, ""), font.code(7, "á")] == [
        1,
        1,
        2,
        3,
        2,
    ]


def test_page_programs_carry_no_hinting_instructions_and_the_outlines_of_the_file():
    """Tinos is hinted; a page's program leaves out each glyph's instructions (the tables they call into are not
    embedded), composite glyphs included, and keeps every outline point as the file has it."""
    from fontTools.ttLib import TTFont

    from reporting.writers.glyph_program import SubsetTables

    original = TTFont(TINOS_BOLD)
    glyf = original["glyf"]
    order = original.getGlyphOrder()
    hinted = [i for i, name in enumerate(order) if glyf[name].numberOfContours > 0 and glyf[name].program.getBytecode()]
    composite = [i for i, name in enumerate(order) if glyf[name].isComposite()]
    assert hinted and composite, "the test needs a hinted face with composite glyphs"
    wanted = [hinted[0], hinted[5], composite[0], composite[3]]
    cut = TTFont(io.BytesIO(SubsetTables(TINOS_BOLD.read_bytes()).page_program(wanted)))
    names = cut.getGlyphOrder()
    for number, glyph in enumerate(wanted, start=1):
        mine, theirs = cut["glyf"][names[number]], glyf[order[glyph]]
        assert not (hasattr(mine, "program") and mine.program.getBytecode())
        assert mine.getCoordinates(cut["glyf"])[0] == theirs.getCoordinates(glyf)[0]
