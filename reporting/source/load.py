"""Discover, load and validate the data files: every problem in every file, reported at once."""
from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from reporting.errors import DataError, Problem
from reporting.source.model import AWARD_PLACEHOLDERS, EVENT_PLACEHOLDERS, PLACEHOLDER, Event, Localized
from reporting.source.sheet_awards import attach_sheet
from reporting.source.yaml_reader import LoadedYaml, Path_, load_yaml

FILL_HINT = " — fill this in"


@dataclass(frozen=True)
class SourcedEvent:
    """A validated event and the file it came from (for positions in later checks)."""

    event: Event
    source: LoadedYaml


def discover(data_dir: Path) -> list[Path]:
    """Every ``*.yaml`` under ``data_dir``, in a stable order; files starting with ``_`` are skipped."""
    return sorted(p for p in data_dir.rglob("*.yaml") if not p.name.startswith("_"))


def load_events(paths: list[Path], locales: tuple[str, ...], root: Path,
                templates_dir: Path | None = None) -> list[SourcedEvent]:
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
        raise DataError([source.problem((), f"expected a mapping of fields, found {_describe(source.data)}")])
    source, sheet_problems = attach_sheet(source, path, locales)
    try:
        event = Event.model_validate(source.data, context={"locales": locales})
    except ValidationError as exc:
        raise DataError(sheet_problems + _problems_from(source, exc.errors())) from None
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
                problems.append(source.problem(("ratios", name, side), _unknown("figure", target, event.figures)))
        if ratio.part in event.figures and ratio.whole in event.figures:
            part, whole = event.figures[ratio.part].value, event.figures[ratio.whole].value
            if whole == 0 or part > whole:
                problems.append(source.problem(("ratios", name), f"expected {ratio.part} ({part}) to be at most {ratio.whole} ({whole}) and {ratio.whole} above 0"))
            elif ratio.stated_percent is not None and _rounded_percent(part, whole, ratio.decimals) != round(ratio.stated_percent, ratio.decimals):
                computed = _rounded_percent(part, whole, ratio.decimals)
                problems.append(source.problem(("ratios", name, "stated_percent"), f"expected {computed:g} ({part}/{whole}), found {ratio.stated_percent:g}"))
    names = set(event.figures) | set(event.ratios)
    for index, key in enumerate(event.key_figures):
        if key not in names:
            problems.append(source.problem(("key_figures", index), _unknown("figure or ratio", key, names)))
    problems.extend(_placeholder_problems(event, source))
    problems.extend(_date_problems(event, source))
    return problems


def _rounded_percent(part: float, whole: float, decimals: int) -> float:
    return round(part / whole * 100, decimals)


def _date_problems(event: Event, source: LoadedYaml) -> list[Problem]:
    """A meeting reviews its period, so it cannot come before the period starts; awards go with the meeting."""
    problems = []
    if event.date < event.period.start:
        problems.append(source.problem(("date",), f"expected a date on or after the period's start ({event.period.start}), found {event.date}"))
    awards_date = event.awards.date if event.awards else None
    if awards_date and not event.period.start <= awards_date <= event.date + dt.timedelta(days=366):
        problems.append(source.problem(("awards", "date"), f"expected a date from {event.period.start} to a year after the meeting ({event.date}), found {awards_date}"))
    return problems


def _placeholder_problems(event: Event, source: LoadedYaml) -> list[Problem]:
    problems = []
    for s_index, section in enumerate(event.sections):
        for p_index, paragraph in enumerate(section.paragraphs):
            where = ("sections", s_index, "paragraphs", p_index)
            for code, text in paragraph.root.items():
                for match in PLACEHOLDER.finditer(text):
                    message = _placeholder_problem(event, match.group(1), match.group(2))
                    if message:
                        problems.append(source.problem(where + (code,), message))
                if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
                    problems.append(source.problem(where + (code,), "expected placeholders like {name} or {name:counted}, found a stray brace"))
    return problems


def _placeholder_problem(event: Event, name: str, style: str | None) -> str | None:
    known = set(event.figures) | set(event.ratios) | set(EVENT_PLACEHOLDERS) | (set(AWARD_PLACEHOLDERS) if event.awards else set())
    if name not in known:
        return _unknown("placeholder", "{" + name + "}", known)
    if style == "counted" and not (name in event.figures and event.figures[name].counted):
        return f"expected {{{name}:counted}} to name a figure with 'counted' forms, found none for '{name}'"
    if style == "fraction" and name not in event.ratios:
        return f"expected {{{name}:fraction}} to name a ratio, found '{name}' is not one"
    if style not in (None, "value", "counted", "fraction"):
        return f"expected a placeholder style value, counted or fraction, found '{style}'"
    return None


def _missing_images(item: SourcedEvent, templates_dir: Path) -> list[Problem]:
    """An image named in the data must exist under templates/ (the only folder rendering may read)."""
    awards = item.event.awards
    if awards is None or awards.emblem is None or (templates_dir / awards.emblem).is_file():
        return []
    return [item.source.problem(("awards", "emblem"), f"expected an image file templates/{awards.emblem}, found none")]


def _duplicate_ids(events: list[SourcedEvent]) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for item in events:
        if item.event.id in seen:
            problems.append(item.source.problem(("id",), f"expected a unique event id, found '{item.event.id}' also in {seen[item.event.id]}"))
        seen.setdefault(item.event.id, item.source.path)
    return problems


def _problems_from(source: LoadedYaml, errors: list[dict]) -> list[Problem]:
    """Pydantic's errors as problems; the branches of one union (int | float) make one message."""
    problems: list[Problem] = []
    type_errors: dict[Path_, tuple[list[str], object]] = {}
    for error in errors:
        where = _data_path(source.data, error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            problems.append(source.problem(where, "expected this field, found nothing"))
        elif error["type"] == "extra_forbidden":
            problems.append(source.problem(where, _unknown_field(where), at_key=True))
        elif message.startswith("Value error, "):
            problems.append(source.problem(where, message.removeprefix("Value error, ")))
        else:
            expected = message.removeprefix("Input should be ").removeprefix("String should ")
            type_errors.setdefault(where, ([], error.get("input")))[0].append(expected)
    for where, (expectations, found) in type_errors.items():
        # An empty value is a blank left to fill (``new`` writes them), not a typing mistake: say so.
        hint = FILL_HINT if found is None else ""
        expected = _merge_expectations(expectations)
        if expected == "a valid dictionary":  # pydantic's word; say what the secretary must write there
            expected = "a text per language" if _model_at(where) is Localized else "a mapping of fields"
        problems.append(source.problem(where, f"expected {expected}, found {_describe(found)}{hint}"))
    return problems


def _merge_expectations(expectations: list[str]) -> str:
    if set(expectations) == {"a valid integer", "a valid number"}:
        return "a number"
    if set(expectations) == {"a valid string"}:
        return "text"
    return " or ".join(dict.fromkeys(expectations))


def _data_path(data: object, loc: tuple) -> Path_:
    """Pydantic's error location minus its own entries (``root``, union branch names)."""
    where: list = []
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
            where.append(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
            where.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and part != "root" and "[" not in part:
            where.append(part)  # a missing or unknown field: the path ends here
            break
    return tuple(where)


def _unknown_field(where: Path_) -> str:
    field = str(where[-1]) if where else "?"
    model = _model_at(where[:-1])
    known = model.model_fields if model else ()
    close = difflib.get_close_matches(field, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"expected a known field, found unknown field '{field}'{hint}"


def _model_at(where: Path_) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``where`` (for field-name suggestions)."""
    annotation: object = Event
    for part in where:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
            field = annotation.model_fields.get(part)
            annotation = field.annotation if field else None
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: object) -> object:
    """``Annotated[X, ...]`` and ``X | None`` -> ``X``."""
    while typing.get_origin(annotation) in (typing.Annotated, typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0]
    return annotation


def _unknown(kind: str, found: str, known) -> str:
    close = difflib.get_close_matches(found, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"expected a known {kind}, found '{found}'{hint}"


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
