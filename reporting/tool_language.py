"""The language the tool speaks to the person running it: its messages, errors, progress and preview.

Not the documents' language (that is ``reporting.language``, one per output locale): a Vietnamese
clerk reads the tool in Vietnamese while it builds Arabic and Vietnamese documents. The tool's
messages are English in the code, marked with ``_()``, ``n_()`` (plurals) and ``N_()`` (marked now,
translated later), and translated from ``reporting/locale/<ll>/LC_MESSAGES/reporting.po`` (the gettext
domain ``reporting``, kept apart from the documents' ``messages`` catalogs under ``templates/locale``).

Which language: ``--ui-language``, then ``[ui] language`` in ``reporting.toml``, then the environment
as gettext programs read it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), then English. The
choice is process-wide (worker processes are forked and inherit it); the preview speaks each
browser's language for the length of one request with ``speaking(language)``.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from gettext import NullTranslations
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

DOMAIN = "reporting"
SOURCE_LANGUAGE = "en"
CATALOGS_DIR = Path(__file__).resolve().parent / "locale"
# Scripts written right to left: messages in them isolate paths, locations and values (see ``isolate``).
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
# Unicode's left-to-right isolate and its end: a path or "12:5" inside an Arabic sentence keeps its own
# order and does not reorder the words around it (UAX #9, rules X5a-X6a).
LRI, PDI = "\u2066", "\u2069"
# The environment variables gettext reads, in its order; LANGUAGE is a list and counts only when the
# locale is not C/POSIX (as GNU gettext does).
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_process_language = SOURCE_LANGUAGE
_request_language: ContextVar[str | None] = ContextVar("request_language", default=None)


def available() -> tuple[str, ...]:
    """English (the source) and every language with a tool catalog, sorted."""
    found = {path.parent.parent.name for path in CATALOGS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return (SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}))


def supported(code: str | None) -> str | None:
    """The available language a locale name such as ``vi_VN.UTF-8``, ``ar-EG`` or ``vi`` asks for, or None."""
    if not code:
        return None
    language = code.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return language if language in available() else None


def from_environment(environ: Mapping[str, str]) -> str | None:
    """The language the environment asks for, as gettext programs read it; None when it names none we speak."""
    locale_name = next((environ[name] for name in ENVIRONMENT[1:] if environ.get(name)), "")
    if locale_name.split(".")[0] in ("C", "POSIX"):
        return None
    for wanted in environ.get("LANGUAGE", "").split(":"):
        if supported(wanted):
            return supported(wanted)
    return supported(locale_name)


def choose(option: str | None, configured: str | None, environ: Mapping[str, str]) -> str:
    """``--ui-language``, else ``[ui] language``, else the environment, else English."""
    for wanted in (option, configured):
        if wanted and supported(wanted):
            return supported(wanted) or SOURCE_LANGUAGE
    return from_environment(environ) or SOURCE_LANGUAGE


def from_accept_language(header: str | None) -> str | None:
    """The language a browser prefers among those we speak (``Accept-Language: vi-VN,vi;q=0.9,en;q=0.8``)."""
    ranked = []
    for position, item in enumerate((header or "").split(",")):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(ranked):
        if tag == "*":
            return SOURCE_LANGUAGE
        if supported(tag):
            return supported(tag)
    return None


def use(language: str) -> None:
    """Speak ``language`` from now on in this process (and in workers forked from it)."""
    global _process_language
    _process_language = supported(language) or SOURCE_LANGUAGE


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak ``language`` within the block only (one preview request), whatever the process speaks."""
    token = _request_language.set(supported(language) or SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _request_language.reset(token)


def current() -> str:
    return _request_language.get() or _process_language


def is_right_to_left(language: str | None = None) -> bool:
    return (language or current()) in RIGHT_TO_LEFT


def direction(language: str | None = None) -> str:
    """``rtl`` or ``ltr``, for an HTML ``dir`` attribute."""
    return "rtl" if is_right_to_left(language) else "ltr"


@functools.cache
def translations(language: str) -> NullTranslations:
    """The tool's catalog for ``language``, compiled in memory from its ``.po`` (never a stale ``.mo``)."""
    path = CATALOGS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _(message: str) -> str:
    """``message`` in the tool's current language (English when untranslated)."""
    return translations(current()).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count`` in the current language (Arabic has six)."""
    return translations(current()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (a table built at import time);
    translate it with ``_()`` where it is shown."""
    return message


def number(value: int | float) -> str:
    """A count or size as the reader's locale writes it: 1,234 (en), 1.234 (vi), ١٬٢٣٤ (ar)."""
    return format_decimal(value, locale=_babel_locale())


def date(value: datetime.date) -> str:
    """A date as the reader's locale writes it in full."""
    return format_date(value, format="long", locale=_babel_locale())


def isolate(text: object) -> str:
    """``text`` kept in its own left-to-right order inside a right-to-left message (a path, ``12:5``, a
    YAML key, a value quoted from the file); unchanged in a left-to-right language."""
    return f"{LRI}{text}{PDI}" if is_right_to_left() and str(text) else str(text)


def _babel_locale() -> str:
    return {"en": "en_US"}.get(current(), current())
