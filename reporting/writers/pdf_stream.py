"""A PDF written to disk object by object: the print file of 100,000 certificates in the memory of one chunk.

Joining the chunks in one pikepdf document (qpdf) held every page until the
file was saved, 10-25 KB a certificate. Here each chunk is opened, its pages'
objects are copied out (renumbered, non-stream objects packed into compressed
object streams as qpdf's ``object_stream_mode=generate`` does) and the chunk is
let go; what stays is 12 bytes an object for the cross-reference stream and 4
a page for the page tree, both written at the end.

An object that repeats in chunk after chunk (the static layer's Form XObject,
a font subset shared by the build) is written once: each object is keyed by
the hash of its bytes as written, its references already renumbered, so equal
objects referring to equal objects get one number. The keys of the last chunk
are kept, and those that repeated: the table does not grow with the chunks.

The same chunks give the same bytes: objects are visited in page order and
dictionary key order, and the /ID is the hash of what was written before it.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from decimal import Decimal
from typing import Protocol

import pikepdf

from reporting.writers.pdf_glyphs import DrawnPage
from reporting.writers.pdf_overlay import STATIC_NAME

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # the second line: binary bytes, so transfers keep it binary
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # a page takes these from its page tree nodes
_OBJECTS_PER_STREAM = 100  # as qpdf packs them
_AT_OFFSET = -1  # an object written by itself (not in an object stream)
_NOT_YET = -2  # a number given out (a reference to it was written) whose object comes later
_CATALOG, _PAGES = 1, 2  # their numbers, given out first: the pages refer to their tree before it is written


class ByteSink(Protocol):
    """Where the file goes: an open binary file, or anything with its ``write``."""

    def write(self, data: bytes, /) -> object: ...


class StreamedPdf:
    """A PDF being written to ``out``: add pages chunk by chunk, then ``close()``."""

    def __init__(self, out: ByteSink):
        self.out = out
        self.written = 0  # bytes so far: the next object's offset
        self.digest = hashlib.sha256()  # of every byte so far: the /ID
        # Per object number (index = number - 1): its offset, or the number of its object stream...
        self.where = array("Q")
        # ...and _AT_OFFSET, or its index in that object stream (_NOT_YET until it is written).
        self.slot = array("l")
        self.pages = array("L")  # the page objects' numbers, in order: the page tree's /Kids
        self.info: int | None = None
        # Content hash -> object number, for the objects of this chunk, of the chunk before, and those
        # that repeated across chunks (see the module's comment).
        self.current: dict[bytes, int] = {}
        self.previous: dict[bytes, int] = {}
        self.shared: dict[bytes, int] = {}
        self._pending: list[tuple[int, bytes]] = []  # non-stream objects for the next object stream
        self._copier: _Copier | None = None  # the open chunk's
        for reserved in (_CATALOG, _PAGES):
            assert self._new_number() == reserved
        self._write(HEADER)

    # -- adding pages ---------------------------------------------------------

    def add_page(self, page: pikepdf.Page) -> None:
        """Copy ``page`` (and every object it uses not written yet) as the next page of the file."""
        _push_inherited(page)
        if self._copier is None:  # one a chunk: what its pages share is copied (and looked at) once
            self._copier = _Copier(self)
        number = self._copier.page(page.obj)
        self.pages.append(number)

    def add_drawn_page(self, page: DrawnPage, boxes: bytes, form: int) -> None:
        """A page drawn directly (``pdf_glyphs.DrawnPage``) as the next page, over the Form XObject numbered
        ``form`` (``add_form``), with the page boxes ``boxes``: its objects are written as the drawing made
        them, no PDF read back (``writers/drawn_chunk.py``)."""
        number = page.write(_Interning(self), _PAGES, boxes, under=(STATIC_NAME.encode(), form))
        self.pages.append(number)

    def add_form(self, form: pikepdf.Object) -> int:
        """An indirect object (a static page's Form XObject) and what it uses: its number in the file.
        Each form comes from a document of its own: its own copier, as object numbers are the document's."""
        number = _Copier(self).reference_of(form)
        assert number is not None, "a form is not a page"
        return number

    def add_blank_page(self, media_box: list[float]) -> None:
        """An empty page (a duplex back) of the given size."""
        number = self._new_number()
        box = b"[" + b" ".join(_real(value) for value in media_box) + b"]"
        body = b"<< /MediaBox " + box + b" /Parent %d 0 R /Resources << >> /Type /Page >>" % _PAGES
        self._add_plain(number, body)
        self.pages.append(number)

    def set_info_written(self, body: bytes) -> None:
        """The document information dictionary, already in PDF syntax (no references in it)."""
        self.info = self._new_number()
        self._add_plain(self.info, body)

    def set_info(self, info: pikepdf.Object) -> None:
        """The document information dictionary (title, producer) of the file."""
        copier = _Copier(self)
        if info.is_indirect:
            self.info = copier.reference_of(info)  # a dictionary of texts: never None
        else:
            self.info = self._new_number()
            self._add_plain(self.info, copier.contents(info))

    def end_chunk(self) -> None:
        """Everything of the chunk added so far is written out; its objects' keys age by one chunk."""
        self._flush_object_stream()
        self.previous, self.current = self.current, {}
        self._copier = None  # its map of the chunk's objects goes with the chunk

    # -- finishing --------------------------------------------------------------

    def close(self) -> None:
        """Write the page tree, the catalog and the cross-reference stream with the trailer."""
        self._flush_object_stream()
        self._write_page_tree()
        self._add_plain(_CATALOG, b"<< /Pages %d 0 R /Type /Catalog >>" % _PAGES)
        self._flush_object_stream()
        missing = [number + 1 for number, slot in enumerate(self.slot) if slot == _NOT_YET]
        assert not missing, f"objects referred to and never written: {missing[:5]}"
        self._write_cross_references()

    def _write_page_tree(self) -> None:
        """The page tree's root with every page as a kid, written in pieces (200,000 references)."""
        self._start_object(_PAGES)
        self._write(b"<< /Count %d /Kids [" % len(self.pages))
        for start in range(0, len(self.pages), 1000):
            self._write(b"".join(b"%d 0 R " % number for number in self.pages[start : start + 1000]))
        self._write(b"] /Type /Pages >>\nendobj\n")

    def _write_cross_references(self) -> None:
        number = self._new_number()  # the cross-reference stream is an object too
        offset = self.written
        self.where[number - 1], self.slot[number - 1] = offset, _AT_OFFSET
        width = max(4, (max(self.where).bit_length() + 7) // 8)
        rows = [b"\x00" + bytes(width) + b"\xff\xff"]  # object 0, the head of the free list
        for where, slot in zip(self.where, self.slot, strict=True):
            if slot == _AT_OFFSET:
                rows.append(b"\x01" + where.to_bytes(width, "big") + b"\x00\x00")
            else:
                rows.append(b"\x02" + where.to_bytes(width, "big") + slot.to_bytes(2, "big"))
        data = zlib.compress(b"".join(rows))
        identifier = self.digest.hexdigest()[:32].encode()  # derived from the content, as qpdf's deterministic /ID
        info = b" /Info %d 0 R" % self.info if self.info is not None else b""
        head = (
            b"<< /Filter /FlateDecode /ID [<%s> <%s>]%s /Length %d /Root %d 0 R /Size %d /Type /XRef /W [1 %d 2] >>"
            % (identifier, identifier, info, len(data), _CATALOG, len(self.where) + 1, width)
        )
        self._write(b"%d 0 obj\n%s\nstream\n" % (number, head))
        self._write(data)
        self._write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offset)

    # -- objects ----------------------------------------------------------------

    def _new_number(self) -> int:
        self.where.append(0)
        self.slot.append(_NOT_YET)
        return len(self.where)

    def known(self, key: bytes) -> int | None:
        """The number of an object already written with these bytes, if its key is still kept."""
        number = self.shared.get(key)
        if number is None:
            number = self.previous.get(key)
            if number is not None:  # seen in two chunks: likely in every chunk, kept for good
                self.shared[key] = number
            else:
                number = self.current.get(key)
        return number

    def remember(self, key: bytes, number: int) -> None:
        self.current[key] = number

    def _add_plain(self, number: int, body: bytes) -> None:
        """A non-stream object, packed into the next object stream."""
        self._pending.append((number, body))
        if len(self._pending) >= _OBJECTS_PER_STREAM:
            self._flush_object_stream()

    def add_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        self._start_object(number)
        self._write(dictionary + b"\nstream\n")
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def _start_object(self, number: int) -> None:
        self.where[number - 1], self.slot[number - 1] = self.written, _AT_OFFSET
        self._write(b"%d 0 obj\n" % number)

    def _flush_object_stream(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        stream = self._new_number()
        index, offset = [], 0
        for position, (number, body) in enumerate(pending):
            self.where[number - 1], self.slot[number - 1] = stream, position
            index.append(b"%d %d" % (number, offset))
            offset += len(body) + 1
        head = b" ".join(index) + b"\n"
        data = zlib.compress(head + b"\n".join(body for _, body in pending) + b"\n")
        dictionary = b"<< /Filter /FlateDecode /First %d /Length %d /N %d /Type /ObjStm >>" % (
            len(head),
            len(data),
            len(pending),
        )
        self.add_stream(stream, dictionary, data)

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.written += len(data)


class _Interning:
    """What ``pdf_glyphs.DrawnPage.write`` writes into (``PdfObjects``'s methods), for a ``StreamedPdf``:
    objects come children first with their references already numbered in the file, so an object's
    bytes are its key, as ``_Copier`` keys what it copies; a page is never shared."""

    def __init__(self, target: StreamedPdf):
        self.target = target

    def add(self, body: bytes) -> int:
        key = hashlib.sha256(body + b"\x00").digest()[:20]
        number = self.target.known(key)
        if number is None:
            number = self.target._new_number()
            self.target.remember(key, number)
            self.target._add_plain(number, body)
        return number

    def add_page(self, body: bytes) -> int:
        number = self.target._new_number()
        self.target._add_plain(number, body)
        return number

    def add_stream(self, data: bytes, entries: bytes = b"") -> int:
        dictionary = b"<< /Length %d %s >>" % (len(data), entries)
        key = hashlib.sha256(dictionary + b"\x00" + data).digest()[:20]
        number = self.target.known(key)
        if number is None:
            number = self.target._new_number()
            self.target.remember(key, number)
            self.target.add_stream(number, dictionary, data)
        return number


class _Copier:
    """Copies the objects one page uses, children first, each under the number its bytes earn.

    ``numbers`` maps a source object (its number and generation in the chunk) to its number in the
    file; an object met again while its own children are being copied (a cycle: an annotation's /P
    pointing back to its page) is given a number of its own there, and is never shared.
    """

    def __init__(self, target: StreamedPdf):
        self.target = target
        self.numbers: dict[tuple[int, int], int] = {}
        self.open: set[tuple[int, int]] = set()

    def page(self, page: pikepdf.Object) -> int:
        """A page: always an object of its own (never shared), its /Parent the file's page tree."""
        objgen = page.objgen
        number = self.target._new_number()
        self.numbers[objgen] = number
        self.open.add(objgen)
        entries = [(key, page[key]) for key in sorted(page.keys()) if key != "/Parent"]
        body = self._dictionary(entries, b" /Parent %d 0 R" % _PAGES)
        self.open.discard(objgen)
        self.target._add_plain(number, body)
        return number

    def reference_of(self, value: pikepdf.Object) -> int | None:
        """The file's number for an indirect object of the chunk, copying it first if needed; None for
        a page not (yet) in the file, or the chunk's page tree (a link's destination on another page):
        copied as an object, it would bring the chunk's whole page tree along."""
        objgen = value.objgen
        number = self.numbers.get(objgen)
        if number is not None:
            return number
        if isinstance(value, pikepdf.Dictionary) and value.get("/Type") in (pikepdf.Name.Page, pikepdf.Name.Pages):
            return None
        if objgen in self.open:  # a cycle: this object gets its number now, and is written when it closes
            number = self.numbers[objgen] = self.target._new_number()
            return number
        self.open.add(objgen)
        if isinstance(value, pikepdf.Stream):
            dictionary, data = self._stream(value)
            body, payload = dictionary, data
        else:
            body, payload = self.contents(value), b""
        self.open.discard(objgen)
        early = self.numbers.get(objgen)  # numbered by a cycle through it while its children were copied
        if early is None:
            key = hashlib.sha256(body + b"\x00" + payload).digest()[:20]
            known = self.target.known(key)
            if known is not None:
                self.numbers[objgen] = known
                return known
            number = self.numbers[objgen] = self.target._new_number()
            self.target.remember(key, number)
        else:
            number = early
        if isinstance(value, pikepdf.Stream):
            self.target.add_stream(number, body, payload)
        else:
            self.target._add_plain(number, body)
        return number

    def _stream(self, stream: pikepdf.Stream) -> tuple[bytes, bytes]:
        """A stream's dictionary and data as written: data as stored (compressed), uncompressed data deflated."""
        data = stream.read_raw_bytes()
        entries = [(key, stream[key]) for key in sorted(stream.keys()) if key != "/Length"]
        extra = b""
        if "/Filter" not in stream:
            data = zlib.compress(data)
            extra += b" /Filter /FlateDecode"
        extra += b" /Length %d" % len(data)
        return self._dictionary(entries, extra), data

    def direct(self, value) -> bytes:
        """A value inside an object: a reference (renumbered, what it refers to copied) or the value itself."""
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            number = self.reference_of(value)
            return b"null" if number is None else b"%d 0 R" % number
        return self.contents(value)

    def contents(self, value) -> bytes:
        """``value`` in PDF syntax, the indirect references inside it renumbered."""
        if isinstance(value, pikepdf.Object):
            whole = value.unparse()  # qpdf's own writing, fast: right as it is when nothing in it is a reference
            if b" R" not in whole:  # (a string holding " R" only takes the slow way below)
                return whole
            if isinstance(value, pikepdf.Dictionary):
                return self._dictionary([(key, value[key]) for key in sorted(value.keys())])
            if isinstance(value, pikepdf.Array):
                return b"[" + b" ".join(self.direct(item) for item in value) + b"]"
            return value.unparse()  # a name or a string, escaped as PDF wants it
        if value is None:
            return b"null"
        if isinstance(value, bool):
            return b"true" if value else b"false"
        if isinstance(value, int):
            return b"%d" % value
        if isinstance(value, Decimal | float):
            return _real(value)
        raise TypeError(f"cannot write {type(value).__name__} into a PDF")

    def _dictionary(self, entries, extra: bytes = b"") -> bytes:
        parts = [pikepdf.Name(key).unparse() + b" " + self.direct(value) for key, value in entries]
        return b"<< " + b" ".join(parts) + extra + b" >>"


def _real(value) -> bytes:
    """A number as PDF writes it: no exponent, no trailing zeros."""
    text = format(Decimal(value) if isinstance(value, float) else value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return (text or "0").encode()


def _push_inherited(page: pikepdf.Page) -> None:
    """Give the page the attributes it takes from its page tree nodes: it leaves that tree."""
    node = page.obj
    missing = [key for key in _INHERITED if key not in node]
    parent = node.get("/Parent")
    while missing and parent is not None:
        for key in list(missing):
            if key in parent:
                node[key] = parent[key]
                missing.remove(key)
        parent = parent.get("/Parent")
