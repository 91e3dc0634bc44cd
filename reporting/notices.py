"""A warning as the build collects it: its sentence in the tool's language, and its kind in stable English.

The build gathers warnings as text (they are printed, listed in ``--json`` and shown in the preview);
a ``Notice`` is such a text that also carries the ``code`` machines read, so the code travels with the
sentence through every list and process without a parallel structure."""

from __future__ import annotations


class Notice(str):
    """A translated warning that is a ``str`` everywhere, with the stable English ``code`` of its kind."""

    code: str

    def __new__(cls, text: str, code: str) -> Notice:
        notice = super().__new__(cls, text)
        notice.code = code
        return notice

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        # Worker processes send warnings back pickled: the code must survive the trip.
        return (str(self), self.code)


def code_of(warning: str, default: str = "warning") -> str:
    """The code of a warning, whether it came as a ``Notice`` or as plain text."""
    return getattr(warning, "code", default)
