"""The template sandbox remembers its attribute checks, and still refuses what Jinja's sandbox refuses."""

from __future__ import annotations

import collections
import types

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reporting.sandbox import TemplateSandbox


class Plain:
    title = "t"

    def method(self):
        return 1


class Pretender:
    """An object that claims to be a list (``isinstance(obj, list)`` believes it)."""

    __class__ = list  # type: ignore[assignment]


def _function():
    return 1


SAMPLES = [
    ([], "append"),
    ([], "index"),
    ({}, "clear"),
    ({}, "keys"),
    (set(), "add"),
    (collections.deque(), "pop"),
    ("text", "upper"),
    ("text", "format"),
    (Plain(), "title"),
    (Plain(), "method"),
    (Plain(), "_private"),
    (Plain().method, "__func__"),
    (_function, "__globals__"),
    (_function, "__code__"),
    (Plain, "mro"),
    ((x for x in range(0)), "gi_frame"),
    (types.SimpleNamespace(), "__class__"),
    (Pretender(), "append"),
    (Pretender(), "index"),
]


@pytest.mark.parametrize("obj, attr", SAMPLES, ids=[f"{type(o).__name__}.{a}" for o, a in SAMPLES])
def test_same_answer_as_jinja_asked_twice(obj, attr):
    sandbox, jinja = TemplateSandbox(), ImmutableSandboxedEnvironment()
    expected = jinja.is_safe_attribute(obj, attr, None)
    assert sandbox.is_safe_attribute(obj, attr, None) is expected
    assert sandbox.is_safe_attribute(obj, attr, None) is expected  # remembered


def test_a_remembered_answer_is_per_type():
    """An object of ours may have an "append"; a list may not, whichever is asked first."""
    sandbox = TemplateSandbox()

    class Ours:
        def append(self):
            return "ok"

    assert sandbox.is_safe_attribute(Ours(), "append", None)
    assert not sandbox.is_safe_attribute([], "append", None)
    assert not sandbox.is_safe_attribute(Pretender(), "append", None)


def test_templates_still_cannot_mutate_or_reach_internals():
    sandbox = TemplateSandbox(undefined=jinja2.StrictUndefined)
    items: list[int] = []
    render = sandbox.from_string("{{ items.append(1) }}").render
    for _ in range(2):  # the second time from the remembered answer
        with pytest.raises(jinja2.exceptions.SecurityError):
            render(items=items)
    assert items == []
    with pytest.raises(jinja2.exceptions.SecurityError):
        sandbox.from_string("{{ f.__globals__ }}").render(f=_function)
    assert sandbox.from_string("{{ p.title }}{{ p.title }}").render(p=Plain()) == "tt"
