"""The two formats the project ships: PDF (WeasyPrint) and DOCX (our HTML-subset writer)."""

from __future__ import annotations

from pathlib import Path

from reporting.writers.registry import LINKED_FILES, CertificateBatching, WriterSpec, register


def _pdf(project, locale: str):
    from reporting.writers.pdf import PdfWriter, check_harfbuzz_subsetting

    check_harfbuzz_subsetting()  # before the first PDF: WeasyPrint would silently go 25x slower
    return PdfWriter(project.templates_dir)


def _docx(project, locale: str):
    """The faces and their files come from [fonts] (font_table.py), as the PDFs' @font-face rules do."""
    from reporting.writers.docx import DocxWriter, FontChoice
    from reporting.writers.font_table import docx_fonts

    fonts = docx_fonts(project, locale)
    return DocxWriter(
        FontChoice(fonts.latin, fonts.complex, project.locales[locale].font_size_pt),
        base_dir=project.templates_dir,
        fonts_dir=project.templates_dir,  # the table's files are relative to templates/
        font_files=fonts.files,
        embed_latin=fonts.embed_latin,
        embed_complex=fonts.embed_complex,
    )


def _certificate_docx(project, locale: str):
    """The same bytes as the general writer, from a document prepared once per worker and locale."""
    from reporting.writers.docx_batch import CertificateDocx

    return CertificateDocx(_docx(project, locale))


def _embedded_fonts(templates_dir: Path) -> set[Path]:
    """The DOCX writer embeds (and measures text with) the [fonts] faces' files whatever the HTML links:
    every font file under templates/ (which files those are is in the settings, a key of their own)."""
    return {path.resolve() for path in templates_dir.rglob("*") if path.suffix.lower() in (".ttf", ".otf")}


PDF = register(
    WriterSpec(
        name="pdf",
        suffix=".pdf",
        media_type="application/pdf",
        make=_pdf,
        links=LINKED_FILES,
        follows_css=True,
        certificates=CertificateBatching.CHUNKED,
        paged=True,
    )
)

DOCX = register(
    WriterSpec(
        name="docx",
        suffix=".docx",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        # It reads the linked stylesheets (table widths) and images, not what the CSS links in turn.
        make=_docx,
        links=LINKED_FILES,
        always_reads=_embedded_fonts,
        certificates=CertificateBatching.PREPARED,
        make_batch=_certificate_docx,
        settings=lambda project: repr(tuple(project.fonts.values())).encode(),  # names, files, embedding
    )
)
