"""The header map: which column headings name which awardee field, in Vietnamese, Arabic or English.

A heading is a field's name in any of these spellings, followed for a text that has one version
per language by the language code: ``Họ và tên (vi)``, ``الاسم (ar)``, ``name.vi``, ``name [ar]``.
Case, doubled spaces and decomposed accents do not matter. docs/commend-from-a-spreadsheet.md
lists the map; ``new commendation --sheet`` writes headings from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Per field: the spellings accepted; the first of each language is the one templates write.
FIELD_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "id": {"en": ("id",), "vi": ("Mã", "Mã số"), "ar": ("المعرف", "الرمز")},
    "name": {"en": ("name",), "vi": ("Họ và tên", "Tên", "Tên đơn vị", "Tên tập thể"), "ar": ("الاسم",)},
    "position": {"en": ("position",), "vi": ("Chức vụ",), "ar": ("المنصب",)},
    "unit": {"en": ("unit",), "vi": ("Đơn vị", "Đơn vị công tác"), "ar": ("الوحدة", "جهة العمل")},
    "gender": {"en": ("gender",), "vi": ("Giới tính", "Danh xưng"), "ar": ("الجنس",)},
    "book_number": {
        "en": ("book_number", "book number"),
        "vi": ("Số sổ", "Số vào sổ", "Số sổ vàng"),
        "ar": ("رقم السجل",),
    },
    "kind": {"en": ("kind",), "vi": ("Loại", "Hình thức"), "ar": ("النوع",)},
}
# Fields with a fixed set of values, written in the clerk's words: the model's value, then its spellings.
# The gender gives the honorific before the name (Ông / Bà), so the honorific is accepted for it too.
VALUE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {"male": ("male", "Nam", "Ông", "ذكر"), "female": ("female", "Nữ", "Bà", "أنثى")},
}
# Values of the kind column (one table holding both kinds, as a CSV file must).
KIND_VALUES: dict[str, tuple[str, ...]] = {
    "group": ("group", "Tập thể", "مجموعة", "جماعي"),
    "individual": ("individual", "Cá nhân", "فرد", "فردي"),
}
# Sheet names read when the event names none: one sheet per kind.
KIND_SHEETS: dict[str, tuple[str, ...]] = {
    "groups": ("groups", "Tập thể", "المجموعات"),
    "individuals": ("individuals", "Cá nhân", "الأفراد"),
}
_SUFFIX = re.compile(r"^(?P<label>.+?)\s*(?:\((?P<p>[a-z]{2,3})\)|\[(?P<b>[a-z]{2,3})\]|[.:]\s*(?P<d>[a-z]{2,3}))$")


@dataclass(frozen=True)
class Column:
    field: str
    locale: str | None  # the language of a text with one version per language

    def __str__(self) -> str:
        return f"{self.field} ({self.locale})" if self.locale else self.field


def fold(text: str) -> str:
    """What two spellings of one heading have in common: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_BY_LABEL = {
    fold(label): name for name, spellings in FIELD_HEADERS.items() for labels in spellings.values() for label in labels
}


def parse_header(
    text: str, localized: set[str], locales: tuple[str, ...], fields: tuple[str, ...] = ()
) -> Column | None:
    """The column a heading names, or None when it names no known field in a known language.
    ``fields``: the model's field names, each also its own heading."""
    by_label = {**{fold(name): name for name in fields}, **_BY_LABEL}
    folded = fold(text)
    match = _SUFFIX.match(folded)
    if match and match["label"] in by_label:
        field, locale = by_label[match["label"]], match["p"] or match["b"] or match["d"]
        return Column(field, locale) if field in localized and locale in locales else None
    plain = by_label.get(folded)
    if plain is None:
        return None
    if plain in localized:  # one language only: the heading needs no language code
        return Column(plain, locales[0]) if len(locales) == 1 else None
    return Column(plain, None)


def spellings(field: str) -> dict[str, tuple[str, ...]]:
    """A field's headings; a field added to the model and not yet to the map is headed by its name."""
    return FIELD_HEADERS.get(field, {"en": (field,)})


def known_headings(fields: list[str], localized: set[str], locales: tuple[str, ...]) -> list[str]:
    """Every heading accepted for these fields, for "did you mean" suggestions."""
    headings = []
    for field in fields:
        for labels in spellings(field).values():
            for label in labels:
                headings.extend([f"{label} ({code})" for code in locales] if field in localized else [label])
    return headings


def template_heading(column: Column, locales: tuple[str, ...]) -> str:
    """The heading a template sheet writes: in the column's language, else the first language."""
    language = column.locale or locales[0]
    label = spellings(column.field).get(language, spellings(column.field)["en"])[0]
    return f"{label} ({column.locale})" if column.locale else label


def kind_of(value: str) -> str | None:
    folded = fold(value)
    return next((kind for kind, values in KIND_VALUES.items() if folded in map(fold, values)), None)


def default_sheet_kind(name: str) -> str | None:
    folded = fold(name)
    return next((kind for kind, names in KIND_SHEETS.items() if folded in map(fold, names)), None)


def model_value(field: str, text: str) -> str:
    """The model's value for a clerk's word (``Nữ`` -> ``female``); other text unchanged, for the model to judge."""
    words = VALUE_WORDS.get(field)
    if not words:
        return text
    folded = fold(text)
    return next((value for value, spelled in words.items() if folded in map(fold, spelled)), text)


def value_choices(field: str, language: str) -> tuple[str, ...]:
    """The words a template's drop-down offers for a field with fixed values, in ``language``."""
    index = _LANGUAGE_INDEX.get(language, 0)
    return tuple(spelled[min(index, len(spelled) - 1)] for spelled in VALUE_WORDS.get(field, {}).values())


_LANGUAGE_INDEX = {"en": 0, "vi": 1, "ar": 3}  # positions in VALUE_WORDS' spellings
