"""What a counted phrase depends on besides its number: the plural categories and the grammatical case.

CLDR gives each language's plural categories (Arabic: zero, one, two, few,
many, other; Vietnamese: other), which Babel knows. It does not give case:
an Arabic noun after a number changes its ending with its place in the
sentence (``جماعتان`` as a subject, ``جماعتين`` after a preposition), so the
cases, and the categories whose written form always shows the case, are here.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

CASES = {"ar": ("nominative", "accusative", "genitive")}
# The dual (2) always writes its case (-ān nominative, -ayn accusative and genitive); the other
# categories often look the same in unvocalised writing, so their case forms are optional.
CASED_CATEGORIES = {"ar": ("two",)}
ZERO = "zero"


def language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0]


def cases(locale: str) -> tuple[str, ...]:
    """The grammatical cases a counted phrase of ``locale`` is written in (none: one form)."""
    return CASES.get(language(locale), ())


def cased_categories(locale: str) -> tuple[str, ...]:
    return CASED_CATEGORIES.get(language(locale), ())


@cache
def plural_categories(locale: str) -> frozenset[str]:
    """CLDR's plural categories of ``locale``, ``other`` included."""
    return frozenset(Locale.parse(locale).plural_form.tags) | {"other"}


def choice_categories(locale: str) -> frozenset[str]:
    """What a sentence chosen by a count must cover: the CLDR categories, and zero in every
    language ("0 tập thể" is not how a Vietnamese sentence says there were none)."""
    return plural_categories(locale) | {ZERO}
