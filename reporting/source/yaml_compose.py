"""A YAML text's node tree, composed with aliases and runaway nesting refused.

PyYAML's scanner and parser in Python take over a second of CPU on an event listing a thousand
awardees; libyaml's, in C, about a sixth of that. Both feed the same composer (PyYAML's
``Composer`` with the refusals below), so the tree, and the source position of every node, are the
same either way.
libyaml is the fast path only for what it reads exactly as PyYAML does: a text it refuses is read
again by PyYAML in Python, whose message and position the clerk has always been shown (libyaml words
its errors and places them its own way, and ``yaml_syntax`` translates PyYAML's words); so is a text
with what the two read differently (``_LIBYAML_READS_OTHERWISE``, ``_UNPRINTABLE``,
``_read_otherwise``: found by feeding both parsers the same mutated files and comparing what
``load_yaml`` made of them). What the composer refuses (an alias, nesting too deep) it refuses at the
same event from either parser, so that refusal stands. Without libyaml, PyYAML's Python parser reads
every file, as before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from reporting.errors import Expected, quoted
from reporting.tool_language import _, n_, number

try:  # libyaml's scanner and parser, when PyYAML was built with it
    from yaml._yaml import CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML without libyaml
    HAVE_LIBYAML = False

MAX_DEPTH = 20
# The composer recurses once per level: past this it stops (a 20,000-deep file would exhaust
# Python's stack); up to it, the builder reports the first level too deep with its field.
COMPOSE_DEPTH = 5 * MAX_DEPTH

# What libyaml reads differently from PyYAML (found by feeding both the same mutated files): a tab
# between tokens (libyaml skips it, PyYAML refuses it) and a byte-order mark inside the text
# (libyaml skips one that starts a line, PyYAML keeps it in the value). Such a text goes to PyYAML.
_LIBYAML_READS_OTHERWISE = re.compile("[\t\ufeff]")
# PyYAML refuses a character it cannot print before it reads anything; libyaml, when its reading
# reaches it, after what comes before (an anchor refused first, say): such a text goes to PyYAML too.
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE


class NotPlainData(yaml.composer.ComposerError):
    """What the composer refuses (aliases, runaway nesting), with its problem whole."""

    def __init__(self, detail: Expected, mark: yaml.Mark):
        self.detail = detail
        super().__init__(None, None, str(detail), mark)


class _ReadItInPython(yaml.YAMLError):
    """libyaml met what it may read otherwise than PyYAML (``_read_otherwise``): PyYAML reads the text."""


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (None for an empty one). Raises what PyYAML's Python parser raises:
    ``yaml.MarkedYAMLError`` (``NotPlainData`` for what is refused here), ``yaml.reader.ReaderError``."""
    if _CLoader is not None and not _LIBYAML_READS_OTHERWISE.search(text) and not _UNPRINTABLE.search(text):
        try:
            return yaml.compose(text, Loader=_CLoader)
        except NotPlainData:
            # Refused by the composer at an event PyYAML's parser gives alike: no need to ask it (its
            # scanner takes seconds to reach the hundredth of 20,000 opening brackets).
            raise
        except yaml.YAMLError:
            pass  # refused by libyaml, or it met a tag: PyYAML says why, in its words and at its place
    return yaml.compose(text, Loader=_PythonLoader)


class _RefusingComposer(yaml.composer.Composer):
    """PyYAML's composer refusing anchors and aliases (expanding them is a memory bomb), and nesting
    deeper than any data file needs before its recursion could exhaust the stack."""

    _depth = 0

    if TYPE_CHECKING:  # given by the parser the composer is mixed with

        def peek_event(self) -> Any: ...

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = "*" if isinstance(event, yaml.AliasEvent) else "&"
            found = (
                _("an alias {name} (anchors and aliases are not allowed)")
                if mark == "*"
                else _("an anchor {name} (anchors and aliases are not allowed)")
            )
            raise NotPlainData(
                Expected(_("plain data"), found.format(name=quoted(mark + event.anchor)), code="yaml-alias"),
                event.start_mark,
            )
        if self._depth > COMPOSE_DEPTH:
            raise NotPlainData(
                Expected(
                    n_("at most {count} level of nesting", "at most {count} levels of nesting", MAX_DEPTH).format(
                        count=number(MAX_DEPTH)
                    ),
                    _("more than {count}").format(count=number(COMPOSE_DEPTH)),
                    code="too-deep",
                ),
                event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _PythonLoader(_RefusingComposer, yaml.SafeLoader):
    """PyYAML's Python reader, scanner and parser (its ``SafeLoader``'s), and the composer above."""


_CLoader: type | None = None

if HAVE_LIBYAML:

    class _LibyamlLoader(_RefusingComposer, CParser, yaml.resolver.Resolver):
        """libyaml's events composed by the composer above: ``_RefusingComposer`` comes first in the
        method order, so its Python composing methods, not ``CParser``'s own in C (which recurse in
        C with no limit and know nothing of the refusals), are the ones called; ``CParser`` only
        scans and parses. What libyaml reads otherwise than PyYAML sends the text to PyYAML."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _RefusingComposer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._text = stream

        def compose_document(self):
            event = self.peek_event()
            if event.version or event.tags:  # %YAML, %TAG: libyaml checks them otherwise (%YAML 1.3)
                raise _ReadItInPython()
            return super().compose_document()

        def compose_node(self, parent, index):
            if _read_otherwise(self.peek_event(), parent, self._text):
                raise _ReadItInPython()
            return super().compose_node(parent, index)

    _CLoader = _LibyamlLoader

# A block scalar's header with a comment right after its indicators (``|-#``): PyYAML refuses it.
_HEADER_WITH_COMMENT = re.compile(r"[|>](?:[-+][1-9]?|[1-9][-+]?)?#")


def _read_otherwise(event: Any, parent: yaml.Node | None, text: str) -> bool:
    """Whether libyaml may have read ``event`` otherwise than PyYAML (found by feeding both the same
    mutated files): a tag (libyaml scans ``[1,!!2]`` otherwise); in a flow collection (``[...]``,
    ``{...}``), a plain text with a ``?`` (PyYAML ends it there, libyaml does not: ``[a?b]``) or an
    empty value (``{a: }``: libyaml places it one character further); a block scalar's header above."""
    if getattr(event, "tag", None) is not None:
        return True
    if not isinstance(event, yaml.ScalarEvent):
        return False
    if not event.style:  # plain: libyaml says "", PyYAML None
        in_flow = isinstance(parent, yaml.CollectionNode) and bool(parent.flow_style)
        return in_flow and (not event.value or "?" in event.value)
    if event.style not in ("|", ">") or event.start_mark is None:
        return False
    return _HEADER_WITH_COMMENT.match(text, event.start_mark.index) is not None
