"""Writes commented YAML in the style of the hand-written data files, for the strict loader to read back.

PyYAML's dumper cannot place comments, and a scaffold for secretaries is
mostly comments, so this writes the few shapes the data files use itself:
mappings of ``Entry``, lists, quoted text, numbers, dates, true/false and
empty values (a blank to fill in).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

INDENT = "  "


@dataclass
class Entry:
    """One ``key: value`` of a mapping; ``comment`` goes on the lines above it, ``note`` at the end of its line."""

    key: str
    value: object
    comment: str | None = None
    note: str | None = None


@dataclass
class Mapping:
    entries: list[Entry] = field(default_factory=list)


def dump(document: Mapping, header: str = "") -> str:
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for index, entry in enumerate(document.entries):
        if lines and (entry.comment or index == 0):
            lines.append("")  # top-level fields with a comment stand apart, as in the hand-written files
        lines.extend(_entry(entry, 0))
    return "\n".join(lines) + "\n"


def scalar(value: object) -> str:
    """A value as YAML the strict loader reads back unchanged (text always quoted: 'no' stays text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # JSON strings are YAML double-quoted scalars; the line separators YAML would fold are escaped.
        return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _entry(entry: Entry, depth: int) -> list[str]:
    pad = INDENT * depth
    lines = [f"{pad}# {line}".rstrip() for line in (entry.comment or "").splitlines()]
    note = f"  # {entry.note}" if entry.note else ""
    value = entry.value
    if isinstance(value, Mapping) and value.entries:
        lines.append(f"{pad}{entry.key}:{note}")
        for child in value.entries:
            lines.extend(_entry(child, depth + 1))
    elif isinstance(value, list) and value:
        lines.append(f"{pad}{entry.key}:{note}")
        for item in value:
            lines.extend(_item(item, depth + 1))
    else:
        empty = "{}" if isinstance(value, Mapping) else "[]" if isinstance(value, list) else scalar(value)
        lines.append(f"{pad}{entry.key}:{' ' + empty if empty else ''}{note}")
    return lines


def _item(item: object, depth: int) -> list[str]:
    """One ``- `` item: a scalar on its line, or a mapping whose first field shares the dash's line."""
    pad = INDENT * depth
    if not isinstance(item, Mapping):
        return [f"{pad}- {scalar(item)}".rstrip()]
    first, *rest = item.entries
    lines = [f"{pad}# {line}".rstrip() for line in (first.comment or "").splitlines()]
    first_lines = _entry(Entry(first.key, first.value, None, first.note), depth + 1)
    lines.append(f"{pad}- {first_lines[0].lstrip()}")
    lines.extend(first_lines[1:])
    for entry in rest:
        lines.extend(_entry(entry, depth + 1))
    return lines
