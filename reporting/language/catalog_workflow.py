"""The translation workflow on Babel's own tooling: extract, update, check.

``extract`` writes ``templates/locale/messages.pot`` from the templates and from
the messages the filters look up in Python; ``update`` merges it into every
locale's catalog; ``check`` lists untranslated and fuzzy messages per locale.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from reporting.config import Project
from reporting.language.filters import (
    ARCHIVE_LINE,
    DAY_MONTH,
    DOCUMENT_DATE,
    LONG_DATE,
    MONTH_YEAR,
    NUMERIC_DATE,
    PART_OF_DAY,
    PERIOD_NAMES,
)
from reporting.language.grammar import CASES
from reporting.language.messages import catalog_path
from reporting.render import AWARDED_GROUPS, AWARDED_INDIVIDUALS
from reporting.source.document_formats import PROFILES

POT_NAME = "messages.pot"
# Messages looked up from Python (reporting/language/filters.py, reporting/render.py): (context, id, plural).
PYTHON_MESSAGES = [
    *[("date pattern", pattern, None) for pattern in (LONG_DATE, DAY_MONTH, MONTH_YEAR, DOCUMENT_DATE, NUMERIC_DATE)],
    *[("period", message, None) for message in PERIOD_NAMES.values()],
    *[("recipient separator", end, None) for end in sorted({p.recipient_end for p in PROFILES.values()})],
    *[("archive line", line, None) for line in ARCHIVE_LINE.values()],
    *[("part of day", message, None) for message in PART_OF_DAY.values()],
    ("currency unit", "VND", None),
    ("approximate amount", "about %(amount)s", None),
    ("list separator", ", ", None),
    (None, "%(place)s, %(date)s", None),
    *[
        (case, *message)
        for case in (None, *sorted({c for names in CASES.values() for c in names}))
        for message in (AWARDED_GROUPS, AWARDED_INDIVIDUALS)
    ],
]


def extract(project: Project) -> Catalog:
    template = Catalog(project="reporting", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        project.templates_dir, method_map=[("**.html.j2", "jinja2")], options_map={"**.html.j2": {"trimmed": "false"}}
    ):
        template.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    for context, message, plural in PYTHON_MESSAGES:
        template.add(
            (message, plural) if plural else message, context=context, locations=[("reporting/language/filters.py", 0)]
        )
    path = project.catalogs_dir / POT_NAME
    buffer = io.BytesIO()
    write_po(buffer, template, width=100, omit_header=True, sort_output=True)
    path.write_bytes(buffer.getvalue())
    return template


def update(project: Project) -> list[Path]:
    """Merge the template into each locale's catalog: new messages appear untranslated, gone ones obsolete."""
    template = extract(project)
    written = []
    for locale in project.locales:
        path = catalog_path(project.catalogs_dir, locale)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:  # a locale just added to reporting.toml: its catalog starts with every message untranslated
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="reporting", fuzzy=False)
        catalog.update(template, update_header_comment=False)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, ignore_obsolete=False)
        path.write_bytes(buffer.getvalue())
        written.append(path)
    return written


def check(project: Project) -> dict[str, list[str]]:
    """Per locale, the messages a reader would see in English: untranslated, fuzzy, or missing."""
    template = extract(project)
    problems: dict[str, list[str]] = {}
    for locale in project.locales:
        with catalog_path(project.catalogs_dir, locale).open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        found = []
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id, context=message.context)
            label = _label(message)
            if translated is None:
                found.append(f"missing: {label}")
            elif translated.fuzzy:
                found.append(f"fuzzy: {label}")
            elif not (all(translated.string) if isinstance(translated.string, (list, tuple)) else translated.string):
                found.append(f"untranslated: {label}")
        problems[locale] = found
    return problems


def _label(message) -> str:
    text = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{message.context}|{text!r}" if message.context else repr(text)
