"""Text as a reader gets it: pdftotext for PDFs, the w:t runs of word/document.xml for DOCX."""
from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def pdf_text(path: Path, layout: bool = False) -> str:
    """Logical-order text (DESIGN.md §4: pdftotext extracts Arabic in logical order)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def pdf_pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def docx_xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


def docx_paragraphs(path: Path) -> list[str]:
    """The text of every paragraph of the body, tables included, in document order."""
    root = docx_xml(path)
    return ["".join(t.text or "" for t in p.iter(f"{W}t", f"{W}tab")) for p in root.iter(f"{W}p")]


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def squeeze(text: str) -> str:
    """NFC, no bidi controls, no whitespace: what two renderings of one text must share."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", "", text)


def words(text: str) -> list[str]:
    return BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text)).split()
