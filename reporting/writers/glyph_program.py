"""One page's font program: the glyphs a page draws, cut out of the face's font file.

A whole face embedded in every certificate would make an Arabic certificate
many times its size (Amiri's file is over 400 KB; its Arabic glyphs with their
closure deflate to 131 KB, benchmarks/glyph_pdf.py). A page draws a few dozen
glyphs, so it gets a TrueType program of its own with those glyphs numbered
from 1 in the order the page asks for them (0 is .notdef), then the glyphs they
are composed of. It is cut from the file's tables as bytes, without a font
library, in a few hundredths of a millisecond, and depends on the page's glyphs
alone: a certificate's bytes never depend on its neighbours.

Only what a PDF viewer reads of an embedded CIDFontType2 program is kept:
outlines (glyf, loca), metrics (head, hhea, hmtx, maxp) and post; no cmap (the
PDF maps codes to glyphs itself), no names, no hinting: each glyph's own
instructions are cut out with the rest, since the tables they call (fpgm, prep,
cvt) are not embedded.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

# The directory lists tables sorted by tag.
_TABLES = (b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"post")
_MORE_COMPONENTS, _WORD_ARGUMENTS, _SCALE, _XY_SCALE, _TWO_BY_TWO = 0x20, 0x01, 0x08, 0x40, 0x80
_INSTRUCTIONS = 0x100


class SubsetTables:
    """A TrueType program's tables, read once, from which page programs are cut."""

    def __init__(self, program: bytes):
        count = struct.unpack_from(">H", program, 4)[0]
        self.tables: dict[bytes, bytes] = {}
        for index in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", program, 12 + 16 * index)
            self.tables[tag] = program[offset : offset + length]
        self.glyph_count = struct.unpack_from(">H", self.tables[b"maxp"], 4)[0]
        self.metric_count = struct.unpack_from(">H", self.tables[b"hhea"], 34)[0]
        long_offsets = struct.unpack_from(">h", self.tables[b"head"], 50)[0] == 1
        loca = array("I" if long_offsets else "H")
        loca.frombytes(self.tables[b"loca"][: (self.glyph_count + 1) * loca.itemsize])
        if sys.byteorder == "little":
            loca.byteswap()
        self.offsets = loca if long_offsets else array("I", (offset * 2 for offset in loca))
        self._pieces: dict[int, _Piece] = {}

    def glyph(self, glyph: int) -> bytes:
        return self.tables[b"glyf"][self.offsets[glyph] : self.offsets[glyph + 1]]

    def metric(self, glyph: int) -> bytes:
        """The glyph's advance and left side bearing, as hmtx stores a long metric."""
        hmtx = self.tables[b"hmtx"]
        if glyph < self.metric_count:
            return hmtx[4 * glyph : 4 * glyph + 4]
        last_advance = hmtx[4 * (self.metric_count - 1) : 4 * self.metric_count - 2]
        bearing = 4 * self.metric_count + 2 * (glyph - self.metric_count)
        return last_advance + hmtx[bearing : bearing + 2]

    def piece(self, glyph: int) -> _Piece:
        """What a program takes of one glyph, read once: a page asks for the same glyphs again and again."""
        found = self._pieces.get(glyph)
        if found is None:
            data = _without_instructions(self.glyph(glyph))
            data += b"\0" * (-len(data) % 4)
            composite = len(data) >= 10 and data[0] & 0x80  # numberOfContours < 0
            metric = self.metric(glyph)
            found = self._pieces[glyph] = _Piece(
                data, tuple(_components(data)) if composite else (), _checksum(data), metric, _checksum(metric)
            )
        return found

    def page_program(self, glyphs: Sequence[int]) -> bytes:
        """A TrueType program whose glyph ``i + 1`` is the subset's glyph ``glyphs[i]`` (a glyph may come
        twice), glyph 0 the subset's .notdef, and after them the glyphs the composite ones are built from."""
        order = [0, *glyphs]
        number: dict[int, int] = {}  # subset glyph -> its first number in the program
        for index, glyph in enumerate(order):
            number.setdefault(glyph, index)
        outlines, metrics, loca = [], [], [0]
        glyf_sum = hmtx_sum = loca_sum = 0
        position = 0
        while position < len(order):  # order grows while composites name glyphs not yet in it
            piece = self.piece(order[position])
            data, data_sum = piece.data, piece.data_sum
            if piece.components:
                patched = bytearray(data)
                for offset, part in piece.components:
                    if part not in number:
                        number[part] = len(order)
                        order.append(part)
                    patched[offset : offset + 2] = struct.pack(">H", number[part])
                data = bytes(patched)
                data_sum = _checksum(data)
            outlines.append(data)
            metrics.append(piece.metric)
            glyf_sum += data_sum
            hmtx_sum += piece.metric_sum
            loca.append(loca[-1] + len(data))
            loca_sum += loca[-1]
            position += 1
        count = len(order)
        head = bytearray(self.tables[b"head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment: set once the file is whole
        head[50:52] = b"\0\1"  # long loca offsets
        hhea = bytearray(self.tables[b"hhea"])
        hhea[34:36] = struct.pack(">H", count)
        maxp = bytearray(self.tables[b"maxp"])
        maxp[4:6] = struct.pack(">H", count)
        post = b"\0\3\0\0" + self.tables[b"post"][4:32]  # version 3: no glyph names
        sums = (glyf_sum, None, None, hmtx_sum, loca_sum, None, None)
        parts = (b"".join(outlines), bytes(head), bytes(hhea), b"".join(metrics), struct.pack(f">{count + 1}I", *loca))
        return _assembled(dict(zip(_TABLES, (*parts, bytes(maxp), post), strict=True)), sums)


@dataclass(frozen=True)
class _Piece:
    data: bytes  # the outline, padded to 4 bytes
    components: tuple[tuple[int, int], ...]  # (offset of its glyph index, glyph) for a composite glyph
    data_sum: int  # the outline's checksum (a table's is the sum of its 4-byte words)
    metric: bytes
    metric_sum: int


def _without_instructions(data: bytes) -> bytes:
    """A glyf entry without its hinting instructions (an empty glyph stays empty)."""
    if len(data) < 10:
        return data
    contours = struct.unpack_from(">h", data, 0)[0]
    if contours >= 0:  # simple: endPtsOfContours, then instructionLength and the instructions
        at = 10 + 2 * contours
        length = struct.unpack_from(">H", data, at)[0]
        return data[:at] + b"\0\0" + data[at + 2 + length :] if length else data
    patched, position, instructed = bytearray(data), 10, False
    while True:  # composite: clear WE_HAVE_INSTRUCTIONS and drop what follows the last component
        flags = struct.unpack_from(">H", patched, position)[0]
        instructed |= bool(flags & _INSTRUCTIONS)
        struct.pack_into(">H", patched, position, flags & ~_INSTRUCTIONS)
        position += 4 + (4 if flags & _WORD_ARGUMENTS else 2)
        position += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
        if not flags & _MORE_COMPONENTS:
            return bytes(patched[:position]) if instructed else data


def _components(data: bytes | bytearray):
    """(offset of its glyph index, glyph) for each component of a composite glyph."""
    position = 10
    while True:
        flags, glyph = struct.unpack_from(">HH", data, position)
        yield position + 2, glyph
        position += 4 + (4 if flags & _WORD_ARGUMENTS else 2)
        position += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
        if not flags & _MORE_COMPONENTS:
            return


def _assembled(tables: dict[bytes, bytes], sums: tuple[int | None, ...]) -> bytes:
    """The sfnt file: its directory, each table 4-byte aligned, and head's whole-file checksum.

    A table's checksum is the sum of its 4-byte words, the file's the sum of the directory's and
    the tables' (each starts 4-aligned): known ones (``sums``) are not summed again."""
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    directory = [struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, (count - power) * 16)]
    body, offset, head, total = [], 12 + 16 * count, 0, 0
    for (tag, data), known in zip(tables.items(), sums, strict=True):
        checksum = (_checksum(data) if known is None else known) & 0xFFFFFFFF
        total += checksum
        directory.append(struct.pack(">4sIII", tag, checksum, offset, len(data)))
        if tag == b"head":
            head = offset
        body.append(data + b"\0" * (-len(data) % 4))
        offset += len(body[-1])
    total += _checksum(b"".join(directory))
    font = bytearray(b"".join(directory) + b"".join(body))
    font[head + 8 : head + 12] = struct.pack(">I", (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes) -> int:
    """The sum of the 4-byte big-endian words of ``data`` (zero-padded), not yet reduced modulo 2**32."""
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded))
