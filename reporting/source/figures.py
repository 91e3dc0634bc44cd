"""Merge: one bundle per event with the figures derived from the data (ratios, awardee counts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from reporting.language.collation import group_sort_key, sort_key
from reporting.source.load import SourcedEvent
from reporting.source.model import Event, Localized, Ratio

Texts = Mapping[str, str]  # one text by locale, as a Localized holds it (``{"ar": ..., "vi": ...}``)


@dataclass(frozen=True)
class RatioValue:
    """A ratio resolved against its figures: 624 of 629 -> share 0.99205."""

    ratio: Ratio
    part: float
    whole: float

    @property
    def share(self) -> float:
        return self.part / self.whole


@dataclass(frozen=True, slots=True)
class Awardee:
    """One certificate's recipient; ``number`` counts within its kind (groups, individuals).

    Slots, and the texts as the plain mappings the data's Localized models hold: a big event keeps
    100,000 of them for the whole build, and the models can go (``without_awardee_models``)."""

    id: str
    kind: Literal["group", "individual"]
    number: int
    serial: int
    name: Texts
    position: Texts | None = None
    unit: Texts | None = None
    gender: Literal["male", "female"] | None = None
    book_number: str | None = None


@dataclass(frozen=True)
class EventBundle:
    """Everything a template needs about one event, derived once."""

    event: Event
    source: Path
    ratios: dict[str, RatioValue]
    awardees: tuple[Awardee, ...]
    sheet: Path | None = None  # the spreadsheet the awardees came from (relative to the project), if any
    sheet_formulas: int = 0  # its cells that were formulas, read as their saved values

    @property
    def groups(self) -> tuple[Awardee, ...]:
        return tuple(a for a in self.awardees if a.kind == "group")

    @property
    def individuals(self) -> tuple[Awardee, ...]:
        return tuple(a for a in self.awardees if a.kind == "individual")


def bundle_event(item: SourcedEvent, primary_locale: str | None = None) -> EventBundle:
    event = item.event
    ratios = {
        name: RatioValue(ratio, event.figures[ratio.part].value, event.figures[ratio.whole].value)
        for name, ratio in event.ratios.items()
    }
    return EventBundle(
        event=event,
        source=item.source.path,
        ratios=ratios,
        awardees=_awardees(event, primary_locale),
        sheet=getattr(item.source, "sheet_path", None),
        sheet_formulas=getattr(item.source, "formulas", 0),
    )


def _awardees(event: Event, primary_locale: str | None) -> tuple[Awardee, ...]:
    """Groups first, then individuals, in data order or (``order: sorted``) sorted once by the names
    in the primary language, for every language; ``number`` and ``serial`` follow that order."""
    if event.awards is None:
        return ()
    groups, individuals = list(event.awards.groups), list(event.awards.individuals)
    if event.awards.order == "sorted":
        locale = primary_locale or next(iter(event.title.root))
        groups.sort(key=lambda group: group_sort_key(group.name[locale], locale))
        individuals.sort(key=lambda person: sort_key(person.name[locale], locale))
    awardees = [Awardee(g.id, "group", n, n, g.name.root, book_number=g.book_number) for n, g in enumerate(groups, 1)]
    offset = len(awardees)
    awardees += [
        Awardee(
            i.id, "individual", n, offset + n, i.name.root, _texts(i.position), _texts(i.unit), i.gender, i.book_number
        )
        for n, i in enumerate(individuals, 1)
    ]
    return tuple(awardees)


def _texts(text: Localized | None) -> Texts | None:
    return text.root if text is not None else None


def without_awardee_models(bundle: EventBundle) -> EventBundle:
    """The bundle with the event's lists of groups and individuals emptied: a build reads each awardee
    from ``bundle.awardees``, which keeps its texts, and the pydantic models of a 100,000-awardee event
    (two kilobytes an awardee with their Localized texts) need not live through it."""
    awards = bundle.event.awards
    if awards is None or not (awards.groups or awards.individuals):
        return bundle
    emptied = awards.model_copy(update={"groups": [], "individuals": []})
    return replace(bundle, event=bundle.event.model_copy(update={"awards": emptied}))
