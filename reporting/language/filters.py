"""Jinja filters: every number, date, amount and counted phrase a document shows.

Each document is rendered for one locale; ``LocalFilters`` binds the Babel
formatting of ``LocaleFacts`` and the locale's catalog (for date patterns and
currency words translators choose) into the functions templates call.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from typing import cast

from babel.support import Translations
from markupsafe import Markup, escape

from reporting.language.grammar import cases
from reporting.language.locales import LocaleFacts
from reporting.language.sentences import PlaceholderValues, resolve
from reporting.source.document_formats import number_and_symbol, profile
from reporting.source.model import PLACEHOLDER, DocumentFormat, Figure, Localized, Period

# Date patterns are messages: a translator sets the order and the words around
# the numbers ("ngày 8 tháng 4 năm 2024"); untranslated, Babel's own pattern is used.
LONG_DATE = "d MMMM y"
DAY_MONTH = "d MMMM"
MONTH_YEAR = "MMMM y"
# Period names are whole phrases: Vietnamese writes quarters in Roman numerals in lower case
# ("quý I năm 2024"), Arabic as ordinals ("الربع الأول من عام 2024"); CLDR has neither form.
PERIOD_NAMES = {
    "year": "the year %(year)s",
    "H1": "the first half of %(year)s",
    "H2": "the second half of %(year)s",
    "Q1": "the first quarter of %(year)s",
    "Q2": "the second quarter of %(year)s",
    "Q3": "the third quarter of %(year)s",
    "Q4": "the fourth quarter of %(year)s",
}
# Amounts from a million up may be written in words (576 triệu), when that is exact.
COMPACT_FROM = 1_000_000
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
        return {
            name: getattr(self, name)
            for name in (
                "number",
                "money",
                "percent",
                "ratio",
                "fraction",
                "compact",
                "long_date",
                "day_month",
                "period",
                "quarter",
                "counted",
                "digits",
                "when",
                "place_date",
                "fill",
                "figure",
                "t",
                "comma_join",
                "ordered",
                "document_date",
                "document_number",
                "position_unit",
                "first_upper",
                "recipient_lines",
                "numeric_date",
            )
        }

    def ordered(self, awardees, order: str = "data") -> list:
        """Awardees in list order. A sorted list was sorted once, in the bundle, by the primary
        language's name order (``source/figures.py``): every language lists the same people in the same order."""
        return list(awardees)

    @property
    def comma(self) -> str:
        """The locale's comma between the parts of one phrase (name, role): ``، `` in Arabic."""
        return self._pgettext("list separator", ", ")

    def comma_join(self, items) -> str:
        return self.comma.join(str(item) for item in items if item)

    def t(self, text: Localized | None) -> str:
        """A data text in this document's locale (``{{ event.title|t }}``)."""
        return text[self.facts.code] if text is not None else ""

    def _pattern(self, pattern: str) -> str:
        return self._pgettext("date pattern", pattern)

    def _pgettext(self, context: str, message: str) -> str:
        # Babel 2.18 annotates pgettext as returning ``str | object`` (its "missing" sentinel leaks into
        # the inferred type); it returns the translation or the message itself, a str either way.
        return cast(str, self.translations.pgettext(context, message))

    def number(self, value: float, decimals: int | None = None) -> str:
        return self.facts.decimal(value, decimals)

    def compact(self, value: float) -> str:
        return self.facts.compact(value)

    def money(self, value: float, currency: str, approximate: int | None = None) -> str:
        """An amount as the reports write it, never changed: ``576 triệu đồng`` when that is exact,
        ``576.450.000 đồng`` otherwise; rounded only to the unit the data states, with "about"."""
        unit = self._pgettext("currency unit", currency)
        amount = f"{self.amount(value, approximate)} {unit}"
        if approximate is None:
            return amount
        return self._pgettext("approximate amount", "about %(amount)s") % {"amount": amount}

    def amount(self, value: float, approximate: int | None = None) -> str:
        """A number in its compact form (``576 triệu``) only when that form is exact, else every digit."""
        exact = decimal.Decimal(str(value))
        if approximate is not None:
            with self.facts.rounding():
                exact = (exact / approximate).quantize(decimal.Decimal(1)) * approximate
        if exact >= COMPACT_FROM and _compact_is_exact(exact):
            return self.facts.compact(exact)
        return self.facts.decimal(exact)

    def percent(self, value: float, decimals: int = 0) -> str:
        """``value`` in percent units: 10 -> ``10%``."""
        return self.facts.percent(decimal.Decimal(str(value)) / 100, decimals)

    def ratio(self, part: float, whole: float, decimals: int = 1) -> str:
        # In decimals, so a share exactly on a half (397/400 = 99.25%) rounds by the locale's rule.
        return self.facts.percent(decimal.Decimal(str(part)) / decimal.Decimal(str(whole)), decimals)

    def fraction(self, part: float, whole: float) -> str:
        return f"{self.facts.decimal(part)}/{self.facts.decimal(whole)}"

    def long_date(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(LONG_DATE))

    def day_month(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(DAY_MONTH))

    def quarter(self, value: dt.date) -> str:
        """The calendar quarter ``value`` falls in: ``quý I năm 2024``, ``الربع الأول من عام 2024``."""
        return self._period_name(f"Q{(value.month - 1) // 3 + 1}", value.year)

    def period(self, value: Period) -> str:
        """A whole year, half, quarter or month by its name; whole years as ``2014-2024``; else two dates."""
        start, end = value.start, value.end
        name = calendar_period(start, end)
        if name == "month":
            return self.facts.date(start, self._pattern(MONTH_YEAR))
        if name:
            return self._period_name(name, start.year)
        if start.year != end.year:
            return self.facts.digits(f"{start.year}-{end.year}")
        return f"{self.long_date(start)} - {self.long_date(end)}"

    def _period_name(self, name: str, year: int) -> str:
        message = self._pgettext("period", PERIOD_NAMES[name])
        return message % {"year": self.facts.digits(str(year))}  # a year is never grouped: 2024, not 2.024

    def when(self, value: dt.date, part_of_day: str | None) -> str:
        """``the afternoon of 8 April 2024`` in the locale's words."""
        message = PART_OF_DAY[part_of_day]
        return self._pgettext("part of day", message) % {"date": self.long_date(value)}

    def place_date(self, place: str, value: dt.date) -> str:
        """The place and date line of an official document: ``Ninh Bình, ngày 08 tháng 4 năm 2024``."""
        return self.translations.gettext("%(place)s, %(date)s") % {"place": place, "date": self.document_date(value)}

    def document_date(self, value: dt.date) -> str:
        """A date as an official document writes it: ``ngày 08 tháng 4 năm 2024``, ``ngày 20 tháng 02 năm 2024``."""
        pattern = self._pattern(DOCUMENT_DATE)
        if value.month <= 2:  # a numeric month ("M", not "MMMM") in the pattern's unquoted parts
            parts = pattern.split("'")
            pattern = "'".join(
                _LONE_MONTH.sub("MM", part) if index % 2 == 0 else part for index, part in enumerate(parts)
            )
        return self.facts.date(value, pattern)

    def numeric_date(self, value: dt.date) -> str:
        return self.facts.date(value, self._pattern(NUMERIC_DATE))

    def document_number(self, document: DocumentFormat) -> str:
        """``05/BC-TTr`` (State) or ``15-BC/TU`` (Party), in the locale's digits; empty without a number."""
        return number_and_symbol(document, self.facts.digits) or ""

    def recipient_lines(self, document: DocumentFormat) -> list[str]:
        """The lines under "Nơi nhận:": ``- Thanh tra Chính phủ;`` ... ``- Lưu: VT, TTr.``
        (Party: ``,`` and ``Lưu ...``)."""
        end = self._pgettext("recipient separator", profile(document).recipient_end)
        archive = self._pgettext("archive line", ARCHIVE_LINE[document.system])
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
                not rest or rest[0][:1].isupper()
            ):
                return " ".join(tail + rest)
        return self.comma_join([position, unit])

    def first_upper(self, text: str) -> str:
        """The text with its first letter a capital (a citation that starts a sentence); the rest untouched."""
        return text[:1].upper() + text[1:]

    def counted(self, figure: Figure, case: str | None = None) -> str:
        """The figure's number with its noun in the right plural form (``17 cuộc thanh tra``), in
        ``case`` where the language declines (default: its first case, the nominative)."""
        forms = figure.counted.root[self.facts.code] if figure.counted else None
        number = self.figure(figure)
        if forms is None:
            return number
        if isinstance(forms, str):
            return forms.replace("{n}", number)
        # zero is optional: a sentence says "none" in its own words (a choice's zero variant).
        chosen = forms.get(self.facts.plural_category(figure.value), forms["other"])
        if not isinstance(chosen, str):  # declined: one text per case
            chosen = chosen[case or cases(self.facts.code)[0]]
        return chosen.replace("{n}", number)

    def count_phrase(self, singular: str, plural: str, count: int, case: str | None = None) -> str:
        """A catalog plural message with the locale's number: ``15 فردًا``, ``15 cá nhân``; in a language
        with cases, the message of that case (context ``genitive``: ``لجماعتين``, not ``لجماعتان``)."""
        if case:
            message = self.translations.npgettext(case, singular, plural, count)
        else:
            message = self.translations.ngettext(singular, plural, count)
        return message % {"num": self.number(count)}

    def digits(self, value: object) -> str:
        return self.facts.digits(str(value))

    def figure(self, figure: Figure) -> str:
        """A figure's value as its kind reads: a count, a compact amount of money, a percentage."""
        if figure.kind == "money" and figure.currency:  # the model requires a currency on money
            return self.money(figure.value, figure.currency, figure.approximate)
        if figure.approximate is not None:
            return self._pgettext("approximate amount", "about %(amount)s") % {
                "amount": self.amount(figure.value, figure.approximate)
            }
        if figure.kind == "percent":
            return self.percent(figure.value, 0 if float(figure.value).is_integer() else 1)
        return self.number(figure.value)

    def fill(self, text: str | list, values: PlaceholderValues) -> Markup:
        """Data text with ``{name}`` placeholders replaced by formatted values; the text is escaped.

        A paragraph written as texts and choices by count (``model.Choice``) is first
        made into the sentence its counts select (``values.counts``)."""
        if not isinstance(text, str):
            text = resolve(text, values.counts, self.facts.plural_category)

        def substitute(match) -> str:
            name, style, case = match.groups()
            key = name if style in (None, "value") else ":".join(part for part in (name, style, case) if part)
            return str(escape(values[key]))

        return Markup(PLACEHOLDER.sub(substitute, str(escape(text))))


def _compact_is_exact(value: decimal.Decimal) -> bool:
    """Whether ``576 triệu``-style (two decimals at most, in units of 1000^k as CLDR's long
    forms for Arabic and Vietnamese count) states ``value`` to the last đồng."""
    scale = decimal.Decimal(1000) ** ((len(str(int(value))) - 1) // 3)
    return (value / scale * 100) % 1 == 0


def calendar_period(start: dt.date, end: dt.date) -> str | None:
    """``year``, ``H1``/``H2``, ``Q1``-``Q4`` or ``month`` when start-end is exactly that, else None."""
    if start.day != 1 or start.year != end.year or end != _month_end(end):
        return None
    months = end.month - start.month + 1
    if months == 12:
        return "year"
    if months == 6 and start.month in (1, 7):
        return f"H{start.month // 6 + 1}"
    if months == 3 and start.month in (1, 4, 7, 10):
        return f"Q{start.month // 3 + 1}"
    return "month" if months == 1 else None


def _month_end(value: dt.date) -> dt.date:
    following = dt.date(value.year + 1, 1, 1) if value.month == 12 else dt.date(value.year, value.month + 1, 1)
    return following - dt.timedelta(days=1)
