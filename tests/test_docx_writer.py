"""DocxWriter: the HTML subset becomes WordprocessingML that is right-to-left where it must be."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import time
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree
from PIL import Image

import office
from reporting.config import PageGeometry
from reporting.errors import RenderError
from reporting.writers import ooxml
from reporting.writers.docx import BIDI_CONTROLS, DocxWriter, FontChoice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}

AR_SENTENCE = "ترأس الاجتماع الرفيق فو جيا لونغ"
VI_SENTENCE = "Hội nghị sơ kết công tác thanh tra quý I năm 2024"

AR_BODY = f"""
<table class="layout"><tr><td class="center">اللجنة المركزية<br><strong>مكتب التفتيش</strong></td>
<td class="center"><em>هانوي، 5 أبريل 2024</em></td></tr></table>
<h1 class="title">تقرير الاجتماع الفصلي</h1>
<h2>الرئاسة والمشاركون</h2>
<p>{AR_SENTENCE}، رئيس المكتب. وصدر القرار رقم <bdi>35-CT/TW</bdi>
   وعولج <bdi>624/629</bdi> من الملفات.</p>
<p class="keep">حضر الاجتماع:</p>
<ol>
<li><span class="marker">1.</span> <strong>نغوين فان آن</strong>، نائب رئيس المكتب</li>
<li><span class="marker">2.</span> تران ثي بينه</li>
</ol>
<table>
<thead><tr><th class="num">الرقم</th><th>المؤشر</th><th class="num">النتيجة</th></tr></thead>
<tbody>
<tr><td class="num">1</td><td>عدد عمليات التفتيش</td><td class="num">45</td></tr>
<tr><td colspan="2">المجموع</td><td class="num">576,000,000</td></tr>
</tbody></table>
<p class="end"><em>المقرر: فام فان دوك</em></p>
<div class="signature"><p><strong>رئيس المكتب</strong></p><p>فو جيا لونغ</p></div>
"""

VI_BODY = f"""
<h1 class="title">{VI_SENTENCE}</h1>
<p class="justify">{VI_SENTENCE} do đồng chí Vũ Gia Long chủ trì.
Thực hiện Chỉ thị số <bdi>35-CT/TW</bdi>, đã xử lý <bdi>624/629</bdi> hồ sơ.</p>
<ul><li><span class="marker">-</span> <strong>Nguyễn Văn An</strong>, Phó Chánh Văn phòng</li></ul>
<table><tr><th>STT</th><th>Chỉ tiêu</th></tr><tr><td class="num">1</td><td>Số cuộc thanh tra</td></tr></table>
"""


def page(body: str, lang: str = "ar", title: str = "تقرير") -> str:
    direction = "rtl" if lang == "ar" else "ltr"
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>p {{}}</style></head><body>{body}</body></html>"
    )


def write(html: str, geometry: PageGeometry = PageGeometry(), **kwargs) -> bytes:
    return DocxWriter(FontChoice(size_pt=14)).write(html, geometry, **kwargs)


def part(data: bytes, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def body_of(html: str, **kwargs) -> etree._Element:
    return part(write(html, **kwargs)).find("w:body", NS)


def paragraphs(body: etree._Element) -> list[etree._Element]:
    return body.findall(".//w:p", NS)


def runs(body: etree._Element) -> list[etree._Element]:
    return body.findall(".//w:r", NS)


def run_text(run: etree._Element) -> str:
    return "".join(run.itertext())


def paragraph_text(p: etree._Element) -> str:
    """The paragraph's text as a reader sees it: tabs and line breaks read as spaces."""
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(node.text or "" if node.tag == f"{W}t" else " ")
    return "".join(out)


def squeeze(text: str) -> str:
    """Text without white space or bidi controls: what both formats must agree on."""
    return re.sub(r"\s+", "", text.translate({ord(c): None for c in BIDI_CONTROLS}))


def in_schema_order(parent: etree._Element, order: dict[str, int]) -> bool:
    ranks = [order[child.tag] for child in parent if child.tag in order]
    return ranks == sorted(ranks)


# -- direction --------------------------------------------------------------


def test_every_paragraph_of_a_right_to_left_document_is_bidi():
    body = body_of(page(AR_BODY))
    found = paragraphs(body)
    assert len(found) >= 12
    for p in found:
        pPr = p.find("w:pPr", NS)
        assert pPr is not None and pPr.find("w:bidi", NS) is not None, etree.tostring(p, encoding=str)
        assert in_schema_order(pPr, ooxml.PPR_ORDER)  # w:bidi before w:spacing, w:ind, w:jc
    assert body.find("w:sectPr/w:bidi", NS) is not None


def test_runs_of_a_right_to_left_document_are_rtl_and_leave_fonts_and_sizes_to_the_styles():
    body = body_of(page(AR_BODY))
    for run in runs(body):
        rPr = run.find("w:rPr", NS)
        rtl = rPr.find("w:rtl", NS) if rPr is not None else None
        is_ltr_bdi = rtl is not None and rtl.get(f"{W}val") == "0"
        # A left-to-right <bdi> is explicitly not w:rtl: Word would turn "/" and "-" right-to-left.
        assert rtl is not None, run_text(run)
        if rPr is not None:
            # fonts and the size of the paragraph's style are the style's, not the run's; the
            # language too, except a Latin fragment's own
            lang = rPr.find("w:lang", NS)
            assert rPr.find("w:rFonts", NS) is None
            assert (lang.get(f"{W}val") if lang is not None else None) == ("vi-VN" if is_ltr_bdi else None)
            assert rPr.find("w:sz", NS) is None and rPr.find("w:szCs", NS) is None
            assert in_schema_order(rPr, ooxml.RPR_ORDER)


def test_bold_covers_complex_script_text_and_italic_never_slants_it():
    body = body_of(page("<p><strong>عريض</strong> <em>مائل</em></p>"))
    bold, _, italic = (run.find("w:rPr", NS) for run in runs(body))
    assert bold.find("w:b", NS) is not None and bold.find("w:bCs", NS) is not None
    # w:i slants Latin text only; w:iCs would slant Amiri synthetically (it has no italic)
    assert italic.find("w:i", NS) is not None and italic.find("w:iCs", NS) is None
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(write(page("<p>x</p>")))).read("word/styles.xml"))
    assert not styles.findall(".//w:iCs", NS)


def test_tables_of_a_right_to_left_document_are_bidi_visual_and_full_width():
    body = body_of(page(AR_BODY))
    tables = body.findall("w:tbl", NS)
    assert len(tables) == 2
    for table in tables:
        tblPr = table.find("w:tblPr", NS)
        assert tblPr.find("w:bidiVisual", NS) is not None
        width = tblPr.find("w:tblW", NS)
        assert (width.get(f"{W}type"), width.get(f"{W}w")) == ("pct", "5000")
        assert in_schema_order(tblPr, ooxml.TBLPR_ORDER)
    layout, grid = (t.find("w:tblPr/w:tblStyle", NS).get(f"{W}val") for t in tables)
    assert (layout, grid) == ("LayoutTable", "ReportTable")  # class="layout": the style without rules
    looks = [t.find("w:tblPr/w:tblLook", NS).get(f"{W}firstRow") for t in tables]
    assert looks == ["0", "1"]  # the <thead> row is the style's header row


def test_a_vietnamese_document_has_no_right_to_left_markup():
    xml = etree.tostring(body_of(page(VI_BODY, lang="vi")), encoding=str)
    for tag in ("w:bidi", "w:rtl", "w:bidiVisual"):
        assert f"<{tag}" not in xml and f"<{tag} " not in xml
    body = body_of(page(VI_BODY, lang="vi"))
    assert not body.findall(".//w:rPr/w:lang", NS)  # the language is the Normal style's
    assert "\u200e" not in xml  # a <bdi> in its own direction needs no mark


def test_left_to_right_bdi_in_arabic_is_a_left_to_right_run_without_embedding_controls():
    body = body_of(page("<p>القرار <bdi>35-CT/TW</bdi> الصادر <bdi>Nguyễn Văn A</bdi></p>"))
    texts = [run_text(run) for run in runs(body)]
    # Only a fragment starting with digits gets a mark (LibreOffice reads no run direction)
    assert texts == ["القرار ", "\u200e35-CT/TW", " الصادر ", "Nguyễn Văn A"]
    xml = etree.tostring(body, encoding=str)
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", xml)
    for run in runs(body)[1::2]:
        assert run.find("w:rPr/w:rtl", NS).get(f"{W}val") == "0"
        assert run.find("w:rPr/w:lang", NS).get(f"{W}val") == "vi-VN"


def test_bdi_dir_is_honoured():
    # reporting.bidi writes <bdi dir="ltr">; "2014" alone has no strong character either way
    body = body_of(page('<p>الفترة <bdi dir="ltr">2014-2024</bdi> <bdi dir="rtl">أ</bdi></p>'))
    assert [run_text(run) for run in runs(body)] == ["الفترة ", "\u200e2014-2024", " أ"]
    with pytest.raises(RenderError, match="sideways"):
        write(page('<p><bdi dir="sideways">x</bdi></p>'))


def test_bdi_may_hold_only_text():
    with pytest.raises(RenderError, match="bdi"):
        write(page("<p><bdi><b>35</b></bdi></p>"))


# -- alignment and block classes --------------------------------------------


def jc_of(p: etree._Element) -> str | None:
    jc = p.find("w:pPr/w:jc", NS)
    return None if jc is None else jc.get(f"{W}val")


@pytest.mark.parametrize("lang", ["ar", "vi"])
def test_alignment_classes_are_logical(lang):
    # In a w:bidi paragraph Word and LibreOffice read "left" as the start side,
    # so the same values serve both directions (checked by rendering).
    html = page(
        "<p>a</p><p class='start'>b</p><p class='center'>c</p><p class='end'>d</p><p class='justify'>e</p>", lang=lang
    )
    assert [jc_of(p) for p in paragraphs(body_of(html))] == [None, "left", "center", "right", "both"]


def test_awardee_signature_keep_and_hr():
    html = page(
        "<p class='keep'>حضر</p><p class='awardee'>نغوين فان آن</p><hr>"
        "<div class='signature'><p>رئيس</p><p>فو</p></div>"
    )
    keep, awardee, rule, sign1, sign2 = paragraphs(body_of(html))
    assert keep.find("w:pPr/w:keepNext", NS) is not None
    assert awardee.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "AwardeeName"
    assert jc_of(awardee) is None  # centred, large and bold by its style
    assert [child.tag for child in awardee.find("w:r/w:rPr", NS)] == [f"{W}rtl"]
    assert rule.find("w:pPr/w:pBdr/w:bottom", NS) is not None and not rule.findall("w:r", NS)
    assert jc_of(sign1) == jc_of(sign2) == "right"  # the end side
    assert int(sign1.find("w:pPr/w:spacing", NS).get(f"{W}before")) > 0
    assert sign2.find("w:pPr/w:spacing", NS) is None


def test_size_classes_on_spans_and_blocks():
    body = body_of(page("<p class='small'>a <span class='large'>b</span> <span class='xlarge'>c</span></p>"))
    sizes = [run.find("w:rPr/w:szCs", NS).get(f"{W}val") for run in runs(body)]
    assert sizes == ["22", "32", "22", "52"]


# -- styles -----------------------------------------------------------------


def test_headings_use_word_styles():
    body = body_of(page("<h1 class='title'>ع</h1><h1>ع</h1><h2>ع</h2><h3>ع</h3><p>ع</p>"))
    styles = [p.find("w:pPr/w:pStyle", NS) for p in paragraphs(body)]
    # the title is Heading 1 (outline level 1: navigation pane, pandoc, mammoth), centred by its style
    assert [s.get(f"{W}val") if s is not None else None for s in styles] == [
        "Heading1",
        "Heading1",
        "Heading2",
        "Heading3",
        None,
    ]
    title, plain = paragraphs(body)[:2]
    assert title.find("w:pPr/w:jc", NS) is None and plain.find("w:pPr/w:jc", NS).get(f"{W}val") == "left"
    definitions = part(write(page("<p>ع</p>")), "word/styles.xml")
    levels = [
        definitions.find(f"w:style[@w:styleId='Heading{n}']/w:pPr/w:outlineLvl", NS).get(f"{W}val") for n in (1, 2, 3)
    ]
    names = [definitions.find(f"w:style[@w:styleId='Heading{n}']/w:name", NS).get(f"{W}val") for n in (1, 2, 3)]
    assert levels == ["0", "1", "2"] and names == ["heading 1", "heading 2", "heading 3"]


def test_styles_name_our_fonts_instead_of_theme_fonts():
    styles = part(write(page("<p>ع</p>")), "word/styles.xml")
    normal = styles.find("w:style[@w:styleId='Normal']/w:rPr/w:rFonts", NS)
    assert (normal.get(f"{W}ascii"), normal.get(f"{W}hAnsi"), normal.get(f"{W}cs")) == ("Times New Roman",) * 2 + (
        "Amiri",
    )
    assert not any("Theme" in name or "theme" in name for name in normal.attrib)
    for style_id in ("Heading1", "Heading2", "Heading3"):
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert style.find("w:basedOn", NS).get(f"{W}val") == "Normal"  # the fonts come from Normal
        rPr = style.find("w:rPr", NS)
        assert rPr.find("w:rFonts", NS) is None and rPr.find("w:color", NS) is None  # no theme fonts or blue
        assert rPr.find("w:sz", NS) is not None and rPr.find("w:szCs", NS) is not None
        assert rPr.find("w:b", NS) is not None and rPr.find("w:bCs", NS) is not None
        assert in_schema_order(rPr, ooxml.RPR_ORDER)
    spacing = styles.find("w:style[@w:styleId='Normal']/w:pPr/w:spacing", NS)
    # CSS line-height 1.45 x 14 pt, every line: "auto" or "at least" let Amiri's own tall line win
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("406", "exact")
    normal = styles.find("w:style[@w:styleId='Normal']/w:rPr", NS)
    assert normal.find("w:sz", NS).get(f"{W}val") == "28"
    assert normal.find("w:lang", NS).get(f"{W}bidi") == "ar-SA"


# -- page geometry and sections ---------------------------------------------


def test_landscape_geometry():
    geometry = PageGeometry(size="A4", orientation="landscape", margins_mm=(15, 15, 15, 15))
    sectPr = body_of(page("<p>ع</p>"), geometry=geometry).find("w:sectPr", NS)
    size = sectPr.find("w:pgSz", NS)
    assert size.get(f"{W}orient") == "landscape"
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (16838, 11906)
    assert sectPr.find("w:pgMar", NS).get(f"{W}top") == "850"
    assert in_schema_order(sectPr, ooxml.SECTPR_ORDER)


def test_portrait_margins_are_physical():
    geometry = PageGeometry(margins_mm=(20, 20, 20, 30))
    sectPr = body_of(page("<p>ع</p>"), geometry=geometry).find("w:sectPr", NS)
    size, margins = sectPr.find("w:pgSz", NS), sectPr.find("w:pgMar", NS)
    assert int(size.get(f"{W}w")) < int(size.get(f"{W}h"))
    assert (margins.get(f"{W}left"), margins.get(f"{W}right")) == ("1701", "1134")


def test_each_page_section_after_the_first_starts_a_page():
    html = page(
        "<section class='page'><p>أ</p></section><section class='page'><p>ب</p><p>ج</p></section>"
        "<section class='page'><table><tr><td>د</td></tr></table></section>"
    )
    body = body_of(html)
    breaks = [p.find("w:pPr/w:pageBreakBefore", NS) is not None for p in body.findall("w:p", NS)]
    # the third section starts with a table: an empty paragraph carries its page break
    assert breaks == [False, True, False, True]
    assert body.findall("w:p", NS)[-1].find("w:r", NS) is None


# -- lists and tables -------------------------------------------------------


def test_ordered_lists_are_numbered_by_word_not_by_marker_text():
    data = write(page(AR_BODY + AR_BODY))
    body = part(data).find("w:body", NS)
    items = [p for p in paragraphs(body) if p.find("w:pPr/w:pStyle[@w:val='ListNumber']", NS) is not None]
    assert len(items) == 4
    assert paragraph_text(items[0]) == "نغوين فان آن، نائب رئيس المكتب"  # the marker is Word's number
    num_ids = [p.find("w:pPr/w:numPr/w:numId", NS).get(f"{W}val") for p in items]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]  # each <ol> its own list
    numbering = part(data, "word/numbering.xml")
    for num_id in (num_ids[0], num_ids[2]):
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert num.find("w:lvlOverride/w:startOverride", NS).get(f"{W}val") == "1"  # restarts at 1
        abstract = numbering.find(
            f"w:abstractNum[@w:abstractNumId='{num.find('w:abstractNumId', NS).get(f'{W}val')}']", NS
        )
        lvl = abstract.find("w:lvl", NS)
        assert (lvl.find("w:numFmt", NS).get(f"{W}val"), lvl.find("w:lvlText", NS).get(f"{W}val")) == ("decimal", "%1.")
        indent = lvl.find("w:pPr/w:ind", NS)
        assert indent.get(f"{W}left") == indent.get(f"{W}hanging") == str(round(1.6 * 14 * 20))
    style = part(data, "word/styles.xml").find("w:style[@w:styleId='ListNumber']", NS)
    assert style.find("w:pPr/w:numPr/w:numId", NS).get(f"{W}val") == "1"  # new items typed in Word are numbered


def test_arabic_indic_lists_use_hindi_numbers_and_markers_must_match():
    html = page('<ol><li><span class="marker">١.</span> أ</li><li><span class="marker">٢.</span> ب</li></ol>')
    data = DocxWriter(FontChoice(size_pt=14)).write(
        html.replace('dir="rtl"', 'dir="rtl" data-digits="arab"'), PageGeometry()
    )
    assert part(data, "word/numbering.xml").find(".//w:abstractNum/w:lvl/w:numFmt", NS).get(f"{W}val") == "hindiNumbers"
    with pytest.raises(RenderError, match="markers"):
        write(page('<ol><li><span class="marker">1.</span> أ</li><li><span class="marker">3.</span> ب</li></ol>'))


def test_bullet_lists_take_the_marker_as_their_bullet():
    data = write(page(VI_BODY, lang="vi"))
    (item,) = [
        p
        for p in paragraphs(part(data).find("w:body", NS))
        if p.find("w:pPr/w:pStyle[@w:val='ListBullet']", NS) is not None
    ]
    num_id = item.find("w:pPr/w:numPr/w:numId", NS).get(f"{W}val")
    numbering = part(data, "word/numbering.xml")
    abstract_id = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(f"{W}val")
    lvl = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl", NS)
    assert (lvl.find("w:numFmt", NS).get(f"{W}val"), lvl.find("w:lvlText", NS).get(f"{W}val")) == ("bullet", "-")
    assert paragraph_text(item) == "Nguyễn Văn An, Phó Chánh Văn phòng"


def test_colspan_merges_cells_and_th_is_bold():
    body = body_of(page(AR_BODY))
    table = body.findall("w:tbl", NS)[1]
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == 3
    head, _, total = table.findall("w:tr", NS)
    assert head.find("w:trPr/w:tblHeader", NS) is not None
    # bold by the Table Header style (and the table style's header row), not by the runs
    assert {p.find("w:pPr/w:pStyle", NS).get(f"{W}val") for p in head.findall(".//w:p", NS)} == {"TableHeader"}
    assert all(r.find("w:rPr/w:b", NS) is None for r in head.findall(".//w:r", NS))
    merged, last = total.findall("w:tc", NS)
    assert merged.find("w:tcPr/w:gridSpan", NS).get(f"{W}val") == "2"
    assert jc_of(last.find("w:p", NS)) == "right"  # class="num": the end side
    grid = [int(c.get(f"{W}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    assert int(merged.find("w:tcPr/w:tcW", NS).get(f"{W}w")) == grid[0] + grid[1]
    assert grid[0] < grid[1]  # the number column is the narrow one


def test_empty_and_missing_cells_still_hold_a_bidi_paragraph():
    body = body_of(page("<table><tr><td>أ</td><td></td></tr><tr><td>ب</td></tr></table>"))
    cells = body.findall(".//w:tc", NS)
    assert len(cells) == 4
    for cell in cells:
        assert [p.find("w:pPr/w:bidi", NS) is not None for p in cell.findall("w:p", NS)] == [True]


# -- inline content and text ------------------------------------------------


def test_white_space_collapses_as_in_html():
    body = body_of(page("<p>\n  a \n\t <b> b </b>  c <br>\n d  </p>", lang="vi"))
    pieces = [run_text(r) if r.find("w:br", NS) is None else "<br>" for r in runs(body)]
    assert pieces == ["a ", "b ", "c", "<br>", "d"]
    assert body.find(".//w:t", NS).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_loose_inline_content_becomes_a_paragraph():
    body = body_of(page("<div>أ <b>ب</b></div><div><p>ج</p>د</div>"))
    assert [paragraph_text(p) for p in paragraphs(body)] == ["أ ب", "ج", "د"]


@pytest.mark.parametrize("lang, body", [("ar", AR_BODY), ("vi", VI_BODY)])
def test_document_text_is_the_html_text(lang, body):
    html = page(body, lang=lang, title="T")
    document = body_of(html)
    docx_text = " ".join(paragraph_text(p) for p in paragraphs(document))
    html_text = re.sub(r'<span class="marker">[^<]*</span>', " ", body)  # list numbers are Word's
    html_text = re.sub(r"<[^>]+>", " ", html_text)
    assert squeeze(docx_text) == squeeze(html_text)
    assert AR_SENTENCE in docx_text or VI_SENTENCE in docx_text


# -- refusals ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body, named",
    [
        ("<video>x</video>", "<video>"),
        ("<p>a <sup>2</sup></p>", "<sup>"),
        ("<p class='sparkle'>a</p>", '"sparkle"'),
        ("<p><span class='marker'>1.</span> a</p>", "marker"),
        ("<ol><li>a <p>b</p></li></ol>", "<p>"),
        ("<table><tr><td rowspan='2'>a</td></tr></table>", "rowspan"),
        ("<p style='color: red'>a</p>", "style"),
        ("<div dir='ltr'>a</div>", "dir"),
        ("<table><caption>c</caption><tr><td>a</td></tr></table>", "<caption>"),
        ("<table><tr><td><table><tr><td>a</td></tr></table></td></tr></table>", "<table>"),
        ("<p>a<svg><circle/></svg></p>", "svg"),
    ],
)
def test_anything_outside_the_subset_is_refused_by_name(body, named):
    with pytest.raises(RenderError) as caught:
        write(page(body))
    assert named in str(caught.value)


# -- images -----------------------------------------------------------------

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMBLEM = '<img class="emblem" src="assets/x.png" alt="Emblem" width="22mm" height="22mm">'


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def templates(tmp_path):
    """A templates folder holding assets/x.png, next to a file it must not reach."""
    folder = tmp_path / "templates"
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "x.png").write_bytes(png_bytes())
    (tmp_path / "outside.png").write_bytes(png_bytes())
    return folder


def write_in(base_dir, html: str) -> bytes:
    return DocxWriter(FontChoice(size_pt=14), base_dir=base_dir).write(html, PageGeometry())


def test_an_image_has_its_size_in_mm_and_its_alt_text(templates):
    data = write_in(templates, page(f'<p class="center">{EMBLEM}</p>'))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
    assert media == ["word/media/image1.png"]
    body = part(data).find("w:body", NS)
    extent = body.find(f".//{WP}inline/{WP}extent")
    assert (extent.get("cx"), extent.get("cy")) == ("792000", "792000")  # 22 mm * 36000 EMU
    assert body.find(f".//{WP}docPr").get("descr") == "Emblem"


def test_a_paragraph_with_an_image_grows_to_hold_it(templates):
    """Lines are exactly 1.45 em, except where a picture is: "exact" would cut the emblem off."""
    body = part(write_in(templates, page(f"<p>{EMBLEM}</p><p>ع</p>"))).find("w:body", NS)
    with_image, plain = paragraphs(body)
    assert with_image.find("w:pPr/w:spacing", NS).get(f"{W}lineRule") == "atLeast"
    assert plain.find("w:pPr/w:spacing", NS) is None  # the style's exact lines


def test_an_image_in_a_right_to_left_paragraph_keeps_the_direction(templates):
    body = part(write_in(templates, page(f"<p>قبل {EMBLEM} بعد</p>"))).find("w:body", NS)
    (p,) = paragraphs(body)
    assert p.find("w:pPr/w:bidi", NS) is not None
    picture_run = next(r for r in runs(body) if r.find("w:drawing", NS) is not None)
    assert picture_run.find("w:rPr/w:rtl", NS) is not None
    assert paragraph_text(p) == "قبل  بعد"  # the spaces around the picture stay, as around a word


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div>{}</div>",
        "<table><tr><td>{}</td><th>{}</th></tr></table>",
        "<ul><li>{}</li></ul>",
        "<p><span class='small'>{}</span></p>",
    ],
)
def test_images_are_inline_wherever_inline_content_is(templates, wrapper):
    body = part(write_in(templates, page(wrapper.format(EMBLEM, EMBLEM)))).find("w:body", NS)
    inlines = body.findall(f".//{WP}inline")
    assert len(inlines) == wrapper.count("{}")
    ids = [i.find(f"{WP}docPr").get("id") for i in inlines]
    assert ids == [str(n) for n in range(1, len(ids) + 1)]  # unique, in document order


def test_a_data_uri_image_works_without_a_templates_folder():
    src = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    data = write(page(f'<p><img src="{src}" alt="مربع" width="10mm" height="5.5mm"></p>'))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "word/media/image1.png" in package.namelist()
    extent = part(data).find(f".//{WP}extent")
    assert (extent.get("cx"), extent.get("cy")) == ("360000", "198000")


def test_jpeg_images_work(templates):
    Image.new("RGB", (30, 20), (0, 90, 0)).save(templates / "assets" / "y.jpg", "JPEG")
    data = write_in(templates, page('<p><img src="assets/y.jpg" alt="j" width="30mm" height="20mm"></p>'))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "word/media/image1.jpg" in package.namelist()


def test_the_same_image_twice_is_stored_once_and_writes_are_byte_identical(templates):
    html = page(f"<p>{EMBLEM}</p>" + AR_BODY + f"<p>{EMBLEM}</p>")
    first = write_in(templates, html)
    assert first == write_in(templates, html)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert [n for n in package.namelist() if n.startswith("word/media/")] == ["word/media/image1.png"]


@pytest.mark.parametrize(
    "img, named",
    [
        ('src="{root}/assets/x.png"', 'src="{root}/assets/x.png"'),
        ('src="/assets/x.png"', 'src="/assets/x.png"'),
        ('src="file:///etc/hostname"', "file:///etc/hostname"),
        ('src="http://example.org/x.png"', "http://example.org/x.png"),
        ('src="//example.org/x.png"', "//example.org/x.png"),
        ('src="../outside.png"', "../outside.png"),
        ('src="assets/../../outside.png"', "assets/../../outside.png"),
        ('src="assets/missing.png"', "assets/missing.png"),
        ('src="assets"', 'src="assets"'),
        ('src="data:text/plain;base64,aGk="', "data:text/plain"),
        ('src="data:image/png;base64,@@@"', "base64"),
        ('src="data:image/png;base64,aGVsbG8="', "not an image"),
        ('src="assets/x.png" alt="Emblem" height="22mm"', "no width"),
        ('src="assets/x.png" alt="Emblem" width="22px" height="22mm"', 'width="22px"'),
        ('src="assets/x.png" alt="Emblem" width="22mm" height="0mm"', 'height="0mm"'),
        ('src="assets/x.png" width="22mm" height="22mm"', "alt"),
        ('src="assets/x.png" alt=" " width="22mm" height="22mm"', "alt"),
        ('src="assets/x.png" alt="E" width="22mm" height="22mm" class="sparkle"', '"sparkle"'),
    ],
)
def test_images_outside_the_subset_are_refused_by_src_or_attribute(templates, img, named):
    attributes = img.format(root=templates)
    if "alt" not in img and "width" not in img:
        attributes += ' alt="Emblem" width="22mm" height="22mm"'
    with pytest.raises(RenderError) as caught:
        write_in(templates, page(f"<p><img {attributes}></p>"))
    assert named.format(root=templates) in str(caught.value)


def test_file_images_need_a_templates_folder():
    with pytest.raises(RenderError, match="base_dir"):
        write(page(f"<p>{EMBLEM}</p>"))


# -- package ----------------------------------------------------------------


def test_two_writes_give_the_same_bytes_and_pinned_properties():
    html = page(AR_BODY, title="تقرير الاجتماع")
    first = write(html)
    assert first == write(html)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        infos = package.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
        assert "word/stylesWithEffects.xml" not in package.namelist()
    core = part(first, "docProps/core.xml")
    text = {etree.QName(node).localname: node.text for node in core}
    assert text["title"] == "تقرير الاجتماع"
    assert text["created"] == text["modified"] == text["lastPrinted"] == "2000-01-01T00:00:00Z"
    assert (text["creator"], text["lastModifiedBy"], text["description"], text["revision"]) == (None, None, None, "1")


def test_created_is_written_in_utc():
    created = datetime(2024, 4, 5, 9, 30, tzinfo=UTC)
    core = part(write(page("<p>ع</p>"), created=created), "docProps/core.xml")
    assert core.find("{http://purl.org/dc/terms/}created").text == "2024-04-05T09:30:00Z"


@pytest.mark.slow
def test_a_three_page_report_is_written_quickly():
    html = page(AR_BODY * 3)
    write(html)  # warm up imports and caches outside the measure
    best = min(_timed(lambda: write(html)) for _ in range(3))
    assert best < 0.25, f"{best * 1000:.0f} ms"  # about 25 ms here; the bound only catches regressions


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# -- LibreOffice ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_arabic_out_right_to_left_and_breaks_pages(tmp_path):
    html = page(
        f"<section class='page'><h2>العنوان</h2><p>{AR_SENTENCE} في هانوي.</p>"
        "<p>القرار <bdi>35-CT/TW</bdi> الصادر</p></section>"
        "<section class='page'><p>الصفحة الثانية</p></section>"
    )
    pdf = _libreoffice_pdf(write(html), tmp_path)
    text = _run("pdftotext", "-layout", pdf, "-")
    pages = text.rstrip("\f").split("\f")
    assert len(pages) == 2
    lines = [line.translate({ord(c): None for c in BIDI_CONTROLS}).strip() for line in pages[0].splitlines()]
    # logical order: the paragraph's first word comes first in its extracted line
    assert any(line.startswith(AR_SENTENCE.split()[0]) and "لونغ" in line for line in lines), lines
    words = _word_boxes(_run("pdftotext", "-bbox", pdf, "-"))
    width = words["page"]
    assert words["الثانية"][1] > 0.6 * width  # a paragraph without class sits on the right
    assert words["35-CT/TW"][1] < words["القرار"][0]  # the code reads after (left of) the word before it
    assert "CT/TW-35" not in words


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.xfail(
    strict=True,  # passing means LibreOffice now reads a run's direction: the mark can go (docx.DIRECTION_MARKS)
    reason="LibreOffice (7.4, 25.2 and 26.8 alike) lays out a paragraph by its characters alone: without the "
    "mark, digits after Arabic letters are Arabic numbers whatever the run says (w:rtl=0, w:lang, w:dir, "
    'w:bdo), and "35-CT/TW" shows as "CT/TW-35"',
)
def test_libreoffice_keeps_a_digit_leading_code_in_order_from_run_properties_alone(tmp_path):
    package = write(page("<p>القرار <bdi>35-CT/TW</bdi> الصادر <bdi>2014-2024</bdi> للفترة</p>"))
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    document = etree.fromstring(members["word/document.xml"])
    marked = [t for t in document.iter(f"{W}t") if (t.text or "").startswith("\u200e")]
    assert len(marked) == 2
    for text in marked:
        text.text = text.text[1:]
        run = text.getparent()  # already w:rtl="0" and w:lang vi-VN; also a left-to-right embedding around it
        embedding = etree.Element(f"{W}dir", {f"{W}val": "ltr"})
        run.addprevious(embedding)
        embedding.append(run)
    members["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    words = _word_boxes(_run("pdftotext", "-bbox", _libreoffice_pdf(out.getvalue(), tmp_path), "-"))
    assert "35-CT/TW" in words and "2014-2024" in words, sorted(words)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_image_at_its_size(templates, tmp_path):
    html = page(f'<h2>العنوان</h2><p class="center">{EMBLEM}</p><p>{AR_SENTENCE}</p>')
    pdf = _libreoffice_pdf(write_in(templates, html), tmp_path)
    rows = _run("pdfimages", "-list", pdf).splitlines()[2:]  # after the header and its rule
    images = [row.split() for row in rows if row.split()[2] == "image"]
    assert len(images) == 1, rows
    width, height, x_ppi = int(images[0][3]), int(images[0][4]), float(images[0][12])
    assert (width, height) == (40, 40)
    assert x_ppi == pytest.approx(40 / (22 / 25.4), abs=1)  # 40 pixels drawn 22 mm wide
    assert AR_SENTENCE.split()[0] in _run("pdftotext", pdf, "-")


def _libreoffice_pdf(data: bytes, folder) -> str:
    source = folder / "document.docx"
    source.write_bytes(data)
    (pdf,) = office.convert([source], folder)
    return str(pdf)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _word_boxes(bbox_html: str) -> dict[str, tuple[float, float]]:
    """Word -> (xMin, xMax) from ``pdftotext -bbox``; Arabic words come in visual order, reversed back."""
    root = etree.fromstring(bbox_html.encode(), etree.HTMLParser(encoding="utf-8"))
    boxes: dict = {"page": float(root.find(".//page").get("width"))}
    for word in root.iter("word"):
        text = word.text or ""
        logical = text[::-1] if any("\u0600" <= c <= "\u06ff" for c in text) else text
        boxes[logical] = (float(word.get("xmin")), float(word.get("xmax")))
    return boxes
