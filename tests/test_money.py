"""Amounts are never changed: exact unless the data states an approximation, compact only when exact,
qualifiers ("hơn", "أكثر من") only where the data wrote them; read back from the PDF and the DOCX."""

from __future__ import annotations

from pathlib import Path

import pytest

from readback import read_back
from reporting.config import LocaleSettings
from reporting.language.filters import LocalFilters
from reporting.language.locales import LocaleFacts
from reporting.language.messages import load_translations
from textutil import letters

ROOT = Path(__file__).resolve().parent.parent

# (value, approximate, vi, ar with Latin digits, ar with Arabic-Indic digits)
MONEY = [
    # Exact and compact: the words state every đồng.
    (576_000_000, None, "576 triệu đồng", "576 مليون دونج", "٥٧٦ مليون دونج"),
    (500_000_000, None, "500 triệu đồng", "500 مليون دونج", "٥٠٠ مليون دونج"),
    (576_450_000, None, "576,45 triệu đồng", "576.45 مليون دونج", "٥٧٦٫٤٥ مليون دونج"),
    (1_500_000_000, None, "1,5 tỷ đồng", "1.5 مليار دونج", "١٫٥ مليار دونج"),
    # Not exact in words: every digit (never "hơn 1000 triệu", never "1,2 tỷ").
    (999_999_999, None, "999.999.999 đồng", "999,999,999 دونج", "٩٩٩٬٩٩٩٬٩٩٩ دونج"),
    (1_234_567_890, None, "1.234.567.890 đồng", "1,234,567,890 دونج", "١٬٢٣٤٬٥٦٧٬٨٩٠ دونج"),
    (576_400_001, None, "576.400.001 đồng", "576,400,001 دونج", "٥٧٦٬٤٠٠٬٠٠١ دونج"),
    (12_500, None, "12.500 đồng", "12,500 دونج", "١٢٬٥٠٠ دونج"),
    # An approximation the data asks for, to its stated unit, and the wording says so (half up).
    (576_450_000, 1_000_000, "khoảng 576 triệu đồng", "حوالي 576 مليون دونج", "حوالي ٥٧٦ مليون دونج"),
    (576_500_000, 1_000_000, "khoảng 577 triệu đồng", "حوالي 577 مليون دونج", "حوالي ٥٧٧ مليون دونج"),
    (999_999_999, 1_000_000, "khoảng 1 tỷ đồng", "حوالي 1 مليار دونج", "حوالي ١ مليار دونج"),
    (1_234_567_890, 100_000_000, "khoảng 1,2 tỷ đồng", "حوالي 1.2 مليار دونج", "حوالي ١٫٢ مليار دونج"),
]
SETTINGS = [("vi", "latn", 2), ("ar", "latn", 3), ("ar", "arab", 4)]


def filters(code: str, digits: str) -> LocalFilters:
    return LocalFilters(
        LocaleFacts(LocaleSettings(code, digits)), load_translations(ROOT / "templates" / "locale", code)
    )


@pytest.mark.parametrize("code, digits, column", SETTINGS)
@pytest.mark.parametrize("row", MONEY, ids=[f"{r[0]}-{r[1]}" for r in MONEY])
def test_amounts_print_exactly_or_as_the_data_approximates(code, digits, column, row):
    assert filters(code, digits).money(row[0], "VND", row[1]) == row[column]


def test_qualifiers_come_from_the_data_only():
    f = filters("vi", "latn")
    values = {"x": f.money(999_999_999, "VND")}
    assert str(f.fill("kiến nghị thu hồi {x}", values)) == "kiến nghị thu hồi 999.999.999 đồng"
    assert str(f.fill("kiến nghị thu hồi hơn {x}", values)) == "kiến nghị thu hồi hơn 999.999.999 đồng"


def test_a_figure_carries_its_approximation():
    from reporting.source.model import Figure

    figure = Figure(
        value=576_450_000, kind="money", currency="VND", approximate=1_000_000, label={"ar": "x", "vi": "x"}
    )
    assert filters("vi", "latn").figure(figure) == "khoảng 576 triệu đồng"
    with pytest.raises(ValueError, match="expected 'approximate' only on a money or number figure"):
        Figure(value=5, approximate=10, label={"ar": "x", "vi": "x"})


@pytest.mark.slow
@pytest.mark.parametrize("code, digits, column", SETTINGS)
def test_amounts_read_back_from_pdf_and_docx(tmp_path, code, digits, column):
    f = filters(code, digits)
    anchor = {"vi": "Số tiền là", "ar": "المبلغ هو"}[code]
    texts = [f"{anchor} {f.money(row[0], 'VND', row[1])}" for row in MONEY]
    pdf, docx = read_back(tmp_path, code, texts)
    for row, from_pdf, from_docx in zip(MONEY, pdf, docx, strict=True):
        assert letters(from_pdf) == letters(f"{anchor} {row[column]}"), (from_pdf, row)
        assert letters(from_docx) == letters(f"{anchor} {row[column]}"), (from_docx, row)
