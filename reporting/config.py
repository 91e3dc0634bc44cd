"""Project settings: locales, digits, formats, page geometry and the project's folders."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reporting import tool_language
from reporting.errors import DataError, Expected, Mismatch, Problem, quoted
from reporting.source.schema_problems import schema_problems
from reporting.source.toml_positions import sourced_toml
from reporting.tool_language import _, isolate
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
    fonts: tuple[str, ...] = ()  # the [fonts] faces its documents are set in: every text must fit them
    # How a number is rounded to the digits shown. Babel and ICU default to half-even (397/400 -> 99.2%);
    # Vietnamese and Arabic official statistics round half up (99.3%).
    rounding: Literal["half-up", "half-even"] = "half-up"


@dataclass(frozen=True)
class FontFace:
    """One typeface (``[fonts.<name>]`` in reporting.toml), the one place a font is declared.

    The PDF's ``@font-face`` rules (render.py, font_faces.py), the DOCX writer's fonts
    (writers/font_table.py) and the fonts preflight (source/preflight.py) all read it."""

    name: str  # the table's name, which [locales.<ll>] fonts lists
    family: str  # font-family in the stylesheets: a private name, so no installed font is used instead
    regular: str  # font files under templates/; a missing style is drawn from the nearest one
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    docx_name: str = ""  # the name a Word file gives the face
    docx_script: Literal["latin", "complex"] = "latin"  # the text Word sets in it: Latin, or Arabic (complex)
    docx_embed: bool = False  # the Word file carries the font (subset), found by its own name

    @property
    def styles(self) -> tuple[tuple[str, str, str], ...]:
        """(file, CSS font-weight, CSS font-style) of each file the face has."""
        files = (
            (self.regular, "normal", "normal"),
            (self.bold, "bold", "normal"),
            (self.italic, "normal", "italic"),
            (self.bold_italic, "bold", "italic"),
        )
        return tuple((path, weight, style) for path, weight, style in files if path)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(path for path, _weight, _style in self.styles)


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
    # The typefaces ([fonts]), in the table's order; each locale names the ones it uses.
    fonts: dict[str, FontFace] = field(default_factory=dict)
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

    def faces(self, locale: str) -> tuple[FontFace, ...]:
        """The faces a locale's documents are set in, in the order its ``fonts`` lists them."""
        return tuple(self.fonts[name] for name in self.locales[locale].fonts if name in self.fonts)


# -- reporting.toml, validated as strictly as the data ---------------------------------


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Build(_Table):
    formats: list[str] = Field(default_factory=lambda: list(registry.formats()))
    job_time_limit_s: Annotated[float, Field(gt=0)] = 60.0  # a render job computing longer is stopped
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
            raise Mismatch(
                _("some of {formats}").format(formats=isolate(", ".join(registry.formats()))),
                _(", ").join(quoted(name) for name in unknown),
                code="unknown-format",
            )
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


# A face's names go into the documents' CSS and the Word files: letters, digits, spaces, hyphens.
_FONT_NAME = re.compile(r"\w[\w -]{0,62}")
# A font file under templates/: no quotes, backslashes or "..", so it is safe inside a CSS url().
_FONT_FILE = re.compile(r"\w[\w./-]{0,200}\.(?:ttf|otf|TTF|OTF)")


class _Face(_Table):
    family: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    docx_name: str
    docx_script: Literal["latin", "complex"]
    docx_embed: bool = False

    @field_validator("family", "docx_name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _FONT_NAME.fullmatch(value) or "_" in value:
            raise Mismatch(
                _("a font name of letters, digits, spaces and hyphens (such as 'Report Amiri')"),
                repr(value),
                code="invalid-font-name",
            )
        return value

    @field_validator("regular", "bold", "italic", "bold_italic")
    @classmethod
    def _font_file(cls, value: str | None) -> str | None:
        if value is not None and (not _FONT_FILE.fullmatch(value) or ".." in value.split("/")):
            raise Mismatch(
                _("a font file under templates/ ending in .ttf or .otf (such as 'fonts/amiri/Amiri-Regular.ttf')"),
                repr(value),
                code="invalid-font-file",
            )
        return value


class _Docx(_Table):
    # Moved to [fonts]: read only to say so where it stands (_moved_settings), rather than as an unknown key.
    embed_latin_font: bool | None = None


class _Ui(_Table):
    # The language the tool speaks (messages, errors, preview), not the documents'; empty: the environment's.
    language: str = ""

    @field_validator("language")
    @classmethod
    def _spoken(cls, value: str) -> str:
        if value and not tool_language.supported(value):
            raise Mismatch(
                _("one of {languages}").format(languages=isolate(", ".join(tool_language.available()))),
                quoted(value),
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
    fonts: dict[str, _Face] = Field(default_factory=dict)  # none: the settings' earlier shape (_moved_settings)


def load_project(root: Path) -> Project:
    """Read ``reporting.toml`` under ``root``, as strictly as the data: unknown keys ("did you mean"),
    wrong types and values out of range are problems at their line; every problem is reported at once."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (FileNotFoundError, IsADirectoryError):
        raise DataError.about_file(
            path, Expected(_("a project settings file"), _("none"), code="missing-file")
        ) from None
    except UnicodeDecodeError as exc:
        raise DataError.about_file(
            path,
            Expected(
                _("UTF-8 text"),
                _("byte {byte}").format(byte=isolate(f"0x{exc.object[exc.start]:02x}")),
                code="not-utf8",
            ),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_error_position(str(exc))
        # (tomllib's words are English and have no catalog; the line and column show the place.)
        message = _("invalid TOML: {detail}").format(detail=exc)
        raise DataError([Problem(path, line, column, "", message, code="toml-syntax")]) from None
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
                source.problem(
                    ("locales", code),
                    Expected(_("a locale Babel knows"), quoted(code), code="unknown-locale"),
                    at_key=True,
                )
            )
        problems += _locale_faces(code, locale, settings, source)
    problems += _moved_settings(settings, source) + _font_problems(root, settings, source)
    primary = settings.build.primary_locale
    if primary is not None and primary not in settings.locales:
        problems.append(
            source.problem(
                ("build", "primary_locale"),
                Expected(
                    _("one of the locales ({locales})").format(locales=isolate(", ".join(settings.locales))),
                    quoted(primary),
                    code="unknown-locale",
                ),
            )
        )
    for name, document in (settings.documents or {}).items():
        if document.page not in settings.pages:
            problems.append(
                source.problem(
                    ("documents", name, "page"),
                    Expected(
                        _("one of the [pages] set-ups ({pages})").format(
                            pages=isolate(", ".join(settings.pages)) if settings.pages else _("none")
                        ),
                        quoted(document.page),
                        code="unknown-page",
                    ),
                )
            )
        if not (root / "templates" / document.template).is_file():
            problems.append(
                source.problem(
                    ("documents", name, "template"),
                    Expected(_("a template under templates/"), quoted(document.template), code="missing-template"),
                )
            )
    return problems


def _moved_settings(settings: _Settings, source) -> list[Problem]:
    """The settings' earlier shape, before [fonts]: say where each part went, at its line."""
    problems = []
    if not settings.fonts:
        problems.append(
            source.problem(
                ("fonts",),
                Expected(
                    _("a [fonts.<name>] table for each face the documents are set in (docs/fonts.md)"),
                    _("none"),
                    code="no-font-faces",
                ),
            )
        )
    if settings.docx.embed_latin_font is not None:
        problems.append(
            source.problem(
                ("docx", "embed_latin_font"),
                Expected(
                    _(
                        "docx_embed in the Latin face's [fonts.<name>] table (to embed Tinos: "
                        'docx_name = "Tinos" and docx_embed = true)'
                    ),
                    _("embed_latin_font = {value}, a setting that moved to [fonts]").format(
                        value=isolate(str(settings.docx.embed_latin_font).lower())
                    ),
                    code="setting-moved-to-fonts",
                ),
                at_key=True,
            )
        )
    return problems


def _locale_faces(code: str, locale: _Locale, settings: _Settings, source) -> list[Problem]:
    """A locale names faces of [fonts]; a file there is the settings' earlier shape, which says where files went."""
    unknown = [name for name in locale.fonts if name not in settings.fonts]
    if not unknown:
        return []
    was_files = any("/" in name or name.lower().endswith((".ttf", ".otf")) for name in unknown)
    hint = _(" — font files are declared once, in a [fonts.<name>] table, and a locale lists those names")
    return [
        source.problem(
            ("locales", code, "fonts"),
            Expected(
                _("names of faces declared under [fonts] ({faces})").format(
                    faces=", ".join(isolate(name) for name in settings.fonts) or _("none")
                ),
                ", ".join(isolate(repr(name)) for name in unknown),
                hint if was_files else "",
                code="font-file-in-locale" if was_files else "unknown-font-face",
            ),
        )
    ]


def _font_problems(root: Path, settings: _Settings, source) -> list[Problem]:
    """The faces' files exist under templates/; Word gets one face per script, each name once."""
    problems = []
    templates = (root / "templates").resolve()
    docx_names: dict[str, str] = {}
    for name, face in settings.fonts.items():
        for style in ("regular", "bold", "italic", "bold_italic"):
            file = getattr(face, style)
            if file is None:
                continue
            where, shown = ("fonts", name, style), isolate(repr(file))
            if not (templates / file).is_file():
                found = _("{file}, which is not there").format(file=shown)
                problems.append(
                    source.problem(where, Expected(_("a font file under templates/"), found, code="missing-font-file"))
                )
                continue
            family = _font_family(templates / file)
            if family is None:
                found = _("{file}, which cannot be read as one").format(file=shown)
                expected = _("a TrueType or OpenType font file")
                problems.append(source.problem(where, Expected(expected, found, code="unreadable-font-file")))
            elif style == "regular" and face.docx_embed and family != face.docx_name:
                # Word finds an embedded font by the name inside it; and the fonts' licences (OFL)
                # forbid giving a changed copy, as a subset is, another font's name.
                problems.append(
                    source.problem(
                        ("fonts", name, "docx_name"),
                        Expected(
                            _("the embedded font's own name, {family}").format(family=isolate(repr(family))),
                            isolate(repr(face.docx_name)),
                            code="embedded-font-renamed",
                        ),
                    )
                )
        if face.docx_name in docx_names:
            problems.append(
                source.problem(
                    ("fonts", name, "docx_name"),
                    Expected(
                        _("a name no other face has in Word files"),
                        _("{docx_name}, the name of face {face} too").format(
                            docx_name=isolate(repr(face.docx_name)), face=isolate(docx_names[face.docx_name])
                        ),
                        code="duplicate-font-name",
                    ),
                )
            )
        docx_names.setdefault(face.docx_name, name)
    scripts = {face.docx_script for face in settings.fonts.values()}
    for script in ("latin", "complex"):
        if settings.fonts and script not in scripts:  # Word sets every run with both a Latin and a complex-script font
            problems.append(
                source.problem(
                    ("fonts",),
                    Expected(
                        _("a face with docx_script = {script}").format(script=isolate(repr(script))),
                        _("none"),
                        code="missing-font-script",
                    ),
                )
            )
    return problems


def _font_family(path: Path) -> str | None:
    """The family a font file names itself by (its name table), None if it cannot be read as a font."""
    from reporting.font_facts import font_facts

    return font_facts(path).family


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
        fonts={
            name: FontFace(
                name=name,
                family=face.family,
                regular=face.regular,
                bold=face.bold,
                italic=face.italic,
                bold_italic=face.bold_italic,
                docx_name=face.docx_name,
                docx_script=face.docx_script,
                docx_embed=face.docx_embed,
            )
            for name, face in settings.fonts.items()
        },
        certificate_layers=settings.build.certificate_layers,
        list_part_rows=settings.build.list_part_rows,
        primary_locale=settings.build.primary_locale or next(iter(locales), ""),
        ui_language=tool_language.supported(settings.ui.language) or "",
    )


def _toml_error_position(message: str) -> tuple[int | None, int | None]:
    """tomllib says "(at line 3, column 7)" in its message and nowhere else."""
    match = re.search(r"at line (\d+), column (\d+)", message)
    return (int(match[1]), int(match[2])) if match else (None, None)
