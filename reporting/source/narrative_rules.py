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
from collections.abc import Iterator

from reporting.errors import QUOTE_LIMIT, Expected, Problem, shorten
from reporting.language.grammar import ZERO, cases, choice_categories
from reporting.source.model import AWARD_PLACEHOLDERS, EVENT_PLACEHOLDERS, PLACEHOLDER, Choice, Event
from reporting.source.yaml_reader import LoadedYaml, Path_

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
        yield where + ("count",), _unknown("count (a figure of kind count, or an award count)", choice.count, counts)
    needed = choice_categories(code)
    seen = Counter(category for key in choice.variants() for category in key.split())
    unknown = sorted(set(seen) - needed)
    twice = sorted(category for category, times in seen.items() if times > 1 and category in needed)
    missing = sorted(needed - set(seen))
    expected = f"one variant for each of {', '.join(sorted(needed))} in '{code}'"
    if unknown:
        yield where, Expected(expected, f"unknown {', '.join(unknown)}")
    if twice:
        yield where, Expected(expected, f"{', '.join(twice)} in two variants")
    if missing:
        yield where, Expected(expected, f"no variant for {', '.join(missing)}")
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
        yield Expected("placeholders like {name} or {name:counted}", "a stray brace")


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
        return _unknown("placeholder", "{" + name + "}", known)
    if style not in (None, *STYLES):
        return Expected("a placeholder style value, counted or fraction", f"'{style}'")
    if style == "fraction" and name not in event.ratios:
        return Expected(f"{{{name}:fraction}} to name a ratio", f"'{name}' is not one")
    if style != "counted":
        return Expected("a case only after :counted", f"'{{{name}:{style}:{case}}}'") if case else None
    if name not in AWARD_PLACEHOLDERS and not (name in event.figures and event.figures[name].counted):
        return Expected(f"{{{name}:counted}} to name a figure with 'counted' forms", f"none for '{name}'")
    return _case_problem(code, name, case) or _zero_problem(name, enclosing)


def _case_problem(code: str, name: str, case: str | None) -> Expected | None:
    names = cases(code)
    if names and case not in names:
        found = f"'{case}'" if case else "none"
        return Expected(
            f"{{{name}:counted:CASE}} with CASE one of {', '.join(names)} in '{code}' (the noun after "
            f"a number changes with its place in the sentence)",
            found,
        )
    if not names and case:
        return Expected(f"{{{name}:counted}} without a case in '{code}' (the language has none)", f"'{case}'")
    return None


def _zero_problem(name: str, enclosing: Enclosing) -> Expected | None:
    branches = [categories for count, categories in enclosing if count == name]
    if not branches:
        return Expected(
            f"{{{name}:counted}} inside a choice on {name} ('count: {name}' with a variant for each "
            f"category, zero included)",
            "it outside one",
        )
    if ZERO in branches[-1]:
        return Expected(f"no {{{name}:counted}} in the zero variant of its choice (it would print 0)", "one")
    return None


def _unknown(kind: str, found: str, known) -> Expected:
    close = difflib.get_close_matches(found, sorted(known), n=1) if len(found) <= QUOTE_LIMIT else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return Expected(f"a known {kind}", f"'{shorten(found)}'{hint}")
