"""The Arabic font a DOCX embeds: small (a certificate under 100 KB), and still every letter a clerk
may type in a name, joined, when LibreOffice draws the DOCX on a machine without Amiri."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from fontTools.ttLib import TTFont

import office
from reporting.writers import docx_fonts, font_subset, ooxml

ROOT = Path(__file__).resolve().parent.parent
AMIRI = ROOT / "templates" / "fonts" / "amiri"
D35 = "directive-35-review"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# The letters of the Arabic alphabet (hamza to yeh), and those that join only to the letter before
# them (alef, dal, reh, waw, teh marbuta and their hamza forms) or to none (hamza).
LETTERS = [chr(code) for code in (*range(0x0621, 0x063B), *range(0x0641, 0x064B))]
JOIN_BEFORE_ONLY, JOIN_NONE = "اأإآدذرزوؤة", "ء"
# A name whose letters ء آ ؤ ث ض ظ the reference certificates never show.
EDITED_NAME = "آمنة ضياء ظافر ثابت المؤمن"
AWARDEE_PT = 24  # the Awardee Name style: w:szCs 48 half-points


def shipped_subset(face: str) -> TTFont:
    path = AMIRI / f"Amiri-{face}.ttf"
    return TTFont(io.BytesIO(docx_fonts.subset_font(path.read_bytes(), path, docx_fonts.ARABIC)))


def features(font: TTFont, table: str) -> set[str]:
    return {record.FeatureTag for record in font[table].table.FeatureList.FeatureRecord}


def joining_forms(font: TTFont) -> dict[str, dict[str, str]]:
    """feature tag (init, medi, fina) -> {nominal glyph: its form} from the font's one-to-one substitutions."""
    forms: dict[str, dict[str, str]] = {}
    lookups = font["GSUB"].table.LookupList.Lookup
    for record in font["GSUB"].table.FeatureList.FeatureRecord:
        if record.FeatureTag not in ("init", "medi", "fina"):
            continue
        for index in record.Feature.LookupListIndex:
            for table in lookups[index].SubTable:
                table = getattr(table, "ExtSubTable", table)
                for glyph, form in getattr(table, "mapping", {}).items():
                    if isinstance(form, str) or len(form) == 1:  # single, or a one-glyph multiple substitution
                        forms.setdefault(record.FeatureTag, {})[glyph] = form if isinstance(form, str) else form[0]
    return forms


def positional_form(word: str, index: int) -> str | None:
    """The joining form of ``word[index]`` (None: isolated), for a word of Arabic letters."""
    letter = word[index]
    if letter in JOIN_NONE:
        return None
    after_joiner = index > 0 and word[index - 1] not in JOIN_BEFORE_ONLY + JOIN_NONE
    before_letter = letter not in JOIN_BEFORE_ONLY and index + 1 < len(word) and word[index + 1] not in JOIN_NONE
    return {(True, True): "medi", (False, True): "init", (True, False): "fina"}.get((after_joiner, before_letter))


def word_width(font: TTFont, word: str, size_pt: float, joined: bool) -> float:
    """``word``'s width in points drawn in ``font``: letters joined, or each isolated (no kerning)."""
    cmap, advances, forms = font.getBestCmap(), font["hmtx"].metrics, joining_forms(font)
    total = 0
    for index, letter in enumerate(word):
        glyph = cmap[ord(letter)]
        form = positional_form(word, index) if joined else None
        total += advances[forms[form].get(glyph, glyph) if form else glyph][0]
    return total / font["head"].unitsPerEm * size_pt


@pytest.mark.parametrize("face", ["Regular", "Bold"])
def test_the_embedded_amiri_has_every_letter_joining_forms_and_marks_and_nothing_optional(face):
    font = shipped_subset(face)
    cmap, forms = font.getBestCmap(), joining_forms(font)
    assert {chr(code) for code in cmap} >= {*LETTERS, *(chr(c) for c in range(0x064B, 0x0653)), *"٠١٢٣٤٥٦٧٨٩"}
    for letter in LETTERS:
        glyph = cmap[ord(letter)]
        expected = (
            set() if letter in JOIN_NONE else {"fina"} if letter in JOIN_BEFORE_ONLY else {"init", "medi", "fina"}
        )
        assert {tag for tag in forms if glyph in forms[tag]} >= expected, letter
    assert {"init", "medi", "fina", "rlig"} <= features(font, "GSUB")  # lam-alef is a required ligature
    assert {"mark", "mkmk", "kern"} <= features(font, "GPOS")  # harakat placed on their letter
    optional = {"calt", "salt", "swsh", "numr", "dnom", *(f"ss{n:02d}" for n in range(1, 21))}
    assert not optional & (features(font, "GSUB") | features(font, "GPOS"))
    assert font["post"].formatType == 3 and "fpgm" not in font and "prep" not in font  # no glyph names, no hinting
    assert not optional & set(font_subset.SHAPING_FEATURES)


def test_each_embedded_arabic_face_deflates_to_under_30_kb():
    """Deflated as the DOCX zip stores fonts: that is what a DOCX grows by (it was 62 KB a face with calt)."""
    for face in ("Regular", "Bold"):
        path = AMIRI / f"Amiri-{face}.ttf"
        data = docx_fonts.subset_font(path.read_bytes(), path, docx_fonts.ARABIC)
        assert len(zlib.compress(data, ooxml.FONT_ZIP_LEVEL)) < 30 * 1024, face


def test_every_arabic_certificate_docx_is_under_100_kb(built):
    certificates = sorted(built.glob("*/ar/certificates/*.docx"))
    assert certificates
    sizes = {path.name: path.stat().st_size for path in certificates}
    assert max(sizes.values()) < 100 * 1024, sizes
    with zipfile.ZipFile(certificates[0]) as package:
        fonts = [name for name in package.namelist() if name.endswith(".odttf")]
    assert len(fonts) == 2  # Amiri Regular and Bold: the size bound holds with both embedded


def libreoffice_pdf(source: Path, folder: Path, env: dict) -> Path:
    (pdf,) = office.convert([source], folder, env=env)
    return pdf


def word_boxes(pdf: Path) -> dict[str, float]:
    """Each word pdftotext finds -> its width in points (its letters in logical order)."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found = re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', bbox)
    # pdftotext gives right-to-left words in drawing order, last letter first
    return {match[3][::-1]: float(match[2]) - float(match[1]) for match in found}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs DejaVu as the only system font")
def test_a_name_edited_with_new_letters_is_drawn_joined_from_the_embedded_subset(built, tmp_path):
    certificate = sorted((built / D35 / "ar" / "certificates").glob("*.docx"))[0]
    document = Document(str(certificate))
    shown = "".join(paragraph.text for paragraph in document.paragraphs)
    assert set("ءآؤثضظ") - set(shown) == set("ءآؤثضظ")  # the new name's letters are new to the document
    name = next(p for p in document.paragraphs if p.style.style_id == "AwardeeName")
    name.runs[0].text = EDITED_NAME
    for run in name.runs[1:]:
        run.text = ""
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    # A machine without Amiri: fontconfig sees DejaVu alone
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>'
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(config))
    assert "Amiri" not in subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
    pdf = libreoffice_pdf(edited, tmp_path, env)

    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^[A-Z]{6}\+Amiri-Bold\s", fonts, re.MULTILINE), fonts  # embedded in the PDF from the DOCX
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert EDITED_NAME in re.sub("[\u200e\u200f\u202a-\u202e]", "", text)  # every letter, in reading order
    # Joined: each word is as wide as its joining forms in Amiri Bold, a quarter to a half narrower
    # than its letters drawn isolated (what a font without the forms would show).
    face = TTFont(AMIRI / "Amiri-Bold.ttf")
    widths = word_boxes(pdf)
    for word in EDITED_NAME.split():
        joined, isolated = (word_width(face, word, AWARDEE_PT, joined) for joined in (True, False))
        assert widths[word] == pytest.approx(joined, rel=0.03), (word, widths[word], joined, isolated)
        assert widths[word] < 0.85 * isolated, (word, widths[word], isolated)
