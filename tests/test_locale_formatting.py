"""Numbers, dates, periods and plurals as Babel's locale data and our catalogs write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reporting.config import LocaleSettings
from reporting.language.filters import LocalFilters
from reporting.language.locales import LocaleFacts
from reporting.language.messages import load_translations
from reporting.source.model import Figure, Period

CATALOGS = Path(__file__).resolve().parent.parent / "templates" / "locale"


def filters(code: str, digits: str = "latn") -> LocalFilters:
    return LocalFilters(LocaleFacts(LocaleSettings(code, digits)), load_translations(CATALOGS, code))


@pytest.mark.parametrize(
    "code, digits, expected",
    [
        ("ar", "latn", ["576,000,000", "99.2%", "576 مليون دونج", "10%", "624/629"]),
        ("ar", "arab", ["٥٧٦٬٠٠٠٬٠٠٠", "٩٩٫٢٪؜", "٥٧٦ مليون دونج", "١٠٪؜", "٦٢٤/٦٢٩"]),
        ("vi", "latn", ["576.000.000", "99,2%", "576 triệu đồng", "10%", "624/629"]),
    ],
)
def test_numbers_follow_locale_and_digit_setting(code, digits, expected):
    f = filters(code, digits)
    assert [
        f.number(576_000_000),
        f.ratio(624, 629),
        f.money(576_000_000, "VND"),
        f.percent(10),
        f.fraction(624, 629),
    ] == expected


def test_arabic_indic_setting_leaves_no_latin_digit():
    f = filters("ar", "arab")
    text = " ".join(
        [
            f.number(38445),
            f.long_date(dt.date(2024, 8, 20)),
            f.ratio(441, 445),
            f.digits(12),
            f.period(Period(start=dt.date(2014, 5, 26), end=dt.date(2024, 6, 30))),
        ]
    )
    assert not any(ch in "0123456789" for ch in text), text
    assert "٣٨٬٤٤٥" in text and "٢٠ أغسطس ٢٠٢٤" in text


@pytest.mark.parametrize(
    "code, expected",
    [
        (
            "ar",
            [
                "8 أبريل 2024",
                "بعد ظهر يوم 8 أبريل 2024",
                "الربع الأول من عام 2024",
                "2014-2024",
                "نينه بينه، 20 أغسطس 2024",
            ],
        ),
        (
            "vi",
            [
                "ngày 8 tháng 4 năm 2024",
                "chiều ngày 8 tháng 4 năm 2024",
                "quý I năm 2024",
                "2014-2024",
                "Ninh Bình, ngày 20 tháng 8 năm 2024",
            ],
        ),
    ],
)
def test_dates_and_periods(code, expected):
    f = filters(code)
    place = {"ar": "نينه بينه", "vi": "Ninh Bình"}[code]
    assert [
        f.long_date(dt.date(2024, 4, 8)),
        f.when(dt.date(2024, 4, 8), "afternoon"),
        f.period(Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))),
        f.period(Period(start=dt.date(2014, 5, 26), end=dt.date(2024, 6, 30))),
        f.place_date(place, dt.date(2024, 8, 20)),
    ] == expected


# Arabic: 0 zero, 1 one, 2 two, 3-10 few, 11-99 many, 100-102 other (and 1000 other, 111 many).
ARABIC_GROUPS = {
    0: "لا جماعات",
    1: "جماعة واحدة",
    2: "جماعتان",
    3: "3 جماعات",
    10: "10 جماعات",
    11: "11 جماعةً",
    15: "15 جماعةً",
    99: "99 جماعةً",
    100: "100 جماعة",
    101: "101 جماعة",
    102: "102 جماعة",
    111: "111 جماعةً",
    1000: "1,000 جماعة",
}


@pytest.mark.parametrize("count, expected", sorted(ARABIC_GROUPS.items()))
def test_arabic_catalog_plural_forms(count, expected):
    f = filters("ar")
    message = f.translations.ngettext("%(num)s group", "%(num)s groups", count)
    assert message % {"num": f.number(count)} == expected


def test_vietnamese_has_one_form():
    f = filters("vi")
    assert [f.translations.ngettext("%(num)s individual", "%(num)s individuals", n) % {"num": n} for n in (1, 15)] == [
        "1 cá nhân",
        "15 cá nhân",
    ]


ARABIC_COUNTED = {
    "zero": "لا عمليات تفتيش",
    "one": "عملية تفتيش واحدة",
    "two": {"nominative": "عمليتا تفتيش", "accusative": "عمليتي تفتيش", "genitive": "عمليتي تفتيش"},
    "few": "{n} عمليات تفتيش",
    "many": "{n} عملية تفتيش",
    "other": "{n} عملية تفتيش",
}


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "لا عمليات تفتيش"),
        (1, "عملية تفتيش واحدة"),
        (2, "عمليتا تفتيش"),
        (3, "3 عمليات تفتيش"),
        (17, "17 عملية تفتيش"),
        (100, "100 عملية تفتيش"),
    ],
)
def test_counted_figures_pick_the_cldr_category(value, expected):
    figure = Figure(
        value=value, label={"ar": "x", "vi": "x"}, counted={"ar": ARABIC_COUNTED, "vi": "{n} cuộc thanh tra"}
    )
    assert filters("ar").counted(figure) == expected
    assert filters("vi").counted(figure) == f"{value} cuộc thanh tra"


@pytest.mark.parametrize(
    "case, expected",
    [
        ("nominative", "عمليتا تفتيش"),
        ("genitive", "عمليتي تفتيش"),
        ("accusative", "عمليتي تفتيش"),
        (None, "عمليتا تفتيش"),
    ],
)
def test_counted_dual_changes_with_case(case, expected):
    figure = Figure(value=2, label={"ar": "x", "vi": "x"}, counted={"ar": ARABIC_COUNTED, "vi": "{n} cuộc"})
    assert filters("ar").counted(figure, case) == expected


@pytest.mark.parametrize(
    "count, case, expected",
    [
        (2, "nominative", "جماعتان"),
        (2, "genitive", "جماعتين"),
        (2, "accusative", "جماعتين"),
        (1, "accusative", "جماعة واحدة"),
        (3, "genitive", "3 جماعات"),
        (11, "genitive", "11 جماعةً"),
        (100, "genitive", "100 جماعة"),
    ],
)
def test_award_counts_take_their_case_from_the_catalog(count, case, expected):
    assert filters("ar").count_phrase("%(num)s group", "%(num)s groups", count, case) == expected
    assert filters("vi").count_phrase("%(num)s group", "%(num)s groups", count) == f"{count} tập thể"


def test_individuals_accusative_shows_the_tanwin():
    assert filters("ar").count_phrase("%(num)s individual", "%(num)s individuals", 1, "accusative") == "فردًا واحدًا"
    assert filters("ar").count_phrase("%(num)s individual", "%(num)s individuals", 2, "genitive") == "فردين"


def test_fill_escapes_data_and_substitutes_values():
    text = filters("vi").fill("<b>{a}</b> & {a:counted}", {"a": "17", "a:counted": "17 cuộc"})
    assert str(text) == "&lt;b&gt;17&lt;/b&gt; &amp; 17 cuộc"


def test_vietnamese_names_sort_by_given_name_letters_then_tones():
    from reporting.language.collation import sort_key

    names = [
        "Nguyễn Văn Hùng",
        "Bùi Thị Thanh Huyền",
        "Lê Văn Ánh",
        "Nguyễn Thị Ân",
        "Hoàng Văn An",
        "Mai Đức Dũng",
        "Đinh Công Dũng",
        "Phạm Thị Thu Hương",
        "Trần Thị Dung",
        "Vũ Văn Đông",
    ]
    assert sorted(names, key=lambda n: sort_key(n, "vi")) == [
        "Hoàng Văn An",
        "Lê Văn Ánh",
        "Nguyễn Thị Ân",  # a < á (tone after letters) < â (a letter)
        "Trần Thị Dung",
        "Đinh Công Dũng",
        "Mai Đức Dũng",  # same given name: then the rest, đ after d
        "Vũ Văn Đông",  # đ is a letter after d
        "Nguyễn Văn Hùng",
        "Bùi Thị Thanh Huyền",
        "Phạm Thị Thu Hương",
    ]  # u < ư


def test_arabic_names_sort_in_alphabet_order():
    from reporting.language.collation import sort_key

    names = ["نجوين", "أحمد", "إبراهيم", "ثامر", "بوي", "مُحمد", "فاطمة"]
    assert sorted(names, key=lambda n: sort_key(n, "ar")) == [
        "إبراهيم",
        "أحمد",
        "بوي",
        "ثامر",
        "فاطمة",
        "مُحمد",
        "نجوين",
    ]


def test_bidi_isolation_both_ways():
    from reporting.language.bidi import isolate_ltr, isolate_rtl

    page = "<html><head><title>35-CT/TW</title></head><body><p>{}</p></body></html>"
    assert isolate_ltr(
        page.format("التوجيه رقم 35-CT/TW للفترة 2014-2024، 17 عملية و99.2% &amp; Nguyễn Văn A")
    ) == page.format(
        'التوجيه رقم <bdi dir="ltr">35-CT/TW</bdi> للفترة <bdi dir="ltr">2014-2024</bdi>، '
        '17 عملية و<bdi dir="ltr">99.2%</bdi> &amp; '
        '<bdi dir="ltr">Nguyễn Văn A</bdi>'
    )
    assert isolate_rtl(page.format("Tỉnh Ninh Bình (نينه بينه), 2024")) == page.format(
        'Tỉnh Ninh Bình (<bdi dir="rtl">نينه بينه</bdi>), 2024'
    )


def test_tatweel_and_harakat_survive_loading():
    from reporting.source.model import clean_text

    assert clean_text("مُحَمَّـــد") == "مُحَمَّـــد"
