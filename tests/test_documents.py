"""The reference documents as a reader sees them: text in the PDF, XML in the DOCX, both in agreement."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT, run_cli
from textutil import (
    W,
    docx_footer_texts,
    docx_repeated_header_rows,
    docx_shown_paragraphs,
    docx_text,
    docx_xml,
    letters,
    pdf_pages,
    pdf_reading_order,
    pdf_text,
    squeeze,
)

LOCALES = ("ar", "vi")
DIGITS = re.compile(r"[0-9٠-٩]")
Q1 = "inspectorate-2024-q1"
D35 = "directive-35-review"

EXPECTED_REPORT = {
    (Q1, "ar"): [
        "17 عملية تفتيش إدارية",
        "576 مليون دونج",
        "أكثر من 500 مليون دونج",
        "فو جيا لونغ",
        "بعد ظهر يوم 8 أبريل 2024",
        "الربع الأول من عام 2024",
        "36 جولة تفتيش",
    ],
    (Q1, "vi"): [
        "17 cuộc thanh tra hành chính",
        "9 kết luận thanh tra",
        "12 đơn vị",
        "576 triệu đồng",
        "hơn 500 triệu đồng",
        "8 tập thể",
        "9 cá nhân",
        "36 cuộc thanh tra chuyên ngành",
        "Vũ Gia Long",
        "chiều ngày 8 tháng 4 năm 2024",
        "quý I năm 2024",
        "Ninh Bình, ngày 08 tháng 4 năm 2024",
    ],
    (D35, "ar"): [
        "99.2%",
        "99.1%",
        "624/629",
        "441/445",
        "14,400",
        "38,445",
        "2,214",
        "دوآن مينه هوان",
        "35-CT/TW",
        "2014-2024",
        "شهادات التقدير لـ 10 جماعات و15 فردًا",
    ],
    (D35, "vi"): [
        "99,2%",
        "99,1%",
        "624/629",
        "441/445",
        "14.400",
        "38.445",
        "2.214",
        "588",
        "Đoàn Minh Huấn",
        "Nguyễn Hồng Điệp",
        "35-CT/TW",
        "2014-2024",
        "Ninh Bình, ngày 20 tháng 8 năm 2024",
        "Bằng khen cho 10 tập thể và 15 cá nhân",
    ],
}


def flat(text: str) -> str:
    """Lines joined with single spaces, bidi marks dropped: phrases survive line breaks."""
    return " ".join(re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text).split())


@pytest.mark.parametrize("event, locale", sorted(EXPECTED_REPORT))
def test_report_pdf_and_docx_carry_the_formatted_figures(built, event, locale):
    folder = built / event / locale
    # Letters and digits only: pdftotext splits justified Arabic words and sets
    # punctuation next to numbers on either side (textutil.letters).
    for text in (letters(pdf_text(folder / "report.pdf")), letters(docx_text(folder / "report.docx"))):
        missing = [phrase for phrase in EXPECTED_REPORT[event, locale] if letters(phrase) not in text]
        assert not missing, missing
    for text in (squeeze(pdf_text(folder / "report.pdf")), squeeze(docx_text(folder / "report.docx"))):
        missing = [
            phrase for phrase in EXPECTED_REPORT[event, locale] if phrase.isascii() and squeeze(phrase) not in text
        ]
        assert not missing, missing


def test_figures_typed_once_are_derived(built):
    """99.2% is nowhere in the data: it comes from 624/629."""
    data = (Path(__file__).resolve().parent.parent / "data" / f"{D35}.yaml").read_text(encoding="utf-8")
    assert "99.2" not in data and "99,2" not in data
    assert "99,2%" in flat(pdf_text(built / D35 / "vi" / "report.pdf"))


@pytest.mark.parametrize("locale, summary", [("ar", "10 جماعات و15 فردًا"), ("vi", "10 tập thể và 15 cá nhân")])
def test_awardee_list_counts_and_numbering(built, locale, summary):
    folder = built / D35 / locale
    assert letters(summary) in letters(pdf_text(folder / "awardees.pdf"))
    assert letters(summary) in letters(docx_text(folder / "awardees.docx"))
    tables = docx_xml(folder / "awardees.docx").findall(f".//{W}tbl")
    rows = [len(t.findall(f"{W}tr")) for t in tables]
    assert rows == [
        1,
        11,
        16,
    ]  # the heading block (no number, no date: an annex); header row + 10 groups; + 15 individuals


@pytest.mark.parametrize("locale", LOCALES)
def test_one_certificate_per_awardee_each_one_landscape_page(built, locale):
    folder = built / D35 / locale / "certificates"
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 25 and len(sorted(folder.glob("*.docx"))) == 25
    assert pdfs[0].name.startswith("01-g01-") and pdfs[-1].name.startswith("25-i15-")
    for path in (pdfs[0], pdfs[-1]):
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == 1
            x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].mediabox)
            assert round(x1 - x0) == 842 and round(y1 - y0) == 595  # A4 landscape in points


@pytest.mark.parametrize("locale", LOCALES)
def test_combined_print_file_holds_every_certificate_in_list_order(built, locale):
    folder = built / D35 / locale
    pages = pdf_pages(folder / "certificates.pdf")
    assert len(pages) == 25
    singles = sorted((folder / "certificates").glob("*.pdf"))
    for page, single in zip(pages, singles, strict=True):
        assert squeeze(page) == squeeze(pdf_text(single))


@pytest.mark.parametrize("locale, name", [("ar", "فام ثي ثو هوونغ"), ("vi", "Phạm Thị Thu Hương")])
def test_certificate_names_its_awardee(built, locale, name):
    (pdf,) = (built / D35 / locale / "certificates").glob("12-i02-*.pdf")
    assert squeeze(name) in squeeze(pdf_text(pdf))
    assert squeeze(name) in squeeze(docx_text(pdf.with_suffix(".docx")))


@pytest.mark.parametrize("event", [Q1, D35])
def test_arabic_docx_paragraphs_are_right_to_left(built, event):
    for path in (built / event / "ar").rglob("*.docx"):
        root = docx_xml(path)
        paragraphs = root.findall(f".//{W}p")
        assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs), path
        # Runs are right-to-left except isolated Latin fragments, explicitly not (w:rtl w:val="0"):
        # with w:rtl, Word would turn "-" and "/" in "35-CT/TW" around.
        runs = root.findall(f".//{W}r")
        assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs), path
        latin = [r for r in runs if r.find(f"{W}rPr/{W}rtl").get(f"{W}val") == "0"]
        assert all(re.search("[A-Za-z0-9]", "".join(r.itertext())) for r in latin), path
        assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in root.iter(f"{W}tbl")), path
        assert root.find(f".//{W}sectPr/{W}bidi") is not None


@pytest.mark.parametrize("locale", LOCALES)
def test_docx_look_comes_from_styles(built, locale):
    """Staff restyle in Word through styles: runs name no fonts, nor a language but a fragment's in the
    other direction; paragraphs and tables name their styles; the documents of a language share one
    styles part per kind (certificates, the others)."""
    documents = sorted((built / D35 / locale).rglob("*.docx")) + [built / Q1 / locale / "report.docx"]
    styles = set()
    for path in documents:
        root = docx_xml(path)
        assert root.find(f".//{W}r/{W}rPr/{W}rFonts") is None, path
        for lang in root.iterfind(f".//{W}r/{W}rPr/{W}lang"):
            assert lang.getparent().find(f"{W}rtl").get(f"{W}val") == "0", path
        assert all(t.find(f"{W}tblPr/{W}tblStyle") is not None for t in root.iter(f"{W}tbl")), path
        used = {
            p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
            for p in root.iter(f"{W}p")
            if p.find(f"{W}pPr/{W}pStyle") is not None
        }
        if "certificates" in path.parts or path.stem == "certificates":
            assert {
                "CertificateTitle",
                "AwardeeName",
                "Citation",
                "CertificateIssuer",
                "SignerTitle",
                "CertificateSignerName",
                "PlaceDate",
            } <= used, path
        with zipfile.ZipFile(path) as package:
            styles.add(package.read("word/styles.xml"))
    assert len(styles) == 2
    report = docx_xml(built / D35 / locale / "report.docx")
    items = [p for p in report.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(items) >= 13 and all(p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "ListNumber" for p in items)
    assert not any(("".join(p.itertext()).strip()[:3]).rstrip(".").isdigit() for p in items)  # no typed numbers


def test_vietnamese_docx_has_no_bidi(built):
    root = docx_xml(built / Q1 / "vi" / "report.docx")
    assert root.find(f".//{W}bidi") is None and root.find(f".//{W}rtl") is None


# Every document the reference data produces: the certificates one by one (the print file is PDF only).
DOCUMENTS = [f"{Q1}/{{}}/report", f"{D35}/{{}}/report", f"{D35}/{{}}/awardees"] + [
    f"{D35}/{{}}/certificates/{number:02d}-*" for number in range(1, 26)
]


def pdf_body_letters(
    pdf: Path, rtl: bool, footer: str | None, header_rows: list[str], page_numbers: bool = False
) -> str:
    """The PDF's letters and digits in reading order, less what the DOCX holds once and the PDF on every
    page: the running footer or the page number at the top (fields in Word), a table's repeated header row."""
    pages = pdf_reading_order(pdf, rtl)
    for number, pieces in enumerate(pages[1:], start=2):  # page 1 has none (Decree 30/2020)
        if page_numbers:  # WeasyPrint draws the margin box after the page's content
            assert pieces and pieces[-1].strip() == str(number), f"page {number} ends with {pieces[-2:]}"
            del pieces[-1]
    if footer is not None:
        # matched before letters() merges repeated characters: "Trang 3/3" would read "Trang3"
        plain = lambda text: re.sub(r"[^\w]|_", "", text)  # noqa: E731
        pattern = re.compile("[0-9٠-٩]+".join(map(plain, re.split("[0-9٠-٩]+", footer))))
        for number, pieces in enumerate(pages, start=1):
            ends = [k for k in range(1, min(8, len(pieces)) + 1) if pattern.fullmatch(plain("".join(pieces[-k:])))]
            assert ends, f"page {number} does not end with the running footer {footer!r}: {pieces[-3:]}"
            del pieces[-ends[0] :]
    seen = ""
    for pieces in pages:
        for header in map(letters, header_rows):
            starts = [k for k in range(1, len(pieces) + 1) if letters("".join(pieces[:k])) == header]
            if starts and header in seen:  # the row again at the top of a page the table goes on to
                del pieces[: starts[0]]
        seen += letters("".join(pieces))
    return letters("".join(piece for pieces in pages for piece in pieces))


@pytest.fixture(scope="module")
def built_whole(tmp_path_factory) -> Path:
    """The certificates typeset whole (--no-layers). A layered certificate draws the page every awardee
    shares first (a Form XObject) and the awardee's texts after it, so the order it draws in is not the
    order it reads in, which the parity test below follows; tests/test_layers.py shows that every layered
    certificate reads (pdftotext, in reading order) and looks exactly like the one typeset whole."""
    output = tmp_path_factory.mktemp("whole")
    code, _, err = run_cli(
        "--project",
        str(ROOT),
        "build",
        "--event",
        "directive-35-review",
        "--no-layers",
        "--output",
        str(output),
        "--quiet",
    )
    assert code == 0, err
    return output


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_pdf_and_docx_say_the_same_thing_in_the_same_order(built, document, locale, request):
    """Both files come from one HTML: the same letters and digits, in the same order, for the whole document.

    The DOCX is read as Word shows it (list numbers included); the PDF in the
    order WeasyPrint drew it, each line piece turned back into logical order
    (textutil.pdf_reading_order), so table cells, list numbers and numbers
    inside Arabic lines are compared in place, not as loose words. Compared on
    letters and digits (textutil.letters): spaces and punctuation are where
    extraction differs, not what a reader reads.
    """
    if "/certificates/" in document:
        built = request.getfixturevalue("built_whole")
    stem = built / document.format(locale)
    if "*" in stem.name:
        (pdf_file,) = stem.parent.glob(stem.name + ".pdf")
        stem = pdf_file.with_suffix("")
    docx_file = stem.with_suffix(".docx")
    footers = docx_footer_texts(docx_file)
    assert len(footers) <= 1
    pdf = pdf_body_letters(
        stem.with_suffix(".pdf"),
        locale == "ar",
        footers[0] if footers else None,
        docx_repeated_header_rows(docx_file),
        bool(docx_footer_texts(docx_file, "header")),
    )
    docx = letters("".join(docx_shown_paragraphs(docx_file)))
    if pdf != docx:
        at = next(i for i, (a, b) in enumerate(zip(pdf + "#", docx + "#", strict=False)) if a != b)
        pytest.fail(
            f"first difference at letter {at}: PDF ...{pdf[max(0, at - 30) : at + 30]!r} "
            f"DOCX ...{docx[max(0, at - 30) : at + 30]!r}"
        )
    assert len(docx) > (200 if "certificates" in document else 1000)  # the whole document, not an empty extraction


def test_the_ordered_comparison_notices_a_swap(built):
    """The check above fails when two table cells of the PDF trade places (it is not a bag of words)."""
    stem = built / D35 / "ar" / "awardees"
    pages = pdf_reading_order(stem.with_suffix(".pdf"), rtl=True)
    first = next(i for i, piece in enumerate(pages[0]) if letters(piece) == "1")
    swapped = pages[0][:first] + [pages[0][first + 1], pages[0][first]] + pages[0][first + 2 :]
    assert letters("".join(swapped)) != letters("".join(pages[0]))
    docx = letters("".join(docx_shown_paragraphs(stem.with_suffix(".docx"))))
    assert letters("".join(swapped)) not in docx and letters("".join(pages[0][first : first + 4])) in docx


def test_arabic_list_numbers_and_table_rows_read_in_place(built):
    """What pdftotext cannot do: the list's "2." before its item, a row's cells in order, 20 before أغسطس."""
    pages = pdf_reading_order(built / D35 / "ar" / "report.pdf", rtl=True)
    text = letters("".join(pages[0]))
    assert letters("2. فام كوانج نغوك") in text
    assert letters("يوم 20 أغسطس 2024، عقدت") in text
    awardees = letters("".join(pdf_reading_order(built / D35 / "ar" / "awardees.pdf", rtl=True)[0]))
    assert letters("م اسم الجماعة 1 لجنة استقبال المواطنين الإقليمية 2 هيئة التفتيش الإقليمية") in awardees
    assert letters("الجماعات") + letters("م") in awardees  # the heading, then the header row's first cell


def test_arabic_reading_order_in_pdf(built):
    """Logical order: a sentence's first word comes first, and 35-CT/TW is not turned into CT/TW-35."""
    text = squeeze(pdf_text(built / D35 / "ar" / "report.pdf"))
    assert "CT/TW-35" not in text and "35-CT/TW" in text
    report = letters(pdf_text(built / Q1 / "ar" / "report.pdf"))
    assert letters("بعد ظهر يوم 8 أبريل 2024، عقدت هيئة التفتيش") in report


@pytest.mark.parametrize("locale, page_size", [("ar", (595, 842)), ("vi", (595, 842))])
def test_report_page_geometry_matches_in_both_formats(built, locale, page_size):
    with pikepdf.open(built / Q1 / locale / "report.pdf") as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
        assert (round(box[2] - box[0]), round(box[3] - box[1])) == page_size
    section = docx_xml(built / Q1 / locale / "report.docx").find(f".//{W}sectPr")
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)  # A4 in twentieths of a point
    assert int(margins.get(f"{W}left")) == round(30 / 25.4 * 1440)  # reporting.toml: left 30 mm


@pytest.mark.slow
def test_arabic_indic_digits_are_one_line_of_configuration(tmp_path):
    """digits = "arab": every number of the document in ٠-٩, codes such as 35-CT/TW untouched."""
    from conftest import copy_project, run_cli

    project = copy_project(tmp_path)
    config = project / "reporting.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("[locales.ar]\n", '[locales.ar]\ndigits = "arab"\n', 1)
        .replace('digits = "latn"\n# Naskh', "# Naskh", 1),
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "--project", str(project), "--locale", "ar", "--event", D35, "--output", str(tmp_path / "out"), "-q"
    )
    assert code == 0, err
    folder = tmp_path / "out" / D35 / "ar"
    for text in (
        pdf_text(folder / "report.pdf"),
        docx_text(folder / "report.docx"),
        pdf_text(folder / "awardees.pdf"),
        pdf_text(folder / "certificates.pdf"),
    ):
        latin_digits = re.findall(r"[0-9]+", text.replace("35-CT/TW", "").replace("1568/QĐ-UBND", ""))
        assert latin_digits == [], latin_digits[:5]
    report = letters(pdf_text(folder / "report.pdf"))
    for phrase in ("٩٩٫٢٪", "٦٢٤/٦٢٩", "١٤٬٤٠٠", "٢٠ أغسطس ٢٠٢٤"):
        assert letters(phrase) in report, phrase
    # Arabic-Indic digits are bidi class AN: "٢٠١٤-٢٠٢٤" shows 2014 on the right, read first.
    assert "٢٠١٤-٢٠٢٤" in docx_text(folder / "report.docx")
    formats = {f.get(f"{W}val") for f in docx_xml(folder / "report.docx", "word/numbering.xml").iter(f"{W}numFmt")}
    assert formats == {"hindiNumbers", "bullet"}  # Word numbers the lists ١، ٢، ٣


@pytest.mark.parametrize("locale", LOCALES)
def test_emblem_has_the_same_size_in_pdf_and_docx(built, locale):
    """18 mm wide in both: pdfimages' pixels per inch in the PDF, wp:extent in the DOCX."""
    import subprocess

    (pdf,) = (built / D35 / locale / "certificates").glob("01-*.pdf")
    rows = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [r.split() for r in rows if r.split()[2] == "image"]
    assert len(images) == 1
    width_px, x_ppi = int(images[0][3]), int(images[0][12])
    assert abs(width_px / x_ppi * 25.4 - 18) < 0.2
    extent = docx_xml(pdf.with_suffix(".docx")).find(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
    )
    assert int(extent.get("cx")) == int(extent.get("cy")) == 18 * 36000


@pytest.mark.slow
def test_sorted_order_is_one_line_and_drives_list_and_print_file(tmp_path):
    """Sorted once, by the primary language (vi): people by given name, groups by full name; the
    Arabic list and print file hold the same people in the same order, numbered alike."""
    from conftest import copy_project, run_cli
    from reporting.language.collation import group_sort_key, sort_key
    from reporting.source.load import load_event

    project = copy_project(tmp_path)
    data = project / "data" / f"{D35}.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace("  order: data\n", "  order: sorted\n", 1), encoding="utf-8"
    )
    code, _, err = run_cli("--project", str(project), "--event", D35, "--output", str(tmp_path / "out"), "-q")
    assert code == 0, err
    awards = load_event(data, LOCALES).event.awards
    people = sorted(awards.individuals, key=lambda person: sort_key(person.name["vi"], "vi"))
    bodies = sorted(awards.groups, key=lambda group: group_sort_key(group.name["vi"], "vi"))
    assert bodies[0].name["vi"] == "Ban Nội chính Tỉnh ủy" and bodies[-1].name["vi"] == "UBND thành phố Tam Điệp"
    for locale in LOCALES:
        folder = tmp_path / "out" / D35 / locale
        *groups, individuals = docx_xml(folder / "awardees.docx").findall(f".//{W}tbl")
        cells = lambda table: ["".join(row.findall(f"{W}tc")[1].itertext()) for row in table.findall(f"{W}tr")[1:]]  # noqa: E731
        assert cells(individuals) == [person.name[locale] for person in people]
        assert cells(groups[-1]) == [group.name[locale] for group in bodies]
        pages = pdf_pages(folder / "certificates.pdf")
        assert letters(bodies[0].name[locale]) in letters(pages[0])
        assert letters(people[0].name[locale]) in letters(pages[10]) and letters(people[-1].name[locale]) in letters(
            pages[-1]
        )
        listed = letters(pdf_text(folder / "awardees.pdf"))
        positions = [listed.index(letters(person.name[locale])) for person in people]
        assert positions == sorted(positions)


def _figure_texts(project_root: Path, event_id: str, locale: str, digits: str) -> list[str]:
    """Every figure and ratio of an event, formatted for one locale and digit setting."""
    from reporting.config import LocaleSettings
    from reporting.language.filters import LocalFilters
    from reporting.language.locales import LocaleFacts
    from reporting.language.messages import load_translations
    from reporting.source.load import load_event

    event = load_event(project_root / "data" / f"{event_id}.yaml", LOCALES).event
    f = LocalFilters(
        LocaleFacts(LocaleSettings(locale, digits)), load_translations(project_root / "templates" / "locale", locale)
    )
    texts = [f.figure(figure) for figure in event.figures.values()]
    texts += [
        f.ratio(event.figures[r.part].value, event.figures[r.whole].value, r.decimals) for r in event.ratios.values()
    ]
    return texts


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("event", [Q1, D35])
def test_every_figure_reads_back_from_pdf_and_docx(built, event, locale):
    folder = built / event / locale
    for text in (letters(pdf_text(folder / "report.pdf")), letters(docx_text(folder / "report.docx"))):
        assert [t for t in _figure_texts(ROOT, event, locale, "latn") if letters(t) not in text] == []


@pytest.mark.slow
def test_every_figure_reads_back_with_arabic_indic_digits(tmp_path):
    from conftest import copy_project, run_cli

    project = copy_project(tmp_path)
    config = project / "reporting.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('digits = "latn"\n# Naskh', 'digits = "arab"\n# Naskh', 1),
        encoding="utf-8",
    )
    code, _, err = run_cli("--project", str(project), "--locale", "ar", "--output", str(tmp_path / "out"), "-q")
    assert code == 0, err
    for event in (Q1, D35):
        folder = tmp_path / "out" / event / "ar"
        expected = _figure_texts(project, event, "ar", "arab")
        assert all(any("٠" <= ch <= "٩" for ch in t) for t in expected)
        for text in (letters(pdf_text(folder / "report.pdf")), letters(docx_text(folder / "report.docx"))):
            assert [t for t in expected if letters(t) not in text] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_docx_number_columns_are_as_narrow_as_in_the_pdf(built, locale):
    """The CSS makes td.num as narrow as its widest number; LibreOffice takes the DOCX grid as written."""
    root = docx_xml(built / D35 / locale / "awardees.docx")
    groups, individuals = [
        t
        for t in root.iter(f"{W}tbl")
        if t.find(f"{W}tblPr/{W}tblStyle") is not None
        and t.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") != "LayoutTable"
    ][:2]
    for table in (groups, individuals):
        widths = [int(col.get(f"{W}w")) for col in table.find(f"{W}tblGrid")]
        assert widths[0] / sum(widths) < 0.1, widths  # the number column
        # as wide as its widest text, "STT" in bold (about 12 mm) or "م" and "15" (about 9 mm), and its padding
        assert (600 if locale == "vi" else 450) <= widths[0] <= 1000
