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


def pdf_text(path: Path, layout: bool = False, raw: bool = False) -> str:
    """Logical-order text (DESIGN.md §4: pdftotext extracts Arabic in logical order)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + (["-raw"] if raw else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def pdf_pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def docx_xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


def docx_paragraphs(path: Path, outside_tables: bool = False) -> list[str]:
    """The text of every paragraph of the body (tables included unless asked), in document order."""
    root = docx_xml(path)
    paragraphs = root.iter(f"{W}p")
    if outside_tables:
        paragraphs = (p for p in paragraphs if not any(a.tag == f"{W}tbl" for a in p.iterancestors()))
    return ["".join("\t" if t.tag == f"{W}tab" else (t.text or "") for t in p.iter(f"{W}t", f"{W}tab"))
            for p in paragraphs]


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def squeeze(text: str) -> str:
    """NFC, no bidi controls, no whitespace: what two renderings of one text must share."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", "", text)


def words(text: str) -> list[str]:
    return BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text)).split()


_NOT_TEXT = re.compile(r"[^\w]|_")


_REPEATS = re.compile(r"(.)\1+")


def letters(text: str) -> str:
    """Only letters, marks and digits, each run of one letter kept once.

    What survives every extractor quirk that a reader never sees: pdftotext
    joins a word hyphenated at a line end, sets a comma beside a number on
    either side in right-to-left lines, and WeasyPrint's ToUnicode map gives
    every glyph of a multi-glyph Amiri cluster the cluster's text, so
    "الكفيلة" extracts as "اللكفيلة" (a repeated letter).
    """
    # Tatweel (U+0640) only stretches a joint; pdftotext reads "لـ" back as "لل".
    kept = _NOT_TEXT.sub("", BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))).replace("\u0640", "")
    return _REPEATS.sub(r"\1", kept)


def docx_repeated_header_rows(path: Path) -> list[str]:
    """The text of table rows marked to repeat on each page (the PDF prints them again)."""
    root = docx_xml(path)
    rows = [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}tblHeader") is not None]
    return ["".join(t.text or "" for t in tr.iter(f"{W}t")) for tr in rows]


def docx_footer_texts(path: Path) -> list[str]:
    """The text of each footer part (PAGE/NUMPAGES fields show their cached result)."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if re.fullmatch(r"word/footer\d*\.xml", n))
        return ["".join(t.text or "" for t in etree.fromstring(archive.read(n)).iter(f"{W}t")) for n in names]


def without_footer_lines(pdf: str, footer: str) -> tuple[str, int]:
    """``pdf`` minus the lines that are the running footer (whatever its numbers), and how many there were."""
    digits = r"\s*[0-9٠-٩]+\s*"
    pieces = [re.escape(piece.strip()).replace(" ", r"\s*") for piece in re.split(r"[0-9٠-٩]+", BIDI_CONTROLS.sub("", footer))]
    pattern = re.compile(r"\s*" + digits.join(pieces) + r"\s*")
    kept, removed = [], 0
    for line in pdf.splitlines():
        if line.strip() and pattern.fullmatch(BIDI_CONTROLS.sub("", line)):
            removed += 1
        else:
            kept.append(line)
    return "\n".join(kept), removed
