"""Strict YAML loading: plain data plus the source position of every value.

PyYAML's ``safe_load`` keeps the last of duplicate keys, reads ``no`` as False,
``0755`` as 493 and expands aliases (DESIGN.md §4). Secretaries' typos must
not turn into silently different documents, so this loader composes the node
tree itself and accepts only what a plain data file needs: mappings with
unique string keys, sequences, strings, true/false/null, decimal numbers and
ISO dates. The tree is composed in ``yaml_compose`` (by libyaml's C parser when PyYAML has it,
which reads these files as PyYAML's Python parser does, in about a sixth of the time).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import gc
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from reporting.errors import DataError, Expected, Problem, quoted, shorten
from reporting.source.sheet_reader import MAX_ROWS
from reporting.source.yaml_compose import MAX_DEPTH, NotPlainData, compose
from reporting.source.yaml_syntax import syntax_problem
from reporting.tool_language import N_, _, isolate, n_, number

MAX_BYTES = 2_000_000  # 2 MB: an event's data is tens of kilobytes; the cap stops runaway input early
TOO_BIG_ADVICE = N_(
    "one event's data is normally under {typical}: look for a pasted picture or base64 text "
    "(pictures belong in {assets}, referenced from the template), or split a very "
    "long text into shorter fields. For thousands of awardees, list them in a spreadsheet "
    "beside the event instead ({setting}, up to {rows} rows; see {guide})"
)

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?$")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+(\.[0-9]*)?$")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_NULLS = {"null", "~", ""}


@dataclass(frozen=True)
class LoadedYaml:
    """A file's data and where each value (by its path of keys and indexes) starts."""

    path: Path
    data: object
    positions: dict[Path_, tuple[int, int]]
    key_positions: dict[Path_, tuple[int, int]]

    def position(self, where: Path_) -> tuple[int | None, int | None]:
        """The line and column of ``where``, or of its nearest ancestor that has one."""
        for cut in range(len(where), -1, -1):
            if where[:cut] in self.positions:
                return self.positions[where[:cut]]
        return None, None

    def problem(self, where: Path_, message: str | Expected, at_key: bool = False) -> Problem:
        """A problem at ``where``; ``at_key`` points at the field's name rather than its value."""
        line, column = self.key_positions[where] if at_key and where in self.key_positions else self.position(where)
        return Problem(self.path, line, column, dotted(where), message)


def dotted(where: Path_) -> str:
    """``("awards", "groups", 3, "name")`` -> ``awards.groups[3].name``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_yaml(path: Path, display_name: str | None = None) -> LoadedYaml:
    """Load one YAML file strictly; raise DataError listing every problem in it."""
    shown = Path(display_name) if display_name else path
    with _collector_paused():
        return _load(path, shown)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a file is read: its passes over the objects made (over a
    hundred thousand for a thousand awardees: events, nodes, marks, values) took as long as libyaml's
    parsing, and found nothing, as the node tree and the data have no cycles; what cycles the
    parser leaves behind are collected at the collector's next pass."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _load(path: Path, shown: Path) -> LoadedYaml:
    text = _decode(shown, _read(path, shown))
    lines = LineIndex(text)
    try:
        root = compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = lines.position(mark.index) if mark else (None, None)
        if isinstance(exc, NotPlainData):  # refused by our composer: its own problem and code
            raise DataError([Problem(shown, line, col, "", exc.detail)]) from None
        message = syntax_problem(str(exc.problem or exc.context))
        raise DataError([Problem(shown, line, col, "", message, code="yaml-syntax")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file (NUL, U+FFFF, ...)
        line, col = lines.position(exc.position)
        raise DataError(
            [
                Problem(
                    shown,
                    line,
                    col,
                    "",
                    Expected(
                        _("printable text"),
                        _("{character} (remove it; it may come from a copy and paste)").format(
                            character=_character(exc.character)
                        ),
                        code="unprintable-character",
                    ),
                )
            ]
        ) from None
    if root is None:
        raise DataError(
            [Problem(shown, 1, 1, "", Expected(_("a mapping of fields"), _("an empty file"), code="empty-file"))]
        )
    builder = _Builder(shown, lines)
    data = builder.build(root, ())
    if builder.problems:
        raise DataError(builder.problems)
    return LoadedYaml(shown, data, builder.positions, builder.key_positions)


def _read(path: Path, shown: Path) -> bytes:
    """The file's bytes; a folder named ``*.yaml`` or a link to nothing is a problem, not a crash."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        found = _("a folder")
    except FileNotFoundError:
        found = (
            _("a symbolic link to {target}, which does not exist").format(target=isolate(repr(os.readlink(path))))
            if path.is_symlink()
            else _("no file")
        )
    except OSError as exc:
        found = _("a file that cannot be read ({reason})").format(reason=exc.strerror)
    raise DataError.about_file(
        shown,
        Expected(
            _("a readable YAML file"),
            found,
            _(" (rename it so it does not end in .yaml, or fix it)"),
            code="unreadable-file",
        ),
    )


class LineIndex:
    """Line and column of a character offset, counting only the line breaks editors show.

    PyYAML also breaks lines at U+0085, U+2028 and U+2029, so its marks would point
    lines below the real one after such a character in a text."""

    def __init__(self, text: str):
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1


def _character(code: int | str) -> str:
    char = chr(code) if isinstance(code, int) else code  # PyYAML gives the code point for str input
    name = unicodedata.name(
        char, _("a control character") if unicodedata.category(char) == "Cc" else _("a non-character")
    )
    return isolate(f"U+{ord(char):04X}") + f" ({name})"


def _decode(shown: Path, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        advice = _(TOO_BIG_ADVICE).format(
            typical=isolate("100 kB"),
            assets=isolate("templates/assets/"),
            setting=isolate("awards: {source: awardees.xlsx}"),
            rows=number(MAX_ROWS),
            guide=isolate("docs/commend-from-a-spreadsheet.md"),
        )
        raise DataError.about_file(
            shown,
            Expected(
                n_("at most {count} byte", "at most {count} bytes", MAX_BYTES).format(count=number(MAX_BYTES)),
                number(len(raw)),
                " — " + advice,
                code="file-too-big",
            ),
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    Expected(
                        _("UTF-8 without a byte-order mark"),
                        _("a BOM (save as 'UTF-8', not 'UTF-8 with BOM')"),
                        code="byte-order-mark",
                    ),
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    shown,
                    line,
                    None,
                    "",
                    Expected(
                        _("UTF-8 text"),
                        _("byte {byte} at offset {offset}").format(
                            byte=isolate(f"0x{raw[exc.start]:02x}"), offset=number(exc.start)
                        ),
                        code="not-utf8",
                    ),
                )
            ]
        ) from None
    for line_number, line_text in enumerate(text.split("\n"), 1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            raise DataError(
                [
                    Problem(
                        shown,
                        line_number,
                        indent.index("\t") + 1,
                        "",
                        Expected(_("spaces for indentation"), _("a tab"), code="tab-indent"),
                    )
                ]
            )
    return text


class _Builder:
    """Turns a composed node tree into plain Python values, collecting problems."""

    def __init__(self, shown: Path, lines: LineIndex):
        self.shown, self.lines = shown, lines
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, where: Path_, message: str | Expected) -> None:
        line, column = self.lines.position(node.start_mark.index)
        self.problems.append(Problem(self.shown, line, column, dotted(where), message))

    def build(self, node: yaml.Node, where: Path_):
        self.positions[where] = self.lines.position(node.start_mark.index)
        if len(where) > MAX_DEPTH:
            self.fail(
                node,
                where,
                Expected(
                    n_("at most {count} level of nesting", "at most {count} levels of nesting", MAX_DEPTH).format(
                        count=number(MAX_DEPTH)
                    ),
                    _("more"),
                    code="too-deep",
                ),
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, where + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # PyYAML composes only these three kinds of node
        return self._scalar(node, where)

    def _mapping(self, node: yaml.MappingNode, where: Path_) -> dict:
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(
                    key_node,
                    where,
                    Expected(
                        _("a field name"),
                        _("a merge key {key} (aliases are not allowed)").format(key=quoted("<<")),
                        code="yaml-alias",
                    ),
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, where, Expected(_("a plain field name"), _("a complex key"), code="complex-key"))
                continue
            key = key_node.value
            if key in result:
                self.fail(
                    key_node,
                    where + (key,),
                    Expected(
                        _("each field once"),
                        _("{key} again (first on line {line})").format(key=quoted(key), line=isolate(first_line[key])),
                        code="duplicate-field",
                    ),
                )
                continue
            first_line[key] = self.lines.position(key_node.start_mark.index)[0]
            self.key_positions[where + (key,)] = self.lines.position(key_node.start_mark.index)
            result[key] = self.build(value_node, where + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode, where: Path_):
        text = node.value
        if node.style in ("'", '"', "|", ">"):
            return text
        if node.tag not in (
            "tag:yaml.org,2002:str",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:null",
            "tag:yaml.org,2002:timestamp",
        ):
            self.fail(
                node,
                where,
                Expected(_("plain data"), _("the tag {tag}").format(tag=isolate(shorten(node.tag))), code="yaml-tag"),
            )
            return None
        lowered = text.lower()
        if text in ("true", "false"):
            return text == "true"
        if lowered in _YAML11_BOOLS or lowered in ("true", "false"):
            self.fail(
                node,
                where,
                Expected(
                    _("true/false, or text in quotes"),
                    _("{value} (write true, false or {quoted})").format(
                        value=quoted(text), quoted=isolate(f'"{text}"')
                    ),
                    code="ambiguous-boolean",
                ),
            )
            return None
        if lowered in _NULLS:
            return None
        if _LEADING_ZERO.match(text):
            self.fail(
                node,
                where,
                Expected(_("a number without leading zeros, or text in quotes"), quoted(text), code="leading-zero"),
            )
            return None
        if _INT.match(text):
            return int(text.replace("_", ""))
        if _FLOAT.match(text):
            return float(text.replace("_", ""))
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                self.fail(node, where, Expected(_("a real date YYYY-MM-DD"), quoted(text), code="invalid-date"))
                return None
        return text
