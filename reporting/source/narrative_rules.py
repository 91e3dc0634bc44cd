"""What ``check`` requires of the narrative: known placeholders, and every variant a sentence with counts needs.

A count in a sentence is written inside a choice on that count (``model.Choice``)
which covers zero and every CLDR category of the language, so no reader ever
sees "0 tập thể" or "لا جماعات" in the middle of a sentence, and the verbs and
pronouns that agree with the count can change with it. In a language that
declines (Arabic), each counted phrase names its case: ``{groups:counted:genitive}``.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Sequence

from reporting.errors import QUOTE_LIMIT, Expected, Problem, quoted
from reporting.language.grammar import ZERO, cases, choice_categories
from reporting.source.model import AWARD_PLACEHOLDERS, EVENT_PLACEHOLDERS, PLACEHOLDER, Choice, Event
from reporting.source.schema_problems import did_you_mean
from reporting.source.yaml_reader import LoadedYaml, Path_
from reporting.tool_language import N_, _, isolate

STYLES = ("value", "counted", "fraction")
# Where a message is found and the choices around it: (count name, the categories of the branch).
Enclosing = tuple[tuple[str, frozenset[str]], ...]


def narrative_problems(event: Event, source: LoadedYaml) -> list[Problem]:
    problems = []
    for s_index, section in enumerate(event.sections):
        for p_index, paragraph in enumerate(section.paragraphs):
            for code, text in paragraph.root.items():
                where = ("sections", s_index, "paragraphs", p_index, code)
                problems += [source.problem(at, message) for at, message in _walk(event, code, text, where, ())]
    return problems


def count_names(event: Event) -> set[str]:
    """What a choice can choose by: the count figures, and the awards' counts."""
    names = {name for name, figure in event.figures.items() if figure.kind == "count"}
    return names | (set(AWARD_PLACEHOLDERS) if event.awards else set())


def _walk(event: Event, code: str, text, where: Path_, enclosing: Enclosing) -> Iterator[tuple[Path_, Expected]]:
    if isinstance(text, str):
        for message in _text_problems(event, code, text, enclosing):
            yield where, message
        return
    if isinstance(text, Choice):
        yield from _choice_problems(event, code, text, where, enclosing)
        return
    for index, piece in enumerate(text):
        if isinstance(piece, Choice):
            yield from _choice_problems(event, code, piece, where + (index,), enclosing)
        else:
            yield from _walk(event, code, piece, where + (index,), enclosing)


def _choice_problems(
    event: Event, code: str, choice: Choice, where: Path_, enclosing: Enclosing
) -> Iterator[tuple[Path_, Expected]]:
    counts = count_names(event)
    if choice.count not in counts:
        yield (
            where + ("count",),
            _unknown(N_("a known count (a figure of kind count, or an award count)"), choice.count, counts),
        )
    needed = choice_categories(code)
    seen = Counter(category for key in choice.variants() for category in key.split())
    unknown = sorted(set(seen) - needed)
    twice = sorted(category for category, times in seen.items() if times > 1 and category in needed)
    missing = sorted(needed - set(seen))
    expected = _("one variant for each of {categories} in {locale}").format(
        categories=_names(sorted(needed)), locale=quoted(code)
    )
    if unknown:
        yield (
            where,
            Expected(
                expected, _("unknown {categories}").format(categories=_names(unknown)), code="unknown-plural-form"
            ),
        )
    if twice:
        yield (
            where,
            Expected(
                expected, _("{categories} in two variants").format(categories=_names(twice)), code="duplicate-variant"
            ),
        )
    if missing:
        yield (
            where,
            Expected(
                expected, _("no variant for {categories}").format(categories=_names(missing)), code="missing-variant"
            ),
        )
    for key, variant in choice.variants().items():
        inner = enclosing + ((choice.count, frozenset(key.split())),)
        yield from _walk(event, code, variant, where + (key,), inner)


def _text_problems(event: Event, code: str, text: str, enclosing: Enclosing) -> Iterator[Expected]:
    for match in PLACEHOLDER.finditer(text):
        name, style, case = match.groups()
        message = placeholder_problem(event, code, name, style, case, enclosing)
        if message:
            yield message
    rest = PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        yield Expected(
            _("placeholders like {example} or {counted}").format(
                example=isolate("{name}"), counted=isolate("{name:counted}")
            ),
            _("a stray brace"),
            code="stray-brace",
        )


def placeholder_problem(
    event: Event, code: str, name: str, style: str | None, case: str | None, enclosing: Enclosing
) -> Expected | None:
    known = (
        set(event.figures)
        | set(event.ratios)
        | set(EVENT_PLACEHOLDERS)
        | (set(AWARD_PLACEHOLDERS) if event.awards else set())
    )
    if name not in known:
        return _unknown(N_("a known placeholder"), "{" + name + "}", known)
    if style not in (None, *STYLES):
        return Expected(
            _("a placeholder style value, counted or fraction"), quoted(style), code="unknown-placeholder-style"
        )
    if style == "fraction" and name not in event.ratios:
        return Expected(
            _("{placeholder} to name a ratio").format(placeholder=isolate(f"{{{name}:fraction}}")),
            _("{name} is not one").format(name=quoted(name)),
            code="fraction-without-ratio",
        )
    if style != "counted":
        if not case:
            return None
        return Expected(
            _("a case only after {counted}").format(counted=isolate(":counted")),
            quoted(f"{{{name}:{style}:{case}}}"),
            code="unexpected-case",
        )
    if name not in AWARD_PLACEHOLDERS and not (name in event.figures and event.figures[name].counted):
        return Expected(
            _("{placeholder} to name a figure with {counted} forms").format(
                placeholder=isolate(f"{{{name}:counted}}"), counted=quoted("counted")
            ),
            _("none for {name}").format(name=quoted(name)),
            code="counted-without-forms",
        )
    return _case_problem(code, name, case) or _zero_problem(name, enclosing)


def _case_problem(code: str, name: str, case: str | None) -> Expected | None:
    names = cases(code)
    if names and case not in names:
        return Expected(
            _(
                "{placeholder} with CASE one of {cases} in {locale} (the noun after a number changes with its "
                "place in the sentence)"
            ).format(placeholder=isolate(f"{{{name}:counted:CASE}}"), cases=_names(names), locale=quoted(code)),
            quoted(case) if case else _("none"),
            code="missing-case",
        )
    if not names and case:
        return Expected(
            _("{placeholder} without a case in {locale} (the language has none)").format(
                placeholder=isolate(f"{{{name}:counted}}"), locale=quoted(code)
            ),
            quoted(case),
            code="unexpected-case",
        )
    return None


def _zero_problem(name: str, enclosing: Enclosing) -> Expected | None:
    branches = [categories for count, categories in enclosing if count == name]
    if not branches:
        return Expected(
            _(
                "{placeholder} inside a choice on {name} ({count} with a variant for each category, zero included)"
            ).format(placeholder=isolate(f"{{{name}:counted}}"), name=isolate(name), count=quoted(f"count: {name}")),
            _("it outside one"),
            code="counted-outside-choice",
        )
    if ZERO in branches[-1]:
        return Expected(
            _("no {placeholder} in the zero variant of its choice (it would print 0)").format(
                placeholder=isolate(f"{{{name}:counted}}")
            ),
            _("one"),
            code="counted-in-zero-variant",
        )
    return None


def _names(names: Sequence[str]) -> str:
    """Plural categories or cases listed in a message, as the data writes them: ``few, many, other``."""
    return isolate(", ".join(names))


def _unknown(expected: str, found: str, known) -> Expected:
    """``expected`` (marked with N_): a name the narrative uses that names nothing, with the nearest known one."""
    close = difflib.get_close_matches(found, sorted(known), n=1) if len(found) <= QUOTE_LIMIT else []
    return Expected(_(expected), quoted(found) + did_you_mean(close), code="unknown-reference")
