"""Adding a locale is configuration plus a catalog: no code change (proved with French in a fixture project)."""

from __future__ import annotations

import re
import shutil

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from conftest import ROOT, run_cli
from textutil import docx_text, letters, pdf_text

FRENCH_PERIODS = {"the first quarter of %(year)s": "1er trimestre %(year)s"}


def add_french(project) -> None:
    config = project / "reporting.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + """
[locales.fr]
digits = "latn"
font_size_pt = 13
fonts = ["noto-serif", "amiri"]

[fonts.noto-serif]
family = "Report Noto Serif"
regular = "fonts/noto-serif/NotoSerif-Regular.ttf"
bold = "fonts/noto-serif/NotoSerif-Bold.ttf"
italic = "fonts/noto-serif/NotoSerif-Italic.ttf"
docx_script = "latin"
docx_name = "Noto Serif"
docx_embed = true
""",
        encoding="utf-8",
    )
    with open(project / "templates/css/common.css", "a", encoding="utf-8") as css:
        css.write('html:lang(fr) { font-family: "Report Noto Serif"; }\n')
    # The catalog: every message of the Vietnamese one, "translated" by a marker so the test can see it.
    with open(project / "templates/locale/vi/LC_MESSAGES/messages.po", "rb") as handle:
        source = read_po(handle)
    french = Catalog(locale="fr")
    for message in source:
        if message.id and message.context == "date pattern":
            french.add(message.id, message.id, context=message.context)
        elif message.id and message.context == "period":  # quarters and halves are phrases, not CLDR patterns
            french.add(message.id, FRENCH_PERIODS.get(message.id, message.id), context=message.context)
        elif message.id and isinstance(message.id, tuple):
            french.add(
                message.id,
                ("%(num)s groupe", "%(num)s groupes")
                if "group" in message.id[0]
                else ("%(num)s personne", "%(num)s personnes"),
            )
        elif message.id:
            french.add(
                message.id,
                message.string.replace("Trang", "Page") if message.id.startswith("Page") else message.id,
                context=message.context,
            )
    (project / "templates/locale/fr/LC_MESSAGES").mkdir(parents=True)
    with open(project / "templates/locale/fr/LC_MESSAGES/messages.po", "wb") as handle:
        write_po(handle, french)
    # The data: every {ar, vi} text gains an fr entry (here the Vietnamese text, enough to build).
    for path in (project / "data").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^(\s*)vi: (.*)$", r"\1vi: \2\n\1fr: \2", text, flags=re.M)
        # A paragraph written as texts and choices by count: French has the categories one, many
        # and other (check requires each), where Vietnamese has only other.
        text = re.sub(
            r"^(\s*)vi:\n((?:\1\s+.*\n)+)",
            lambda m: m[0] + m[1] + "fr:\n" + re.sub(r"^(\s+)other:", r"\1one many other:", m[2], flags=re.M),
            text,
            flags=re.M,
        )
        text = re.sub(r'vi: ("[^"]*")\}', r"vi: \1, fr: \1}", text)
        path.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_a_third_locale_needs_no_code(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "reporting.toml", project)
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "data").mkdir()
    shutil.copy(ROOT / "data" / "inspectorate-2024-q1.yaml", project / "data")
    add_french(project)
    code, _, err = run_cli("--project", str(project), "--locale", "fr", "--output", str(tmp_path / "out"), "-q")
    assert code == 0, err
    folder = tmp_path / "out" / "inspectorate-2024-q1" / "fr"
    pdf = pdf_text(folder / "report.pdf")
    assert "8 avril 2024" in pdf and "576 millions" in pdf and "1er trimestre 2024" in pdf  # Babel's French
    assert letters("17 cuộc thanh tra hành chính") in letters(docx_text(folder / "report.docx"))
    pages = pdf.split("\f")
    assert (
        "2" in [line.strip() for line in pages[1].splitlines()] and "1" not in pages[0].split()
    )  # page numbers from page 2
