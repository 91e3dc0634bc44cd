"""The DOCX writer's fonts, read from reporting.toml's ``[fonts]`` table (config.FontFace).

Word sets every run in two fonts: a Latin one (``w:ascii``, ``w:hAnsi``) and a
complex-script one for Arabic (``w:cs``). A locale's documents take, for each,
the first of its faces declared for that script (``docx_script``), or else the
table's first: the name Word gets (``docx_name``), the files that describe the
face in the font table and measure text (and, with ``docx_embed``, travel in the
file as subsets of the script's fixed coverage).
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.config import FontFace, Project
from reporting.writers.docx_fonts import ARABIC, VIETNAMESE, FontFiles

# The characters a face's embedded subset holds, by the text Word sets in it (docx_fonts says why fixed).
COVERAGE = {"latin": VIETNAMESE, "complex": ARABIC}


@dataclass(frozen=True)
class DocxFonts:
    """What the DOCX writer of one locale is given: the two faces' Word names, their files, what it embeds."""

    latin: str
    complex: str
    files: dict[str, FontFiles]  # Word name -> files, relative to the templates folder
    embed_latin: bool
    embed_complex: bool


def docx_fonts(project: Project, locale: str) -> DocxFonts:
    latin, complex_script = (_face_for(project, locale, script) for script in ("latin", "complex"))
    return DocxFonts(
        latin=latin.docx_name,
        complex=complex_script.docx_name,
        files={face.docx_name: _files(face) for face in project.fonts.values()},
        embed_latin=latin.docx_embed,
        embed_complex=complex_script.docx_embed,
    )


def _face_for(project: Project, locale: str, script: str) -> FontFace:
    """The locale's first face for ``script``, else the table's (the settings require one per script)."""
    candidates = (*project.faces(locale), *project.fonts.values())
    return next(face for face in candidates if face.docx_script == script)


def _files(face: FontFace) -> FontFiles:
    return FontFiles(face.regular, face.bold, face.italic, face.bold_italic, coverage=COVERAGE[face.docx_script])
