"""Pydantic's validation errors as problems in the secretary's terms, at their place in the source.

Shared by the data files (``source/load.py``, the ``Event`` model) and the project settings
(``config.py``, the ``reporting.toml`` model): one wording of Expected("X", "Y") and one
"did you mean" for unknown fields, whatever the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from reporting.errors import QUOTE_LIMIT, Expected, Mismatch, Problem, shorten
from reporting.source.model import PATTERN_RULES, Localized
from reporting.source.yaml_reader import LoadedYaml, Path_

# An empty value is a blank left to fill (``new`` writes them), not a typing mistake.
FILL_HINT = " — fill this in"


def schema_problems(source: LoadedYaml, errors: list[ErrorDetails], root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors, from validating ``source.data`` with ``root``, as problems at their source
    positions; the branches of one union (int | float) make one message."""
    problems: list[Problem] = []
    type_errors: dict[Path_, tuple[list[str], object]] = {}
    for error in errors:
        where = _data_path(source.data, error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            problems.append(source.problem(where, Expected("this field", "nothing")))
        elif error["type"] == "extra_forbidden":
            problems.append(source.problem(where, _unknown_field(where, root), at_key=True))
        elif error["type"] == "string_pattern_mismatch" and error["ctx"]["pattern"] in PATTERN_RULES:
            problems.append(
                source.problem(where, Expected(PATTERN_RULES[error["ctx"]["pattern"]], describe(error.get("input"))))
            )
        elif isinstance(error.get("ctx", {}).get("error"), Mismatch):
            problems.append(source.problem(where, error["ctx"]["error"].detail))
        elif message.startswith("Value error, "):  # a validator's plain ValueError: its words as they are
            problems.append(source.problem(where, message.removeprefix("Value error, ")))
        else:
            expected = message.removeprefix("Input should be ").removeprefix("String should ")
            type_errors.setdefault(where, ([], error.get("input")))[0].append(expected)
    for where, (expectations, found) in type_errors.items():
        # An empty value is a blank left to fill (``new`` writes them), not a typing mistake: say so.
        hint = FILL_HINT if found is None else ""
        expected = _merge_expectations(expectations)
        if expected == "a valid dictionary":  # pydantic's word; say what the secretary must write there
            expected = "a text per language" if _model_at(where, root) is Localized else "a mapping of fields"
        problems.append(source.problem(where, Expected(expected, describe(found), hint)))
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
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return Expected("a known field", f"unknown field '{shorten(field)}'{hint}")


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
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return shorten(repr(value), 60)
