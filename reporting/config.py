"""Project settings: locales, digits, formats, page geometry and the project's folders."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import DataError, Problem

CONFIG_NAME = "reporting.toml"
FORMATS = ("pdf", "docx")
DIGIT_SYSTEMS = ("latn", "arab")
STOCKS = ("plain", "preprinted")
PAPER_MM = {"A4": (210, 297), "A5": (148, 210), "A3": (297, 420), "Letter": (215.9, 279.4)}


@dataclass(frozen=True)
class LocaleSettings:
    """How one locale writes: the code Babel knows it by and its digit system."""

    code: str
    digits: Literal["latn", "arab"] = "latn"
    font_size_pt: float = 13  # body text; one value feeds the CSS and the DOCX styles
    fonts: tuple[str, ...] = ()  # font files (under templates/) every text of the locale must fit


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


def load_project(root: Path) -> Project:
    """Read ``reporting.toml`` under ``root``; every problem is reported at once."""
    path = root / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(path, None, None, "", "expected a project settings file, found none")])
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(path, getattr(exc, "lineno", None), getattr(exc, "colno", None), "", f"invalid TOML: {exc}")])
    problems: list[Problem] = []
    locales = _read_locales(path, raw.get("locales", {}), problems)
    formats = _read_formats(path, raw.get("build", {}).get("formats", list(FORMATS)), problems)
    pages = {name: _read_page(path, name, spec, problems) for name, spec in raw.get("pages", {}).items()}
    limit = raw.get("build", {}).get("job_time_limit_s", 60)
    if not isinstance(limit, (int, float)) or isinstance(limit, bool) or limit <= 0:
        problems.append(Problem(path, None, None, "build.job_time_limit_s", f"expected a number of seconds above 0, found {limit!r}"))
    chunk = raw.get("build", {}).get("certificate_chunk", DEFAULT_CHUNK)
    if not isinstance(chunk, int) or isinstance(chunk, bool) or not 1 <= chunk <= 500:
        problems.append(Problem(path, None, None, "build.certificate_chunk", f"expected a whole number from 1 to 500, found {chunk!r}"))
    layers = raw.get("build", {}).get("certificate_layers", True)
    if not isinstance(layers, bool):
        problems.append(Problem(path, None, None, "build.certificate_layers", f"expected true or false, found {layers!r}"))
    print_options = _read_print(path, raw.get("print", {}), problems)
    if problems:
        raise DataError(problems)
    return Project(root=root, locales=locales, formats=formats, pages=pages, job_time_limit_s=float(limit),
                   print_options=print_options, certificate_chunk=chunk, certificate_layers=layers)


def _read_print(path: Path, raw: dict, problems: list[Problem]) -> PrintOptions:
    unknown = sorted(set(raw) - {"duplex", "crop_marks", "bleed_mm", "stock", "offset_mm"})
    if unknown:
        problems.append(Problem(path, None, None, "print", "expected duplex, crop_marks, bleed_mm, stock or offset_mm, "
                                                           f"found {', '.join(unknown)}"))
    values = {}
    for name in ("duplex", "crop_marks"):
        value = raw.get(name, False)
        if not isinstance(value, bool):
            problems.append(Problem(path, None, None, f"print.{name}", f"expected true or false, found {value!r}"))
        values[name] = value is True
    bleed = raw.get("bleed_mm", 0)
    if not isinstance(bleed, (int, float)) or isinstance(bleed, bool) or not 0 <= bleed <= 10:
        problems.append(Problem(path, None, None, "print.bleed_mm", f"expected millimetres from 0 to 10, found {bleed!r}"))
        bleed = 0
    stock = raw.get("stock", "plain")
    if stock not in STOCKS:
        problems.append(Problem(path, None, None, "print.stock", f"expected one of {', '.join(STOCKS)}, found {stock!r}"))
        stock = "plain"
    return PrintOptions(duplex=values["duplex"], crop_marks=values["crop_marks"], bleed_mm=float(bleed), stock=stock,
                        offset_mm=_read_offset(path, raw.get("offset_mm", {}), problems))


def _read_offset(path: Path, raw, problems: list[Problem]) -> tuple[float, float]:
    """``offset_mm = { x = 0.5, y = -1 }``: the printer's calibration, within a centimetre either way."""
    if not isinstance(raw, dict) or set(raw) - {"x", "y"}:
        problems.append(Problem(path, None, None, "print.offset_mm", f"expected {{ x = <mm>, y = <mm> }}, found {raw!r}"))
        return (0.0, 0.0)
    values = []
    for axis in ("x", "y"):
        value = raw.get(axis, 0)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not -10 <= value <= 10:
            problems.append(Problem(path, None, None, f"print.offset_mm.{axis}",
                                    f"expected millimetres from -10 to 10, found {value!r}"))
            value = 0
        values.append(float(value))
    return (values[0], values[1])


def _read_locales(path: Path, raw: dict, problems: list[Problem]) -> dict[str, LocaleSettings]:
    from babel import Locale, UnknownLocaleError

    locales = {}
    if not raw:
        problems.append(Problem(path, None, None, "locales", "expected at least one [locales.<code>] table, found none"))
    for code, spec in raw.items():
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            problems.append(Problem(path, None, None, f"locales.{code}", f"expected a locale Babel knows, found {code!r}"))
            continue
        digits = spec.get("digits", "latn")
        if digits not in DIGIT_SYSTEMS:
            problems.append(Problem(path, None, None, f"locales.{code}.digits", f"expected one of {', '.join(DIGIT_SYSTEMS)}, found {digits!r}"))
            continue
        size = spec.get("font_size_pt", 13)
        if not isinstance(size, (int, float)) or isinstance(size, bool) or not 6 <= size <= 30:
            problems.append(Problem(path, None, None, f"locales.{code}.font_size_pt", f"expected a size from 6 to 30, found {size!r}"))
            continue
        fonts = spec.get("fonts", [])
        missing = [f for f in fonts if not (path.parent / "templates" / f).is_file()]
        if not fonts or missing:
            problems.append(Problem(path, None, None, f"locales.{code}.fonts", f"expected font files under templates/, found {missing or 'none'}"))
            continue
        locales[code] = LocaleSettings(code=code, digits=digits, font_size_pt=float(size), fonts=tuple(fonts))
    return locales


def _read_formats(path: Path, raw: list, problems: list[Problem]) -> tuple[str, ...]:
    unknown = [f for f in raw if f not in FORMATS]
    if unknown:
        problems.append(Problem(path, None, None, "build.formats", f"expected some of {', '.join(FORMATS)}, found {unknown!r}"))
    return tuple(f for f in raw if f in FORMATS)


def _read_page(path: Path, name: str, spec: dict, problems: list[Problem]) -> PageGeometry:
    size = spec.get("size", "A4")
    orientation = spec.get("orientation", "portrait")
    margins = spec.get("margins_mm", {})
    if size not in PAPER_MM:
        problems.append(Problem(path, None, None, f"pages.{name}.size", f"expected one of {', '.join(PAPER_MM)}, found {size!r}"))
        size = "A4"
    if orientation not in ("portrait", "landscape"):
        problems.append(Problem(path, None, None, f"pages.{name}.orientation", f"expected portrait or landscape, found {orientation!r}"))
        orientation = "portrait"
    sides = tuple(float(margins.get(side, 20)) for side in ("top", "right", "bottom", "left"))
    return PageGeometry(size=size, orientation=orientation, margins_mm=sides)
