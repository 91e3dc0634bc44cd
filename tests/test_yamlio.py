"""The strict loader refuses what PyYAML would silently misread, naming file, line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from reporting.errors import DataError
from reporting.source.yaml_reader import load_yaml


def load_text(tmp_path, text: str | bytes):
    path = tmp_path / "event.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_yaml(path, "data/event.yaml")


def problems(tmp_path, text) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_text(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_plain_values_and_positions(tmp_path):
    loaded = load_text(
        tmp_path, "id: q1\ncount: 17\nshare: 1.5\nday: 2024-04-08\nflag: true\nnote: null\nitems:\n  - a: x\n"
    )
    assert loaded.data == {
        "id": "q1",
        "count": 17,
        "share": 1.5,
        "day": dt.date(2024, 4, 8),
        "flag": True,
        "note": None,
        "items": [{"a": "x"}],
    }
    assert loaded.position(("items", 0, "a")) == (8, 8)
    assert loaded.position(("count",)) == (2, 8)


def test_duplicate_key_names_both_lines(tmp_path):
    assert problems(tmp_path, "id: a\nname: x\nid: b\n") == [
        "data/event.yaml:3:1: id: expected each field once, found 'id' again (first on line 1)"
    ]


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "Y"])
def test_yaml11_booleans_refused(tmp_path, word):
    assert problems(tmp_path, f"flag: {word}\n") == [
        f"data/event.yaml:1:7: flag: expected true/false, or text in quotes, found '{word}' "
        f'(write true, false or "{word}")'
    ]


def test_quoted_no_is_text(tmp_path):
    assert load_text(tmp_path, 'answer: "no"\n').data == {"answer": "no"}


def test_leading_zero_refused(tmp_path):
    assert "expected a number without leading zeros" in problems(tmp_path, "mode: 0755\n")[0]


def test_impossible_date_refused(tmp_path):
    assert problems(tmp_path, "date: 2024-02-30\n") == [
        "data/event.yaml:1:7: date: expected a real date YYYY-MM-DD, found '2024-02-30'"
    ]


@pytest.mark.parametrize(
    "text, found",
    [
        ("a: &x [1]\nb: *x\n", "found an anchor '&x'"),
        ("a: 1\nb: *x\n", "found an alias '*x'"),
    ],
)
def test_anchors_and_aliases_refused(tmp_path, text, found):
    (message,) = problems(tmp_path, text)
    assert found in message and message.startswith("data/event.yaml:")


def test_all_problems_of_a_file_at_once(tmp_path):
    found = problems(tmp_path, "a: no\nb: 0123\nc: 2023-13-01\n")
    assert [m.split(":")[1] for m in found] == ["1", "2", "3"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "expected a mapping of fields, found an empty file"),
        (b"\xef\xbb\xbfid: x\n", "found a BOM"),
        (b"id: caf\xe9\n", "expected UTF-8 text, found byte 0xe9"),
        (b"a:\n\t- 1\n", "expected spaces for indentation, found a tab"),
        (b"a: [1, 2\n", "invalid YAML"),
    ],
)
def test_unreadable_files(tmp_path, raw, expected):
    (message,) = problems(tmp_path, raw)
    assert expected in message and message.startswith("data/event.yaml")
