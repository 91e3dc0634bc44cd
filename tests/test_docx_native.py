"""The DOCX of the reference data as Word and LibreOffice would take it for their own: compatibility
mode, properties, tables sized as the stylesheet says, no control characters, the fonts command."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import office
from conftest import run_cli
from reporting.config import PageGeometry
from reporting.writers import docx_parts, user_fonts
from reporting.writers.docx import DocxWriter, FontChoice
from textutil import shown_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "w": W[1:-1],
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
D35 = "directive-35-review"


def xml(path_or_bytes, name: str) -> etree._Element:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(source) as package:
        return etree.fromstring(package.read(name))


def all_docx(built: Path) -> list[Path]:
    return sorted(built.rglob("*.docx"))


def test_every_docx_is_word_2013_not_compatibility_mode(built):
    for path in all_docx(built):
        settings = xml(path, "word/settings.xml")
        compat = {s.get(f"{W}name"): s.get(f"{W}val") for s in settings.findall("w:compat/w:compatSetting", NS)}
        assert compat == dict(docx_parts.COMPATIBILITY), path
        assert settings.find("w:compat/w:useFELayout", NS) is None
        for stale in ("w:proofState", "w:rsids", "w:savePreviewPicture"):
            assert settings.find(stale, NS) is None, (path, stale)


@pytest.mark.parametrize(
    "locale, language, creator",
    [
        ("vi", "vi-VN", "Ban Thường vụ Tỉnh ủy Ninh Bình"),
        ("ar", "ar-SA", "اللجنة الدائمة للجنة الحزب في مقاطعة نينه بينه"),
    ],
)
def test_properties_come_from_the_data(built, locale, language, creator):
    report = built / D35 / locale / "report.docx"
    core = xml(report, "docProps/core.xml")
    text = {etree.QName(node).localname: node.text for node in core}
    assert text["creator"] == creator and text["language"] == language
    assert text["created"] == text["modified"] == "2024-08-20T00:00:00Z"  # the meeting's date, not the clock
    assert text["title"] and text["subject"] and text["title"].startswith(text["subject"][:10])
    app = xml(report, "docProps/app.xml")
    application = app.find("ep:Application", NS).text
    assert re.fullmatch(r"reporting \d+\.\d+\.\d+", application) and "Microsoft" not in application
    assert app.find("ep:Company", NS).text == creator
    assert app.find("ep:Pages", NS) is None  # no stale counts
    certificate = next((built / D35 / locale / "certificates").glob("*.docx"))
    assert {etree.QName(n).localname: n.text for n in xml(certificate, "docProps/core.xml")}["created"].startswith(
        "2024-"
    )


def test_long_titles_are_cut_to_the_core_property_limit():
    title = "Hội nghị " + "rất dài " * 60
    html = (
        f'<!DOCTYPE html><html lang="vi" dir="ltr"><head><title>{title}</title>'
        f'<meta name="author" content="{title}"><meta name="dcterms.created" content="2024-08-20"></head>'
        "<body><p>x</p></body></html>"
    )
    data = DocxWriter(FontChoice(size_pt=13), base_dir=TEMPLATES).write(html, PageGeometry())
    core = {etree.QName(n).localname: n.text for n in xml(data, "docProps/core.xml")}
    assert len(core["title"]) <= 255 and core["title"].endswith("…") and core["title"].startswith("Hội nghị rất")
    assert len(core["creator"]) <= 255 and core["created"] == "2024-08-20T00:00:00Z"


def test_no_embedding_controls_in_any_text(built):
    """Latin fragments in Arabic are left-to-right runs; controls ended up in copy-paste and converters."""
    for path in all_docx(built):
        texts = "".join(t.text or "" for t in xml(path, "word/document.xml").iter(f"{W}t"))
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", texts), path
    body = xml(built / D35 / "ar" / "report.docx", "word/document.xml")
    codes = [r for r in body.iter(f"{W}r") if "35-CT/TW" in shown_text(r)]  # kept on one line: w:noBreakHyphen
    assert codes and all(r.find("w:rPr/w:rtl", NS).get(f"{W}val") == "0" for r in codes)


def test_tables_take_their_geometry_from_the_stylesheet(built):
    body = xml(built / D35 / "vi" / "report.docx", "word/document.xml")
    heading, figures = body.findall(".//w:tbl", NS)[:2]
    left, right = (int(col.get(f"{W}w")) for col in heading.findall("w:tblGrid/w:gridCol", NS))
    assert round(left / (left + right), 2) == 0.40  # report.css: td:first-child { width: 40% }
    for table in body.iter(f"{W}tbl"):  # rows are never split across pages, as in the PDF
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in table.findall("w:tr", NS))
    assert figures.find("w:tr/w:trPr/w:tblHeader", NS) is not None  # repeated on each page
    number, indicator, result = (int(col.get(f"{W}w")) for col in figures.findall("w:tblGrid/w:gridCol", NS))
    # "99,2% (624/629)" in 13 pt Tinos is about 34 mm; its column fits it, the indicator takes the rest
    assert 1700 < result < 2600 and number < 900 and indicator > 5000
    names = xml(built / D35 / "vi" / "awardees.docx", "word/document.xml").findall(".//w:tbl", NS)[-1]
    rows = [tr for tr in names.findall("w:tr", NS) if tr.find("w:trPr/w:tblHeader", NS) is None]
    for tr in rows:  # report.css: table.awardees td:nth-child(2) { white-space: nowrap }
        assert tr.findall("w:tc", NS)[1].find("w:tcPr/w:noWrap", NS) is not None


def _libreoffice(docx: Path, folder: Path, *convert: str) -> Path:
    """``docx`` converted by LibreOffice on a machine where `fonts install` was run (fonts in ``folder``)."""
    environment = dict(os.environ, XDG_DATA_HOME=str(folder / "share"))
    user_fonts.install(TEMPLATES / "fonts", folder / "share" / "fonts" / "reporting", platform="linux")
    subprocess.run(["fc-cache", str(folder / "share" / "fonts")], env=environment, check=True, capture_output=True)
    (converted,) = office.convert(
        [docx], folder / "out", convert[0], env=environment, timeout=240, profile=folder / "profile"
    )
    return converted


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("fc-cache") is None, reason="needs LibreOffice and fontconfig"
)
@pytest.mark.parametrize("event, locale", [("inspectorate-2024-q1", "vi"), (D35, "vi"), (D35, "ar")])
def test_libreoffice_lays_the_report_out_as_the_pdf_after_fonts_install(built, tmp_path, event, locale):
    """Same page count, the same lines on each page within one (Vietnamese: Times New Roman drawn in
    Tinos, the PDF's face), the heading's national name on one line as in the PDF."""
    shutil.copy(built / event / locale / "report.docx", tmp_path / "report.docx")
    pages = _pdf_pages(_libreoffice(tmp_path / "report.docx", tmp_path, "pdf"))
    printed = _pdf_pages(built / event / locale / "report.pdf")
    if locale == "vi":
        national = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        assert (national in pages[0]) == (national in printed[0])  # a State document's heading, on one line
        assert len(pages) == len(printed)
        counts = [
            [sum(1 for line in page.splitlines() if line.strip()) for page in document] for document in (pages, printed)
        ]
        assert all(abs(a - b) <= 1 for a, b in zip(counts[0][:-1], counts[1][:-1], strict=True)), counts  # full pages
        # the last page ends with the two-column closing (recipients, signature): text lines side by
        # side are counted as pdftotext pairs them
        assert abs(counts[0][-1] - counts[1][-1]) <= 2, counts
    else:  # Amiri's lines: within a page of the PDF (LibreOffice pads table rows less)
        assert abs(len(pages) - len(printed)) <= 1


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("fc-cache") is None, reason="needs LibreOffice and fontconfig"
)
@pytest.mark.parametrize("locale", ["vi", "ar"])
def test_a_libreoffice_resave_keeps_fonts_and_pages_after_fonts_install(built, tmp_path, locale):
    source = tmp_path / "in" / "report.docx"
    source.parent.mkdir()
    shutil.copy(built / D35 / locale / "report.docx", source)
    saved = _libreoffice(source, tmp_path / "a", "docx:MS Word 2007 XML")
    again = _libreoffice(saved, tmp_path / "b", "pdf")
    first = _libreoffice(source, tmp_path / "c", "pdf")
    fonts = subprocess.run(["pdffonts", str(again)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" not in fonts and ("Amiri" in fonts if locale == "ar" else "Tinos" in fonts)
    assert len(_pdf_pages(again)) == len(_pdf_pages(first))


@pytest.mark.slow
def test_fonts_install_copies_the_shipped_fonts_once_and_touches_nothing_else(tmp_path):
    target = tmp_path / "fonts"
    (target / "amiri").mkdir(parents=True)
    mine = target / "amiri" / "mine.txt"
    mine.write_text("not ours")
    first = user_fonts.install(TEMPLATES / "fonts", target, platform="linux")
    shipped = {path.name for files in user_fonts.shipped_fonts(TEMPLATES / "fonts").values() for path in files}
    assert {path.name for path in first.written} == shipped and {"Amiri-Regular.ttf", "Tinos-Bold.ttf"} <= shipped
    assert (target / "tinos" / "OFL.txt").is_file() and mine.read_text() == "not ours"
    assert (target / "tinos" / "Tinos-Regular.ttf").read_bytes() == (
        TEMPLATES / "fonts/tinos/Tinos-Regular.ttf"
    ).read_bytes()
    again = user_fonts.install(TEMPLATES / "fonts", target, platform="linux")
    assert not again.written and len(again.unchanged) == len(first.written)
    assert all(current for _, current in user_fonts.status(TEMPLATES / "fonts", target, platform="linux"))


def test_the_user_font_folder_per_system():
    env = {"HOME": "/home/lan", "LOCALAPPDATA": r"C:\Users\lan\AppData\Local"}
    assert user_fonts.user_font_folder("linux", env) == Path("/home/lan/.local/share/fonts/reporting")
    assert user_fonts.user_font_folder("linux", {**env, "XDG_DATA_HOME": "/x"}) == Path("/x/fonts/reporting")
    assert user_fonts.user_font_folder("darwin", env) == Path("/home/lan/Library/Fonts/reporting")
    assert user_fonts.user_font_folder("win32", env) == Path(r"C:\Users\lan\AppData\Local") / "Microsoft/Windows/Fonts"


@pytest.mark.slow
def test_fonts_command_says_what_it_did(tmp_path):
    code, out, err = run_cli("--project", str(TEMPLATES.parent), "fonts", "install", "--to", str(tmp_path / "f"))
    assert code == 0, err
    assert re.search(r"installed amiri, .*tinos in .*: \d+ files written, 0 already there", out)
    assert "amiri: installed" in out and "tinos: installed" in out
    code, out, _ = run_cli("--project", str(TEMPLATES.parent), "fonts", "status", "--to", str(tmp_path / "elsewhere"))
    assert code == 0 and "tinos: not installed" in out


def test_every_docx_output_is_schema_valid(built):
    audit = pytest.importorskip("openxml_audit")
    for path in all_docx(built):
        result = audit.OpenXmlValidator(max_errors=0).validate(str(path))
        assert not [str(e) for e in result.errors if e.error_type == audit.ValidationErrorType.SCHEMA], path
