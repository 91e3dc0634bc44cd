"""The next period's data file, made from the previous one: people and bodies kept, figures and texts left blank.

What changes from one period to the next (figures, the meeting date, the
title, the narrative, the citation, the awardees) is left empty, so ``check``
lists every blank as "found nothing — fill this in" until it is filled; what
stays (bodies, chair, attendees, figure labels, signatory) is carried over.
Every field gets a comment saying what goes there, in English with a
Vietnamese gloss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reporting.scaffold.periods import ReportingPeriod, is_calendar_quarter, token_of
from reporting.scaffold.yaml_emit import Entry, Mapping

KINDS = ("quarterly", "conference", "commendation")
_KIND_NAMES = {"quarterly": "Quarterly review", "conference": "Conference", "commendation": "Commendation batch"}
FILL = "FILL IN / CẦN ĐIỀN"


@dataclass(frozen=True)
class Previous:
    """A data file a scaffold starts from: its raw data (strictly loaded, not necessarily complete)."""

    path: str
    data: dict

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        period = self.data.get("period")
        if isinstance(period, dict) and all(isinstance(period.get(k), dt.date) for k in ("start", "end")):
            return period["start"], period["end"]
        return None

    @property
    def kind(self) -> str:
        """No file says what it is, so: awards without figures is a commendation batch, one calendar quarter
        a quarterly review."""
        if isinstance(self.data.get("awards"), dict) and not self.data.get("figures"):
            return "commendation"
        if self.period and is_calendar_quarter(*self.period):
            return "quarterly"
        return "conference"


def new_id(previous: Previous, period: ReportingPeriod) -> str:
    """``inspectorate-2024-q1`` -> ``inspectorate-2024-q2``; an id without its period gets the new one appended."""
    old_id = str(previous.data.get("id", "event"))
    if previous.period:
        old_token = token_of(*previous.period)
        if old_token in old_id:
            return old_id.replace(old_token, period.token)
    return f"{old_id}-{period.token}"


def scaffold(
    previous: Previous, kind: str, period: ReportingPeriod, event_id: str, locales: tuple[str, ...]
) -> Mapping:
    data = previous.data
    blank = _blank_text(locales)
    entries = [
        Entry(
            "id",
            event_id,
            'Short identifier of this file: lowercase letters, digits, "-" or "_". Do not change it once used.\n'
            "(vi: mã của tệp; không đổi sau khi đã dùng)",
        ),
        Entry(
            "sample_data",
            False,
            "true only if this file contains invented (sample) facts. (vi: true nếu là dữ liệu mẫu)",
        ),
    ]
    if data.get("parent_body"):
        entries.append(
            Entry(
                "parent_body",
                _carried(data["parent_body"]),
                "The body above the issuer, printed at the top of the header. (vi: cơ quan cấp trên)",
            )
        )
    entries += [
        Entry(
            "issuer",
            _carried(data.get("issuer")) if data.get("issuer") else blank,
            "The body that held the meeting and issues the report. (vi: cơ quan ban hành)",
        ),
        Entry(
            "title",
            blank,
            _with_last(
                "Title of the meeting, printed as the report heading. (vi: tên hội nghị)\n"
                f"{FILL}: one text per language.",
                data.get("title"),
            ),
        ),
        Entry(
            "place",
            _carried(data.get("place")) if data.get("place") else blank,
            "Where the meeting took place. (vi: địa điểm)",
        ),
        Entry("date", None, f"{FILL}: the day of the meeting, YYYY-MM-DD, on or after {period.start}. (vi: ngày họp)"),
        Entry(
            "part_of_day", None, "morning, afternoon or evening; leave empty if unknown. (vi: buổi: sáng, chiều, tối)"
        ),
        Entry(
            "period",
            Mapping([Entry("start", period.start, note="first day"), Entry("end", period.end, note="last day")]),
            "The period the report covers (first and last day, YYYY-MM-DD). (vi: kỳ báo cáo)",
        ),
    ]
    if data.get("chair"):
        entries.append(
            Entry("chair", _carried(data["chair"]), "Who chaired the meeting: name and role. (vi: người chủ trì)")
        )
    entries.append(
        Entry(
            "attendees",
            _carried(data.get("attendees") or []),
            "Who attended: a named person with a role, or only a role for a group. (vi: thành phần tham dự)",
        )
    )
    if kind != "commendation":
        entries += _figures_part(data)
        entries.append(_sections(data.get("sections") or [], blank))
    entries.append(
        Entry(
            "reporters",
            _carried(data.get("reporters") or []),
            "Reporters' bylines, one per reporter; [] if none. (vi: phóng viên)",
        )
    )
    if isinstance(data.get("awards"), dict):
        entries.append(_awards(data["awards"], blank))
    if isinstance(data.get("documents"), dict):  # last, as in the reference files
        entries.append(_documents(data["documents"]))
    return Mapping(entries)


def header(previous: Previous, kind: str, period: ReportingPeriod) -> str:
    return (
        f"{_KIND_NAMES[kind]} for {period.start} to {period.end}, "
        f"made by `build_reports.py new` from {previous.path}.\n"
        f"Fields marked {FILL} are empty: `build_reports.py check` lists each one until it is filled.\n"
        "Every visible text has one version per language (ar: Arabic, vi: Vietnamese).\n"
        "Never type a figure's number in the narrative: write {id} or {id:counted} (see docs/new-period.md)."
    )


def _figures_part(data: dict) -> list[Entry]:
    figures = []
    for name, figure in (data.get("figures") or {}).items():
        label = _label(figure)
        fields = [Entry("value", None, note=f"{FILL}: a number{' — ' + label if label else ''}")]
        fields += [
            Entry(key, _carried(value), note=_FIGURE_NOTES.get(key)) for key, value in figure.items() if key != "value"
        ]
        figures.append(Entry(name, Mapping(fields)))
    ratios = []
    for name, ratio in (data.get("ratios") or {}).items():
        # A stated percentage was copied from last period's source; this period's would differ.
        ratios.append(
            Entry(
                name,
                Mapping(
                    [Entry(k, _carried(v), note=_RATIO_NOTES.get(k)) for k, v in ratio.items() if k != "stated_percent"]
                ),
            )
        )
    return [
        Entry(
            "figures",
            Mapping(figures),
            "Every number of the report, typed once. Only the values are to fill; labels and kinds are kept.\n"
            "kind: count (default), money (with currency), percent or number. (vi: số liệu; chỉ điền value)",
        ),
        Entry(
            "ratios",
            Mapping(ratios),
            "Shares computed from two figures (part of whole); never typed. (vi: tỷ lệ, tự tính)",
        ),
        Entry(
            "key_figures",
            _carried(data.get("key_figures") or []),
            "Figures (or ratios) shown in the key-figures table, in this order. (vi: số liệu chính trong bảng)",
        ),
    ]


def _sections(sections: list, blank: Mapping) -> Entry:
    """One section per section of last period, heading and text left blank: both speak of that period."""
    items = []
    for index, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        fields = [
            Entry(
                "heading",
                blank,
                _with_last(f"{FILL}: heading of part {index + 1}. (vi: tiêu đề phần)", section.get("heading")),
            )
        ]
        if section.get("style"):
            fields.append(Entry("style", section["style"], note="paragraphs, or list for a numbered list"))
        fields.append(Entry("paragraphs", [blank], note=f"{FILL}: one entry per paragraph (vi: mỗi đoạn một mục)"))
        items.append(Mapping(fields))
    return Entry(
        "sections",
        items,
        "The narrative. Write {id} for a figure's value, {id:counted} for number + noun, {date} for the\n"
        "meeting date and {period} for the period; never type a figure's number. A sentence with\n"
        "{id:counted} goes in a choice by that count, with a variant for zero (docs/new-period.md);\n"
        "Arabic names the case: {id:counted:genitive}. (vi: nội dung báo cáo)",
    )


def _awards(awards: dict, blank: Mapping) -> Entry:
    kept = [
        Entry("sample_data", False, note="true only if the awardees below are invented"),
        Entry(
            "order", awards.get("order", "data"), note="data (the order below) or sorted (each language's name order)"
        ),
    ]
    for key, note in (
        ("award", "the award, e.g. certificate of merit (vi: hình thức khen thưởng)"),
        ("conferred_by", "who confers it (vi: cấp khen thưởng)"),
    ):
        kept.append(Entry(key, _carried(awards[key]) if awards.get(key) else blank, note=note))
    kept.append(
        Entry(
            "citation",
            blank,
            _with_last(f"{FILL}: what the awardees are commended for. (vi: lý do khen thưởng)", awards.get("citation")),
        )
    )
    kept.append(
        Entry("decision", None, note="the decision number, e.g. 1568/QĐ-UBND; leave empty if none (vi: số quyết định)")
    )
    kept.append(
        Entry(
            "decision_date", None, note="the decision's date, YYYY-MM-DD, printed with its number (vi: ngày quyết định)"
        )
    )
    for key, note in (
        ("emblem", "image under templates/ printed on each certificate"),
        ("place", "where the awards are signed"),
    ):
        if awards.get(key):
            kept.append(Entry(key, _carried(awards[key]), note=note))
    kept.append(
        Entry(
            "date",
            None,
            note="date of the decision, YYYY-MM-DD; leave empty for the meeting date (vi: ngày quyết định)",
        )
    )
    if awards.get("signatory"):
        kept.append(Entry("signatory", _carried(awards["signatory"]), note="who signs the certificates (vi: người ký)"))
    example = "\n".join(f"  {line}" for line in _EXAMPLE_GROUP)
    kept.append(
        Entry(
            "groups",
            [],
            f"{FILL}: the groups commended, one block per group, e.g.:\n{example}\n(vi: tập thể được khen thưởng)",
        )
    )
    example = "\n".join(f"  {line}" for line in _EXAMPLE_INDIVIDUAL)
    kept.append(
        Entry("individuals", [], f"{FILL}: the people commended, e.g.:\n{example}\n(vi: cá nhân được khen thưởng)")
    )
    return Entry(
        "awards",
        Mapping(kept),
        "Certificates of merit conferred at the meeting; one certificate per awardee. (vi: khen thưởng)",
    )


_FIGURE_NOTES = {
    "kind": "count, money, percent or number",
    "currency": "e.g. VND",
    "label": "name in the key-figures table",
    "counted": "how number + noun reads, per language",
}
_RATIO_NOTES = {
    "part": "a figure",
    "whole": "a figure",
    "decimals": "digits after the decimal point",
    "label": "name in the table",
}
_EXAMPLE_GROUP = ["- id: g01", "  name:", '    ar: "..."', '    vi: "..."']
_EXAMPLE_INDIVIDUAL = [
    "- id: i01",
    "  name:",
    '    ar: "..."',
    '    vi: "..."',
    "  gender: male  # or female: Ông / Bà",
    "  position:  # optional",
    '    ar: "..."',
    '    vi: "..."',
    "  unit:  # optional",
    '    ar: "..."',
    '    vi: "..."',
]


def _documents(documents: dict) -> Entry:
    """Who issues and signs, and who receives, stay; last period's number and summary do not."""
    notes = {
        "report": "the meeting report (vi: báo cáo)",
        "awardees": "the list of awardees (vi: danh sách khen thưởng)",
    }
    kept = Mapping(
        [
            Entry(
                name,
                _carried({key: value for key, value in document.items() if key not in ("number", "summary")}),
                note=notes.get(name, "a document"),
            )
            for name, document in documents.items()
            if isinstance(document, dict)
        ]
    )
    return Entry(
        "documents",
        kept,
        "How each document is issued (state: Decree 30/2020; party: Guidance 36-HD/VPTW), carried over\n"
        "without last period's number and summary: add this period's (number: 6, summary: ar/vi texts).\n"
        "(vi: thể thức văn bản; thêm số và trích yếu của kỳ này)",
    )


def _blank_text(locales: tuple[str, ...]) -> Mapping:
    return Mapping([Entry(code, None) for code in locales])


def _carried(value: object) -> object:
    """Plain data as writer values: mappings become ``Mapping``, lists keep their items."""
    if isinstance(value, dict):
        return Mapping([Entry(str(key), _carried(item)) for key, item in value.items()])
    if isinstance(value, list):
        return [_carried(item) for item in value]
    return value


def _with_last(comment: str, last: object) -> str:
    """A comment plus what last period said, as a model for this period's text."""
    if not isinstance(last, dict):
        return comment
    said = [f"Last time ({code}): {text}" for code, text in last.items() if isinstance(text, str)]
    return "\n".join([comment, *(_shorten(line) for line in said)])


def _label(figure: dict) -> str:
    label = figure.get("label") if isinstance(figure, dict) else None
    if isinstance(label, dict):
        return str(label.get("vi") or next(iter(label.values()), ""))
    return ""


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
