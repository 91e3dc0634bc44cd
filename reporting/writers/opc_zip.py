"""The DOCX container: a plain, deterministic zip whose members are compressed once per process.

zipfile cannot take data already compressed, and compressing the same
styles and embedded fonts again for every certificate was half of a DOCX
write. So this writes the zip structure itself (local headers, central
directory, end record; no extras, no data descriptors, fixed times), and keeps
each distinct member's deflated bytes.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

DOS_DATE_1980 = (0 << 11) | (0 << 5) | 0, (0 << 9) | (1 << 5) | 1  # time, date: 1980-01-01 00:00
DEFAULT_LEVEL = 6  # zlib's default, as zipfile uses
CACHE_LIMIT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Member:
    name: str
    crc: int
    size: int
    deflated: bytes
    # Its local header with its data, and its central record but the offset: written once, however many
    # files the member goes in (the styles and fonts are the same in every certificate of a batch).
    records: tuple[bytes, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "records", _records(self))


_CACHE: dict[tuple[bytes, int], Member] = {}
_cached_bytes = 0


def member(name: str, data: bytes, level: int = DEFAULT_LEVEL, cache: bool = False) -> Member:
    """``data`` deflated; with ``cache``, the same bytes are compressed once per process (styles, fonts)."""
    global _cached_bytes
    if not cache:
        return Member(name, zlib.crc32(data), len(data), _deflate(data, level))
    key = (hashlib.sha1(data).digest() + name.encode(), level)
    found = _CACHE.get(key)
    if found is None:
        if _cached_bytes > CACHE_LIMIT_BYTES:
            _CACHE.clear()
            _cached_bytes = 0
        found = _CACHE[key] = Member(name, zlib.crc32(data), len(data), _deflate(data, level))
        _cached_bytes += len(found.deflated)
    return found


def _deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    return compressor.compress(data) + compressor.flush()


class Deflating:
    """Deflates texts that all start with the same ``prefix``, compressing the prefix once.

    The compressor's state after the prefix is copied for each text, so each
    member is the same bytes as ``member(name, prefix + rest, level)``: zlib's
    output does not depend on how its input is cut when nothing is flushed.
    """

    def __init__(self, name: str, prefix: bytes, level: int = DEFAULT_LEVEL):
        self.name, self.size = name, len(prefix)
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._head = self._compressor.compress(prefix)
        self._crc = zlib.crc32(prefix)

    def member(self, rest: bytes) -> Member:
        compressor = self._compressor.copy()
        deflated = self._head + compressor.compress(rest) + compressor.flush()
        return Member(self.name, zlib.crc32(rest, self._crc), self.size + len(rest), deflated)


def _records(item: Member) -> tuple[bytes, bytes]:
    """The member's local header with its name and data; its central record before and after the offset."""
    time, date = DOS_DATE_1980
    name = item.name.encode("utf-8")
    flags = 0x800 if not item.name.isascii() else 0
    header = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, 8, time, date, item.crc, len(item.deflated), item.size, len(name), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHI",
        b"PK\x01\x02",
        20,
        20,
        flags,
        8,
        time,
        date,
        item.crc,
        len(item.deflated),
        item.size,
        len(name),
        0,
        0,
        0,
        0,
        0,
    )
    return header + name + item.deflated, central


def write(members: Iterable[Member]) -> bytes:
    """The zip of ``members`` in the order given."""
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for item in members:
        data, record = item.records
        local.append(data)
        central += [record, struct.pack("<I", offset), item.name.encode("utf-8")]
        offset += len(data)
    directory = b"".join(central)
    count = len(local)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(local) + directory + end
