"""The sandbox templates are rendered in: Jinja's immutable sandbox, its attribute checks remembered.

Templates travel on shared drives like data: the sandbox keeps one from reaching Python internals (no
attribute starting with "_", no mutation of lists and dicts, range() bounded). It asks whether an
attribute is safe on every access: 22 a certificate, a fifth of rendering one. The answer depends on
the object's type and the attribute's name only (``is_internal_attribute`` and
``modifies_known_mutable`` test the object with ``isinstance`` against fixed types, never its value),
so it is remembered per type and name for the environment's life (one build).
"""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """``ImmutableSandboxedEnvironment`` answering each (type, attribute) question once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe_attributes: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        if getattr(obj, "__class__", kind) is not kind:  # an object claiming another class: asked each time
            return super().is_safe_attribute(obj, attr, value)
        key = (kind, attr)
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = self._safe_attributes[key] = super().is_safe_attribute(obj, attr, value)
        return safe
