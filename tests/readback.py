"""Short texts written by the real PDF and DOCX writers, one paragraph each, and read back per paragraph."""

from __future__ import annotations

import html
import re
from pathlib import Path

from reporting.config import PageGeometry
from reporting.language.bidi import isolate_ltr, isolate_rtl
from textutil import BIDI_CONTROLS, docx_paragraphs, font_face_style, pdf_reading_order

ROOT = Path(__file__).resolve().parent.parent


def _marker(index: int) -> str:
    """Letters and digits only, so no bidi reordering can touch it."""
    return f"CASE{index}X"


def read_back(folder: Path, locale: str, texts: list[str], css: str = "") -> tuple[list[str], list[str]]:
    """Each text as a justified paragraph after a marker, isolated as the renderer does; what the PDF
    (in the order WeasyPrint drew it, lines in logical order) and the DOCX hold after each marker."""
    from reporting.writers.docx import DocxWriter
    from reporting.writers.pdf import PdfWriter

    rows = "".join(f'<p>{_marker(i)}</p><p class="justify">{html.escape(text)}</p>' for i, text in enumerate(texts))
    rtl = locale == "ar"
    document = (
        f'<html lang="{locale}" dir="{"rtl" if rtl else "ltr"}"><head><link rel="stylesheet" '
        f'href="css/common.css">{font_face_style(locale)}<style>{css}</style></head><body>{rows}</body></html>'
    )
    document = isolate_ltr(document) if rtl else isolate_rtl(document)
    pdf, docx = folder / f"{locale}.pdf", folder / f"{locale}.docx"
    pdf.write_bytes(PdfWriter(ROOT / "templates").write(document))
    docx.write_bytes(DocxWriter().write(document, PageGeometry()))
    pdf_text = "\n".join(piece for page in pdf_reading_order(pdf, rtl) for piece in page)
    docx_text = BIDI_CONTROLS.sub("", "\n".join(docx_paragraphs(docx)))
    return [_after(pdf_text, i) for i in range(len(texts))], [_after(docx_text, i) for i in range(len(texts))]


def _after(text: str, index: int) -> str:
    match = re.search(rf"{_marker(index)}\n(.*?)(?:\nCASE\d+X|\Z)", text, re.S)
    return match.group(1) if match else ""
