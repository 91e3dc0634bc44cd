"""The preview's shared state: the latest good documents, how the latest build ended, and who waits for the next."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reporting.build.watch import Outcome, Rebuilder
from reporting.preview.error_page import ProblemView, problem_views
from reporting.preview.language import PreviewLanguage
from reporting.preview.listing import Document, documents_of


@dataclass(frozen=True)
class Status:
    """What a browser needs to know to decide whether to reload."""

    generation: int  # builds finished so far (good or failed)
    building: bool

    def as_json(self) -> str:
        return f'{{"generation": {self.generation}, "building": {str(self.building).lower()}}}'


class Preview:
    """Written by the watcher thread after each build, read by the request threads."""

    def __init__(self, rebuilder: Rebuilder, language: PreviewLanguage | None = None):
        self.rebuilder = rebuilder
        self.language = language or PreviewLanguage(None)
        self.documents: dict[tuple[str, str, str], Document] = {}  # the latest *good* build's
        self.outcome: Outcome | None = None
        self.building = False
        self.closing = threading.Event()
        self._changed = threading.Condition()

    @property
    def output(self) -> Path:
        return self.rebuilder.output

    @property
    def root(self) -> Path:
        return self.rebuilder.root

    def build(self, changed: Iterable[Path] = ()) -> Outcome:
        self._update(building=True)
        outcome = self.rebuilder.build(changed)
        # A failed build keeps the documents of the last good one: its files are still in place.
        documents = documents_of(outcome.result, self.output) if outcome.result is not None else self.documents
        self._update(building=False, outcome=outcome, documents=documents)
        return outcome

    def problems(self) -> list[ProblemView]:
        return problem_views(self.outcome) if self.outcome else []

    def status(self) -> Status:
        return Status(self.outcome.generation if self.outcome else 0, self.building)

    def wait_for_change(self, seen: Status, timeout: float) -> Status:
        """Blocks until the status differs from ``seen``, the timeout passes, or the server closes."""
        with self._changed:
            self._changed.wait_for(lambda: self.status() != seen or self.closing.is_set(), timeout)
            return self.status()

    def close(self) -> None:
        with self._changed:
            self.closing.set()
            self._changed.notify_all()

    def _update(self, **values) -> None:
        with self._changed:
            for name, value in values.items():
                setattr(self, name, value)
            self._changed.notify_all()
