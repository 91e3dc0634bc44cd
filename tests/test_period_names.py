"""Periods by the names an official document gives them: "quý I năm 2024" (Roman, lower case in
running text), "năm 2024", "الربع الأول من عام 2024"; in the filters and in the built PDF and DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reporting.config import load_project
from reporting.language.filters import LocalFilters
from reporting.language.locales import LocaleFacts
from reporting.language.messages import load_translations
from reporting.source.model import Period
from textutil import docx_text, letters, pdf_text

ROOT = Path(__file__).resolve().parent.parent
PERIODS = [
    ("2024-01-01", "2024-03-31", "quý I năm 2024", "الربع الأول من عام 2024"),
    ("2024-04-01", "2024-06-30", "quý II năm 2024", "الربع الثاني من عام 2024"),
    ("2024-07-01", "2024-09-30", "quý III năm 2024", "الربع الثالث من عام 2024"),
    ("2024-10-01", "2024-12-31", "quý IV năm 2024", "الربع الرابع من عام 2024"),
    ("2024-01-01", "2024-12-31", "năm 2024", "عام 2024"),
    ("2024-01-01", "2024-06-30", "6 tháng đầu năm 2024", "النصف الأول من عام 2024"),
    ("2024-07-01", "2024-12-31", "6 tháng cuối năm 2024", "النصف الثاني من عام 2024"),
    ("2024-06-01", "2024-06-30", "tháng 6 năm 2024", "يونيو 2024"),
    ("2024-02-01", "2024-02-29", "tháng 2 năm 2024", "فبراير 2024"),
    ("2014-05-26", "2024-06-30", "2014-2024", "2014-2024"),
    # Not a whole quarter (a day short): the two dates, not a name that would overstate it.
    ("2024-01-01", "2024-03-30", "ngày 1 tháng 1 năm 2024 - ngày 30 tháng 3 năm 2024", "1 يناير 2024 - 30 مارس 2024"),
]


def filters(code: str) -> LocalFilters:
    facts = LocaleFacts(load_project(ROOT).locales[code])
    return LocalFilters(facts, load_translations(ROOT / "templates" / "locale", code))


@pytest.mark.parametrize("start, end, vi, ar", PERIODS, ids=[f"{p[0]}..{p[1]}" for p in PERIODS])
def test_period_names(start, end, vi, ar):
    period = Period(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    assert filters("vi").period(period) == vi
    assert filters("ar").period(period) == ar


def test_quarter_of_a_date():
    assert filters("vi").quarter(dt.date(2024, 5, 17)) == "quý II năm 2024"
    assert filters("ar").quarter(dt.date(2024, 5, 17)) == "الربع الثاني من عام 2024"


@pytest.mark.parametrize(
    "locale, running",
    [
        ("vi", "Trong quý I năm 2024, Thanh tra tỉnh"),
        ("ar", "في الربع الأول من عام 2024، تابعت هيئة التفتيش"),
    ],
)
def test_the_report_names_its_quarter_in_pdf_and_docx(built, locale, running):
    folder = built / "inspectorate-2024-q1" / locale
    for text in (pdf_text(folder / "report.pdf"), docx_text(folder / "report.docx")):
        assert letters(running) in letters(text)
        assert "Quý 1" not in text and "quý 1" not in text
