"""Jinja filters: every number, date, amount and counted phrase a document shows.

Each document is rendered for one locale; ``LocalFilters`` binds the Babel
formatting of ``LocaleFacts`` and the locale's catalog (for date patterns and
currency words translators choose) into the functions templates call.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from babel.support import Translations
from markupsafe import Markup, escape

from reporting.language.collation import sort_key
from reporting.language.locales import LocaleFacts
from reporting.source.document_formats import number_and_symbol, profile
from reporting.source.model import PLACEHOLDER, DocumentFormat, Figure, Localized, Period

# Date patterns are messages: a translator sets the order and the words around
# the numbers ("ngày 8 tháng 4 năm 2024"); untranslated, Babel's own pattern is used.
LONG_DATE = "d MMMM y"
DAY_MONTH = "d MMMM"
QUARTER = "QQQQ y"
# The date an official document is issued on, under its place (Decree 30/2020, Appendix I):
# days below 10 with a leading zero; months 1 and 2 too, so "tháng 1" cannot become "tháng 11".
DOCUMENT_DATE = "dd MMMM y"
NUMERIC_DATE = "d/M/y"  # "Quyết định số 1568/QĐ-UBND ngày 20/8/2024"
_LONE_MONTH = re.compile(r"(?<!M)M(?!M)")
# The copies the issuing office keeps, last of the recipients: "Lưu: VT, TTr." / Party "Lưu Văn phòng Tỉnh ủy."
ARCHIVE_LINE = {"state": "Filed: %(archive)s", "party": "Filed at %(archive)s"}
# Whole phrases, not "afternoon" + date: languages put the words in different places.
PART_OF_DAY = {
    None: "the day of %(date)s",
    "morning": "the morning of %(date)s",
    "afternoon": "the afternoon of %(date)s",
    "evening": "the evening of %(date)s",
}


class LocalFilters:
    """The filters of one locale; ``as_dict`` hands them to a Jinja environment."""

    def __init__(self, facts: LocaleFacts, translations: Translations):
        self.facts = facts
        self.translations = translations

    def as_dict(self) -> dict[str, Callable]:
        return {name: getattr(self, name) for name in (
            "number", "money", "percent", "ratio", "fraction", "compact", "long_date", "day_month",
            "period", "quarter", "counted", "digits", "when", "place_date", "fill", "figure", "t", "comma_join", "ordered",
            "document_date", "document_number", "position_unit", "first_upper", "recipient_lines",
            "numeric_date")}

    def ordered(self, awardees, order: str = "data") -> list:
        """Awardees in data order, or groups then individuals each sorted as this language sorts names."""
        if order != "sorted":
            return list(awardees)
        key = lambda awardee: sort_key(awardee.name[self.facts.code], self.facts.code)  # noqa: E731
        groups = sorted((a for a in awardees if a.kind == "group"), key=key)
        return groups + sorted((a for a in awardees if a.kind != "group"), key=key)

    @property
    def comma(self) -> str:
        """The locale's comma between the parts of one phrase (name, role): ``، `` in Arabic."""
        return self.translations.pgettext("list separator", ", ")

    def comma_join(self, items) -> str:
        return self.comma.join(str(item) for item in items if item)

    def t(self, text: Localized | None) -> str:
        """A data text in this document's locale (``{{ event.title|t }}``)."""
        return text[self.facts.code] if text is not None else ""

    def _pattern(self, pattern: str) -> str:
        return self.translations.pgettext("date pattern", pattern)

    def number(self, value: float, decimals: int | None = None) -> str:
        return self.facts.decimal(value, decimals)

    def compact(self, value: float) -> str:
        return self.facts.compact(value)

    def money(self, value: float, currency: str) -> str:
        """Large amounts as the reports write them: ``576 triệu đồng``, ``576 مليون دونج``."""
        unit = self.translations.pgettext("currency unit", currency)
        amount = self.facts.compact(value) if value >= 1_000_000 else self.facts.decimal(value)
        return f"{amount} {unit}"

    def percent(self, value: float, decimals: int = 0) -> str:
        """``value`` in percent units: 10 -> ``10%``."""
        return self.facts.percent(value / 100, decimals)

    def ratio(self, part: float, whole: float, decimals: int = 1) -> str:
        return self.facts.percent(part / whole, decimals)

    def fraction(self, part: float, whole: float) -> str:
        return f"{self.facts.decimal(part)}/{self.facts.decimal(whole)}"

    def long_date(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(LONG_DATE))

    def day_month(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(DAY_MONTH))

    def quarter(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(QUARTER))

    def period(self, value: Period) -> str:
        """A calendar quarter by its name, whole years as ``2014-2024``, otherwise two dates."""
        start, end = value.start, value.end
        if _is_quarter(start, end):
            return self.quarter(start)
        if start.year != end.year:
            return self.facts.digits(f"{start.year}-{end.year}")
        return f"{self.long_date(start)} - {self.long_date(end)}"

    def when(self, value: dt.date, part_of_day: str | None) -> str:
        """``the afternoon of 8 April 2024`` in the locale's words."""
        message = PART_OF_DAY[part_of_day]
        return self.translations.pgettext("part of day", message) % {"date": self.long_date(value)}

    def place_date(self, place: str, value: dt.date) -> str:
        """The place and date line of an official document: ``Ninh Bình, ngày 08 tháng 4 năm 2024``."""
        return self.translations.gettext("%(place)s, %(date)s") % {"place": place, "date": self.document_date(value)}

    def document_date(self, value: dt.date) -> str:
        """A date as an official document writes it: ``ngày 08 tháng 4 năm 2024``, ``ngày 20 tháng 02 năm 2024``."""
        pattern = self._pattern(DOCUMENT_DATE)
        if value.month <= 2:  # a numeric month ("M", not "MMMM") in the pattern's unquoted parts
            parts = pattern.split("'")
            pattern = "'".join(_LONE_MONTH.sub("MM", part) if index % 2 == 0 else part
                               for index, part in enumerate(parts))
        return self.facts.date(value, pattern)

    def numeric_date(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(NUMERIC_DATE))

    def document_number(self, document: DocumentFormat) -> str:
        """``05/BC-TTr`` (State) or ``15-BC/TU`` (Party), in the locale's digits; empty without a number."""
        return number_and_symbol(document, self.facts.digits) or ""

    def recipient_lines(self, document: DocumentFormat) -> list[str]:
        """The lines under "Nơi nhận:": ``- Thanh tra Chính phủ;`` ... ``- Lưu: VT, TTr.`` (Party: ``,`` and ``Lưu ...``)."""
        end = self.translations.pgettext("recipient separator", profile(document).recipient_end)
        archive = self.translations.pgettext("archive line", ARCHIVE_LINE[document.system])
        lines = [f"- {self.t(recipient)}{end}" for recipient in document.recipients]
        if document.archive is not None:
            lines.append(f"- {archive % {'archive': self.t(document.archive)}}.")
        return lines

    def position_unit(self, awardee) -> str:
        """Position and unit as one phrase, a word they share said once.

        ``Chủ tịch UBND xã`` + ``Xã Gia Sinh, huyện Gia Viễn`` -> ``Chủ tịch UBND xã Gia Sinh, huyện Gia Viễn``;
        ``Phó Chánh Thanh tra tỉnh`` + ``Thanh tra tỉnh`` -> the position alone; nothing shared: joined by a comma.
        """
        position, unit = self.t(awardee.position), self.t(awardee.unit)
        if not position or not unit:
            return position or unit
        tail, head = position.split(), unit.split()
        for size in range(min(len(tail), len(head)), 0, -1):
            rest = head[size:]
            # "xã" + "Xã Gia Sinh": the rest is a name (a capital); "tỉnh" + "Tỉnh ủy" is not one word said twice
            if [w.casefold() for w in tail[-size:]] == [w.casefold() for w in head[:size]] and (
                    not rest or rest[0][:1].isupper()):
                return " ".join(tail + rest)
        return self.comma_join([position, unit])

    def first_upper(self, text: str) -> str:
        """The text with its first letter a capital (a citation that starts a sentence); the rest untouched."""
        return text[:1].upper() + text[1:]

    def counted(self, figure: Figure) -> str:
        """The figure's number with its noun in the right plural form (``17 cuộc thanh tra``)."""
        forms = figure.counted.root[self.facts.code] if figure.counted else None
        number = self.figure(figure)
        if forms is None:
            return number
        phrase = forms if isinstance(forms, str) else forms[self.facts.plural_category(figure.value)]
        return phrase.replace("{n}", number)

    def count_phrase(self, singular: str, plural: str, count: int) -> str:
        """A catalog plural message with the locale's number: ``15 فردًا``, ``15 cá nhân``."""
        return self.translations.ngettext(singular, plural, count) % {"num": self.number(count)}

    def digits(self, value: object) -> str:
        return self.facts.digits(str(value))

    def figure(self, figure: Figure) -> str:
        """A figure's value as its kind reads: a count, a compact amount of money, a percentage."""
        if figure.kind == "money":
            return self.money(figure.value, figure.currency)
        if figure.kind == "percent":
            return self.percent(figure.value, 0 if float(figure.value).is_integer() else 1)
        return self.number(figure.value)

    def fill(self, text: str, values: dict[str, str]) -> Markup:
        """Data text with ``{name}`` placeholders replaced by formatted values; the text is escaped."""
        def substitute(match) -> str:
            key = match.group(1) if match.group(2) in (None, "value") else f"{match.group(1)}:{match.group(2)}"
            return str(escape(values[key]))
        return Markup(PLACEHOLDER.sub(substitute, str(escape(text))))


def _is_quarter(start: dt.date, end: dt.date) -> bool:
    if start.day != 1 or start.month not in (1, 4, 7, 10) or start.year != end.year:
        return False
    next_month = start.month + 3
    quarter_end = (dt.date(start.year + 1, 1, 1) if next_month > 12 else dt.date(start.year, next_month, 1))
    return end == quarter_end - dt.timedelta(days=1)
