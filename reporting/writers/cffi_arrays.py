"""Array types of a fixed length for cffi without parsing C: WeasyPrint asks for one per glyph count.

WeasyPrint subsets every font of every PDF through HarfBuzz with
``ffi.new(f"hb_codepoint_t[{count}]", glyphs)``. cffi keeps each type string it
has parsed, but a new count is a new string, parsed again by pycparser: about
9 ms each, tens of them per build in every worker (more with the documents:
each chunk of certificates brings other counts). The type ``T[n]`` is the one
cffi's backend makes from ``T`` and ``n`` (the same object, the backend keeps one
of each type), so it is made from the element type here, in a microsecond.
"""

from __future__ import annotations

import re

_ARRAY = re.compile(r"([A-Za-z_]\w*)\[(\d+)\]")


class _ParsedTypes(dict):
    """cffi's cache of parsed type strings (``FFI._parsed_types``), making ``name[n]`` when missing."""

    def __init__(self, ffi, known: dict):
        super().__init__(known)
        self._ffi = ffi

    def __missing__(self, key):
        match = _ARRAY.fullmatch(key) if isinstance(key, str) else None
        if match is None:
            raise KeyError(key)  # cffi parses it, and keeps it here
        backend = self._ffi._backend
        item = self._ffi.typeof(match.group(1))  # parsed once
        made = (backend.new_array_type(backend.new_pointer_type(item), int(match.group(2))), False)
        self[key] = made  # (type, is a function type), as cffi keeps them
        return made


def derive_array_types(ffi) -> None:
    """Make ``ffi`` build fixed-length array types from their element type (once per process)."""
    parsed = getattr(ffi, "_parsed_types", None)
    if isinstance(parsed, dict) and not isinstance(parsed, _ParsedTypes):
        ffi._parsed_types = _ParsedTypes(ffi, parsed)
