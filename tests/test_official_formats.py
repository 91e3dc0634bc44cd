"""Documents an office can issue as they are: Decree 30/2020 (State) and Guidance 36-HD/VPTW (Party) formats.

Read as a Vietnamese clerk reads them: the heading block in place, the number and the
date as prescribed, page numbers at the top from page 2, the signature and the
recipients, the annex line, the certificates as the specimen form; and as an Arabic
reader: no slanted or letter-spaced Arabic, one side for the percent sign.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT
from textutil import W, docx_paragraphs, docx_xml, pdf_text

Q1 = "inspectorate-2024-q1"
D35 = "directive-35-review"
MM = 72 / 25.4  # PDF points per millimetre


def layout(pdf: Path, first: int = 1, last: int = 1) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float]]:
    """(word, x centre, top, bottom) in points of one page, from pdftotext -bbox."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)
    return [(text, (float(x0) + float(x1)) / 2, float(y0), float(y1)) for x0, y0, x1, y1, text in found]


# -- heading block -----------------------------------------------------------


@pytest.mark.parametrize(
    "event, left, right, number_line",
    [
        (
            Q1,
            "UBND TỈNH NINH BÌNH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            r"Số: 05/BC-TTr\s+Ninh Bình, ngày 08 tháng 4 năm 2024",
        ),
        (D35, "ĐẢNG BỘ TỈNH NINH BÌNH", "ĐẢNG CỘNG SẢN VIỆT NAM", r"Số 15-BC/TU\s+Ninh Bình, ngày 20 tháng 8 năm 2024"),
    ],
)
def test_heading_block_state_and_party(built, event, left, right, number_line):
    """Bodies at the left, the national name (State) or the Party's heading at the right, each on one
    line; the number (Party: no colon) level with the place and date (zero-padded day)."""
    text = layout(built / event / "vi" / "report.pdf")
    assert re.search(rf"{left}\s+{right}\n", text), text[:600]
    assert re.search(number_line, text), text[:800]
    if event == Q1:
        assert re.search(r"THANH TRA TỈNH\s+Độc lập - Tự do - Hạnh phúc", text)
        assert "BÁO CÁO" in text and "Kết quả công tác thanh tra quý I" in text
    else:
        assert re.search(r"TỈNH ỦY\n\s+\*", text)  # the issuing body, then the Party's asterisk
        assert "CỘNG HÒA XÃ HỘI" not in text


def test_heading_sizes_and_italic_date_in_the_docx(built):
    root = docx_xml(built / Q1 / "vi" / "report.docx")
    styles = docx_xml(built / Q1 / "vi" / "report.docx", "word/styles.xml")

    def style(style_id):
        (found,) = styles.findall(f'{W}style[@{W}styleId="{style_id}"]')
        return found

    size = {
        name: int(style(name).find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2
        for name in ("NationalName", "Motto", "BodyName", "ParentBody", "PlaceDate", "Heading1", "Summary")
    }
    # the document kind (h1.title) is Heading 1: the top of the outline
    assert size == {
        "NationalName": 12,
        "Motto": 13,
        "BodyName": 12,
        "ParentBody": 12,
        "PlaceDate": 13,
        "Heading1": 14,
        "Summary": 14,
    }
    assert style("PlaceDate").find(f"{W}rPr/{W}i") is not None
    assert style("BodyText").find(f"{W}pPr/{W}ind").get(f"{W}firstLine") == str(round(10 * 1440 / 25.4))
    assert int(style("Normal").find(f"{W}pPr/{W}spacing").get(f"{W}after")) >= 6 * 20  # at least 6 pt
    heading = root.find(f".//{W}tbl")
    widths = [int(c.get(f"{W}w")) for c in heading.findall(f"{W}tblGrid/{W}gridCol")]
    assert widths[1] / sum(widths) == pytest.approx(0.6, abs=0.01)  # room for the national name on one line


def test_the_national_name_stays_on_one_line_in_libreoffice(built, tmp_path):
    """The DOCX as LibreOffice lays it out: the national name on one line, no page number on page 1,
    the page number at the top of page 2. With the fonts installed (`fonts install`): the DOCX names
    Times New Roman, which LibreOffice then draws in Tinos, the PDF's face, not in a wider fallback."""
    from reporting.writers import user_fonts

    fonts = tmp_path / "share" / "fonts" / "reporting"
    user_fonts.install(ROOT / "templates" / "fonts", fonts, platform="linux")
    environment = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "share"))
    subprocess.run(["fc-cache", str(fonts)], env=environment, check=True, capture_output=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(built / Q1 / "vi" / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=environment,
    )
    pdf = tmp_path / "report.pdf"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" in layout(pdf)
    assert_page_numbers_at_the_top(pdf)


# -- page numbers -------------------------------------------------------------


def assert_page_numbers_at_the_top(pdf: Path) -> None:
    first = words(pdf, 1)
    assert not [w for w in first if w[2] < 20 * MM], first[:3]  # nothing in page 1's top margin
    second = words(pdf, 2)
    top = [w for w in second if w[3] < 20 * MM]
    assert [w[0] for w in top] == ["2"], second[:3]
    assert top[0][1] == pytest.approx(110 * MM, abs=3 * MM)  # centred over the text (margins 30 and 20 mm)
    assert not [w for w in second if w[2] > 277 * MM]  # nothing at the foot


@pytest.mark.parametrize("locale", ("ar", "vi"))
def test_pdf_page_numbers_top_centre_not_on_page_one(built, locale):
    assert_page_numbers_at_the_top(built / D35 / locale / "report.pdf")


def test_docx_page_number_is_a_header_field_blank_on_page_one(built):
    path = built / Q1 / "vi" / "report.docx"
    sect = docx_xml(path).find(f".//{W}body/{W}sectPr")
    assert sect.find(f"{W}titlePg") is not None and sect.find(f"{W}footerReference") is None
    kinds = {
        ref.get(f"{W}type"): ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for ref in sect.findall(f"{W}headerReference")
    }
    assert set(kinds) == {"default", "first"}
    rels = docx_xml(path, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    default, first = (docx_xml(path, f"word/{target[kinds[k]]}") for k in ("default", "first"))
    assert [t.text.strip() for t in default.iter(f"{W}instrText")] == ["PAGE"]
    assert "".join(first.itertext()).strip() == "" and first.find(f".//{W}instrText") is None


# -- signature, recipients, annex ------------------------------------------------


@pytest.mark.parametrize(
    "event, lines, signature",
    [
        (Q1, ["- Thanh tra Chính phủ (để báo cáo);", "- Lưu: VT, VP."], ["CHÁNH THANH TRA", "Vũ Gia Long"]),
        (
            D35,
            ["- Ban Bí thư Trung ương Đảng (để báo cáo),", "- Lưu Văn phòng Tỉnh ủy."],
            ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đoàn Minh Huấn"],
        ),
    ],
)
def test_signature_block_and_recipients(built, event, lines, signature):
    pdf = built / event / "vi" / "report.pdf"
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Nơi nhận:" in text and all(line in text for line in lines), text[-800:]
    assert all(part in text for part in signature)
    assert "Đinh Ngọc" not in text and "Mạnh Dũng" not in text  # no journalists' byline
    pages = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        ).group(1)
    )
    page = words(pdf, pages)
    title = [w for w in page if w[0] == signature[-2].split()[-1]]
    name = [w for w in page if w[0] == signature[-1].split()[-1]]
    assert title and name and name[-1][2] - title[-1][3] >= 30 * MM  # room for signature and seal
    recipients = [w for w in page if w[0] == "nhận:"]
    assert recipients and recipients[0][1] < 105 * MM < title[-1][1]  # recipients left, signature right


def test_docx_signature_and_recipients_styles(built):
    root = docx_xml(built / D35 / "vi" / "report.docx")
    by_style = {}
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None:
            by_style.setdefault(style.get(f"{W}val"), []).append("".join(p.itertext()))
    assert by_style["SignerTitle"] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"] and by_style["SignerName"] == ["Đoàn Minh Huấn"]
    assert by_style["RecipientsLabel"] == ["Nơi nhận:"] and by_style["Recipient"][-1] == "- Lưu Văn phòng Tỉnh ủy."
    styles = docx_xml(built / D35 / "vi" / "report.docx", "word/styles.xml")
    (name,) = styles.findall(f'{W}style[@{W}styleId="SignerName"]')
    assert int(name.find(f"{W}pPr/{W}spacing").get(f"{W}before")) >= round(30 * 1440 / 25.4)


@pytest.mark.parametrize("suffix", (".pdf", ".docx"))
def test_awardee_list_is_a_state_annex_of_the_decision(built, suffix):
    path = built / D35 / "vi" / f"awardees{suffix}"
    # The DOCX as Word shows it: no-break spaces, hyphens and joiners read as the plain characters.
    text = re.sub(r"\s+", " ", pdf_text(path) if suffix == ".pdf" else " ".join(docx_paragraphs(path)))
    assert "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "TỈNH ỦY" not in text and "ĐẢNG CỘNG SẢN" not in text
    assert (
        "(Kèm theo Quyết định số 1568/QĐ-UBND ngày 20 tháng 8 năm 2024 của Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình)"
    ) in text


# -- certificates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, lines",
    [
        ("21-i11", ["Ông Nguyễn Đức Mạnh", "Chủ tịch UBND xã Gia Sinh, huyện Gia Viễn"]),
        ("12-i02", ["Bà Phạm Thị Thu Hương", "Phó Trưởng Ban Tiếp công dân tỉnh"]),
        ("11-i01", ["Ông Nguyễn Văn Hùng", "Phó Chánh Thanh tra tỉnh\n"]),
    ],
)
def test_certificate_as_the_specimen_form(built, number, lines):
    (pdf,) = (built / D35 / "vi" / "certificates").glob(f"{number}-*.pdf")
    text = pdf_text(pdf)
    assert all(line in text for line in lines), text
    assert "Xã Gia Sinh" not in text and "Thanh tra tỉnh, Thanh tra tỉnh" not in text
    assert "Đã có thành tích xuất sắc" in text and "Quyết định số 1568/QĐ-UBND ngày 20/8/2024" in text
    assert re.search(r"TẶNG\s+BẰNG KHEN", text)
    assert re.search(r"ngày 20 tháng 8 năm 2024\s+CHỦ TỊCH\s", text) and "CHỦ TỊCH UBND TỈNH\n" not in text
    page = words(pdf, 1)
    title = [w for w in page if w[0] == "TỊCH"][-1]
    name = [w for w in page if w[0] == "Ngọc"][-1]
    assert name[2] - title[3] >= 30 * MM


def test_certificate_fields_are_marked_and_book_number_printed():
    """Each variable text has its field class; a book number in the data is printed, none is invented."""
    from reporting.config import load_project
    from reporting.render import Renderer
    from reporting.source.figures import bundle_event
    from reporting.source.load import load_event

    project = load_project(ROOT)
    bundle = bundle_event(load_event(ROOT / "data" / f"{D35}.yaml", tuple(project.locales)))
    awardee = replace(bundle.individuals[0], book_number="125/SV")
    html = Renderer(project).render(
        "certificates.html.j2", "vi", bundle, project.pages["certificate"], awardees=(awardee, bundle.individuals[1])
    )
    # (a code such as 125/SV is kept on one line: reporting/language/line_breaks.py)
    assert '<span class="field-book-number"><span class="nobr">125/SV</span></span>' in html
    assert html.count("Số sổ vàng") == 1
    for field in ("honorific", "name", "position"):
        assert html.count(f'class="field-{field}"') == 2
    assert "Register" not in html and "Số vào sổ" not in html


# -- filters: dates, numbers, joined positions ------------------------------------------


@pytest.fixture(scope="module")
def vi_filters():
    from reporting.config import load_project
    from reporting.render import Renderer

    return Renderer(load_project(ROOT)).environment("vi")[1]


@pytest.mark.parametrize(
    "date, expected",
    [
        (dt.date(2024, 4, 8), "ngày 08 tháng 4 năm 2024"),
        (dt.date(2024, 2, 20), "ngày 20 tháng 02 năm 2024"),
        (dt.date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
        (dt.date(2024, 11, 25), "ngày 25 tháng 11 năm 2024"),
        (dt.date(2024, 3, 10), "ngày 10 tháng 3 năm 2024"),
    ],
)
def test_document_dates_take_the_prescribed_zeros(vi_filters, date, expected):
    assert vi_filters.document_date(date) == expected
    assert vi_filters.place_date("Ninh Bình", date) == f"Ninh Bình, {expected}"


@pytest.mark.parametrize(
    "system, number, expected",
    [
        ("state", 5, "05/BC-TTr"),
        ("state", 11, "11/BC-TTr"),
        ("party", 1, "01-BC/TU"),
        ("party", 100, "100-BC/TU"),
    ],
)
def test_number_and_symbol_per_system(vi_filters, system, number, expected):
    from reporting.source.model import DocumentFormat

    code = "TTr" if system == "state" else "TU"
    doc = DocumentFormat.model_validate(
        {
            "system": system,
            "body": {"name": {"vi": "X", "ar": "س"}, "code": code},
            "kind": {"vi": "Báo cáo", "ar": "تقرير"},
            "kind_code": "BC",
            "number": number,
        }
    )
    assert vi_filters.document_number(doc) == expected


@pytest.mark.parametrize(
    "position, unit, expected",
    [
        ("Chủ tịch UBND xã", "Xã Gia Sinh, huyện Gia Viễn", "Chủ tịch UBND xã Gia Sinh, huyện Gia Viễn"),
        ("Phó Chánh Thanh tra tỉnh", "Thanh tra tỉnh", "Phó Chánh Thanh tra tỉnh"),
        ("Phó Trưởng Ban", "Ban Tiếp công dân tỉnh", "Phó Trưởng Ban Tiếp công dân tỉnh"),
        ("Chánh Thanh tra tỉnh", "Tỉnh ủy Ninh Bình", "Chánh Thanh tra tỉnh, Tỉnh ủy Ninh Bình"),
        ("Trưởng phòng", "Ban Nội chính Tỉnh ủy", "Trưởng phòng, Ban Nội chính Tỉnh ủy"),
    ],
)
def test_position_and_unit_without_doubled_words(vi_filters, position, unit, expected):
    from reporting.source.model import Localized

    class Awardee:
        pass

    awardee = Awardee()
    awardee.position = Localized({"vi": position, "ar": "م"})
    awardee.unit = Localized({"vi": unit, "ar": "و"})
    assert vi_filters.position_unit(awardee) == expected


# -- Arabic typography ---------------------------------------------------------------


def test_arabic_docx_has_no_italic_and_no_letter_spacing(built):
    for path in [
        built / D35 / "ar" / "report.docx",
        built / D35 / "ar" / "awardees.docx",
        *sorted((built / D35 / "ar" / "certificates").glob("*.docx"))[:2],
    ]:
        styles = docx_xml(path, "word/styles.xml")
        body = docx_xml(path)
        used = {p.get(f"{W}val") for p in body.iter(f"{W}pStyle")}
        assert {"PlaceDate", "AnnexLine", "Citation", "SignerTitle"} & used, path
        slanted = [
            s.get(f"{W}styleId")
            for s in styles.iter(f"{W}style")
            if s.get(f"{W}styleId") in used
            and s.find(f"{W}rPr/{W}i") is not None
            and s.find(f"{W}rPr/{W}i").get(f"{W}val") != "0"
        ]
        assert slanted == [], (path, slanted)
        spaced = [
            s.get(f"{W}styleId")
            for s in styles.iter(f"{W}style")
            if s.get(f"{W}styleId") in used and s.find(f"{W}rPr/{W}spacing") is not None
        ]
        assert spaced == [], (path, spaced)
        assert not [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None], path


def test_arabic_percent_sign_on_one_side_in_text_and_table(built):
    """Every percentage of the Arabic report is isolated left to right, so "10%" reads the same in the
    sentence and in the key-figures table."""
    text = pdf_text(built / D35 / "ar" / "report.pdf", raw=True)
    found = re.findall(r"%[0-9]+(?:\.[0-9])?|[0-9]+(?:\.[0-9])?%", text)
    assert len(found) >= 6 and all(item.endswith("%") for item in found), found


def test_a_number_without_its_kind_code_is_refused_at_its_line(tmp_path):
    from conftest import copy_project, run_cli

    project = copy_project(tmp_path)
    data = project / "data" / f"{Q1}.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("    kind_code: BC\n", ""), encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "check")
    lines = data.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "system: state")
    assert code == 1 and f"  {line}:5 documents.report: expected kind_code (e.g. BC) with a number, found none" in err


@pytest.mark.parametrize("locale", ("ar", "vi"))
def test_certificate_docx_keeps_to_one_page_in_libreoffice(built, tmp_path, locale):
    """The signature's 30 mm and the certificate's longest lines (i11: position, unit and citation) on one page."""
    (docx,) = (built / D35 / locale / "certificates").glob("21-i11-*.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    info = subprocess.run(["pdfinfo", str(tmp_path / docx.with_suffix(".pdf").name)], capture_output=True, text=True)
    assert re.search(r"Pages:\s+1\n", info.stdout), info.stdout
