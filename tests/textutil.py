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
    args = (
        ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + (["-raw"] if raw else []) + [str(path), "-"]
    )
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
    return [
        _as_shown("".join(_SHOWN.get(t.tag, t.text or "") for t in p.iter(f"{W}t", f"{W}tab", f"{W}noBreakHyphen")))
        for p in paragraphs
    ]


# What Word shows for the elements that stand for a character, and the no-break characters of
# span.nobr (reporting/writers/docx.py) as the plain characters a reader reads.
_SHOWN = {f"{W}tab": "\t", f"{W}noBreakHyphen": "-"}
_NO_BREAK = str.maketrans({"\u00a0": " ", "\u2060": None})


def _as_shown(text: str) -> str:
    return text.translate(_NO_BREAK)


def shown_text(element) -> str:
    """The text of a run or paragraph element as Word shows it (no-break characters as plain ones)."""
    return _as_shown(
        "".join(_SHOWN.get(t.tag, t.text or "") for t in element.iter(f"{W}t", f"{W}tab", f"{W}noBreakHyphen"))
    )


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def squeeze(text: str) -> str:
    """NFC, no bidi controls, no whitespace: what two renderings of one text must share."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", "", text)


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


def docx_footer_texts(path: Path, part: str = "footer") -> list[str]:
    """The text of each footer (or header) part (PAGE/NUMPAGES fields show their cached result)."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if re.fullmatch(rf"word/{part}\d*\.xml", n))
        return ["".join(t.text or "" for t in etree.fromstring(archive.read(n)).iter(f"{W}t")) for n in names]


# -- the PDF in reading order -------------------------------------------------
#
# pdftotext rebuilds reading order from positions: it reads table columns and a
# list's numbers as separate blocks, and in right-to-left lines sets numbers
# where its own heuristics put them. WeasyPrint draws every box in document
# order, though: each text box's line is one text object (a Tm, then TJs) whose
# glyphs run left to right on the page (Pango's visual order). So the text is
# read back exactly in logical order by walking the content stream, turning each
# glyph into its text through the font's ToUnicode map, and undoing the bidi
# reordering of each line piece: in a right-to-left paragraph a line is its runs
# in reverse order, each right-to-left run's glyphs reversed and each
# left-to-right run (Latin, digits) kept. That inverse is exact for what the
# documents hold (Latin or numbers inside Arabic, one level deep). Characters
# without a strong direction (spaces, punctuation) are dropped: the comparison
# is on letters and digits (letters()).


def _to_unicode(font) -> dict[int, str]:
    """A Type0 font's ToUnicode CMap: code -> text (WeasyPrint writes bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    cmap = stream.read_bytes().decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(text, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(start + offset)
    return table


def _strong_direction(text: str) -> str | None:
    kinds = {unicodedata.bidirectional(char) for char in text}
    if kinds & {"R", "AL"}:
        return "rtl"
    if kinds & {"L", "EN", "AN"}:
        return "ltr"
    return None


def _logical(glyphs: list[str], rtl: bool) -> str:
    """One line piece's glyph texts (left to right on the page) in reading order, neutrals dropped."""
    runs: list[tuple[str, list[str]]] = []
    for text in glyphs:
        direction = _strong_direction(text)
        if direction is None:
            continue
        if runs and runs[-1][0] == direction:
            runs[-1][1].append(text)
        else:
            runs.append((direction, [text]))
    pieces = ["".join(reversed(texts)) if direction == "rtl" else "".join(texts) for direction, texts in runs]
    return "".join(reversed(pieces) if rtl else pieces)


def pdf_reading_order(path: Path, rtl: bool) -> list[list[str]]:
    """Each page's line pieces in the order WeasyPrint drew them, each in logical order (see above).

    A text object's TJs without a new position continue one piece (Pango splits a
    line at font or baseline changes), as do pieces on the same baseline that
    continue to the right (the rest of one line of glyphs); a piece further left
    or on another line is the next box.
    """
    import pikepdf

    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            fonts: dict[str, dict[int, str]] = {}
            pieces: list[list[str]] = []
            font: dict[int, str] = {}
            x = y = 0.0
            last: tuple[float, float] | None = None
            moved = True
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "Tf":
                    key = str(operands[0])
                    font = fonts.setdefault(key, _to_unicode(page.Resources.Font[key]))
                elif name == "Tm":
                    x, y, moved = float(operands[4]), float(operands[5]), True
                elif name == "Td":
                    x, y, moved = x + float(operands[0]), y + float(operands[1]), True
                elif name in ("TJ", "Tj"):
                    strings = operands[0] if name == "TJ" else [operands[0]]
                    glyphs = [
                        font.get(int.from_bytes(data[i : i + 2], "big"), "")  # Identity-H: 2-byte codes
                        for data in (bytes(s) for s in strings if isinstance(s, pikepdf.String))
                        for i in range(0, len(data), 2)
                    ]
                    if last is not None and (not moved or (abs(last[1] - y) < 0.01 and x > last[0])):
                        pieces[-1].extend(glyphs)
                    else:
                        pieces.append(glyphs)
                    last, moved = (x, y), False
            pages.append([_logical(piece, rtl) for piece in pieces])
    return pages


# -- the DOCX as a reader sees it ---------------------------------------------

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


def docx_list_labels(path: Path) -> dict[int, str]:
    """Paragraph index (in document order) -> the list number or bullet Word shows before it."""
    root = docx_xml(path)
    try:
        numbering = docx_xml(path, "word/numbering.xml")
    except KeyError:
        return {}
    abstracts = {a.get(f"{W}abstractNumId"): a.find(f"{W}lvl") for a in numbering.findall(f"{W}abstractNum")}
    nums = {}
    for num in numbering.findall(f"{W}num"):
        override = num.find(f"{W}lvlOverride/{W}startOverride")
        level = abstracts[num.find(f"{W}abstractNumId").get(f"{W}val")]
        start = override if override is not None else level.find(f"{W}start")
        nums[num.get(f"{W}numId")] = (level, int(start.get(f"{W}val")) if start is not None else 1)
    counters: dict[str, int] = {}
    labels = {}
    for index, p in enumerate(root.iter(f"{W}p")):
        num_id = p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is None:
            continue
        level, start = nums[num_id.get(f"{W}val")]
        number = counters[num_id.get(f"{W}val")] = counters.get(num_id.get(f"{W}val"), start - 1) + 1
        shown = str(number)
        if level.find(f"{W}numFmt").get(f"{W}val") == "hindiNumbers":
            shown = shown.translate({ord("0") + d: ARABIC_INDIC[d] for d in range(10)})
        labels[index] = level.find(f"{W}lvlText").get(f"{W}val").replace("%1", shown)
    return labels


def docx_shown_paragraphs(path: Path) -> list[str]:
    """Every body paragraph's text with the list number Word puts before it."""
    labels = docx_list_labels(path)
    return [f"{labels[index]}\t{text}" if index in labels else text for index, text in enumerate(docx_paragraphs(path))]


def font_face_style(locale: str) -> str:
    """The ``<style>`` with the @font-face rules a rendered document of ``locale`` carries (render.py writes
    them from reporting.toml's [fonts]): HTML made by a test without it would be set in a fallback font."""
    from reporting.config import load_project
    from reporting.font_faces import font_face_css

    return f"<style>{font_face_css(load_project(Path(__file__).resolve().parent.parent).faces(locale))}</style>"
