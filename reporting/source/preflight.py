"""Fonts preflight: every character of every text must be in its locale's fonts, before rendering.

WeasyPrint falls back to whatever font the machine has for a missing
character, silently (DESIGN.md §4), so a name with one unusual letter would
print in a different typeface, or as a box, on someone's certificate.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from reporting.config import Project
from reporting.errors import DataError, Expected, Problem, TemplateError
from reporting.source.load import SourcedEvent
from reporting.source.model import Counted, Localized
from reporting.source.yaml_reader import Path_

# Characters a font need not draw: spaces, and zero-width format characters HarfBuzz never shows.
_NOT_DRAWN = {"Zs", "Zl", "Zp", "Cc", "Cf"}


@lru_cache(maxsize=None)
def font_characters(path: Path) -> frozenset[int]:
    """The code points a font maps (its cmap), read once per process."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def check_fonts(project: Project, events: list[SourcedEvent]) -> None:
    """Raise one DataError naming every character, field and font that do not go together."""
    problems: list[Problem] = []
    for item in events:
        for where, locale, text in localized_texts(item.event, ()):
            if locale in project.locales:
                problems.extend(_text_problems(project, item, where + (locale,), locale, text))
    if problems:
        raise DataError(problems)


def _text_problems(project: Project, item: SourcedEvent, where: Path_, locale: str, text: str) -> list[Problem]:
    return [item.source.problem(where, message) for message in undrawable(project, locale, text)]


def undrawable(project: Project, locale: str, text: str) -> list[str]:
    """A message for each distinct character of ``text`` that none of the locale's fonts has, in text order."""
    fonts = project.locales[locale].fonts
    messages = []
    for char in dict.fromkeys(text):
        if unicodedata.category(char) in _NOT_DRAWN:
            continue
        if not any(ord(char) in font_characters(project.templates_dir / f) for f in fonts):
            messages.append(Expected(f"characters the '{locale}' fonts can draw",
                                     f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')} ({char!r}) "
                                     f"in none of {', '.join(Path(f).name for f in fonts)}"))
    return messages


def localized_texts(value: object, where: Path_):
    """Every (path, locale, text) in a model tree: Localized texts and Counted forms."""
    if isinstance(value, Localized):
        for locale, text in value.root.items():
            yield where, locale, text
    elif isinstance(value, Counted):
        for locale, forms in value.root.items():
            for text in ([forms] if isinstance(forms, str) else forms.values()):
                yield where, locale, text
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from localized_texts(getattr(value, name), where + (name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from localized_texts(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from localized_texts(item, where + (index,))


def check_rendered_text(project: Project, locale: str, html: str, what: str) -> None:
    """The same check on a rendered document, for text that comes from templates and catalogs."""
    import html as html_module
    import re

    body = html.split("<body", 1)[-1]
    text = html_module.unescape(re.sub(r"<[^>]*>", " ", body))
    messages = undrawable(project, locale, "".join(sorted(set(text))))
    if messages:
        raise TemplateError(f"{what}: {messages[0]}")
