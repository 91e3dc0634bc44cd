"""Pydantic's validation errors as problems in the secretary's terms, at their place in the source.

Shared by the data files (``source/load.py``, the ``Event`` model) and the project settings
(``config.py``, the ``reporting.toml`` model): one wording of Expected("X", "Y") and one
"did you mean" for unknown fields, whatever the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from reporting.errors import QUOTE_LIMIT, Expected, Mismatch, Problem, quoted, shorten, shown_date, shown_number
from reporting.source.model import PATTERN_RULES, Localized, Narrative, pattern_rule
from reporting.source.yaml_reader import LoadedYaml, Path_
from reporting.tool_language import N_, _, isolate, n_

# An empty value is a blank left to fill (``new`` writes them), not a typing mistake.
FILL_HINT = N_(" — fill this in")
# Pydantic's error types, by the kind of problem they are (its ``code``); a type not listed keeps
# pydantic's own name as its code (``schema-<type>``) and its English words.
_TYPE_WORDS = {
    "int_type": N_("a valid integer"),
    "int_parsing": N_("a valid integer"),
    "int_from_float": N_("a valid integer"),
    "float_type": N_("a valid number"),
    "float_parsing": N_("a valid number"),
    "string_type": N_("a valid string"),
    "bool_type": N_("a valid boolean"),
    "bool_parsing": N_("a valid boolean"),
    "list_type": N_("a valid list"),
    "date_type": N_("a valid date"),
    "date_parsing": N_("a valid date"),
    "date_from_datetime_parsing": N_("a valid date"),
    "date_from_datetime_inexact": N_("a valid date"),
}
_MAPPING_TYPES = ("dict_type", "model_type", "model_attributes_type")
_NUMBER_TYPES = {"int_type", "int_parsing", "int_from_float", "float_type", "float_parsing"}
_RANGES = {
    "greater_than_equal": ("ge", N_("greater than or equal to {limit}")),
    "less_than_equal": ("le", N_("less than or equal to {limit}")),
    "greater_than": ("gt", N_("greater than {limit}")),
    "less_than": ("lt", N_("less than {limit}")),
}
_CODES = {
    **dict.fromkeys(_TYPE_WORDS, "wrong-type"),
    **dict.fromkeys(_MAPPING_TYPES, "wrong-type"),
    **dict.fromkeys(_RANGES, "out-of-range"),
    "string_too_long": "too-long",
    "too_long": "too-long",
    "string_too_short": "too-short",
    "too_short": "too-short",
    "literal_error": "not-one-of",
}


def schema_problems(source: LoadedYaml, errors: list[ErrorDetails], root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors, from validating ``source.data`` with ``root``, as problems at their source
    positions; the branches of one union (int | float) make one message."""
    problems: list[Problem] = []
    type_errors: dict[Path_, tuple[list[ErrorDetails], object]] = {}
    for error in errors:
        where = _data_path(source.data, error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            problems.append(source.problem(where, Expected(_("this field"), _("nothing"), code="missing-field")))
        elif error["type"] == "extra_forbidden":
            problems.append(source.problem(where, _unknown_field(where, root), at_key=True))
        elif error["type"] == "string_pattern_mismatch" and error["ctx"]["pattern"] in PATTERN_RULES:
            rule, code = pattern_rule(error["ctx"]["pattern"])
            problems.append(source.problem(where, Expected(rule, describe(error.get("input")), code=code)))
        elif error["type"] == "string_pattern_mismatch":
            form = _("text of the form {pattern}").format(pattern=isolate(error["ctx"]["pattern"]))
            problems.append(source.problem(where, Expected(form, describe(error.get("input")), code="invalid-format")))
        elif isinstance(error.get("ctx", {}).get("error"), Mismatch):
            problems.append(source.problem(where, error["ctx"]["error"].detail))
        elif message.startswith("Value error, "):  # a validator's plain ValueError: its words as they are
            problems.append(
                source.problem(
                    where, Expected(_("a valid value"), message.removeprefix("Value error, "), code="invalid-value")
                )
            )
        else:
            type_errors.setdefault(where, ([], error.get("input")))[0].append(error)
    for where, (branches, found) in type_errors.items():
        # An empty value is a blank left to fill (``new`` writes them), not a typing mistake: say so.
        hint = _(FILL_HINT) if found is None else ""
        expected = _expectation(branches, _model_at(where, root))
        code = _CODES.get(branches[0]["type"], f"schema-{branches[0]['type'].replace('_', '-')}")
        problems.append(source.problem(where, Expected(expected, describe(found), hint, code=code)))
    return problems


def _expectation(branches: list[ErrorDetails], model: type[BaseModel] | None) -> str:
    """What the value should be, in the tool's language: one phrase for the branches of a union."""
    types = {error["type"] for error in branches}
    if types <= _NUMBER_TYPES and len({_TYPE_WORDS[t] for t in types}) > 1:
        return _("a number")
    if types == {"string_type"}:
        return _("text")
    if types & set(_MAPPING_TYPES):
        return _("a text per language") if model in (Localized, Narrative) else _("a mapping of fields")
    # TRANSLATORS: between the alternatives a value may be: "a valid integer or a valid date"
    return _(" or ").join(dict.fromkeys(_one_expectation(error) for error in branches))


def _one_expectation(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind in _TYPE_WORDS:
        return _(_TYPE_WORDS[kind])
    if kind in _RANGES:
        name, words = _RANGES[kind]
        return _(words).format(limit=shown_number(ctx[name]))
    if kind == "string_too_long":
        count = ctx["max_length"]
        return n_("at most {count} character", "at most {count} characters", count).format(count=shown_number(count))
    if kind == "string_too_short":
        count = ctx["min_length"]
        return n_("at least {count} character", "at least {count} characters", count).format(count=shown_number(count))
    if kind == "too_long":
        count = ctx["max_length"]
        return n_("at most {count} item", "at most {count} items", count).format(count=shown_number(count))
    if kind == "too_short":
        count = ctx["min_length"]
        return n_("at least {count} item", "at least {count} items", count).format(count=shown_number(count))
    if kind == "literal_error":
        return one_of(re.findall(r"'([^']*)'", ctx.get("expected", "")))
    return error["msg"].removeprefix("Input should be ").removeprefix("String should ")


def one_of(values: list[str]) -> str:
    """``'state' or 'party'``, ``'a', 'b' or 'c'``: the values a field allows, each quoted."""
    shown = [quoted(value) for value in values]
    if len(shown) < 2:
        return "".join(shown)
    # TRANSLATORS: the last of the values a field allows: "'a', 'b' or 'c'"
    return _("{values} or {last}").format(values=_(", ").join(shown[:-1]), last=shown[-1])


def _data_path(data: object, loc: tuple) -> Path_:
    """Pydantic's error location minus its own entries (``root``, union branch names)."""
    where: list = []
    current = data
    for part in loc:
        # (Two branches, not one `or`: each narrows `current` to the container it indexes.)
        if isinstance(current, dict) and isinstance(part, str) and part in current:  # noqa: SIM114
            current = current[part]
            where.append(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
            where.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and part != "root" and "[" not in part:
            where.append(part)  # a missing or unknown field: the path ends here
            break
    return tuple(where)


def _unknown_field(where: Path_, root: type[BaseModel]) -> Expected:
    field = str(where[-1]) if where else "?"
    model = _model_at(where[:-1], root)
    known = model.model_fields if model else ()
    close = difflib.get_close_matches(field, sorted(known), n=1) if len(field) <= QUOTE_LIMIT else []
    return Expected(
        _("a known field"),
        _("unknown field {field}").format(field=quoted(field)) + did_you_mean(close),
        code="unknown-field",
    )


def did_you_mean(close: list[str]) -> str:
    """`` (did you mean 'place'?)`` after what was found (part of it: machines read the suggestion in
    ``found``), for the nearest known name; empty without one."""
    return _(" (did you mean {name}?)").format(name=quoted(close[0])) if close else ""


def _model_at(where: Path_, root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``where`` (for field-name suggestions)."""
    annotation: object = root
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


def describe(value: object) -> str:
    """A value from the file as a message shows what was found, in the tool's language."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=isolate(str(value).lower()))
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dt.date):
        return _("the date {date}").format(date=shown_date(value))
    if isinstance(value, (int, float)):
        return shown_number(value)
    if isinstance(value, str):
        return quoted(value, 60)
    return shorten(repr(value), 60)
