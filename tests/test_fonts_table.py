"""One [fonts] table in reporting.toml: the PDFs' @font-face rules, the DOCX writer's fonts and the
fonts preflight all read it, and the settings check it like every other table."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from reporting.build import freshness
from reporting.config import load_project
from reporting.writers import docx_fonts
from reporting.writers.docx import FontChoice
from reporting.writers.font_table import docx_fonts as table_docx_fonts
from textutil import docx_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The same face ("Report Tinos" to the stylesheets) made of Noto Serif's files, named and embedded as such in Word.
NOTO_AS_TINOS = """[fonts.tinos]
family = "Report Tinos"
regular = "fonts/noto-serif/NotoSerif-Regular.ttf"
bold = "fonts/noto-serif/NotoSerif-Bold.ttf"
italic = "fonts/noto-serif/NotoSerif-Italic.ttf"
docx_script = "latin"
docx_name = "Noto Serif"
docx_embed = true
"""
COPTIC_SHEI = "\u03e2"  # in Tinos, not in Noto Serif nor in Amiri


def _settings(project: Path) -> Path:
    return project / "reporting.toml"


def _edit(project: Path, old: str, new: str) -> str:
    """Replace ``old`` (which must be there) in the project's settings; returns the new text."""
    settings = _settings(project)
    text = settings.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    settings.write_text(text, encoding="utf-8")
    return text


def _swap_tinos_for_noto_serif(project: Path) -> None:
    text = _settings(project).read_text(encoding="utf-8")
    start = text.index("[fonts.tinos]")
    end = text.index("\n[", start)
    _settings(project).write_text(text[:start] + NOTO_AS_TINOS + text[end:], encoding="utf-8")


def _line(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_the_stylesheets_declare_no_font_files():
    """The files behind a family are in [fonts] alone: no stylesheet names one."""
    for stylesheet in (ROOT / "templates" / "css").glob("*.css"):
        assert not re.search(r"@font-face\s*\{", stylesheet.read_text(encoding="utf-8")), stylesheet


@pytest.mark.slow
def test_each_document_carries_the_font_face_rules_of_its_locales_faces(tmp_path):
    from reporting.build import pipeline

    project_root = copy_project(tmp_path)
    _swap_tinos_for_noto_serif(project_root)
    project = load_project(project_root)
    renderer = pipeline.Renderer(project)
    bundle = next(b for b in pipeline.load_bundles(project) if b.event.id == "inspectorate-2024-q1")
    html = renderer.render("report.html.j2", "vi", bundle, project.page("report"))
    rules = re.findall(r"@font-face \{[^}]*\}", html.split("</head>")[0])
    assert rules == [
        '@font-face { font-family: "Report Amiri"; src: url(fonts/amiri/Amiri-Regular.ttf); '
        "font-weight: normal; font-style: normal; }",
        '@font-face { font-family: "Report Amiri"; src: url(fonts/amiri/Amiri-Bold.ttf); '
        "font-weight: bold; font-style: normal; }",
        '@font-face { font-family: "Report Tinos"; src: url(fonts/noto-serif/NotoSerif-Regular.ttf); '
        "font-weight: normal; font-style: normal; }",
        '@font-face { font-family: "Report Tinos"; src: url(fonts/noto-serif/NotoSerif-Bold.ttf); '
        "font-weight: bold; font-style: normal; }",
        '@font-face { font-family: "Report Tinos"; src: url(fonts/noto-serif/NotoSerif-Italic.ttf); '
        "font-weight: normal; font-style: italic; }",
    ]


def test_a_pdfs_key_follows_the_font_files_its_own_style_names(tmp_path):
    """The @font-face rules are in the document's <style>, not a linked stylesheet: a changed font
    file still rebuilds the PDFs that use it (and only those)."""
    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    font = templates / "fonts" / "face.ttf"
    font.write_bytes(b"one")
    html = "<html><head><style>@font-face { src: url(fonts/face.ttf); }</style></head><body><p>x</p></body></html>"
    plain = "<html><head></head><body><p>url(fonts/face.ttf)</p></body></html>"  # text, not a style
    before = [freshness.output_key(page, "pdf", templates) for page in (html, plain)]
    font.write_bytes(b"two")
    freshness.forget_assets()
    after = [freshness.output_key(page, "pdf", templates) for page in (html, plain)]
    assert before[0] != after[0] and before[1] == after[1]


def test_the_docx_writers_defaults_are_the_shipped_table():
    """A DocxWriter made without a project (tests, tools) writes what a build from the shipped settings writes."""
    project = load_project(ROOT)
    default = FontChoice()
    for locale in project.locales:
        fonts = table_docx_fonts(project, locale)
        assert (fonts.latin, fonts.complex) == (default.latin, default.complex)
        assert (fonts.embed_latin, fonts.embed_complex) == (False, True)  # DocxWriter's embed_latin, embed_complex
        for name in (fonts.latin, fonts.complex):
            shipped = docx_fonts.FONT_FILES[name]
            files = fonts.files[name]
            assert (files.regular, files.bold, files.italic, files.bold_italic) == tuple(
                f"fonts/{path}" if path else None
                for path in (shipped.regular, shipped.bold, shipped.italic, shipped.bold_italic)
            )
            assert files.coverage == shipped.coverage


@pytest.mark.slow
def test_the_preflight_checks_the_files_of_the_locales_faces(tmp_path):
    """The same data: fine while the Vietnamese face is Tinos, refused with the new files named once it is not."""
    project = copy_project(tmp_path)
    data = project / "data" / "inspectorate-2024-q1.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('vi: "Thanh tra tỉnh', f'vi: "{COPTIC_SHEI} Thanh tra tỉnh', 1), encoding="utf-8")
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 0, err
    _swap_tinos_for_noto_serif(project)
    code, out, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert (
        "expected characters the 'vi' fonts can draw, found U+03E2 COPTIC CAPITAL LETTER SHEI ('Ϣ') in none of "
        "NotoSerif-Regular.ttf, NotoSerif-Bold.ttf, NotoSerif-Italic.ttf, Amiri-Regular.ttf, Amiri-Bold.ttf "
        "(the faces tinos, amiri of [fonts])"
    ) in err


@pytest.mark.slow
def test_a_face_changed_in_the_table_changes_the_pdf_and_the_docx(tmp_path):
    project = copy_project(tmp_path)
    _swap_tinos_for_noto_serif(project)
    output = tmp_path / "out"
    code, _, err = run_cli(
        "--project", str(project), "build", "--event", "inspectorate-2024-q1", "--locale", "vi", "--output", str(output)
    )
    assert code == 0, err
    folder = output / "inspectorate-2024-q1" / "vi"
    # pdffonts lists the stylesheets' family ("Report-Tinos-Bold"), whatever its files: the font programs
    # embedded under those names are Noto Serif's.
    listed = subprocess.run(["pdffonts", str(folder / "report.pdf")], capture_output=True, text=True, check=True).stdout
    assert "Report-Tinos" in listed
    assert set(_embedded_font_families(folder / "report.pdf").values()) == {"Noto Serif"}
    table = docx_xml(folder / "report.docx", "word/fontTable.xml")
    names = [font.get(f"{W}name") for font in table.iter(f"{W}font")]
    assert "Noto Serif" in names and "Times New Roman" not in names
    noto = next(font for font in table.iter(f"{W}font") if font.get(f"{W}name") == "Noto Serif")
    assert noto.find(f"{W}embedRegular") is not None  # docx_embed = true
    normal = docx_xml(folder / "report.docx", "word/styles.xml").find(f".//{W}docDefaults//{W}rFonts")
    assert normal is not None and normal.get(f"{W}ascii") == "Noto Serif" and normal.get(f"{W}cs") == "Amiri"


def _embedded_font_families(pdf_path: Path) -> dict[str, str]:
    """PDF font name -> the family its embedded font program names itself by (its name table)."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    families = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                families[str(font.BaseFont)] = TTFont(io.BytesIO(program))["name"].getDebugName(1)
    return families


# reporting.toml as it was before [fonts]: font files per locale, the Latin face's embedding under [docx].
EARLIER_SHAPE = """[locales.ar]
digits = "latn"
fonts = ["fonts/amiri/Amiri-Regular.ttf", "fonts/amiri/Amiri-Bold.ttf",
         "fonts/tinos/Tinos-Regular.ttf", "fonts/tinos/Tinos-Bold.ttf"]

[locales.vi]
digits = "latn"
fonts = ["fonts/tinos/Tinos-Regular.ttf", "fonts/amiri/Amiri-Regular.ttf"]

[docx]
embed_latin_font = false
"""


def test_settings_of_the_earlier_shape_say_where_each_part_went(tmp_path):
    """Every part at once, each at its line, with a code of its own: nothing is silently ignored."""
    import json

    project = copy_project(tmp_path)
    _settings(project).write_text(EARLIER_SHAPE, encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert (
        "fonts: expected a [fonts.<name>] table for each face the documents are set in (docs/fonts.md), found none"
    ) in err
    assert (
        "8:1 locales.vi.fonts: expected names of faces declared under [fonts] (none), found "
        "'fonts/tinos/Tinos-Regular.ttf', 'fonts/amiri/Amiri-Regular.ttf' — font files are declared once, "
        "in a [fonts.<name>] table, and a locale lists those names"
    ) in err
    assert (
        "11:1 docx.embed_latin_font: expected docx_embed in the Latin face's [fonts.<name>] table (to embed "
        'Tinos: docx_name = "Tinos" and docx_embed = true), found embed_latin_font = false, '
        "a setting that moved to [fonts]"
    ) in err
    code, out, _ = run_cli("--project", str(project), "--json", "check")
    problems = json.loads(out)["problems"]
    assert [(p["field"], p["line"], p["code"]) for p in problems] == [
        ("fonts", None, "no-font-faces"),
        ("locales.ar.fonts", 3, "font-file-in-locale"),
        ("locales.vi.fonts", 8, "font-file-in-locale"),
        ("docx.embed_latin_font", 11, "setting-moved-to-fonts"),
    ]


def test_a_locale_naming_an_unknown_face_lists_the_faces(tmp_path):
    project = copy_project(tmp_path)
    misspelt = 'fonts = ["tinos", "amiry"]'
    text = _edit(project, 'fonts = ["tinos", "amiri"]', misspelt)
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert (
        f"{_line(text, misspelt)}:1 locales.vi.fonts: "
        "expected names of faces declared under [fonts] (amiri, tinos), found 'amiry'\n"
    ) in err


def test_the_fonts_table_is_validated_like_the_data(tmp_path):
    """A misspelt key, a missing one, a name that would break out of the CSS: each at its line."""
    project = copy_project(tmp_path)
    _edit(project, 'docx_name = "Times New Roman"', 'docx_nmae = "Times New Roman"')
    text = _edit(project, 'family = "Report Amiri"', 'family = "Report Amiri\\"; } body { color: red"')
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    misspelt = _line(text, 'docx_nmae = "Times New Roman"')
    assert (
        f"{misspelt}:1 fonts.tinos.docx_nmae: expected a known field, "
        "found unknown field 'docx_nmae' (did you mean 'docx_name'?)"
    ) in err
    assert "fonts.tinos.docx_name: expected this field, found nothing" in err
    family = _line(text, 'family = "Report Amiri\\"; } body { color: red"')
    assert f"{family}:1 fonts.amiri.family: expected a font name of letters, digits, spaces and hyphens" in err


def test_a_missing_file_and_a_missing_script_are_reported_at_their_lines(tmp_path):
    project = copy_project(tmp_path)
    _edit(project, 'italic = "fonts/tinos/Tinos-Italic.ttf"', 'italic = "fonts/tinos/Tinos-Slanted.ttf"')
    text = _edit(project, 'docx_script = "complex"', 'docx_script = "latin"')
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    italic = _line(text, 'italic = "fonts/tinos/Tinos-Slanted.ttf"')
    assert (
        f"{italic}:1 fonts.tinos.italic: expected a font file under templates/, "
        "found 'fonts/tinos/Tinos-Slanted.ttf', which is not there"
    ) in err
    assert f"{_line(text, '[fonts.amiri]')}:1 fonts: expected a face with docx_script = 'complex', found none" in err


def test_an_embedded_face_keeps_its_fonts_own_name_and_a_font_file_must_be_one(tmp_path):
    """Word finds an embedded font by the name inside it, and the OFL forbids renaming a subset Times New Roman."""
    project = copy_project(tmp_path)
    text = _edit(project, "docx_embed = false", "docx_embed = true")
    (project / "templates" / "fonts" / "tinos" / "Tinos-Italic.ttf").write_bytes(b"not a font")
    name, italic = (
        _line(text, line) for line in ('docx_name = "Times New Roman"', 'italic = "fonts/tinos/Tinos-Italic.ttf"')
    )
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert (
        f"{name}:1 fonts.tinos.docx_name: expected the embedded font's own name, 'Tinos', found 'Times New Roman'"
    ) in err
    assert (
        f"{italic}:1 fonts.tinos.italic: "
        "expected a TrueType or OpenType font file, found 'fonts/tinos/Tinos-Italic.ttf', which cannot be read as one"
    ) in err
