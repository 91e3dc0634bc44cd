"""Schema and consistency rules: every problem reported at once as file:line:col: field: expected, found."""

from __future__ import annotations

import textwrap

import pytest

from reporting.errors import DataError
from reporting.source.load import load_events

LOCALES = ("ar", "vi")

VALID = textwrap.dedent("""\
    id: tiny
    issuer: {ar: "هيئة التفتيش", vi: "Thanh tra tỉnh"}
    title: {ar: "اجتماع", vi: "Hội nghị"}
    place: {ar: "نينه بينه", vi: "Ninh Bình"}
    date: 2024-04-08
    period: {start: 2024-01-01, end: 2024-03-31}
    chair:
      name: {ar: "فو جيا لونغ", vi: "Vũ Gia Long"}
    figures:
      done:
        value: 624
        label: {ar: "تم حلها", vi: "Đã giải quyết"}
      total:
        value: 629
        label: {ar: "المجموع", vi: "Tổng số"}
    ratios:
      share: {part: done, whole: total, label: {ar: "النسبة", vi: "Tỷ lệ"}}
    sections:
      - paragraphs:
          - {ar: "حلت {share:fraction}", vi: "Đã giải quyết {share:fraction}"}
    """)


def load(tmp_path, *texts: str):
    paths = []
    for index, text in enumerate(texts):
        path = tmp_path / f"event{index}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return load_events(paths, LOCALES, tmp_path)


def messages(tmp_path, *texts: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(tmp_path, *texts)
    return [str(p) for p in caught.value.problems]


def test_valid_minimal_event(tmp_path):
    (item,) = load(tmp_path, VALID)
    assert item.event.figures["done"].value == 624


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "id: tiny",
            "id: Tiny Event",
            "event0.yaml:1:5: id: expected an id of lowercase letters a-z, digits 0-9, '-' and '_', "
            "starting with a letter or digit",
        ),
        ("date: 2024-04-08", "date: April 8", "event0.yaml:5:7: date: expected a valid date, found 'April 8'"),
        (
            'vi: "Thanh tra tỉnh"}',
            'vn: "Thanh tra tỉnh"}',
            "event0.yaml:2:9: issuer: expected texts for locales ar, vi, found ar, vn",
        ),
        (
            "whole: total",
            "whole: totl",
            "event0.yaml:17:30: ratios.share.whole: expected a known figure, found 'totl' (did you mean 'total'?)",
        ),
        (
            '{share:fraction}", vi',
            '{shar:fraction}", vi',
            "event0.yaml:20:14: sections[0].paragraphs[0].ar: expected a known placeholder, found '{shar}' "
            "(did you mean 'share'?)",
        ),
        (
            "    value: 629",
            "    value: 600",
            "event0.yaml:17:10: ratios.share: expected done (624) to be at most total (600) and total above 0",
        ),
    ],
)
def test_one_mistake_one_clear_message(tmp_path, old, new, expected):
    assert old in VALID
    found = messages(tmp_path, VALID.replace(old, new, 1))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_misspelt_field_suggests_the_known_one(tmp_path):
    found = messages(tmp_path, VALID.replace("place: ", "plaec: "))
    assert found == [
        "event0.yaml:1:1: place: expected this field, found nothing",
        "event0.yaml:4:1: plaec: expected a known field, found unknown field 'plaec' (did you mean 'place'?)",
    ]


def test_wrong_type_in_a_union_is_one_message(tmp_path):
    found = messages(tmp_path, VALID.replace("    value: 624", '    value: "624"'))
    assert found == ["event0.yaml:11:12: figures.done.value: expected a number, found '624'"]


def test_missing_field_is_named(tmp_path):
    (message,) = messages(tmp_path, VALID.replace('title: {ar: "اجتماع", vi: "Hội nghị"}\n', ""))
    assert message == "event0.yaml:1:1: title: expected this field, found nothing"


def test_every_problem_of_every_file_at_once(tmp_path):
    broken = VALID.replace("date: 2024-04-08", "date: 2024-02-30").replace("value: 624", "value: -1")
    other = VALID.replace(
        "period: {start: 2024-01-01, end: 2024-03-31}", "period: {start: 2024-03-31, end: 2024-01-01}"
    )
    found = messages(tmp_path, broken, other)
    assert [m.split(":")[0] for m in found] == ["event0.yaml", "event1.yaml"]
    assert "expected a real date" in found[0]
    assert "expected end on or after start" in found[1]


def test_duplicate_event_ids_across_files(tmp_path):
    (message,) = messages(tmp_path, VALID, VALID)
    assert message.startswith("event1.yaml:1:5: id: expected a unique event id, found 'tiny' also in event0.yaml")


def test_counted_forms_need_every_arabic_category(tmp_path):
    label = '    label: {ar: "تم حلها", vi: "Đã giải quyết"}'
    assert label in VALID
    text = VALID.replace(
        label, label + '\n    counted:\n      vi: "{n} vụ"\n      ar: {one: "شكوى واحدة", other: "{n} شكوى"}'
    )
    (message,) = messages(tmp_path, text)
    assert "figures.done.counted" in message
    assert "expected plural forms few, many, one, other, two for 'ar', found few, many, two missing" in message


def test_duplicate_awardee_ids(tmp_path):
    awards = textwrap.dedent("""\
        awards:
          award: {ar: "شهادة تقدير", vi: "Bằng khen"}
          conferred_by: {ar: "رئيس", vi: "Chủ tịch"}
          citation: {ar: "لإنجازاتها", vi: "Đã có thành tích"}
          signatory: {name: {ar: "فام", vi: "Phạm"}}
          groups:
            - {id: g1, name: {ar: "أ", vi: "A"}}
          individuals:
            - {id: g1, name: {ar: "ب", vi: "B"}}
        """)
    (message,) = messages(tmp_path, VALID + awards)
    assert "awards: expected each awardee id once, found 'g1' twice" in message
