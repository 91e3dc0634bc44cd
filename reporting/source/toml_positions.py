"""Where each key of a TOML file is: line and column, for problems in ``reporting.toml``.

``tomllib`` gives values but no positions. Settings files are small and written
as tables of ``key = value`` lines (inline tables allowed), so a line scan finds
every key a problem can name; a key it cannot place falls back to its table's
line, and the problem still names the key in full.
"""

from __future__ import annotations

import re
from pathlib import Path

from reporting.source.yaml_reader import LoadedYaml, Path_

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_\-\"'.]+)\s*=")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")


def _parts(dotted: str) -> Path_:
    return tuple(part.strip().strip('"').strip("'") for part in dotted.split("."))


def toml_positions(text: str) -> dict[Path_, tuple[int, int]]:
    """Key path -> (line, column) of the key, for every table header and key line."""
    positions: dict[Path_, tuple[int, int]] = {}
    table: Path_ = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = _parts(header.group(1))
            for cut in range(1, len(table) + 1):
                positions.setdefault(table[:cut], (number, line.index("[") + 1))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        where = table + _parts(key.group(2))
        positions[where] = (number, len(key.group(1)) + 1)
        for inner in _INLINE_KEY.finditer(line, key.end()):
            positions[where + (inner.group(1),)] = (number, inner.start(1) + 1)
    return positions


def sourced_toml(path: Path, data: dict, text: str) -> LoadedYaml:
    """The parsed settings with their positions, in the form the schema problems read."""
    positions = toml_positions(text)
    return LoadedYaml(path, data, positions, positions)
