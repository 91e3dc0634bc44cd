"""Project settings: locales, digits, formats, page geometry and the project's folders."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reporting import tool_language
from reporting.errors import DataError, Expected, Mismatch, Problem
from reporting.source.schema_problems import schema_problems
from reporting.source.toml_positions import sourced_toml
from reporting.tool_language import _
from reporting.writers import registry

CONFIG_NAME = "reporting.toml"
FORMATS = registry.formats()  # the shipped formats (pdf, docx); a test may register another
DIGIT_SYSTEMS = ("latn", "arab")
PAPER_MM = {"A4": (210, 297), "A5": (148, 210), "A3": (297, 420), "Letter": (215.9, 279.4)}


@dataclass(frozen=True)
class DocumentType:
    """One kind of document an event gets (``[documents.<name>]`` in reporting.toml).

    ``name`` is also the output's file name (``<event>/<locale>/<name>.pdf``), or, for a document
    made once per awardee, its folder (``<name>/NN-id-slug.pdf``) and the print file's name."""

    name: str
    template: str  # under templates/
    page: str  # a [pages.<name>] set-up
    one_per: Literal["event", "awardee"] = "event"  # per awardee: typeset in chunks, a print file joined
    only_with_awards: bool = False  # made only for events that commend someone


# The table a project gets when its reporting.toml has no [documents] tables.
DEFAULT_DOCUMENTS = (
    DocumentType("report", "report.html.j2", "report"),
    DocumentType("awardees", "awardees.html.j2", "report", only_with_awards=True),
    DocumentType("certificates", "certificates.html.j2", "certificate", one_per="awardee", only_with_awards=True),
)


@dataclass(frozen=True)
class LocaleSettings:
    """How one locale writes: the code Babel knows it by and its digit system."""

    code: str
    digits: Literal["latn", "arab"] = "latn"
    font_size_pt: float = 13  # body text; one value feeds the CSS and the DOCX styles
    fonts: tuple[str, ...] = ()  # font files (under templates/) every text of the locale must fit
    # How a number is rounded to the digits shown. Babel and ICU default to half-even (397/400 -> 99.2%);
    # Vietnamese and Arabic official statistics round half up (99.3%).
    rounding: Literal["half-up", "half-even"] = "half-up"


@dataclass(frozen=True)
class PageGeometry:
    """One page set-up; the single source for CSS ``@page`` and the DOCX section."""

    size: str = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    margins_mm: tuple[float, float, float, float] = (20, 20, 20, 20)  # top right bottom left
    # Print-shop extras for the PDF (``[print]``): paper beyond the trim edge, crop marks.
    bleed_mm: float = 0
    crop_marks: bool = False

    @property
    def width_mm(self) -> float:
        short, long = PAPER_MM[self.size]
        return long if self.orientation == "landscape" else short

    @property
    def height_mm(self) -> float:
        short, long = PAPER_MM[self.size]
        return short if self.orientation == "landscape" else long


@dataclass(frozen=True)
class PrintOptions:
    """How the combined certificate print file is laid out for the printer (``[print]``)."""

    duplex: bool = False  # a blank back after every certificate, so each sits on its own sheet
    crop_marks: bool = False  # CSS ``marks: crop`` round every page
    bleed_mm: float = 0  # CSS ``bleed``: paper beyond the trim edge the printer cuts off
    # "plain": whole certificates; "preprinted": only the variable texts, for forms whose frame,
    # emblem and heading are already printed, moved by the printer's calibration offset.
    stock: Literal["plain", "preprinted"] = "plain"
    offset_mm: tuple[float, float] = (0.0, 0.0)  # x to the right, y down, as measured on the sheet

    @property
    def needs_marks_area(self) -> bool:
        return self.crop_marks or self.bleed_mm > 0


DEFAULT_CHUNK = 50
# A list longer than this many table rows is typeset in parts of this many, joined into one PDF
# (reporting/writers/html_parts.py): memory follows the part, not the list.
DEFAULT_LIST_PART_ROWS = 1000


@dataclass(frozen=True)
class DocxOptions:
    """How DOCX files carry their fonts (``[docx]``)."""

    # The Latin face is named Times New Roman, which Word has and LibreOffice substitutes
    # with a metric-compatible face; embedding Tinos instead adds about 70 KB a file.
    embed_latin_font: bool = False


@dataclass(frozen=True)
class Project:
    """Where things are and how they are built; read once from ``reporting.toml``."""

    root: Path
    locales: dict[str, LocaleSettings]
    formats: tuple[str, ...] = FORMATS
    pages: dict[str, PageGeometry] = field(default_factory=dict)
    job_time_limit_s: float = 60.0
    print_options: PrintOptions = PrintOptions()
    # Certificates are typeset this many to a WeasyPrint document and split per awardee
    # (about twice as fast as one document each). Part of what a certificate's bytes depend on.
    certificate_chunk: int = DEFAULT_CHUNK
    # Certificates as two layers: the static page typeset once, only the variable boxes per awardee.
    certificate_layers: bool = True
    list_part_rows: int = DEFAULT_LIST_PART_ROWS
    documents: tuple[DocumentType, ...] = DEFAULT_DOCUMENTS
    docx: DocxOptions = DocxOptions()
    # The language the events are held in (the others are translations): a sorted awardee list
    # follows its name order in every language, so "No. 12" is one person everywhere.
    primary_locale: str = ""
    # ``[ui] language``: the language the tool speaks here, over the environment's (not over --ui-language).
    ui_language: str = ""

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def catalogs_dir(self) -> Path:
        return self.templates_dir / "locale"

    def page(self, name: str) -> PageGeometry:
        return self.pages.get(name, PageGeometry())


# -- reporting.toml, validated as strictly as the data ---------------------------------


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Build(_Table):
    formats: list[str] = Field(default_factory=lambda: list(registry.formats()))
    job_time_limit_s: Annotated[float, Field(gt=0)] = 60.0  # a render job taking longer is stopped
    certificate_chunk: Annotated[int, Field(ge=1, le=500)] = DEFAULT_CHUNK
    certificate_layers: bool = True  # false: every certificate typeset whole
    list_part_rows: Annotated[int, Field(ge=10, le=100_000)] = DEFAULT_LIST_PART_ROWS
    # The language the events are held in (the others are translations); default: the first locale.
    primary_locale: str | None = None

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in registry.formats()]
        if unknown:
            raise Mismatch(f"some of {', '.join(registry.formats())}", f"{', '.join(map(repr, unknown))}")
        return value


class _Locale(_Table):
    digits: Literal["latn", "arab"] = "latn"
    font_size_pt: Annotated[float, Field(ge=6, le=30)] = 13
    fonts: Annotated[list[str], Field(min_length=1)]
    rounding: Literal["half-up", "half-even"] = "half-up"


class _Margins(_Table):
    top: Annotated[float, Field(ge=0, le=100)] = 20
    right: Annotated[float, Field(ge=0, le=100)] = 20
    bottom: Annotated[float, Field(ge=0, le=100)] = 20
    left: Annotated[float, Field(ge=0, le=100)] = 20


class _Page(_Table):
    size: Literal["A4", "A5", "A3", "Letter"] = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    margins_mm: _Margins = _Margins()


class _Offset(_Table):
    """A printer's calibration for pre-printed stock: x to the right, y down, within a centimetre."""

    x: Annotated[float, Field(ge=-10, le=10)] = 0
    y: Annotated[float, Field(ge=-10, le=10)] = 0


class _Print(_Table):
    duplex: bool = False
    crop_marks: bool = False
    bleed_mm: Annotated[float, Field(ge=0, le=10)] = 0
    stock: Literal["plain", "preprinted"] = "plain"
    offset_mm: _Offset = _Offset()


class _Docx(_Table):
    embed_latin_font: bool = False


class _Ui(_Table):
    # The language the tool speaks (messages, errors, preview), not the documents'; empty: the environment's.
    language: str = ""

    @field_validator("language")
    @classmethod
    def _spoken(cls, value: str) -> str:
        if value and not tool_language.supported(value):
            raise Mismatch(
                _("one of {languages}").format(languages=", ".join(tool_language.available())),
                repr(value),
                code="unknown-ui-language",
            )
        return value


class _Document(_Table):
    template: str
    page: str
    one_per: Literal["event", "awardee"] = "event"
    only_with_awards: bool = False


class _Settings(_Table):
    build: _Build = _Build()
    locales: Annotated[dict[str, _Locale], Field(min_length=1)]
    pages: dict[str, _Page] = Field(default_factory=dict)
    print: _Print = _Print()
    docx: _Docx = _Docx()
    ui: _Ui = _Ui()
    documents: dict[str, _Document] | None = None


def load_project(root: Path) -> Project:
    """Read ``reporting.toml`` under ``root``, as strictly as the data: unknown keys ("did you mean"),
    wrong types and values out of range are problems at their line; every problem is reported at once."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (FileNotFoundError, IsADirectoryError):
        raise DataError.about_file(path, Expected("a project settings file", "none")) from None
    except UnicodeDecodeError as exc:
        raise DataError.about_file(path, Expected("UTF-8 text", f"byte 0x{exc.object[exc.start]:02x}")) from None
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_error_position(str(exc))
        raise DataError([Problem(path, line, column, "", f"invalid TOML: {exc}")]) from None
    source = sourced_toml(path, raw, text)
    try:
        settings = _Settings.model_validate(raw)
    except ValidationError as exc:
        raise DataError(schema_problems(source, exc.errors(), _Settings)) from None
    problems = _cross_checks(root, settings, source)
    if problems:
        raise DataError(problems)
    return _project(root, settings)


def _cross_checks(root: Path, settings: _Settings, source) -> list[Problem]:
    """What one table cannot check alone: locale codes, font files, the pages documents name."""
    from babel import Locale, UnknownLocaleError

    problems = []
    for code, locale in settings.locales.items():
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            problems.append(
                source.problem(("locales", code), Expected("a locale Babel knows", f"{code!r}"), at_key=True)
            )
        missing = [name for name in locale.fonts if not (root / "templates" / name).is_file()]
        if missing:
            problems.append(
                source.problem(
                    ("locales", code, "fonts"), Expected("font files under templates/", f"{', '.join(missing)} missing")
                )
            )
    primary = settings.build.primary_locale
    if primary is not None and primary not in settings.locales:
        problems.append(
            source.problem(
                ("build", "primary_locale"),
                Expected(f"one of the locales ({', '.join(settings.locales)})", repr(primary)),
            )
        )
    for name, document in (settings.documents or {}).items():
        if document.page not in settings.pages:
            problems.append(
                source.problem(
                    ("documents", name, "page"),
                    Expected(
                        f"one of the [pages] set-ups ({', '.join(settings.pages) or 'none'})", repr(document.page)
                    ),
                )
            )
        if not (root / "templates" / document.template).is_file():
            problems.append(
                source.problem(
                    ("documents", name, "template"), Expected("a template under templates/", f"{document.template!r}")
                )
            )
    return problems


def _project(root: Path, settings: _Settings) -> Project:
    locales = {
        code: LocaleSettings(
            code=code,
            digits=spec.digits,
            font_size_pt=float(spec.font_size_pt),
            fonts=tuple(spec.fonts),
            rounding=spec.rounding,
        )
        for code, spec in settings.locales.items()
    }
    pages = {
        name: PageGeometry(
            size=spec.size,
            orientation=spec.orientation,
            margins_mm=(spec.margins_mm.top, spec.margins_mm.right, spec.margins_mm.bottom, spec.margins_mm.left),
        )
        for name, spec in settings.pages.items()
    }
    documents = (
        DEFAULT_DOCUMENTS
        if settings.documents is None
        else tuple(
            DocumentType(name, spec.template, spec.page, spec.one_per, spec.only_with_awards)
            for name, spec in settings.documents.items()
        )
    )
    options = settings.print
    return Project(
        root=root,
        locales=locales,
        formats=tuple(settings.build.formats),
        pages=pages,
        job_time_limit_s=float(settings.build.job_time_limit_s),
        print_options=PrintOptions(
            options.duplex,
            options.crop_marks,
            float(options.bleed_mm),
            options.stock,
            (float(options.offset_mm.x), float(options.offset_mm.y)),
        ),
        certificate_chunk=settings.build.certificate_chunk,
        documents=documents,
        docx=DocxOptions(embed_latin_font=settings.docx.embed_latin_font),
        certificate_layers=settings.build.certificate_layers,
        list_part_rows=settings.build.list_part_rows,
        primary_locale=settings.build.primary_locale or next(iter(locales), ""),
        ui_language=tool_language.supported(settings.ui.language) or "",
    )


def _toml_error_position(message: str) -> tuple[int | None, int | None]:
    """tomllib says "(at line 3, column 7)" in its message and nowhere else."""
    match = re.search(r"at line (\d+), column (\d+)", message)
    return (int(match[1]), int(match[2])) if match else (None, None)
