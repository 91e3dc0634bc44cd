"""What a build reads from a font file before rendering (the family it names itself, the characters it maps),
kept in the cache folder.

Every build checks the ``[fonts]`` files (config.py) and every character of the data against them
(source/preflight.py), a build with nothing to write too. Importing fontTools and reading the name and
cmap tables of the shipped faces took a third of such a build; a cache entry is named by the sha256 of
the file's bytes, so it is never stale, and one that cannot be read or written only costs that time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from struct import error as struct_error

from reporting.build import cache as cache_folder

_FOLDER = "font-facts"
_VERSION = 1  # bump when what is kept changes


@dataclass(frozen=True)
class FontFacts:
    family: str | None  # None: the file cannot be read as a font
    characters: frozenset[int]


def font_facts(path: Path) -> FontFacts:
    """The facts of the font file ``path``, from the cache folder when there."""
    try:
        data = path.read_bytes()
    except OSError:
        return FontFacts(None, frozenset())
    entry = cache_folder.folder(_FOLDER) / f"{hashlib.sha256(data).hexdigest()}.json"
    try:
        kept = json.loads(entry.read_text(encoding="utf-8"))
        if kept["version"] == _VERSION:
            return FontFacts(kept["family"], frozenset(kept["characters"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    facts = _read(path)
    payload = {"version": _VERSION, "family": facts.family, "characters": sorted(facts.characters)}
    cache_folder.keep(entry, json.dumps(payload).encode("utf-8"))
    return facts


def _read(path: Path) -> FontFacts:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True) as font:
            names = font["name"]
            family = str(names.getDebugName(16) or names.getDebugName(1) or "")
            return FontFacts(family, frozenset(font.getBestCmap() or {}))
    except (TTLibError, OSError, KeyError, ValueError, AssertionError, struct_error):
        return FontFacts(None, frozenset())
