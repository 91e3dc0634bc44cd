"""What the preview lists: every event x document x locale of the latest good build, with its files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reporting.build.pipeline import BuildResult, Job
from reporting.writers import registry

_DIRECTION_OF = re.compile(r'<html[^>]*\bdir="(rtl|ltr)"')


@dataclass(frozen=True)
class Part:
    """One awardee's own certificate file, listed under the combined certificates."""

    label: str
    stem: Path


@dataclass
class Document:
    """One document of one event in one locale, as the latest good build made it."""

    event_id: str
    event_title: str
    locale: str
    name: str  # report, awardees, certificates
    stem: Path  # relative to the output folder, without suffix
    html: str
    direction: str
    formats: tuple[str, ...]
    parts: list[Part] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.event_id, self.locale, self.name

    def file(self, output: Path, fmt: str) -> Path:
        return output / self.stem.with_suffix(registry.spec(fmt).suffix)


def documents_of(result: BuildResult, output: Path) -> dict[tuple[str, str, str], Document]:
    """The build's documents keyed by (event, locale, name); one-awardee certificates become parts."""
    documents: dict[tuple[str, str, str], Document] = {}
    singles: list[Job] = []
    # Documents are listed in the order the project's document table gives them, which is the
    # order the build renders them in: rank each name by where it first appears.
    rank: dict[str, int] = {}
    for job, html in result.documents:
        rank.setdefault(job.stem.parts[2], len(rank))
        if len(job.stem.parts) > 3:  # <event>/<locale>/certificates/<NN-id-slug>
            singles.append(job)
            continue
        direction = _DIRECTION_OF.search(html)
        formats = tuple(
            f for f, suffix in registry.suffixes().items() if (output / job.stem.with_suffix(suffix)).is_file()
        )
        document = Document(
            job.bundle.event.id,
            job.bundle.event.title[job.locale],
            job.locale,
            job.stem.name,
            job.stem,
            html,
            direction.group(1) if direction else "ltr",
            formats,
        )
        documents[document.key] = document
    for job in singles:
        combined = documents.get((job.bundle.event.id, job.locale, job.stem.parent.name))
        if combined is not None:
            combined.parts.append(Part(job.awardees[0].name[job.locale], job.stem))
    return dict(sorted(documents.items(), key=lambda item: _order(item[1], rank)))


def _order(document: Document, rank: dict[str, int]) -> tuple:
    return document.event_id, rank.get(document.name, len(rank)), document.name, document.locale


def by_event(documents: dict[tuple[str, str, str], Document]) -> dict[str, dict[str, list[Document]]]:
    """event id -> document name -> its documents in each locale, for the index."""
    grouped: dict[str, dict[str, list[Document]]] = {}
    for document in documents.values():
        grouped.setdefault(document.event_id, {}).setdefault(document.name, []).append(document)
    return grouped
