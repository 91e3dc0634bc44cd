"""Sentences chosen by counts: a paragraph's texts and choices (``model.Choice``) made into one text.

Babel's gettext picks a message by one number; a sentence of the narrative
can hold two counts ("for 10 groups and 15 individuals") and must say "none"
differently from "3", so the data writes the variants itself, ICU
MessageFormat style, and this module reads the variant each count selects.
"""

from __future__ import annotations

from collections.abc import Callable

from reporting.language.grammar import ZERO
from reporting.source.model import Choice, Variant


class PlaceholderValues(dict):
    """What each ``{placeholder}`` of the data stands for, and the counts that choose sentences."""

    def __init__(self, texts: dict[str, str], counts: dict[str, float]):
        super().__init__(texts)
        self.counts = counts


def category_key(choice: Choice, category: str) -> str:
    """The key of ``choice`` whose variant is for ``category`` (``few`` is in ``few many other``)."""
    return next(key for key in choice.variants() if category in key.split())


def chosen(choice: Choice, count: float, category_of: Callable[[float], str]) -> Variant:
    """The variant for ``count``: ``zero`` when it is 0 (in every language), else its CLDR category's."""
    category = ZERO if count == 0 else category_of(count)
    return choice.variants()[category_key(choice, category)]


def resolve(text: Variant, counts: dict[str, float], category_of: Callable[[float], str]) -> str:
    """A paragraph text with every choice replaced by the variant its count selects."""
    if isinstance(text, str):
        return text
    if isinstance(text, Choice):
        return resolve(chosen(text, counts[text.count], category_of), counts, category_of)
    parts = []
    for piece in text:
        if isinstance(piece, Choice):
            parts.append(resolve(chosen(piece, counts[piece.count], category_of), counts, category_of))
        else:
            parts.append(piece)
    return "".join(parts)
