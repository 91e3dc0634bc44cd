"""The translation workflow on Babel's own tooling: extract, update, check, for two gettext domains.

The documents' domain ``messages``: ``extract`` writes ``templates/locale/messages.pot`` from the
templates and from the messages the filters look up in Python; ``update`` merges it into every
locale's catalog; ``check`` lists untranslated and fuzzy messages per locale.

The tool's own domain ``reporting`` (its messages, errors, preview; see ``reporting/tool_language.py``):
the same three steps on ``reporting/locale/``, extracted from the package's Python (``_``, ``n_``, ``N_``)
and the preview's templates. The two never mix: a document label is not a tool message.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from reporting import tool_language
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
from reporting.tool_language import _, isolate

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
        problems[locale] = _untranslated(template, catalog)
    return problems


def _label(message) -> str:
    text = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{message.context}|{text!r}" if message.context else repr(text)


# -- the tool's own messages -----------------------------------------------------------------

PACKAGE_DIR = Path(tool_language.__file__).resolve().parent
TOOL_POT = tool_language.CATALOGS_DIR / f"{tool_language.DOMAIN}.pot"
# Only the tool's markers: ``gettext``/``pgettext`` calls belong to the documents' domain.
TOOL_KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}


def tool_catalog_path(language: str) -> Path:
    return tool_language.CATALOGS_DIR / language / "LC_MESSAGES" / f"{tool_language.DOMAIN}.po"


def tool_languages() -> tuple[str, ...]:
    """The languages the tool has catalogs for (English is the source and has none)."""
    return tuple(code for code in tool_language.available() if code != tool_language.SOURCE_LANGUAGE)


def extract_tool() -> Catalog:
    """Write ``reporting/locale/reporting.pot`` from the package's Python and the preview's templates."""
    template = tool_template()
    TOOL_POT.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # (File names without line numbers: a line moved by an edit elsewhere does not rewrite the catalogs.)
    write_po(buffer, template, width=100, omit_header=True, sort_output=True, include_lineno=False)
    TOOL_POT.write_bytes(buffer.getvalue())
    return template


def tool_template() -> Catalog:
    """Every message the tool says, read from its code (nothing written)."""
    template = Catalog(project=tool_language.DOMAIN, fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        PACKAGE_DIR,
        method_map=[("**.py", "python"), ("preview/templates/**.html", "jinja2")],
        options_map={"preview/templates/**.html": {"trimmed": "true"}},
        keywords=TOOL_KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        template.add(message, locations=[(f"reporting/{filename}", line)], auto_comments=comments, context=context)
    return template


def update_tool() -> list[Path]:
    """Merge the tool's template into its Vietnamese and Arabic catalogs."""
    template = extract_tool()
    written = []
    for language in tool_languages():
        path = tool_catalog_path(language)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        catalog.update(template, update_header_comment=False)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, ignore_obsolete=True, sort_output=True, include_lineno=False)
        path.write_bytes(buffer.getvalue())
        written.append(path)
    tool_language.translations.cache_clear()
    return written


def check_tool() -> dict[str, list[str]]:
    """Per tool language, the messages a clerk would read in English: untranslated, fuzzy or missing."""
    template = tool_template()
    problems: dict[str, list[str]] = {}
    for language in tool_languages():
        with tool_catalog_path(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        problems[language] = _untranslated(template, catalog)
    return problems


def _untranslated(template: Catalog, catalog: Catalog) -> list[str]:
    found = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        label = _label(message)
        if translated is None:
            found.append(_("missing: {message}").format(message=isolate(label)))
        elif translated.fuzzy:
            found.append(_("fuzzy: {message}").format(message=isolate(label)))
        elif not (all(translated.string) if isinstance(translated.string, (list, tuple)) else translated.string):
            found.append(_("untranslated: {message}").format(message=isolate(label)))
    return found
