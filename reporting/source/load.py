"""Discover, load and validate the data files: every problem in every file, reported at once."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pydantic import ValidationError

from reporting.errors import QUOTE_LIMIT, DataError, Expected, Problem, quoted, shown_date, shown_number
from reporting.source.model import Event
from reporting.source.narrative_rules import narrative_problems
from reporting.source.schema_problems import describe, did_you_mean, schema_problems
from reporting.source.sheet_awards import attach_sheet
from reporting.source.yaml_reader import LoadedYaml, load_yaml
from reporting.tool_language import N_, _, isolate


@dataclass(frozen=True)
class SourcedEvent:
    """A validated event and the file it came from (for positions in later checks)."""

    event: Event
    source: LoadedYaml


def discover(data_dir: Path) -> list[Path]:
    """Every ``*.yaml`` under ``data_dir``, in a stable order; files starting with ``_`` are skipped."""
    return sorted(p for p in data_dir.rglob("*.yaml") if not p.name.startswith("_"))


def load_events(
    paths: list[Path], locales: tuple[str, ...], root: Path, templates_dir: Path | None = None
) -> list[SourcedEvent]:
    """Load and validate all files; raise one DataError holding the problems of all of them."""
    problems: list[Problem] = []
    events: list[SourcedEvent] = []
    for path in paths:
        try:
            item = load_event(path, locales, _shown(path, root))
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        events.append(item)
        if templates_dir is not None:
            problems.extend(_missing_images(item, templates_dir))
    problems.extend(_duplicate_ids(events))
    if problems:
        raise DataError(problems)
    return events


def load_event(path: Path, locales: tuple[str, ...], shown: str | None = None) -> SourcedEvent:
    source = load_yaml(path, shown)
    if not isinstance(source.data, dict):
        raise DataError(
            [source.problem((), Expected(_("a mapping of fields"), describe(source.data), code="not-a-mapping"))]
        )
    source, sheet_problems = attach_sheet(source, path, locales)
    try:
        event = Event.model_validate(source.data, context={"locales": locales})
    except ValidationError as exc:
        raise DataError(sheet_problems + schema_problems(source, exc.errors(), Event)) from None
    problems = sheet_problems + consistency_problems(event, source)
    if problems:
        raise DataError(problems)
    return SourcedEvent(event, source)


def consistency_problems(event: Event, source: LoadedYaml) -> list[Problem]:
    """Rules across fields: references resolve, parts do not exceed wholes, placeholders exist."""
    problems = []
    for name, ratio in event.ratios.items():
        for side in ("part", "whole"):
            target = getattr(ratio, side)
            if target not in event.figures:
                problems.append(
                    source.problem(("ratios", name, side), _unknown(N_("a known figure"), target, event.figures))
                )
        if ratio.part in event.figures and ratio.whole in event.figures:
            part, whole = event.figures[ratio.part].value, event.figures[ratio.whole].value
            if whole == 0 or part > whole:
                problems.append(
                    source.problem(
                        ("ratios", name),
                        Expected(
                            _("{part} ({part_value}) to be at most {whole} ({whole_value}) and {whole} above 0").format(
                                part=isolate(ratio.part),
                                part_value=shown_number(part),
                                whole=isolate(ratio.whole),
                                whole_value=shown_number(whole),
                            ),
                            _("{part} of {whole}").format(part=shown_number(part), whole=shown_number(whole)),
                            code="part-exceeds-whole",
                        ),
                    )
                )
            elif ratio.stated_percent is not None and _rounded_percent(part, whole, ratio.decimals) != Decimal(
                str(ratio.stated_percent)
            ):
                computed = _rounded_percent(part, whole, ratio.decimals)
                problems.append(
                    source.problem(
                        ("ratios", name, "stated_percent"),
                        Expected(
                            _("{percent} ({part}/{whole})").format(
                                percent=shown_number(float(computed)),
                                part=shown_number(part),
                                whole=shown_number(whole),
                            ),
                            shown_number(ratio.stated_percent),
                            code="stated-percent-mismatch",
                        ),
                    )
                )
    names = set(event.figures) | set(event.ratios)
    for index, key in enumerate(event.key_figures):
        if key not in names:
            problems.append(source.problem(("key_figures", index), _unknown(N_("a known figure or ratio"), key, names)))
    problems.extend(narrative_problems(event, source))
    problems.extend(_date_problems(event, source))
    return problems


def _rounded_percent(part: float, whole: float, decimals: int) -> Decimal:
    """The share as a source rounds it: half up, as official statistics do (397/400 -> 99.3)."""
    share = Decimal(str(part)) * 100 / Decimal(str(whole))
    return share.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _date_problems(event: Event, source: LoadedYaml) -> list[Problem]:
    """A meeting reviews its period, so it cannot come before the period starts; awards go with the meeting."""
    problems = []
    if event.date < event.period.start:
        problems.append(
            source.problem(
                ("date",),
                Expected(
                    _("a date on or after the period's start ({start})").format(start=shown_date(event.period.start)),
                    shown_date(event.date),
                    code="date-out-of-period",
                ),
            )
        )
    awards_date = event.awards.date if event.awards else None
    if awards_date and not event.period.start <= awards_date <= event.date + dt.timedelta(days=366):
        problems.append(
            source.problem(
                ("awards", "date"),
                Expected(
                    _("a date from {start} to a year after the meeting ({meeting})").format(
                        start=shown_date(event.period.start), meeting=shown_date(event.date)
                    ),
                    shown_date(awards_date),
                    code="date-out-of-period",
                ),
            )
        )
    return problems


def _missing_images(item: SourcedEvent, templates_dir: Path) -> list[Problem]:
    """An image named in the data must exist under templates/ (the only folder rendering may read)."""
    awards = item.event.awards
    if awards is None or awards.emblem is None or (templates_dir / awards.emblem).is_file():
        return []
    return [
        item.source.problem(
            ("awards", "emblem"),
            Expected(
                _("an image file {path}").format(path=isolate(f"templates/{awards.emblem}")),
                _("none"),
                code="missing-image",
            ),
        )
    ]


def _duplicate_ids(events: list[SourcedEvent]) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for item in events:
        if item.event.id in seen:
            problems.append(
                item.source.problem(
                    ("id",),
                    Expected(
                        _("a unique event id"),
                        _("{id} also in {file}").format(id=quoted(item.event.id), file=isolate(seen[item.event.id])),
                        code="duplicate-id",
                    ),
                )
            )
        seen.setdefault(item.event.id, item.source.path)
    return problems


def _unknown(expected: str, found: str, known) -> Expected:
    """``expected`` (marked with N_): a name the data refers to that names nothing, with the nearest known one."""
    close = difflib.get_close_matches(found, sorted(known), n=1) if len(found) <= QUOTE_LIMIT else []
    return Expected(_(expected), quoted(found) + did_you_mean(close), code="unknown-reference")


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
