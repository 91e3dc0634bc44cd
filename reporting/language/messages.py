"""Message catalogs: ``templates/locale/<ll>/LC_MESSAGES/messages.po`` compiled in memory by each build."""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from reporting.errors import DataError, Expected, Problem

DOMAIN = "messages"


def catalog_path(catalogs_dir: Path, locale: str) -> Path:
    return catalogs_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(catalogs_dir: Path, locale: str) -> Translations:
    """Compile the locale's ``.po`` into gettext translations without writing a ``.mo`` file.

    Compiling on every build means an edited catalog can never be shadowed by
    a stale binary one.
    """
    path = catalog_path(catalogs_dir, locale)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
    except FileNotFoundError:
        raise DataError([Problem(path, None, None, "", Expected(f"a message catalog for locale '{locale}'", "none"))]) from None
    except PoFileError as exc:
        raise DataError([Problem(path, None, None, "", f"invalid catalog: {exc}")]) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)
