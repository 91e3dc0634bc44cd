"""The data model: events (meetings), their figures, narrative and awards.

Every visible text is a ``Localized`` mapping with one entry per configured
locale. Figures are typed once; everything derived from them (ratios, counts
of awardees, totals) is computed, never typed a second time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from reporting.errors import Expected, Mismatch, quoted, shown_date, shown_number
from reporting.language.grammar import ZERO, cased_categories, cases, plural_categories
from reporting.tool_language import N_, _, isolate, n_

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
ID_MAX = 64
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=ID_MAX)]
CURRENCY_PATTERN = r"^[A-Z]{3}$"
EMBLEM_PATTERN = r"^assets/[A-Za-z0-9_.-]+\.(png|jpe?g)$"
# Each pattern in words, as messages show it (a secretary cannot be expected to read a regex), and
# the code of a value that does not match it.
PATTERN_RULES = {
    ID_PATTERN: (
        N_(
            "an id of lowercase letters a-z, digits 0-9, '-' and '_', starting with a letter or digit, "
            "at most {count} characters (such as 'directive-35-review')"
        ),
        "invalid-id",
    ),
    CURRENCY_PATTERN: (N_("a three-letter currency code in capitals (such as 'VND')"), "invalid-currency"),
    EMBLEM_PATTERN: (
        N_(
            "an image under templates/assets/ named with letters, digits, '.', '-' and '_', "
            "ending in .png, .jpg or .jpeg (such as 'assets/emblem.png')"
        ),
        "invalid-image-name",
    ),
}


def pattern_rule(pattern: str) -> tuple[str, str]:
    """A pattern's rule in the tool's language, and the code of a value breaking it."""
    words, code = PATTERN_RULES[pattern]
    return _(words).format(count=shown_number(ID_MAX)), code


def id_problem(text: str) -> Expected | None:
    """Why ``text`` is not a valid id (the rule in words), or None when it is one."""
    if re.fullmatch(ID_PATTERN, text) and len(text) <= ID_MAX:
        return None
    rule, code = pattern_rule(ID_PATTERN)
    return Expected(rule, quoted(text), code=code)


MAX_TEXT = 5000
# Invisible characters that reorder text: in data they can make a name read
# differently from what it says (the "Trojan source" trick), so they are refused;
# the pipeline inserts its own isolation where it is needed (reporting/language/bidi.py).
BIDI_CONTROLS = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


def clean_text(text: str) -> str:
    """Text as the documents need it: NFC (decomposed Vietnamese extracts like precomposed), no controls."""
    text = unicodedata.normalize("NFC", text)
    if len(text) > MAX_TEXT:
        raise Mismatch(
            n_("at most {count} character", "at most {count} characters", MAX_TEXT).format(
                count=shown_number(MAX_TEXT)
            ),
            shown_number(len(text)),
            code="too-long",
        )
    if text and unicodedata.category(text[0]).startswith("M"):
        raise Mismatch(
            _("text starting with a letter"),
            _("the lone combining mark {character} at character {position}").format(
                character=_character(text[0]), position=shown_number(1)
            ),
            code="lone-combining-mark",
        )
    for position, char in enumerate(text, 1):
        if char in BIDI_CONTROLS:
            raise Mismatch(
                _("text without bidi control characters"),
                _("{character} at character {position}").format(
                    character=isolate(f"U+{ord(char):04X} {BIDI_CONTROLS[char]}"), position=shown_number(position)
                ),
                code="bidi-control",
            )
        if unicodedata.category(char) in ("Zl", "Zp"):  # PDF fonts draw no glyph for them; nor does Word
            raise Mismatch(
                _("text without line or paragraph separators"),
                _(
                    "{character} at character {position} (a line break pasted from a word processor; "
                    "start a new paragraph in the YAML instead)"
                ).format(character=_character(char), position=shown_number(position)),
                code="line-separator",
            )
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            raise Mismatch(
                _("text without control characters"),
                _("{character} at character {position}").format(
                    character=isolate(f"U+{ord(char):04X}"), position=shown_number(position)
                ),
                code="control-character",
            )
    return text


def _character(char: str) -> str:
    """``U+2028 LINE SEPARATOR``: a character no one can see, named as Unicode names it."""
    return isolate(f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip())


Text = Annotated[str, AfterValidator(clean_text)]
# {name}, {name:style}, {name:counted:case} (the case only in languages that decline: Arabic).
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?::([a-z]+)(?::([a-z]+))?)?\}")
PLACEHOLDER_STYLES = ("value", "counted")
EVENT_PLACEHOLDERS = ("date", "period")
# Counted from the awards, phrased by the catalog's plural forms ("10 مجموعات", "15 cá nhân").
AWARD_PLACEHOLDERS = ("awarded_groups", "awarded_individuals")


class Strict(BaseModel):
    """Unknown fields are errors, and nothing is silently coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Localized(RootModel[dict[str, Text]]):
    """One text in every configured locale: ``{ar: ..., vi: ...}``."""

    model_config = ConfigDict(strict=True, frozen=True)

    @field_validator("root")
    @classmethod
    def _every_locale(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        locales = (info.context or {}).get("locales")
        if locales:
            _check_locale_keys(value, locales)
        for code, text in value.items():
            if not text.strip():
                raise Mismatch(_empty_text(code), _("an empty string"), code="empty-text")
        return value

    def __getitem__(self, locale: str) -> str:
        return self.root[locale]


def _empty_text(code: str) -> str:
    return _("text in {locale}").format(locale=quoted(code))


class Counted(RootModel[dict[str, Text | dict[str, Text | dict[str, Text]]]]):
    """How a count reads in each locale, by CLDR plural category and, where the language declines, by case.

    A locale maps to one phrase, or to one phrase per category (``one``,
    ``two``, ``few``, ``many``, ``other``; ``zero`` is optional, since a
    sentence says "none" in its own words, see ``Choice``); ``{n}`` stands for
    the formatted number, and may be left out where the language writes the
    number as a word (Arabic 1 and 2). In a language with cases (``language/grammar.py``)
    a category's phrase may be a mapping ``{nominative, accusative, genitive}``,
    and must be for the categories whose ending always shows the case (the dual).
    """

    model_config = ConfigDict(strict=True, frozen=True)

    @field_validator("root")
    @classmethod
    def _every_category(cls, value: dict, info: ValidationInfo) -> dict:
        locales = (info.context or {}).get("locales")
        if locales:
            _check_locale_keys(value, locales)
        for code, forms in value.items():
            if not isinstance(forms, str):
                _check_categories(code, forms)
        return value


def _check_categories(code: str, forms: dict) -> None:
    allowed = plural_categories(code)
    needed = allowed - {ZERO}
    missing, unknown = sorted(needed - set(forms)), sorted(set(forms) - allowed)
    if missing:
        raise Mismatch(
            _("plural forms {forms} for {locale}").format(forms=_names(sorted(needed)), locale=quoted(code)),
            _("{forms} missing").format(forms=_names(missing)),
            code="missing-plural-form",
        )
    if unknown:
        raise Mismatch(
            _("plural forms {forms} for {locale}").format(forms=_names(sorted(allowed)), locale=quoted(code)),
            _("unknown {forms}").format(forms=_names(unknown)),
            code="unknown-plural-form",
        )
    for category, phrase in forms.items():
        _check_cases(code, category, phrase)


def _check_cases(code: str, category: str, phrase: str | dict) -> None:
    names = cases(code)
    if isinstance(phrase, str):
        if category in cased_categories(code):
            raise Mismatch(
                _("{category} in {locale} as a phrase per case ({cases}): its ending changes with the case").format(
                    category=quoted(category), locale=quoted(code), cases=_names(names)
                ),
                _("one phrase"),
                code="missing-case",
            )
        return
    if not names:
        raise Mismatch(
            _("one phrase for {category} in {locale} (the language has no cases)").format(
                category=quoted(category), locale=quoted(code)
            ),
            _("a mapping"),
            code="unexpected-case",
        )
    if set(phrase) != set(names):
        raise Mismatch(
            _("the cases {cases} for {category} in {locale}").format(
                cases=_names(names), category=quoted(category), locale=quoted(code)
            ),
            _names(list(phrase)) or _("none"),
            code="missing-case",
        )


def _names(names) -> str:
    """Names from the schema or the file (locales, plural forms, cases) listed in a message: ``ar, vi``."""
    return isolate(", ".join(names)) if names else ""


def _check_locale_keys(value: dict, locales: tuple[str, ...]) -> None:
    missing = [code for code in locales if code not in value]
    unknown = [code for code in value if code not in locales]
    if missing or unknown:
        raise Mismatch(
            _("texts for locales {locales}").format(locales=_names(locales)),
            _names(list(value)) or _("none"),
            code="wrong-locales",
        )


CATEGORY_KEY = re.compile(r"^[a-z]+(?: [a-z]+)*$")


class Choice(RootModel[dict[str, "Variant"]]):
    """Part of a sentence chosen by a count, like ICU MessageFormat's ``plural``.

    ``count`` names the count (a figure, ``awarded_groups``, ``awarded_individuals``);
    every other key lists the categories its variant is for, separated by spaces:
    ``zero`` (the count is 0, in every language), then the locale's CLDR categories
    (``one two``, ``few many other``). A variant is a text, a further choice, or a list
    of texts and choices, so two counts of one sentence each choose their words.
    Which keys a locale needs is checked with the rest of the narrative (``narrative_rules.py``).
    """

    model_config = ConfigDict(strict=True, frozen=True)

    @field_validator("root")
    @classmethod
    def _shape(cls, value: dict) -> dict:
        count = value.get("count")
        if not isinstance(count, str) or not re.match(ID_PATTERN, count):
            raise Mismatch(
                _("{example} in a choice").format(example=isolate("count: <name of a count>")),
                quoted(count) if isinstance(count, str) else isolate(repr(count)),
                code="choice-without-count",
            )
        for key in value:
            if key != "count" and not CATEGORY_KEY.match(key):
                raise Mismatch(
                    _("plural categories as keys (zero, one, two, few, many, other, several separated by spaces)"),
                    quoted(key),
                    code="unknown-plural-form",
                )
        return value

    @property
    def count(self) -> str:
        count = self.root["count"]
        assert isinstance(count, str)  # the validator above checks it names a count
        return count

    def variants(self) -> dict[str, Variant]:
        return {key: variant for key, variant in self.root.items() if key != "count"}


Variant = Text | Choice | list[Text | Choice]
Choice.model_rebuild()


class Narrative(RootModel[dict[str, Text | list[Text | Choice]]]):
    """A paragraph in every locale: a text, or texts and choices by count read one after another."""

    model_config = ConfigDict(strict=True, frozen=True)

    @field_validator("root")
    @classmethod
    def _every_locale(cls, value: dict, info: ValidationInfo) -> dict:
        locales = (info.context or {}).get("locales")
        if locales:
            _check_locale_keys(value, locales)
        for code, text in value.items():
            if not text or (isinstance(text, str) and not text.strip()):
                raise Mismatch(_empty_text(code), _("an empty string"), code="empty-text")
        return value

    def __getitem__(self, locale: str) -> str | list:
        return self.root[locale]


class Person(Strict):
    name: Localized
    role: Localized | None = None


class Signer(Strict):
    """Who signs: the authority prefix, the title, the name (Decree 30/2020, Guidance 36-HD/VPTW).

    ``authority`` is the line above the title when one signs for a collective body
    (``TM. ỦY BAN NHÂN DÂN``, Party ``T/M BAN THƯỜNG VỤ``) or for a superior (``KT.``,
    ``Q.``, ``TL.``, ``TUQ.``); ``title`` is the signer's own (``CHỦ TỊCH``), printed in
    capitals; ``role`` is the longer description the narrative may use.
    """

    name: Localized
    title: Localized | None = None
    authority: Localized | None = None
    role: Localized | None = None


# The abbreviations a number and symbol joins: document kind (BC, QĐ) and body (UBND, TU, TTr).
Code = Annotated[str, Field(pattern=r"^[A-ZĐ][A-Za-zĐđ]{0,11}(-[A-ZĐ][A-Za-zĐđ]{0,11}){0,2}$")]


class IssuingBody(Strict):
    """The body a document comes from, under its parent body (printed above it, not bold)."""

    parent: Localized | None = None
    name: Localized
    code: Code


class DocumentFormat(Strict):
    """How one document is issued: the system whose format it follows, who issues and signs it, who gets it.

    ``state``: Decree 30/2020/ND-CP, Appendix I (``Số: 05/BC-TTr``); ``party``: Guidance
    36-HD/VPTW (``ĐẢNG CỘNG SẢN VIỆT NAM`` heading, ``Số 15-BC/TU``).
    """

    system: Literal["state", "party"]
    body: IssuingBody
    kind: Localized
    kind_code: Code | None = None
    number: Annotated[StrictInt, Field(ge=1, le=99999)] | None = None
    summary: Localized | None = None
    signer: Signer | None = None
    recipients: list[Localized] = []
    # The copies kept, after "Lưu:" (state: "VT, TTr"; party: "Văn phòng Tỉnh ủy").
    archive: Localized | None = None
    # true when the number, signer or recipients are invented, as the awards may be.
    sample_data: StrictBool = False

    @model_validator(mode="after")
    def _number_has_a_kind(self) -> DocumentFormat:
        if self.number is not None and self.kind_code is None:
            raise Mismatch(
                _("{field} (e.g. BC) with a number").format(field=isolate("kind_code")),
                _("none"),
                code="missing-field",
            )
        if self.recipients and self.archive is None:
            raise Mismatch(
                _('{field} (the "Lưu:" line, e.g. vi: VT, TTr) with recipients').format(field=isolate("archive")),
                _("none"),
                code="missing-field",
            )
        return self


class Documents(Strict):
    """The documents an event's data makes, each with its format; a missing one is a plain State document."""

    report: DocumentFormat | None = None
    awardees: DocumentFormat | None = None


class Attendee(Strict):
    """Someone present: a named person with a role, or a role standing for a group."""

    name: Localized | None = None
    role: Localized


class Figure(Strict):
    """One reported figure; ``label`` names it in the key-figures table."""

    value: Annotated[StrictInt | StrictFloat, Field(ge=0)]
    kind: Literal["count", "money", "percent", "number"] = "count"
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)] | None = None
    label: Localized
    counted: Counted | None = None
    # Only when the source states an approximation: the unit the amount is rounded to (1000000:
    # to the nearest million), printed with "about" ("khoảng 576 triệu đồng"). Otherwise exact.
    approximate: Annotated[StrictInt, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _money_has_currency(self) -> Figure:
        if self.kind == "money" and not self.currency:
            raise Mismatch(_("a currency code (e.g. VND) for a money figure"), _("none"), code="missing-currency")
        if self.kind != "money" and self.currency:
            raise Mismatch(
                _("no currency for a figure of kind {kind}").format(kind=isolate(self.kind)),
                isolate(self.currency),
                code="unexpected-currency",
            )
        if self.kind == "count" and not isinstance(self.value, int):
            raise Mismatch(_("a whole number for a count"), shown_number(self.value), code="wrong-type")
        if self.approximate is not None and self.kind not in ("money", "number"):
            raise Mismatch(
                _("{field} only on a money or number figure").format(field=quoted("approximate")),
                _("it on a figure of kind {kind}").format(kind=isolate(self.kind)),
                code="unexpected-field",
            )
        return self


class Ratio(Strict):
    """A share computed from two figures (``part`` of ``whole``), shown as a percentage."""

    part: Id
    whole: Id
    label: Localized
    decimals: Annotated[StrictInt, Field(ge=0, le=3)] = 1
    # The percentage as a source printed it (e.g. 99.2), kept only to be checked against part/whole.
    stated_percent: Annotated[StrictInt | StrictFloat, Field(ge=0, le=100)] | None = None


class Period(Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise Mismatch(
                _("end on or after start ({start})").format(start=shown_date(self.start)),
                shown_date(self.end),
                code="date-order",
            )
        return self


class Section(Strict):
    """A part of the narrative; ``style: list`` prints the paragraphs as a numbered list."""

    heading: Localized | None = None
    style: Literal["paragraphs", "list"] = "paragraphs"
    paragraphs: Annotated[list[Narrative], Field(min_length=1)]


# A certificate's entry in the register of awards ("Số sổ vàng"), as the office writes it.
BookNumber = Annotated[Text, Field(max_length=40)]


class Group(Strict):
    id: Id
    name: Localized
    book_number: BookNumber | None = None


class Individual(Strict):
    id: Id
    name: Localized
    position: Localized | None = None
    unit: Localized | None = None
    # Gives the honorific before the name on a certificate (vi: Ông / Bà).
    gender: Literal["male", "female"] | None = None
    book_number: BookNumber | None = None


class AwardSheets(Strict):
    """Which sheet of ``Awards.source`` holds each kind (default: sheets named after the kinds)."""

    groups: Text | None = None
    individuals: Text | None = None


class Awards(Strict):
    """Certificates of merit conferred at the event."""

    sample_data: StrictBool = False
    # A spreadsheet beside the YAML holding groups and individuals (reporting/source/sheet_awards.py).
    source: Annotated[str, Field(pattern=r"^[^/\\.][^/\\]*\.(xlsx|ods|csv|XLSX|ODS|CSV)$")] | None = None
    sheets: AwardSheets | None = None
    include_hidden: StrictBool = False  # hidden rows and sheets of the source are read, not refused
    # "data": lists and the combined print file follow the file; "sorted": each language's name order.
    order: Literal["data", "sorted"] = "data"
    award: Localized
    conferred_by: Localized
    citation: Localized
    decision: Text | None = None
    decision_date: dt.date | None = None
    # An image under templates/assets/ printed at the top of each certificate, e.g. assets/emblem.png.
    emblem: Annotated[str, Field(pattern=EMBLEM_PATTERN)] | None = None
    place: Localized | None = None
    date: dt.date | None = None
    signatory: Signer
    groups: list[Group] = []
    individuals: list[Individual] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> Awards:
        seen: set[str] = set()
        awardees: list[Group | Individual] = [*self.groups, *self.individuals]
        for awardee in awardees:
            if awardee.id in seen:
                raise Mismatch(
                    _("each awardee id once"), _("{id} twice").format(id=quoted(awardee.id)), code="duplicate-id"
                )
            seen.add(awardee.id)
        return self


class Event(Strict):
    """One meeting: who met, what they found, what they decided, whom they commended."""

    id: Id
    sample_data: StrictBool = False
    parent_body: Localized | None = None
    issuer: Localized
    title: Localized
    place: Localized
    date: dt.date
    part_of_day: Literal["morning", "afternoon", "evening"] | None = None
    period: Period
    chair: Person
    attendees: list[Attendee] = []
    figures: dict[Id, Figure] = {}
    ratios: dict[Id, Ratio] = {}
    key_figures: list[Id] = []
    sections: list[Section] = []
    reporters: list[Localized] = []
    awards: Awards | None = None
    documents: Documents = Documents()
