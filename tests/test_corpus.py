"""A table of 117 formatting cases (value, locale, digit setting -> text), checked three ways:
against ICU (PyICU, an implementation independent of Babel), and read back from
a PDF and a DOCX made by the real writers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icu  # PyICU: the test extras of pyproject.toml; ./run test installs libicu-dev to build it
import pytest

from reporting.config import LocaleSettings, load_project
from reporting.language.filters import LocalFilters
from reporting.language.locales import LocaleFacts
from reporting.language.messages import load_translations
from textutil import docx_paragraphs, font_face_style, letters, pdf_text

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = [("ar", "latn"), ("ar", "arab"), ("vi", "latn")]
NUMBERS = [0, 1, 2, 17, 209, 1000, 2214, 14400, 38445, 576000000, 1234.5, 0.5]
# 397/400 and 1/16 end exactly on a half at one decimal (99.25%, 6.25%): they show the rounding rule.
RATIOS = [(624, 629), (441, 445), (1, 3), (1, 1), (0, 5), (397, 400), (1, 16), (3, 16)]
DATES = [dt.date(2024, 4, 8), dt.date(2024, 8, 20), dt.date(2014, 5, 26), dt.date(2025, 1, 1), dt.date(2024, 12, 31)]
QUARTERS = [1, 2, 3, 4]
COUNTS = [0, 1, 2, 3, 10, 11, 15, 99, 100, 101, 102, 111, 1000]
# Arabic "N groups" by CLDR category, written by hand (zero, one and two spell the number out).
ARABIC_GROUPS = {
    "zero": "لا جماعات",
    "one": "جماعة واحدة",
    "two": "جماعتان",
    "few": "{n} جماعات",
    "many": "{n} جماعةً",
    "other": "{n} جماعة",
}
# The same date patterns the catalogs give, for ICU.
VI_PATTERNS = {"d MMMM y": "'ngày' d 'tháng' M 'năm' y"}
ANCHORS = {"ar": "القيمة المكتوبة في هذا السطر هي", "vi": "Giá trị in ở dòng này là"}
MARKS = re.compile("[\u200e\u200f\u061c]")


PROJECT = load_project(ROOT)
# The oracle rounds by the same rule as the documents (reporting.toml), so a change of rule in either shows.
ICU_ROUNDING = {"half-up": icu.DecimalFormat.kRoundHalfUp, "half-even": icu.DecimalFormat.kRoundHalfEven}


def filters(code: str, digits: str) -> LocalFilters:
    settings = LocaleSettings(code, digits, rounding=PROJECT.locales[code].rounding)
    return LocalFilters(LocaleFacts(settings), load_translations(ROOT / "templates" / "locale", code))


def icu_locale(code: str, digits: str):
    return icu.Locale(f"{code}@numbers={digits}" if code == "ar" else code)


def icu_date(value: dt.date, pattern: str, code: str, digits: str) -> str:
    pattern = {"vi": VI_PATTERNS}.get(code, {}).get(pattern, pattern)
    calendar = icu.GregorianCalendar(value.year, value.month - 1, value.day)
    return icu.SimpleDateFormat(pattern, icu_locale(code, digits)).format(calendar.getTime())


def corpus() -> list[tuple[str, str, str, str, str]]:
    """(case id, locale, digits, ours, expected) for every case."""
    cases = []
    for code, digits in SETTINGS:
        f, where = filters(code, digits), icu_locale(code, digits)
        number, percent = icu.NumberFormat.createInstance(where), icu.NumberFormat.createPercentInstance(where)
        percent.setMinimumFractionDigits(1)
        percent.setMaximumFractionDigits(1)
        for formatter in (number, percent):
            formatter.setRoundingMode(ICU_ROUNDING[PROJECT.locales[code].rounding])
        rows = [(f"n{v}", f.number(v), number.format(v)) for v in NUMBERS]
        rows += [(f"r{a}-{b}", f.ratio(a, b), percent.format(a / b)) for a, b in RATIOS]
        rows += [(f"d{d}", f.long_date(d), icu_date(d, "d MMMM y", code, digits)) for d in DATES]
        rows += [
            (f"q{q}", f.quarter(dt.date(2024, 3 * q - 2, 1)), _expected_quarter(q, code, digits)) for q in QUARTERS
        ]
        rows += [
            (
                f"p{n}",
                f.translations.ngettext("%(num)s group", "%(num)s groups", n) % {"num": f.number(n)},
                _expected_groups(code, n, number),
            )
            for n in COUNTS
        ]
        cases += [(f"{code}-{digits}-{case}", code, digits, ours, expected) for case, ours, expected in rows]
    return cases


def _expected_quarter(quarter: int, code: str, digits: str) -> str:
    """Vietnamese official style: Roman numerals, lower case ("quý I năm 2024"), which CLDR lacks;
    Arabic: ICU's name of the quarter, then "of the year" (الربع الأول من عام 2024)."""
    year = icu_date(dt.date(2024, 1, 1), "y", code, digits)
    if code == "vi":
        return f"quý {['I', 'II', 'III', 'IV'][quarter - 1]} năm {year}"
    return f"{icu_date(dt.date(2024, 3 * quarter - 2, 1), 'QQQQ', code, digits)} من عام {year}"


def _expected_groups(code: str, count: int, number) -> str:
    if code == "vi":
        return f"{number.format(count)} tập thể"
    category = icu.PluralRules.forLocale(icu.Locale("ar")).select(count)  # ICU's CLDR rules, not Babel's
    return ARABIC_GROUPS[category].replace("{n}", number.format(count))


CORPUS = corpus()


def _marker(case: str) -> str:
    """Letters and digits only, so no bidi mirroring or reordering can touch it: ``CASE17X``."""
    return f"CASE{[c[0] for c in CORPUS].index(case)}X"


def test_corpus_has_at_least_100_cases():
    assert len(CORPUS) >= 100


def test_the_rule_is_half_up_by_default_and_the_oracle_follows_it():
    rows = {case: ours for case, _, _, ours, _ in CORPUS}
    assert rows["vi-latn-r397-400"] == "99,3%" and rows["ar-latn-r1-16"] == "6.3%"
    # half-even (Babel's and ICU's default) would print 99,2 %: the oracle must disagree with it.
    even = icu.NumberFormat.createPercentInstance(icu.Locale("vi"))
    even.setMaximumFractionDigits(1)
    even.setMinimumFractionDigits(1)
    assert even.format(397 / 400) == "99,2%"
    half_even = LocalFilters(
        LocaleFacts(LocaleSettings("vi", "latn", rounding="half-even")), filters("vi", "latn").translations
    )
    assert half_even.ratio(397, 400) == "99,2%"


@pytest.mark.parametrize("case, code, digits, ours, expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_formatting_agrees_with_icu(case, code, digits, ours, expected):
    assert MARKS.sub("", ours) == MARKS.sub("", expected)


@pytest.fixture(scope="module")
def read_back(tmp_path_factory) -> dict[tuple[str, str], tuple[str, str]]:
    """Every setting's cases written as one document by the real PDF and DOCX writers, then extracted."""
    from reporting.config import PageGeometry
    from reporting.writers.docx import DocxWriter
    from reporting.writers.pdf import PdfWriter

    folder = tmp_path_factory.mktemp("corpus")
    texts = {}
    for code, digits in SETTINGS:
        direction = "rtl" if code == "ar" else "ltr"
        # The case id on a line of its own, and the value after words of the document's
        # language: pdftotext guesses a line's direction from its characters, and a line
        # of Arabic holding mostly digits would come out in visual order.
        anchor = ANCHORS[code]
        rows = "".join(
            f'<p><bdi dir="ltr">{_marker(case)}</bdi></p><p>{anchor} {ours}</p>'
            for case, c, d, ours, _ in CORPUS
            if (c, d) == (code, digits)
        )
        html = (
            f'<html lang="{code}" dir="{direction}"><head><link rel="stylesheet" href="css/common.css">'
            f"{font_face_style(code)}</head><body>{rows}</body></html>"
        )
        pdf = folder / f"{code}-{digits}.pdf"
        pdf.write_bytes(PdfWriter(ROOT / "templates").write(html))
        docx = folder / f"{code}-{digits}.docx"
        docx.write_bytes(DocxWriter().write(html, PageGeometry()))
        texts[code, digits] = (pdf_text(pdf), "\n".join(docx_paragraphs(docx)))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("case, code, digits, ours, expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_pdf_and_docx_read_back_the_expected_text(read_back, case, code, digits, ours, expected):
    for text in read_back[code, digits]:
        lines = [line for line in text.splitlines() if line.strip()]
        marker = next(i for i, line in enumerate(lines) if _marker(case) in line)
        value = letters(lines[marker + 1])
        assert value.startswith(letters(ANCHORS[code])) and value[len(letters(ANCHORS[code])) :] == letters(expected), (
            lines[marker + 1],
            expected,
        )
