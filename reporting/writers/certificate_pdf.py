"""Each awardee's standalone certificate PDF written as bytes: the static page under the drawn variable page.

Splitting a chunk with pikepdf (``pdf_split.split_pages``) costs about 1.3 ms a
certificate, most of it qpdf saving each one-page file. A certificate drawn
directly (``writers/pdf_glyphs.py``) is instead written here: the static page
as a Form XObject with everything it uses (fonts, images), serialised once per
static layer as objects 1, 2..., then per awardee the catalog, the page (cut to
the trim box when the chunk has bleed), its content stream (the form, then the
runs), its fonts and the document information. The same page gives the same
bytes whatever shares its chunk; the /ID is a digest of the file's objects.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pikepdf

from reporting.writers.pdf_glyphs import DrawnPage, PdfObjects
from reporting.writers.pdf_overlay import STATIC_NAME

_BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


@dataclass(frozen=True)
class StaticForm:
    """A static page as a Form XObject, written out as objects 1..n, and what its certificates take from it."""

    objects: tuple[bytes, ...]  # b"1 0 obj ... endobj\n", ...
    form: int  # the Form XObject's number
    digest: bytes  # of the objects: a part of each file's /ID
    boxes: bytes  # the page's boxes as written on a certificate
    info: bytes | None  # the document information dictionary


def certificate_pdfs(drawn: list[DrawnPage], static_pdf: bytes, trim: bool) -> list[bytes]:
    """One standalone PDF per drawn page, drawn over ``static_pdf``'s page (cut to its trim box with ``trim``)."""
    static = static_form(static_pdf, trim)
    return [_certificate(page, static) for page in drawn]


def _certificate(page: DrawnPage, static: StaticForm) -> bytes:
    writer = PdfObjects(static.objects)
    catalog, tree = writer.reserve(), writer.reserve()
    kid = page.write(writer, tree, static.boxes, under=(STATIC_NAME.encode(), static.form))
    writer.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    writer.put(tree, b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % kid)
    info = writer.add(static.info) if static.info is not None else None
    digest = hashlib.md5(static.digest, usedforsecurity=False)
    for body in writer.objects:
        digest.update(body or b"")
    return writer.finish(catalog, info, digest.digest())


@lru_cache(maxsize=8)
def static_form(static_pdf: bytes, trim: bool) -> StaticForm:
    """``static_pdf``'s one page as a Form XObject and the objects it uses, renumbered from 1 (read once)."""
    with pikepdf.open(io.BytesIO(static_pdf)) as pdf:
        page = pdf.pages[0]
        form = pdf.make_indirect(page.as_form_xobject())
        objects = _Serialiser()
        number = objects.reference(form)
        if trim and "/TrimBox" in page.obj:
            boxes = b"/MediaBox " + objects.direct(page.obj.TrimBox)
        else:
            present = [name for name in _BOXES if name in page.obj]
            boxes = b" ".join(name.encode() + b" " + objects.direct(page.obj[name]) for name in present)
        info = objects.direct(pdf.trailer.Info, top=True) if "/Info" in pdf.trailer else None
        written = tuple(b"%d 0 obj\n%s\nendobj\n" % (index, body) for index, body in enumerate(objects.bodies, start=1))
    return StaticForm(written, number, hashlib.md5(b"".join(written), usedforsecurity=False).digest(), boxes, info)


class _Serialiser:
    """pikepdf objects as PDF bytes, each indirect object numbered in the order first met from 1."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[int, int], int] = {}
        self.bodies: list[bytes] = []

    def reference(self, obj: pikepdf.Object) -> int:
        number = self.numbers.get(obj.objgen)
        if number is None:
            self.bodies.append(b"")
            number = self.numbers[obj.objgen] = len(self.bodies)
            self.bodies[number - 1] = self._body(obj)
        return number

    def _body(self, obj: pikepdf.Object) -> bytes:
        if not isinstance(obj, pikepdf.Stream):
            return self.direct(obj, top=True)
        data = obj.read_raw_bytes()
        entries = {key: value for key, value in obj.stream_dict.items() if key != "/Length"}
        if "/Filter" not in entries:  # the form's own content, as qpdf made it
            data, entries["/Filter"] = zlib.compress(data), pikepdf.Name.FlateDecode
            entries.pop("/DecodeParms", None)
        inner = b" ".join(pikepdf.Name(key).unparse() + b" " + self.value(entries[key]) for key in sorted(entries))
        return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (inner, len(data), data)

    def value(self, obj) -> bytes:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            return b"%d 0 R" % self.reference(obj)
        return self.direct(obj)

    def direct(self, obj, top: bool = False) -> bytes:
        """An object written in place (``top``: the body of an indirect one, whose own number it has)."""
        if isinstance(obj, pikepdf.Object) and obj.is_indirect and not top:
            return b"%d 0 R" % self.reference(obj)
        if isinstance(obj, pikepdf.Dictionary):
            items = sorted(obj.items())
            return b"<< " + b" ".join(pikepdf.Name(k).unparse() + b" " + self.value(v) for k, v in items) + b" >>"
        if isinstance(obj, pikepdf.Array):
            return b"[ " + b" ".join(self.value(item) for item in obj) + b" ]"
        if isinstance(obj, pikepdf.Object):
            return obj.unparse()  # a name, a string
        if isinstance(obj, bool):
            return b"true" if obj else b"false"
        if isinstance(obj, int):
            return b"%d" % obj
        if isinstance(obj, Decimal):
            return pikepdf.Array([obj]).unparse()[2:-2]
        if obj is None:
            return b"null"
        raise TypeError(f"no PDF form for {type(obj).__name__}")
