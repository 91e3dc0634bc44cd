"""Per-locale facts: direction, digit system and fonts, and the Babel calls that use them.

This is the only module that calls Babel's formatting functions; templates
reach it through the filters in ``filters.py``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from babel import Locale, dates, numbers

from reporting.config import LocaleSettings

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Babel quantizes in the current decimal context, so the locale's rule (reporting.toml) is set there.
ROUNDING = {"half-up": decimal.ROUND_HALF_UP, "half-even": decimal.ROUND_HALF_EVEN}


@dataclass(frozen=True)
class LocaleFacts:
    """Everything a document needs to know about the language it is written in."""

    settings: LocaleSettings

    @property
    def code(self) -> str:
        return self.settings.code

    @cached_property
    def babel(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def direction(self) -> str:
        return "rtl" if self.babel.text_direction == "rtl" else "ltr"

    @property
    def numbering_system(self) -> str:
        return self.settings.digits

    def digits(self, text: str) -> str:
        """Write the digits of ``text`` in this locale's digit system.

        Babel's ``numbering_system`` switches only the separators (DESIGN.md
        §4), so the digits themselves are mapped here, once, for every number
        the documents show: figures, dates, percentages, serials.
        """
        return text.translate(ARABIC_INDIC) if self.settings.digits == "arab" else text

    def rounding(self) -> AbstractContextManager[decimal.Context]:
        """The locale's rounding rule for the Babel calls made inside it."""
        return decimal.localcontext(rounding=ROUNDING[self.settings.rounding])

    def decimal(self, value: float | Decimal, decimals: int | None = None) -> str:
        pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
        with self.rounding():
            text = numbers.format_decimal(
                value, format=pattern, locale=self.babel, numbering_system=self.numbering_system
            )
        return self.digits(text)

    def percent(self, fraction: float | Decimal, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        with self.rounding():
            text = numbers.format_percent(
                fraction, format=pattern, locale=self.babel, numbering_system=self.numbering_system
            )
        if self.settings.digits == "arab":
            # Babel keeps the pattern's ASCII '%'; Arabic-Indic digits take the Arabic percent sign.
            text = text.replace("%", self.babel.number_symbols["arab"]["percentSign"])
        return self.digits(text)

    def compact(self, value: float | Decimal) -> str:
        """576000000 -> ``576 triệu`` / ``576 مليون`` (CLDR long compact form)."""
        with self.rounding():
            text = numbers.format_compact_decimal(
                value, format_type="long", fraction_digits=2, locale=self.babel, numbering_system=self.numbering_system
            )
        return self.digits(text)

    def date(self, value: dt.date, pattern: str) -> str:
        return self.digits(dates.format_date(value, pattern, locale=self.babel))

    def plural_category(self, count: float) -> str:
        return self.babel.plural_form(count)
