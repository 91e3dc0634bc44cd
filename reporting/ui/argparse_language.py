"""argparse's own words ("usage:", "error:", "the following arguments are required") in the tool's language.

argparse translates them with ``gettext.gettext`` in gettext's ``argparse`` domain, for which no
catalog is installed and which knows nothing of ``--ui-language``. Its module-level ``_`` and
``ngettext`` are replaced by the tool's own, and the messages argparse says in practice to someone
running this program are listed here so that they are extracted into the tool's catalog (with their
``%`` placeholders, which argparse fills in itself). A message not listed stays English.
"""

from __future__ import annotations

import argparse

from reporting.tool_language import N_, current, translations

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
)


def _argparse_gettext(message: str) -> str:
    return translations(current()).gettext(message)


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current()).ngettext(singular, plural, count)


def speak_in_argparse() -> None:
    """From now on argparse says its words in the tool's current language (read at each call)."""
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def error_line(prog: str, message: str) -> str:
    """The line ``argparse.ArgumentParser.error`` ends with, in the same words (translated as argparse's)."""
    return _argparse_gettext("%(prog)s: error: %(message)s\n") % {"prog": prog, "message": message}
