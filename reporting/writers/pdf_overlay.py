"""Page layers with pikepdf: the static page under each variable page, or the variable page alone, shifted.

The static page becomes a PDF Form XObject drawn first on every page of a
chunk (one copy per file, however many pages show it); the variable page's own
content is drawn over it. For pre-printed stock the variable page is printed
alone, cut to the sheet and moved by the printer's calibration offset.
"""

from __future__ import annotations

import io

import pikepdf

MM = 72 / 25.4  # PDF points per millimetre
STATIC_NAME = "/StaticLayer"
_PRINT_BOXES = ("/BleedBox", "/TrimBox", "/CropBox", "/ArtBox")


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def underlay(pdf: pikepdf.Pdf, static: bytes) -> pikepdf.Pdf:
    """Draw ``static``'s one page under every page of ``pdf`` (changed in place, and returned)."""
    source = open_pdf(static)
    form = pdf.copy_foreign(source.pages[0].as_form_xobject())
    for page in pdf.pages:
        # A fixed name (WeasyPrint's own are /x<n> and /im<n>), not add_resource's random one: the same
        # pages must give the same bytes. WeasyPrint's pages may share one resource dictionary.
        page.add_resource(form, pikepdf.Name.XObject, name=pikepdf.Name(STATIC_NAME))
        page.contents_add(pikepdf.Stream(pdf, b"q " + STATIC_NAME.encode() + b" Do Q\n"), prepend=True)
    return pdf


def interleave(groups: list[pikepdf.Pdf], order: list[tuple[int, int]]) -> pikepdf.Pdf:
    """One PDF with page ``order[i] = (group, page)`` at i: a chunk whose awardees have different static pages."""
    if len(groups) == 1:
        return groups[0]
    combined = pikepdf.new()
    for group, index in order:
        combined.pages.append(groups[group].pages[index])
    if "/Info" in groups[0].trailer:
        combined.trailer.Info = combined.copy_foreign(groups[0].trailer.Info)
    return combined


def trim(page: pikepdf.Page) -> None:
    """Cut a page to its trim box: bleed and crop marks belong to the print file only."""
    if "/TrimBox" not in page.obj:
        return
    page.obj.MediaBox = page.obj.TrimBox
    for box in _PRINT_BOXES:
        if box in page.obj:
            del page.obj[box]


def shift(pdf: pikepdf.Pdf, page: pikepdf.Page, offset_mm: tuple[float, float]) -> None:
    """Move a page's content ``offset_mm`` (x to the right, y down, as measured on the sheet)."""
    dx, dy = offset_mm[0] * MM, -offset_mm[1] * MM
    if not dx and not dy:
        return
    page.contents_add(pikepdf.Stream(pdf, f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm\n".encode()), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
