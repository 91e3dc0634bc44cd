"""Strict YAML loading: plain data plus the source position of every value.

PyYAML's ``safe_load`` keeps the last of duplicate keys, reads ``no`` as False,
``0755`` as 493 and expands aliases (DESIGN.md §4). Secretaries' typos must
not turn into silently different documents, so this loader composes the node
tree itself and accepts only what a plain data file needs: mappings with
unique string keys, sequences, strings, true/false/null, decimal numbers and
ISO dates.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from reporting.errors import DataError, Expected, Problem, shorten
from reporting.source.sheet_reader import MAX_ROWS
from reporting.tool_language import N_, _, isolate
from reporting.tool_language import number as reader_number

MAX_BYTES = 2_000_000  # 2 MB: an event's data is tens of kilobytes; the cap stops runaway input early
TOO_BIG_ADVICE = N_(
    "one event's data is normally under {typical}: look for a pasted picture or base64 text "
    "(pictures belong in {assets}, referenced from the template), or split a very "
    "long text into shorter fields. For thousands of awardees, list them in a spreadsheet "
    "beside the event instead ({setting}, up to {rows} rows; see {guide})"
)
MAX_DEPTH = 20
# The composer recurses once per level: past this it stops (a 20,000-deep file would exhaust
# Python's stack); up to it, the builder reports the first level too deep with its field.
COMPOSE_DEPTH = 5 * MAX_DEPTH

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
    text = _decode(shown, _read(path, shown))
    lines = LineIndex(text)
    try:
        root = yaml.compose(text, Loader=_PlainLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = lines.position(mark.index) if mark else (None, None)
        problem = exc.problem or exc.context
        message = problem if isinstance(problem, Expected) else f"invalid YAML: {shorten(str(problem))}"
        raise DataError([Problem(shown, line, col, "", message)]) from None
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
                        "printable text", f"{_character(exc.character)} (remove it; it may come from a copy and paste)"
                    ),
                )
            ]
        ) from None
    if root is None:
        raise DataError([Problem(shown, 1, 1, "", Expected("a mapping of fields", "an empty file"))])
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
        found = "a folder"
    except FileNotFoundError:
        found = f"a symbolic link to {os.readlink(path)!r}, which does not exist" if path.is_symlink() else "no file"
    except OSError as exc:
        found = f"a file that cannot be read ({exc.strerror})"
    raise DataError.about_file(
        shown, Expected("a readable YAML file", found, " (rename it so it does not end in .yaml, or fix it)")
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
    name = unicodedata.name(char, "a control character" if unicodedata.category(char) == "Cc" else "a non-character")
    return f"U+{ord(char):04X} ({name})"


class _PlainLoader(yaml.SafeLoader):
    """Refuses anchors and aliases while composing (expanding them is a memory bomb), and nesting
    deeper than any data file needs before the composer's recursion could exhaust the stack."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            kind = "an alias '*" if isinstance(event, yaml.AliasEvent) else "an anchor '&"
            raise yaml.composer.ComposerError(
                None,
                None,
                str(Expected("plain data", f"{kind}{event.anchor}' (anchors and aliases are not allowed)")),
                event.start_mark,
            )
        if self._depth > COMPOSE_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                str(Expected(f"at most {MAX_DEPTH} levels of nesting", f"more than {COMPOSE_DEPTH}")),
                event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _decode(shown: Path, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        advice = _(TOO_BIG_ADVICE).format(
            typical=isolate("100 kB"),
            assets=isolate("templates/assets/"),
            setting=isolate("awards: {source: awardees.xlsx}"),
            rows=reader_number(MAX_ROWS),
            guide=isolate("docs/commend-from-a-spreadsheet.md"),
        )
        raise DataError.about_file(
            shown,
            Expected(
                _("at most {limit} bytes").format(limit=reader_number(MAX_BYTES)),
                reader_number(len(raw)),
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
                    Expected("UTF-8 without a byte-order mark", "a BOM (save as 'UTF-8', not 'UTF-8 with BOM')"),
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
                    shown, line, None, "", Expected("UTF-8 text", f"byte 0x{raw[exc.start]:02x} at offset {exc.start}")
                )
            ]
        ) from None
    for number, line_text in enumerate(text.split("\n"), 1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            raise DataError(
                [Problem(shown, number, indent.index("\t") + 1, "", Expected("spaces for indentation", "a tab"))]
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
            self.fail(node, where, Expected(f"at most {MAX_DEPTH} levels of nesting", "more"))
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
                self.fail(key_node, where, Expected("a field name", "a merge key '<<' (aliases are not allowed)"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, where, Expected("a plain field name", "a complex key"))
                continue
            key = key_node.value
            if key in result:
                self.fail(
                    key_node,
                    where + (key,),
                    Expected("each field once", f"'{shorten(key)}' again (first on line {first_line[key]})"),
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
            self.fail(node, where, Expected("plain data", f"the tag {shorten(node.tag)}"))
            return None
        lowered = text.lower()
        if text in ("true", "false"):
            return text == "true"
        if lowered in _YAML11_BOOLS or lowered in ("true", "false"):
            self.fail(
                node, where, Expected("true/false, or text in quotes", f"'{text}' (write true, false or \"{text}\")")
            )
            return None
        if lowered in _NULLS:
            return None
        if _LEADING_ZERO.match(text):
            self.fail(node, where, Expected("a number without leading zeros, or text in quotes", f"'{shorten(text)}'"))
            return None
        if _INT.match(text):
            return int(text.replace("_", ""))
        if _FLOAT.match(text):
            return float(text.replace("_", ""))
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                self.fail(node, where, Expected(_("a real date YYYY-MM-DD"), f"'{text}'", code="invalid-date"))
                return None
        return text
