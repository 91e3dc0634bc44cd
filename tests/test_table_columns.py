"""A long list's columns measured once on a few cells, then set fixed: the page the reader gets is unchanged.

WeasyPrint's auto layout measures every cell of a table to size its columns; for a long list
reporting/writers/table_columns.py measures only the cells that can be a column's widest, in a
probe, and sets the widths it gives under ``table-layout: fixed``. The PDF's words must stand
where the auto layout puts them: the same pages, rows on each page, column positions.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from reporting.writers import table_columns
from reporting.writers.html_parts import split_rows
from test_list_parts import _reference_list

PLAIN = (
    '<html lang="vi"><body><table class="awardees"><thead><tr><th>No.</th><th>Name</th></tr></thead>'
    "<tbody>{}</tbody></table></body></html>"
)


def _plain_list(rows: int, table_attributes: str = "") -> str:
    body = "".join(f'<tr><td class="num">{n}</td><td>Name {n}</td></tr>' for n in range(1, rows + 1))
    return PLAIN.format(body).replace('class="awardees"', f'class="awardees"{table_attributes}')


def _never(html: str):
    raise AssertionError("a table this short or of this shape is not probed")


def test_a_short_table_or_one_with_a_style_of_its_own_is_left_to_the_auto_layout():
    short = _plain_list(table_columns.MIN_ROWS - 1)
    assert table_columns.fix_long_tables(short, _never) == short
    styled = _plain_list(table_columns.MIN_ROWS + 5, ' style="width: 50%"')
    assert table_columns.fix_long_tables(styled, _never) == styled


def test_a_line_breaks_between_words_only_where_a_letter_or_digit_stands_on_both_sides():
    # The upper bound of a cell's widest word: a space next to punctuation is counted as no break
    # (before ")" or ":" a line does not break; the bound may be wider than the word, never narrower).
    assert table_columns._words("Thanh tra huyện (Yên Mô)") == ["Thanh", "tra", "huyện (Yên", "Mô)"]
    assert table_columns._words("Số 12 : A") == ["Số", "12 : A"]
    # The lower bound: runs of letters, marks and digits.
    assert table_columns._runs_of_letters("Hòa-Bình/2024") == ["Hòa", "Bình", "2024"]
    assert table_columns._breaks_at_spaces("Nguyễn Văn An") and table_columns._breaks_at_spaces("هيئة التفتيش")
    assert not table_columns._breaks_at_spaces("ทดสอบ") and not table_columns._breaks_at_spaces("名字")


def _long_list(locale: str, rows: int) -> str:
    """The reference list's individuals repeated to ``rows`` rows, with a few cells that are the
    only ones to give a column its width: a long name (kept on one line), a long word in the unit
    column (its min-content width), a long unit and a cell with an isolated fragment."""
    html, _page, _writer = _reference_list(locale)
    table = html.rindex('<table class="awardees">')
    start = html.index("<tbody>", table) + len("<tbody>")
    end = html.index("</tbody>", start)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html[start:end])]
    other = "ltr" if locale == "ar" else "rtl"
    fragment = "ABC-1234567" if other == "ltr" else "هيئة"
    planted = {  # row -> column -> text
        137: {1: "Nguyễn Thị Phương Thảo Hoàng Minh Khôi" if locale == "vi" else "نجوين ثي فوونغ ثاو هوانغ مينه خوي"},
        201: {3: "Ủyyyyyyyyyyyyyyyyyyyyyyyyban" if locale == "vi" else "اللجنةةةةةةةةةةةةةةةةةةةةالشعبية"},
        233: {2: f'Mã <bdi dir="{other}">{fragment}</bdi>'},
    }
    out = []
    for n in range(1, rows + 1):
        row = [str(n), *cells[n % len(cells)][1:]]
        for column, text in planted.get(n, {}).items():
            row[column] = text
        out.append('<tr><td class="num">' + "</td><td>".join(row) + "</td></tr>\n")
    return html[:start] + "\n" + "".join(out) + html[end:]


def _words(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's words with where they stand (pdftotext -bbox), to 0.01 pt."""
    bbox = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, check=True, capture_output=True).stdout.decode()
    pages = bbox.split("<page ")[1:]
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')
    return [[(text, round(float(x), 2), round(float(y), 2)) for x, y, text in word.findall(page)] for page in pages]


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["vi", "ar"])
def test_a_long_list_has_the_auto_layouts_columns_rows_and_pages(locale):
    from conftest import ROOT
    from reporting.writers.pdf import PdfWriter

    html = _long_list(locale, table_columns.MIN_ROWS + 60)
    writer = PdfWriter(ROOT / "templates")
    probed = []
    measured = table_columns.fix_long_tables(html, lambda probe: probed.append(probe) or writer.typeset(probe))
    # The long table only: fixed, its widths in a colgroup; the probes hold a few rows, not all.
    assert measured.count("table-layout: fixed") == 1 and measured.count("<col ") == 4
    assert len(probed) == 2 and all(probe.count("<tr>") < 40 for probe in probed)

    auto = writer.finish(writer.typeset(html))  # (typeset whole: the auto layout)
    fixed = writer.finish(writer.typeset(measured))
    auto_pages, fixed_pages = _words(auto), _words(fixed)
    assert len(fixed_pages) == len(auto_pages) > 5
    for number, (before, after) in enumerate(zip(auto_pages, fixed_pages, strict=True), start=1):
        assert after == before, f"page {number}"  # every word where it stood: columns, rows, page breaks
    # A list typeset in parts: every part has the whole list's columns.
    parts = split_rows(measured, 100)
    assert parts is not None and len(parts) == 3
    colgroup = re.search(r"<colgroup>.*?</colgroup>", measured)
    assert colgroup is not None and all(colgroup.group(0) in part for part in parts)
