"""Message catalogs: ``templates/locale/<ll>/LC_MESSAGES/messages.po`` compiled in memory by each build."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from reporting.errors import DataError, Expected
from reporting.notices import Notice
from reporting.tool_language import _, isolate

DOMAIN = "messages"


def catalog_path(catalogs_dir: Path, locale: str) -> Path:
    return catalogs_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


class TrackedTranslations(Translations):
    """Gettext translations that remember every message looked up without a translation in the catalog
    (absent, empty or fuzzy): the document prints those in English, so the build reports them.

    ``using`` names what is being rendered (a template), so each report says where the message is used."""

    def __init__(self, fp=None, domain: str | None = None):
        super().__init__(fp, domain=domain)
        self.using = "?"
        self.missing: dict[str, set[str]] = {}  # message as people read it -> templates using it

    def _check(self, key, shown: str) -> None:
        if key not in self._catalog:
            self.missing.setdefault(shown, set()).add(self.using)

    def gettext(self, message: str) -> str:
        self._check(message, repr(message))
        return super().gettext(message)

    # (Parameter names as gettext's own, whose aliases below these methods replace.)
    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self._check((msgid1, 0), repr(msgid1))
        return super().ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str):
        key = self.CONTEXT_ENCODING % (context, message)
        if (key, 0) not in self._catalog:
            self._check(key, f"{message!r} (context {context!r})")
        return super().pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, num: int) -> str:
        self._check((self.CONTEXT_ENCODING % (context, singular), 0), f"{singular!r} (context {context!r})")
        return super().npgettext(context, singular, plural, num)

    # Babel keeps Python 2's names as aliases of its own methods, and Jinja calls those first.
    ugettext, ungettext, upgettext, unpgettext = gettext, ngettext, pgettext, npgettext


def untranslated_warnings(catalogs_dir: Path, locale: str, translations: TrackedTranslations) -> list[str]:
    """One sentence per message the documents of ``locale`` used without a translation."""
    catalog = catalog_path(catalogs_dir, locale).relative_to(catalogs_dir.parent)
    text = _(
        "untranslated message {message} in {templates} ({locale}): the '{locale}' documents print it "
        "untranslated; translate it in {catalog} ({command} adds it if it is missing)"
    )
    return [
        Notice(
            text.format(
                message=isolate(message),
                templates=isolate(", ".join(sorted(templates))),
                locale=isolate(locale),
                catalog=isolate(f"templates/{catalog.as_posix()}"),
                command=isolate("build_reports.py i18n update"),
            ),
            "untranslated-message",
        )
        for message, templates in sorted(translations.missing.items())
    ]


def load_translations(catalogs_dir: Path, locale: str) -> TrackedTranslations:
    """Compile the locale's ``.po`` into gettext translations without writing a ``.mo`` file.

    Compiling on every build means an edited catalog can never be shadowed by
    a stale binary one.
    """
    path = catalog_path(catalogs_dir, locale)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
    except FileNotFoundError:
        wanted = _("a message catalog for locale {locale}").format(locale=isolate(f"'{locale}'"))
        raise DataError.about_file(path, Expected(wanted, _("none"), code="missing-catalog")) from None
    except PoFileError as exc:
        raise DataError.about_file(path, _("invalid catalog: {reason}").format(reason=exc)) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return TrackedTranslations(buffer, domain=DOMAIN)
