"""libyaml's C parser reads the events' YAML exactly as PyYAML's Python parser does: the same data,
the same line and column for every value and field name, the same problems in the same words at the
same place. Each test runs with libyaml (the default where PyYAML has it) and with the Python parser
forced, as without libyaml."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from reporting.errors import DataError
from reporting.source import yaml_compose
from reporting.source.yaml_reader import load_yaml

pytestmark = pytest.mark.skipif(yaml_compose._CLoader is None, reason="PyYAML built without libyaml")


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    """Which parser reads: libyaml (falling back to Python as it does), or Python only."""
    if request.param == "python":
        monkeypatch.setattr(yaml_compose, "_CLoader", None)
    return request.param


def only_libyaml(monkeypatch) -> None:
    """Fail if the Python parser is asked: the file must be read by libyaml alone."""

    class Refused:
        def __init__(self, stream):
            raise AssertionError("read by the Python parser")

    monkeypatch.setattr(yaml_compose, "_PythonLoader", Refused)


def read(tmp_path, text: str | bytes):
    """What ``load_yaml`` makes of ``text``: its data and positions, or its problems, as a clerk reads them."""
    path = tmp_path / "event.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    try:
        loaded = load_yaml(path, "data/event.yaml")
    except DataError as error:
        return [(str(problem), problem.code) for problem in error.problems]
    return loaded.data, loaded.positions, loaded.key_positions


def both_parsers(tmp_path, monkeypatch, text: str | bytes):
    """What ``read`` gives with libyaml, and with the Python parser alone."""
    with_libyaml = read(tmp_path, text)
    with monkeypatch.context() as python_only:
        python_only.setattr(yaml_compose, "_CLoader", None)
        return with_libyaml, read(tmp_path, text)


# Vietnamese and Arabic (several UTF-8 bytes a character), and in quoted texts the line breaks
# YAML knows but an editor does not show (U+0085 folded to a space, U+2028 and U+2029 kept).
UNICODE_EVENT = (
    'title: "Hội nghị tổng kết\u2028mười năm\u2029Ninh Bình\x85xong"\n'
    "issuer: اللجنة الدائمة لمقاطعة نينه بينه\n"
    "# ghi chú: đã kiểm tra — تمت المراجعة\n"
    "items:\n"
    '  - "ý kiến\x85cử tri"\n'
    '  - {ar: "نص عربي", vi: "chữ Việt"}\n'
    '"نص": 5\n'
    "count: 17\n"
)


def test_positions_count_characters_and_only_newlines(tmp_path, monkeypatch, parser):
    if parser == "libyaml":
        only_libyaml(monkeypatch)
    data, positions, key_positions = read(tmp_path, UNICODE_EVENT)
    assert data == {
        "title": "Hội nghị tổng kết\u2028mười năm\u2029Ninh Bình xong",
        "issuer": "اللجنة الدائمة لمقاطعة نينه بينه",
        "items": ["ý kiến cử tri", {"ar": "نص عربي", "vi": "chữ Việt"}],
        "نص": 5,
        "count": 17,
    }
    assert positions[("issuer",)] == (2, 9)
    assert positions[("items", 0)] == (5, 5)
    assert positions[("items", 1, "vi")] == (6, 25)  # after 7 Arabic letters: columns, not bytes
    assert key_positions[("items", 1, "vi")] == (6, 21)
    assert positions[("نص",)] == (7, 7)
    assert (positions[("count",)], key_positions[("count",)]) == ((8, 8), (8, 1))


def test_a_problem_after_unicode_line_breaks_names_the_editors_line(tmp_path, parser):
    problems = read(tmp_path, UNICODE_EVENT.replace("count: 17", "count: 017"))
    assert problems == [
        (
            "data/event.yaml:8:8: count: expected a number without leading zeros, or text in quotes, found '017'",
            "leading-zero",
        )
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # libyaml says "mapping values are not allowed in this context" and "found character that
        # cannot start any token" without the character: the clerk reads PyYAML's words, translated
        ("place: Ninh Bình: tỉnh\n", "data/event.yaml:1:17: invalid YAML: mapping values are not allowed here"),
        ("a: [1, `x]\n", "data/event.yaml:1:8: invalid YAML: found character '`' that cannot start any token"),
        ("a: [1, 2\n", "data/event.yaml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ('id: x\nissuer: "a\uffffb"\n', "data/event.yaml:2:11: expected printable text, found U+FFFF"),
        ("a: 1\nb: *x\n", "data/event.yaml:2:4: expected plain data, found an alias '*x'"),
    ],
)
def test_problems_in_pyyamls_words_at_its_place(tmp_path, parser, text, expected):
    ((message, _),) = read(tmp_path, text)
    assert message.startswith(expected), message


@pytest.mark.parametrize(
    "reader",
    # PyYAML's Python scanner takes seconds to reach the hundredth of 20,000 opening brackets
    ["libyaml", pytest.param("python", marks=pytest.mark.slow)],
)
@pytest.mark.parametrize("opening, closing, column", [("[", "]", 104), ("{a: ", "}", 401)], ids=["brackets", "braces"])
def test_a_20000_deep_file_is_refused_without_a_crash(tmp_path, monkeypatch, reader, opening, closing, column):
    if reader == "python":
        monkeypatch.setattr(yaml_compose, "_CLoader", None)
    else:
        only_libyaml(monkeypatch)
    problems = read(tmp_path, "a: " + opening * 20_000 + closing * 20_000 + "\n")
    assert problems == [
        (f"data/event.yaml:1:{column}: expected at most 20 levels of nesting, found more than 100", "too-deep")
    ]


def test_deep_block_nesting_is_refused_at_the_same_place(tmp_path, monkeypatch):
    text = "a:\n" + "".join("  " * n + "- x:\n" for n in range(1, 500))
    with_libyaml, in_python = both_parsers(tmp_path, monkeypatch, text)
    assert with_libyaml == in_python and with_libyaml[0][1] == "too-deep"


def test_an_unprintable_character_is_found_before_an_anchor_far_above_it(tmp_path, parser):
    """PyYAML looks at every character first; libyaml only as far as it has read (about 16 kB)."""
    text = "a: &x 1\n" + "".join(f'k{i}: "value {i}"\n' for i in range(5000)) + 'z: "\x00"\n'
    assert read(tmp_path, text) == [
        (
            "data/event.yaml:5002:5: expected printable text, found U+0000 (a control character) "
            "(remove it; it may come from a copy and paste)",
            "unprintable-character",
        )
    ]


def test_a_billion_laughs_is_refused_at_its_first_anchor(tmp_path, parser):
    laughs = 'a: &a ["lol", "lol"]\n' + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert read(tmp_path, laughs) == [
        (
            "data/event.yaml:1:4: expected plain data, found an anchor '&a' (anchors and aliases are not allowed)",
            "yaml-alias",
        )
    ]


# Texts libyaml reads otherwise than PyYAML (each first found by feeding both the same mutated
# files), and ordinary ones: read with libyaml, each gives what the Python parser gives.
SAME_READING = [
    "[a?b]\n",  # PyYAML ends a plain text at "?" in brackets; libyaml reads 'a?b'
    "{k?}\n",
    "{e: }\n",  # an empty value in braces: libyaml places it one column further
    "[j: ]\n",
    "[{? }]\n",
    "{a: [{c:\x85}]}\n",
    "a: |#\n  x\n",  # a comment glued to a block scalar's header: PyYAML refuses it
    "a: >-2#\n   x\n",
    "a: [1,!!2, {b: c}]\n",  # tags: libyaml scans them otherwise
    "a: !\n",  # the tag "!" alone: PyYAML resolves the empty value to null, libyaml to a text
    "a: !!str 1\n",
    "a: !x y\n",
    "%YAML 1.1\n---\na: b\n",  # directives
    "%TAG ! tag:x,2000:\n---\na: !b c\n",
    "a:\tb\nc:  d\t\n",  # a tab between tokens: libyaml skips it, PyYAML refuses it
    "\n\ufeffa: b\n",  # a byte-order mark starting a line: libyaml skips it, PyYAML keeps it in the key
    "a: b\n\ufeff\nc: d\n",
    "a: x\u2028y\nb: q\n",  # a line break in a plain text: both refuse it, in their own words
    "# c\u2028omment\na: b\n",
    "a: [a:]\n",
    "a: [- a]\n",
    "... \n",
    "a: b\n--- \n",
    'a: "\\ud800"\n',
    "a: 'x\n  y'\nb: \"p\n\n  q\\\n  r\"\nc: plain\n  multi\n\n  line\n",
    "a: |+\n  x\n\nb: >2\n   y\n  z\nc: |-\n  w\n",
    "x:\n- a\n- - b\n  - c\n-\n  d\ny: {a: [b, {c: d}], e: f}\n",
    "\"k\": v\n'q': w\n? [a]\n: b\n",
    "a:\n  b:\n    - c\n    -\n    - d: \n  e: {f: 1, g}\nh: [i, j: k]\n",
    "a: b: c\n",
    "a: 'x\n",
    "a:\n  - b\n c: d\n",
    "- a\nb: c\n",
    "a: 1\na: 2\n",
    "a: yes\nb: 0755\nc: 2024-02-30\nd: <<\n<<: {e: f}\n",
    "k" * 1500 + ": 1\n",
]


@pytest.mark.parametrize("text", SAME_READING, ids=range(len(SAME_READING)))
def test_libyaml_reads_as_pyyaml(tmp_path, monkeypatch, text):
    with_libyaml, in_python = both_parsers(tmp_path, monkeypatch, text)
    assert with_libyaml == in_python


@pytest.mark.slow  # PyYAML's Python parser on the project's events takes seconds
def test_the_projects_events_are_read_by_libyaml_alone_as_by_pyyaml(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from certificates import synthetic_awardees
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    events = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "data").glob("*.yaml"))]
    events.append("awards:\n" + synthetic_awardees(40))
    for text in events:
        with monkeypatch.context() as python_only:
            python_only.setattr(yaml_compose, "_CLoader", None)
            in_python = read(tmp_path, text)
        with monkeypatch.context() as libyaml_only:
            only_libyaml(libyaml_only)
            assert read(tmp_path, text) == in_python


@pytest.mark.slow  # a Python of its own
def test_without_libyaml_the_python_parser_reads_everything(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        sys.modules["yaml._yaml"] = None  # as if PyYAML were built without libyaml
        from pathlib import Path
        import yaml
        from reporting.errors import DataError
        from reporting.source import yaml_compose
        from reporting.source.yaml_reader import load_yaml
        assert not yaml.__with_libyaml__ and yaml_compose._CLoader is None
        for text in ("a: [x, {b: 2024-04-08}]\\nc: 1.5\\n", "place: Ninh Bình: tỉnh\\n"):
            path = Path(sys.argv[1])
            path.write_text(text, encoding="utf-8")
            try:
                print(load_yaml(path, "data/event.yaml").data)
            except DataError as error:
                print(error.problems[0])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "event.yaml")], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "{'a': ['x', {'b': datetime.date(2024, 4, 8)}], 'c': 1.5}",
        "data/event.yaml:1:17: invalid YAML: mapping values are not allowed here",
    ]
