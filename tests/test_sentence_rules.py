"""What check requires of sentences with counts: a choice on each counted figure with a zero variant and
every plural category of the language, and in Arabic a case on every counted phrase; each mistake
reported at its line and field."""

from __future__ import annotations

import textwrap

import pytest

from reporting.errors import DataError
from reporting.source.load import load_events

LOCALES = ("ar", "vi")
GOOD = textwrap.dedent("""\
    id: tiny
    issuer: {ar: "هيئة التفتيش", vi: "Thanh tra tỉnh"}
    title: {ar: "اجتماع", vi: "Hội nghị"}
    place: {ar: "نينه بينه", vi: "Ninh Bình"}
    date: 2024-04-08
    period: {start: 2024-01-01, end: 2024-03-31}
    chair:
      name: {ar: "فو جيا لونغ", vi: "Vũ Gia Long"}
    figures:
      units:
        value: 12
        label: {ar: "الوحدات", vi: "Số đơn vị"}
        counted:
          vi: "{n} đơn vị"
          ar:
            one: "وحدة واحدة"
            two: {nominative: "وحدتان", accusative: "وحدتين", genitive: "وحدتين"}
            few: "{n} وحدات"
            many: "{n} وحدةً"
            other: "{n} وحدة"
    sections:
      - paragraphs:
          - ar:
              - "جرى التفتيش "
              - count: units
                zero: "دون أي وحدة"
                one two few many other: "في {units:counted:genitive}"
              - "."
            vi:
              - count: units
                zero: "Chưa thanh tra đơn vị nào."
                other: "Đã thanh tra {units:counted}."
    """)


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "event.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_events([path], LOCALES, tmp_path)
    return [str(p) for p in caught.value.problems]


def test_the_good_file_loads(tmp_path):
    path = tmp_path / "event.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (item,) = load_events([path], LOCALES, tmp_path)
    assert item.event.sections[0].paragraphs[0]["ar"][1].count == "units"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # Vietnamese needs a zero variant too ("0 đơn vị" is not how a sentence says none).
        (
            '            zero: "Chưa thanh tra đơn vị nào."\n',
            "",
            "event.yaml:30:13: sections[0].paragraphs[0].vi[0]: expected one variant for each of other, zero in 'vi', found no variant for zero",
        ),
        (
            "            one two few many other:",
            "            one few many other:",
            "event.yaml:25:13: sections[0].paragraphs[0].ar[1]: expected one variant for each of few, many, one, other, "
            "two, zero in 'ar', found no variant for two",
        ),
        ("            one two few many other:", "            one two few many other dual:", "found unknown dual"),
        (
            "            one two few many other:",
            "            one two few many other zero:",
            "found zero in two variants",
        ),
        (
            "{units:counted:genitive}",
            "{units:counted}",
            "event.yaml:27:37: sections[0].paragraphs[0].ar[1].one two few many other: expected {units:counted:CASE} with "
            "CASE one of nominative, accusative, genitive in 'ar'",
        ),
        ("{units:counted:genitive}", "{units:counted:dative}", "found 'dative'"),
        (
            "Đã thanh tra {units:counted}.",
            "Đã thanh tra {units:counted:genitive}.",
            "expected {units:counted} without a case in 'vi' (the language has none), found 'genitive'",
        ),
        (
            '          - count: units\n            zero: "Chưa',
            '          - count: unit\n            zero: "Chưa',
            "sections[0].paragraphs[0].vi[0].count: expected a known count",
        ),
        (
            'zero: "دون أي وحدة"',
            'zero: "دون {units:counted:genitive}"',
            "expected no {units:counted} in the zero variant of its choice (it would print 0), found one",
        ),
        (
            '          - "."\n',
            '          - " في {units:counted:genitive}."\n',
            "sections[0].paragraphs[0].ar[2]: expected {units:counted} inside a choice on units",
        ),
        (
            'two: {nominative: "وحدتان", accusative: "وحدتين", genitive: "وحدتين"}',
            'two: "وحدتان"',
            "figures.units.counted: expected 'two' in 'ar' as a phrase per case (nominative, accusative, genitive): "
            "its ending changes with the case, found one phrase",
        ),
        (
            'accusative: "وحدتين", ',
            "",
            "expected the cases nominative, accusative, genitive for 'two' in 'ar', found nominative, genitive",
        ),
    ],
)
def test_each_missing_variant_is_named_at_its_line(tmp_path, old, new, expected):
    assert old in GOOD
    found = problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(expected in message for message in found), found


def test_check_names_a_missing_zero_variant_in_the_reference_data(tmp_path):
    """The command a secretary runs: exit code 1, the file, line and field of the choice, nothing built."""
    from conftest import copy_project, run_cli

    project = copy_project(tmp_path)
    data = project / "data" / "inspectorate-2024-q1.yaml"
    text = data.read_text(encoding="utf-8")
    old = '            zero: "Toàn ngành chưa triển khai cuộc thanh tra hành chính nào"\n'
    assert old in text
    data.write_text(text.replace(old, ""), encoding="utf-8")
    line = text[: text.index(old)].count("\n")  # the choice's first line, just above the removed one
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1
    assert (
        f"{line}:13 sections[0].paragraphs[1].vi[1]: expected one variant for each of other, zero in 'vi', "
        "found no variant for zero"
    ) in err, err
