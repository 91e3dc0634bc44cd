"""The output formats: every writer declared once, and every list of formats derived from here.

A writer turns one rendered HTML document into the bytes of one file. What the
rest of the pipeline needs to know about it is declared in its ``WriterSpec``:
the name used in ``reporting.toml`` and ``--format``, the file suffix, the media
type the preview serves it with, which files besides the HTML it reads (so a
change to them rebuilds its outputs), how it writes a batch of certificates,
and how to make one. Adding a format is one module with a writer class and one
``register(WriterSpec(...))`` call; nothing else names formats.

Writers are made inside the worker processes (``make``), so this module imports
no writer: WeasyPrint takes half a second to import and ``check`` needs none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reporting.config import PageGeometry, Project


class Writer(Protocol):
    """One HTML document in, one file's bytes out; the same arguments always give the same bytes.

    ``expected_pages`` and ``archive`` are given to paged writers only (``WriterSpec.paged``)."""

    def write(self, html: str, geometry: PageGeometry, **options) -> bytes: ...


class CertificateBatching(Enum):
    """How a writer makes one file per awardee."""

    CHUNKED = "chunked"  # typesets many certificates as one document, split per page; makes the print file
    PREPARED = "prepared"  # prepares the document once per locale and fills in each awardee (make_batch)
    EACH = "each"  # writes every certificate's own HTML on its own


# Links in an HTML document to files under templates/: stylesheets, images.
LINKED_FILES = re.compile(r'<(?:link[^>]*href|img[^>]*src)="([^":]+)"')
LINKED_IMAGES = re.compile(r'<img[^>]*src="([^":]+)"')
NO_LINKS = re.compile(r"(?!x)x")


def no_files(templates_dir: Path) -> set[Path]:
    return set()


@dataclass(frozen=True)
class WriterSpec:
    name: str  # in reporting.toml's build.formats and --format
    suffix: str  # of the files it writes
    media_type: str  # what the preview serves its files as
    make: Callable[[Project, str], Writer]  # the writer for one locale (made once per worker process)
    # What it reads besides the HTML, for the freshness keys: the files the HTML links (matched by
    # ``links``), what linked stylesheets pull in (``follows_css``), and files it always reads.
    links: re.Pattern = LINKED_FILES
    follows_css: bool = False
    always_reads: Callable[[Path], set[Path]] = no_files
    certificates: CertificateBatching = CertificateBatching.EACH
    make_batch: Callable[[Project, str], Writer] | None = None  # for PREPARED: the per-awardee writer
    paged: bool = False  # counts pages (one-page certificates checked), can be archived and signed
    # The project settings its bytes depend on beyond the HTML (part of the freshness keys).
    settings: Callable[[Project], bytes] = lambda project: b""


_REGISTRY: dict[str, WriterSpec] = {}


def register(spec: WriterSpec) -> WriterSpec:
    """Add a format; a second writer with the same name or suffix is a programming error."""
    for existing in _REGISTRY.values():
        if spec.name == existing.name or spec.suffix == existing.suffix:
            raise ValueError(
                f"a writer named {existing.name!r} ({existing.suffix}) is already registered; "
                f"refusing {spec.name!r} ({spec.suffix})"
            )
    _REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """For tests that register a writer of their own."""
    _REGISTRY.pop(name, None)


def formats() -> tuple[str, ...]:
    """Every registered format, in registration order (the order outputs are listed)."""
    return tuple(_REGISTRY)


def spec(name: str) -> WriterSpec:
    return _REGISTRY[name]


def suffixes() -> dict[str, str]:
    return {name: item.suffix for name, item in _REGISTRY.items()}


def media_types() -> dict[str, str]:
    """Suffix -> media type, for the preview's downloads."""
    return {item.suffix: item.media_type for item in _REGISTRY.values()}


def paged_formats() -> tuple[str, ...]:
    return tuple(name for name, item in _REGISTRY.items() if item.paged)


# The shipped formats register themselves on first use of the registry (after the definitions above).
from reporting.writers import builtin  # noqa: E402, F401
