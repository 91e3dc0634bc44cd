"""Fonts preflight: every character of every text must be in its locale's fonts, before rendering.

WeasyPrint falls back to whatever font the machine has for a missing
character, silently (DESIGN.md §4), so a name with one unusual letter would
print in a different typeface, or as a box, on someone's certificate.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from pydantic import BaseModel, RootModel

from reporting.config import Project
from reporting.errors import DataError, Expected, Problem, TemplateError
from reporting.source.load import SourcedEvent
from reporting.source.model import Counted, Localized, Narrative
from reporting.source.yaml_reader import Path_
from reporting.tool_language import _, isolate

# The only characters no font has to map: white space HTML collapses. Every other one, spaces and
# zero-width characters included, must be in the locale's fonts: for a character they lack (U+1680
# OGHAM SPACE MARK, say) WeasyPrint silently embeds a system font (DejaVu) to draw it.
_COLLAPSED = {"\n", "\t", "\r"}


@cache
def font_characters(path: Path) -> frozenset[int]:
    """The code points a font maps (its cmap), read once per process (from the cache folder when there)."""
    from reporting.font_facts import font_facts

    return font_facts(path).characters


@cache
def _drawable(templates_dir: Path, fonts: tuple[str, ...]) -> frozenset[int]:
    """Every code point one of ``fonts`` maps: one set look-up per character of the data."""
    return frozenset().union(*(font_characters(templates_dir / name) for name in fonts))


def check_fonts(project: Project, events: list[SourcedEvent]) -> None:
    """Raise one DataError naming every character, field and font that do not go together."""
    problems: list[Problem] = []
    for item in events:
        for where, locale, text in data_texts(item.event, ()):
            if locale is None:  # a code or number printed as it is in every language's documents
                problems.extend(_first_per_text(project, item, where, tuple(project.locales), text))
            elif locale in project.locales:
                problems.extend(_text_problems(project, item, where + (locale,), locale, text))
    if problems:
        raise DataError(problems)


def _first_per_text(
    project: Project, item: SourcedEvent, where: Path_, locales: tuple[str, ...], text: str
) -> list[Problem]:
    """One language's problems with a text every language prints (the same character would repeat them)."""
    for locale in locales:
        problems = _text_problems(project, item, where, locale, text)
        if problems:
            return problems
    return []


def _text_problems(project: Project, item: SourcedEvent, where: Path_, locale: str, text: str) -> list[Problem]:
    return [item.source.problem(where, message) for message in undrawable(project, locale, text)]


def undrawable(project: Project, locale: str, text: str) -> list[Expected]:
    """A message for each distinct character of ``text`` that none of the locale's faces has, in text order."""
    faces = project.faces(locale)
    fonts = tuple(path for face in faces for path in face.files)
    drawable = _drawable(project.templates_dir, fonts)
    messages = []
    for char in dict.fromkeys(text):
        if char in _COLLAPSED:
            continue
        if ord(char) not in drawable:
            messages.append(
                Expected(
                    _("characters the {locale} fonts can draw").format(locale=isolate(repr(locale))),
                    _("{code} {name} ({character}) in none of {files}").format(
                        code=isolate(f"U+{ord(char):04X}"),
                        name=isolate(unicodedata.name(char, "unnamed character")),
                        character=isolate(repr(char)),
                        files=", ".join(isolate(Path(path).name) for path in fonts),
                    ),
                    _(" (the faces {faces} of [fonts])").format(faces=", ".join(isolate(face.name) for face in faces)),
                    code="character-not-in-fonts",
                )
            )
    return messages


def data_texts(value: object, where: Path_):
    """Every (path, locale, text) in a model tree: Localized texts, Counted forms and paragraphs with their
    locale, and every other text (decision numbers, codes, ids) with None: all are printed."""
    if isinstance(value, str):
        yield where, None, value
    elif isinstance(value, Localized):
        for locale, text in value.root.items():
            yield where, locale, text
    elif isinstance(value, (Counted, Narrative)):
        for locale, forms in value.root.items():
            for text in _strings(forms):
                yield where, locale, text
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from data_texts(getattr(value, name), where + (name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from data_texts(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from data_texts(item, where + (index,))


def _strings(value: object):
    """The texts of a counted phrase or a paragraph, however nested (cases, choices, variants)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, RootModel):
        yield from _strings(value.root)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_rendered_text(project: Project, locale: str, html: str, what: str) -> None:
    """The same check on a rendered document, for text that comes from templates and catalogs."""
    import html as html_module
    import re

    body = html.split("<body", 1)[-1]
    text = html_module.unescape(re.sub(r"<[^>]*>", " ", body))
    messages = undrawable(project, locale, "".join(sorted(set(text))))
    if messages:
        raise TemplateError(f"{what}: {messages[0]}")
