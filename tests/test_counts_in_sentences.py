"""The reference narrative read with every count at 0, 1, 2, 3, 10, 11, 99, 100 and 101, in both languages.

Each count of the reference data is set to each value in turn (the others keep
their reference values), its paragraph is rendered through the real filters, and
the sentence around the count is compared with what a native reader wrote for it:
exactly in the rendered text, then read back from a PDF and a DOCX made by the
real writers. Which of an expected row's forms applies to a number is ICU's
choice (PyICU's CLDR plural rules), not Babel's.

Why each Arabic form (the rows below follow these rules):
- 1 and 2 are said by the noun: singular + واحد/واحدة, and the dual. The dual ends
  in -ان as a subject (nominative: مجموعتان، فردان) and in -ين as an object or after
  a preposition (accusative, genitive: لجماعتين وفردين); a construct dual drops its
  ن (جلستا استقبال), and its adjectives take the same ending (إداريتان، تفتيشيين).
- 3-10 (and 103-110 ...: CLDR "few") take a genitive plural: 3 وحدات، 10 أفراد.
- 11-99 ("many") take an accusative singular (tamyīz) in every case: 11 فردًا، 99 وحدةً.
- 100-102 ("other") take a genitive singular: 100 مواطن، 101 جماعة.
- A verb before its subject stays singular and agrees in gender with it (نُفِّذت for
  عمليات، صدر for استنتاجات، يخضع for أفراد alone); a pronoun after its noun agrees with it:
  له for one conclusion (masculine), لهما for two, لها for a plural of things; حضرها
  for sessions, حضرهما for two.
- لـ joins the word after it (لجماعة، لجماعتين) and takes a tatweel before digits (لـ10).
- Zero is never "لا جماعات" inside a sentence: the sentence changes (لم تُنفَّذ أي عملية ...).
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import icu
import pytest

from readback import read_back
from reporting.config import load_project
from reporting.render import Renderer, placeholder_values
from reporting.source.figures import bundle_event
from reporting.source.load import load_event
from textutil import letters

ROOT = Path(__file__).resolve().parent.parent
VALUES = [0, 1, 2, 3, 10, 11, 99, 100, 101]
INSPECTORATE, DIRECTIVE = "inspectorate-2024-q1", "directive-35-review"

# (event, count) -> locale -> {0: ..., 1: ..., 2: ..., category: ... with {n}}; vi: {0: ..., "other": ...}.
EXPECTED = {
    (INSPECTORATE, "admin_inspections"): {
        "ar": {
            0: "وعلى مستوى القطاع بأكمله، لم تُنفَّذ أي عملية تفتيش إدارية، وصدر 9",
            1: "بأكمله، نُفِّذت عملية تفتيش إدارية واحدة، وصدر",
            2: "بأكمله، نُفِّذت عمليتا تفتيش إداريتان، وصدر",
            "few": "بأكمله، نُفِّذت {n} عمليات تفتيش إدارية، وصدر",
            "many": "بأكمله، نُفِّذت {n} عملية تفتيش إدارية، وصدر",
            "other": "بأكمله، نُفِّذت {n} عملية تفتيش إدارية، وصدر",
        },
        "vi": {
            0: "Toàn ngành chưa triển khai cuộc thanh tra hành chính nào, ban hành 9 kết luận",
            "other": "Toàn ngành đã triển khai {n} cuộc thanh tra hành chính, ban hành 9",
        },
    },
    (INSPECTORATE, "conclusions"): {
        "ar": {
            0: "، ولم يصدر أي استنتاج تفتيشي بشأن 12 وحدةً. ومن",
            1: "، وصدر استنتاج تفتيشي واحد خضعت له 12 وحدةً.",
            2: "، وصدر استنتاجان تفتيشيان خضعت لهما 12 وحدةً.",
            "few": "، وصدر {n} استنتاجات تفتيشية خضعت لها 12 وحدةً.",
            "many": "، وصدر {n} استنتاجًا تفتيشيًا خضعت لها 12 وحدةً.",
            "other": "، وصدر {n} استنتاج تفتيشي خضعت لها 12 وحدةً.",
        },
        "vi": {
            0: ", chưa ban hành kết luận thanh tra nào đối với 12 đơn vị. Qua",
            "other": ", ban hành {n} kết luận thanh tra tại 12 đơn vị.",
        },
    },
    (INSPECTORATE, "units_inspected"): {
        "ar": {
            0: "، وصدر 9 استنتاجات تفتيشية. ومن خلال",
            1: "تفتيشية خضعت لها وحدة واحدة. ومن",
            2: "خضعت لها وحدتان. ومن",
            "few": "خضعت لها {n} وحدات. ومن",
            "many": "خضعت لها {n} وحدةً. ومن",
            "other": "خضعت لها {n} وحدة. ومن",
        },
        "vi": {
            0: "ban hành 9 kết luận thanh tra. Qua thanh tra",
            "other": "ban hành 9 kết luận thanh tra tại {n} đơn vị. Qua",
        },
    },
    (INSPECTORATE, "responsible_groups"): {
        "ar": {
            0: "، كما أُوصي بأن يخضع لتوضيح المسؤولية 9 أفراد.",
            1: "بأن تخضع لتوضيح المسؤولية مجموعة واحدة و9 أفراد.",
            2: "بأن تخضع لتوضيح المسؤولية مجموعتان و9 أفراد.",
            "few": "المسؤولية {n} مجموعات و9 أفراد.",
            "many": "المسؤولية {n} مجموعةً و9 أفراد.",
            "other": "المسؤولية {n} مجموعة و9 أفراد.",
        },
        "vi": {0: ", kiến nghị làm rõ trách nhiệm đối với 9 cá nhân.", "other": "đối với {n} tập thể và 9 cá nhân."},
    },
    (INSPECTORATE, "responsible_individuals"): {
        "ar": {
            0: "بأن تخضع لتوضيح المسؤولية 8 مجموعات.",
            1: "المسؤولية 8 مجموعات وفرد واحد.",
            2: "المسؤولية 8 مجموعات وفردان.",
            "few": "8 مجموعات و{n} أفراد.",
            "many": "8 مجموعات و{n} فردًا.",
            "other": "8 مجموعات و{n} فرد.",
        },
        "vi": {0: "làm rõ trách nhiệm đối với 8 tập thể.", "other": "đối với 8 tập thể và {n} cá nhân."},
    },
    (INSPECTORATE, "specialised_inspections"): {
        "ar": {
            0: "ولم تُنفَّذ في قطاع التفتيش أي جولة تفتيشية متخصصة في",
            1: "التفتيش جولة تفتيشية متخصصة واحدة في مجالات",
            2: "التفتيش جولتان تفتيشيتان متخصصتان في مجالات",
            "few": "التفتيش {n} جولات تفتيشية متخصصة في مجالات",
            "many": "التفتيش {n} جولة تفتيشية متخصصة في مجالات",
            "other": "التفتيش {n} جولة تفتيشية متخصصة في مجالات",
        },
        "vi": {
            0: "toàn ngành chưa thực hiện cuộc thanh tra chuyên ngành nào.",
            "other": "Toàn ngành đã thực hiện {n} cuộc thanh tra chuyên ngành trong các lĩnh vực",
        },
    },
    (DIRECTIVE, "secretary_receptions"): {
        "ar": {
            0: "الماضية، لم يعقد أمناء لجان الحزب بجميع المستويات أي جلسة لاستقبال المواطنين (منها 209",
            1: "بجميع المستويات جلسة استقبال واحدة حضرها 2,214 مواطنًا (منها",
            2: "المستويات جلستا استقبال حضرهما 2,214 مواطنًا (منها",
            "few": "المستويات {n} جلسات استقبال حضرها 2,214 مواطنًا",
            "many": "المستويات {n} جلسة استقبال حضرها 2,214 مواطنًا",
            "other": "المستويات {n} جلسة استقبال حضرها 2,214 مواطنًا",
        },
        "vi": {
            0: "Bí thư cấp ủy các cấp chưa tổ chức buổi tiếp công dân nào (trong đó có 209",
            "other": "đã tổ chức {n} buổi tiếp công dân với 2.214 lượt công dân (trong",
        },
    },
    (DIRECTIVE, "secretary_citizens"): {
        "ar": {
            0: "14,400 جلسة استقبال (منها 209",
            1: "جلسة استقبال حضرها مواطن واحد (منها",
            2: "جلسة استقبال حضرها مواطنان (منها",
            "few": "حضرها {n} مواطنين (منها",
            "many": "حضرها {n} مواطنًا (منها",
            "other": "حضرها {n} مواطن (منها",
        },
        "vi": {
            0: "14.400 buổi tiếp công dân (trong đó",
            "other": "14.400 buổi tiếp công dân với {n} lượt công dân (trong đó",
        },
    },
    (DIRECTIVE, "unscheduled_receptions"): {
        "ar": {
            0: "حضرها 2,214 مواطنًا. وقصد",
            1: "(منها جلسة استقبال واحدة غير مجدولة حضرها 190 مواطنًا).",
            2: "(منها جلستا استقبال غير مجدولتين حضرهما 190 مواطنًا).",
            "few": "(منها {n} جلسات استقبال غير مجدولة حضرها 190 مواطنًا).",
            "many": "(منها {n} جلسة استقبال غير مجدولة حضرها 190",
            "other": "(منها {n} جلسة استقبال غير مجدولة حضرها 190",
        },
        "vi": {
            0: "với 2.214 lượt công dân. Các cơ quan",
            "other": "(trong đó có {n} buổi tiếp đột xuất với 190 lượt công dân).",
        },
    },
    (DIRECTIVE, "unscheduled_citizens"): {
        "ar": {
            0: "(منها 209 جلسات استقبال غير مجدولة).",
            1: "غير مجدولة حضرها مواطن واحد).",
            2: "غير مجدولة حضرها مواطنان).",
            "few": "غير مجدولة حضرها {n} مواطنين).",
            "many": "غير مجدولة حضرها {n} مواطنًا).",
            "other": "غير مجدولة حضرها {n} مواطن).",
        },
        "vi": {0: "(trong đó có 209 buổi tiếp đột xuất).", "other": "đột xuất với {n} lượt công dân)."},
    },
    (DIRECTIVE, "state_citizens_received"): {
        "ar": {
            0: ". ولم يقصد الهيئات الإدارية للدولة أي مواطن، وكان من بين ذلك 588",
            1: "وقصد الهيئات الإدارية للدولة مواطن واحد، وكان",
            2: "وقصد الهيئات الإدارية للدولة مواطنان، وكان",
            "few": "للدولة {n} مواطنين، وكان",
            "many": "للدولة {n} مواطنًا، وكان",
            "other": "للدولة {n} مواطن، وكان",
        },
        "vi": {
            0: "Các cơ quan hành chính nhà nước chưa tiếp lượt công dân nào, trong đó có 588",
            "other": "đã tiếp {n} lượt công dân, trong đó có 588",
        },
    },
    (DIRECTIVE, "large_groups"): {
        "ar": {
            0: "38,445 مواطنًا. وقد ارتبط",
            1: "وكان من بين ذلك مجموعة كبيرة واحدة (خمسة",
            2: "وكان من بين ذلك مجموعتان كبيرتان (خمسة",
            "few": "من بين ذلك {n} مجموعات كبيرة (خمسة",
            "many": "من بين ذلك {n} مجموعة كبيرة (خمسة",
            "other": "من بين ذلك {n} مجموعة كبيرة (خمسة",
        },
        "vi": {0: "38.445 lượt công dân. Công tác", "other": "trong đó có {n} đoàn đông người (từ năm"},
    },
    (DIRECTIVE, "awarded_groups"): {
        "ar": {
            0: "شهادات التقدير لـ15 فردًا ممن",
            1: "شهادات التقدير لجماعة واحدة و15 فردًا ممن",
            2: "شهادات التقدير لجماعتين و15 فردًا ممن",
            "few": "التقدير لـ{n} جماعات و15 فردًا ممن",
            "many": "التقدير لـ{n} جماعةً و15 فردًا ممن",
            "other": "التقدير لـ{n} جماعة و15 فردًا ممن",
        },
        "vi": {
            0: "đã tặng Bằng khen cho 15 cá nhân có thành tích",
            "other": "đã tặng Bằng khen cho {n} tập thể và 15 cá nhân có",
        },
    },
    (DIRECTIVE, "awarded_individuals"): {
        "ar": {
            0: "التقدير لـ10 جماعات ممن",
            1: "لـ10 جماعات وفرد واحد ممن",
            2: "لـ10 جماعات وفردين ممن",
            "few": "لـ10 جماعات و{n} أفراد ممن",
            "many": "لـ10 جماعات و{n} فردًا ممن",
            "other": "لـ10 جماعات و{n} فرد ممن",
        },
        "vi": {0: "cho 10 tập thể có thành tích", "other": "cho 10 tập thể và {n} cá nhân có thành tích"},
    },
}
# What a reader must never see, whatever the counts (the defects this table was written against).
NEVER = re.compile(
    "لـ جماعتان|لجماعتان|وفردان ممن|لا جماعات|لا أفراد|نُفِّذت لا|واحد خضعت لها|(?<![0-9,.])0 |triển khai 0|thực hiện 0"
)


def expected(event: str, count: str, locale: str, value: int) -> str:
    rows = EXPECTED[event, count][locale]
    if value in rows:
        return rows[value]
    category = "other" if locale == "vi" else icu.PluralRules.forLocale(icu.Locale(locale)).select(value)
    return rows[category].replace("{n}", str(value))


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def bundles(project):
    return {
        name: bundle_event(load_event(ROOT / "data" / f"{name}.yaml", tuple(project.locales)))
        for name in (INSPECTORATE, DIRECTIVE)
    }


def with_count(bundle, count: str, value: int):
    """The bundle with one count changed: a figure's value, or the number of awarded groups or individuals."""
    if count in bundle.event.figures:
        figures = dict(bundle.event.figures)
        figures[count] = figures[count].model_copy(update={"value": value})
        return dataclasses.replace(bundle, event=bundle.event.model_copy(update={"figures": figures}))
    kind = "group" if count == "awarded_groups" else "individual"
    kept = [a for a in bundle.awardees if a.kind != kind]
    template = next(a for a in bundle.awardees if a.kind == kind)
    made = [dataclasses.replace(template, id=f"x{n}", number=n) for n in range(1, value + 1)]
    return dataclasses.replace(bundle, awardees=tuple(made + kept))


def paragraph_text(renderer: Renderer, bundle, count: str, locale: str) -> str:
    """The rendered paragraph of ``bundle``'s narrative that uses ``count``, as plain text."""
    _, filters = renderer.environment(locale)
    values = placeholder_values(bundle, filters)
    for section in bundle.event.sections:
        for paragraph in section.paragraphs:
            if f"count='{count}'" in repr(paragraph.root[locale]) or f"'count': '{count}'" in repr(
                paragraph.root[locale]
            ):
                return html.unescape(str(filters.fill(paragraph[locale], values)))
    raise AssertionError(f"no paragraph chooses by {count}")


CASES = [
    (event, count, locale, value)
    for (event, count), rows in EXPECTED.items()
    for locale in ("ar", "vi")
    for value in VALUES
]


@pytest.fixture(scope="module")
def rendered(project, bundles) -> dict[tuple, str]:
    renderer = Renderer(project)
    return {
        case: paragraph_text(renderer, with_count(bundles[case[0]], case[1], case[3]), case[1], case[2])
        for case in CASES
    }


@pytest.mark.parametrize("event, count, locale, value", CASES, ids=[f"{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_sentence_reads_as_written_for_the_count(rendered, event, count, locale, value):
    text = rendered[event, count, locale, value]
    assert expected(event, count, locale, value) in text, text
    assert not NEVER.search(text), NEVER.search(text)


def test_no_awardees_at_all_is_its_own_sentence(project, bundles):
    renderer = Renderer(project)
    bundle = dataclasses.replace(bundles[DIRECTIVE], awardees=())
    assert paragraph_text(renderer, bundle, "awarded_groups", "ar") == "ولم تُمنح في هذه المناسبة أي شهادة تقدير."
    assert (
        paragraph_text(renderer, bundle, "awarded_groups", "vi")
        == "Dịp này, không có tập thể, cá nhân nào được tặng Bằng khen."
    )


@pytest.fixture(scope="module")
def read_back_texts(rendered, tmp_path_factory) -> dict[str, list[tuple[tuple, str, str]]]:
    """Every case's paragraph in one document per language, written by the real writers and read back."""
    folder = tmp_path_factory.mktemp("counts")
    texts = {}
    for locale in ("ar", "vi"):
        cases = [case for case in CASES if case[2] == locale]
        pdf, docx = read_back(folder, locale, [rendered[case] for case in cases])
        texts[locale] = list(zip(cases, pdf, docx, strict=True))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["ar", "vi"])
def test_pdf_and_docx_read_back_every_sentence(read_back_texts, locale):
    failures = []
    for case, *texts in read_back_texts[locale]:
        want = letters(expected(*case))
        failures += [
            (name, case, text[:200])
            for name, text in zip(("pdf", "docx"), texts, strict=True)
            if want not in letters(text)
        ]
    assert not failures, failures[:5]


@pytest.mark.parametrize(
    "locale, kept, left_out",
    [
        ("vi", "15 cá nhân", "tập thể"),
        ("ar", "15 فردًا", "جماعات"),
    ],
)
def test_the_list_of_awardees_leaves_out_a_kind_with_nobody(project, bundles, locale, kept, left_out):
    from reporting.writers.docx import DocxWriter  # the same HTML the DOCX is written from

    bundle = dataclasses.replace(bundles[DIRECTIVE], awardees=bundles[DIRECTIVE].individuals)
    html_text = Renderer(project).render("awardees.html.j2", locale, bundle, project.page("report"))
    line = re.findall(r'<p class="center">(.*?)</p>', html_text, re.S)[-1]  # the last centred line: the counts
    assert letters(kept) == letters(re.sub("<[^>]+>", "", line)) and left_out not in line
    assert DocxWriter().write(html_text, project.page("report"))
