"""The next period's data file, made from the previous one: people and bodies kept, figures and texts left blank.

What changes from one period to the next (figures, the meeting date, the
title, the narrative, the citation, the awardees) is left empty, so ``check``
lists every blank as "found nothing — fill this in" until it is filled; what
stays (bodies, chair, attendees, figure labels, signatory) is carried over.
Every field gets a comment saying what goes there, in the language the tool speaks
(``reporting/tool_language.py``); the keys stay English: they are the data's schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reporting import tool_language
from reporting.scaffold.periods import ReportingPeriod, is_calendar_quarter, token_of
from reporting.scaffold.yaml_emit import Entry, Mapping
from reporting.tool_language import N_, _

KINDS = ("quarterly", "conference", "commendation")
_KIND_NAMES = {
    "quarterly": N_("Quarterly review"),
    "conference": N_("Conference"),
    "commendation": N_("Commendation batch"),
}


def fill_marker() -> str:
    """What marks a blank to fill, in the tool's language: the comments and ``new``'s message name it."""
    # TRANSLATORS: a short capitalised marker in the new file's comments, found by searching for it.
    return _("FILL IN")


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
    fill = fill_marker()
    entries = [
        Entry(
            "id",
            event_id,
            _(
                'Short identifier of this file: lowercase letters, digits, "-" or "_".\n'
                "Do not change it once the documents have been sent."
            ),
        ),
        Entry("sample_data", False, _("true only if this file contains invented (sample) facts.")),
    ]
    if data.get("parent_body"):
        entries.append(
            Entry(
                "parent_body",
                _carried(data["parent_body"]),
                _("The body above the issuer, printed at the top of the header."),
            )
        )
    entries += [
        Entry(
            "issuer",
            _carried(data.get("issuer")) if data.get("issuer") else blank,
            _("The body that held the meeting and issues the report."),
        ),
        Entry(
            "title",
            blank,
            _with_last(
                _("Title of the meeting, printed as the report heading.\n{fill}: one text per language.").format(
                    fill=fill
                ),
                data.get("title"),
            ),
        ),
        Entry(
            "place",
            _carried(data.get("place")) if data.get("place") else blank,
            _("Where the meeting took place."),
        ),
        Entry(
            "date",
            None,
            _("{fill}: the day of the meeting, YYYY-MM-DD, on or after {start}.").format(
                fill=fill, start=period.start.isoformat()
            ),
        ),
        Entry("part_of_day", None, _("morning, afternoon or evening; leave empty if unknown.")),
        Entry(
            "period",
            Mapping([Entry("start", period.start, note=_("first day")), Entry("end", period.end, note=_("last day"))]),
            _("The period the report covers (first and last day, YYYY-MM-DD)."),
        ),
    ]
    if data.get("chair"):
        entries.append(Entry("chair", _carried(data["chair"]), _("Who chaired the meeting: name and role.")))
    entries.append(
        Entry(
            "attendees",
            _carried(data.get("attendees") or []),
            _("Who attended: a named person with a role, or only a role for a group."),
        )
    )
    if kind != "commendation":
        entries += _figures_part(data)
        entries.append(_sections(data.get("sections") or [], blank))
    entries.append(
        Entry(
            "reporters", _carried(data.get("reporters") or []), _("Reporters' bylines, one per reporter; [] if none.")
        )
    )
    if isinstance(data.get("awards"), dict):
        entries.append(_awards(data["awards"], blank))
    if isinstance(data.get("documents"), dict):  # last, as in the reference files
        entries.append(_documents(data["documents"]))
    return Mapping(entries)


def header(previous: Previous, kind: str, period: ReportingPeriod) -> str:
    return _(
        "{kind} for {start} to {end}, made by {command} from {file}.\n"
        "Fields marked {fill} are empty: {check} lists each one until it is filled.\n"
        "Every visible text has one version per language (ar: Arabic, vi: Vietnamese).\n"
        "Never type a figure's number in the narrative: write {{id}} or {{id:counted}} (see docs/new-period.md)."
    ).format(
        kind=_(_KIND_NAMES[kind]),
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        command="`build_reports.py new`",
        file=previous.path,
        fill=fill_marker(),
        check="`build_reports.py check`",
    )


def _figures_part(data: dict) -> list[Entry]:
    figures = []
    for name, figure in (data.get("figures") or {}).items():
        label = _label(figure)
        note = _("{fill}: a number").format(fill=fill_marker()) + (f" — {label}" if label else "")
        fields = [Entry("value", None, note=note)]
        fields += [
            Entry(key, _carried(value), note=_figure_note(key)) for key, value in figure.items() if key != "value"
        ]
        figures.append(Entry(name, Mapping(fields)))
    ratios = []
    for name, ratio in (data.get("ratios") or {}).items():
        # A stated percentage was copied from last period's source; this period's would differ.
        ratios.append(
            Entry(
                name,
                Mapping(
                    [Entry(k, _carried(v), note=_ratio_note(k)) for k, v in ratio.items() if k != "stated_percent"]
                ),
            )
        )
    return [
        Entry(
            "figures",
            Mapping(figures),
            _(
                "Every number of the report, typed once. Only the values are to fill; labels and kinds are kept.\n"
                "kind: count (default), money (with currency), percent or number."
            ),
        ),
        Entry("ratios", Mapping(ratios), _("Shares computed from two figures (part of whole); never typed.")),
        Entry(
            "key_figures",
            _carried(data.get("key_figures") or []),
            _("Figures (or ratios) shown in the key-figures table, in this order."),
        ),
    ]


def _sections(sections: list, blank: Mapping) -> Entry:
    """One section per section of last period, heading and text left blank: both speak of that period."""
    items = []
    fill = fill_marker()
    for index, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        fields = [
            Entry(
                "heading",
                blank,
                _with_last(
                    _("{fill}: heading of part {number}.").format(fill=fill, number=index + 1), section.get("heading")
                ),
            )
        ]
        if section.get("style"):
            fields.append(Entry("style", section["style"], note=_("paragraphs, or list for a numbered list")))
        fields.append(Entry("paragraphs", [blank], note=_("{fill}: one entry per paragraph").format(fill=fill)))
        items.append(Mapping(fields))
    return Entry(
        "sections",
        items,
        _(
            "The narrative. Write {{id}} for a figure's value, {{id:counted}} for number + noun, {{date}} for the\n"
            "meeting date and {{period}} for the period; never type a figure's number. A sentence with\n"
            "{{id:counted}} goes in a choice by that count, with a variant for zero (docs/new-period.md);\n"
            "Arabic names the case: {{id:counted:genitive}}."
        ).format(),
    )


def _awards(awards: dict, blank: Mapping) -> Entry:
    fill = fill_marker()
    kept = [
        Entry("sample_data", False, note=_("true only if the awardees below are invented")),
        Entry(
            "order",
            awards.get("order", "data"),
            note=_("data (the order below) or sorted (each language's name order)"),
        ),
    ]
    for key, note in (
        ("award", _("the award, e.g. certificate of merit")),
        ("conferred_by", _("who confers it")),
    ):
        kept.append(Entry(key, _carried(awards[key]) if awards.get(key) else blank, note=note))
    kept.append(
        Entry(
            "citation",
            blank,
            _with_last(_("{fill}: what the awardees are commended for.").format(fill=fill), awards.get("citation")),
        )
    )
    kept.append(Entry("decision", None, note=_("the decision number, e.g. 1568/QĐ-UBND; leave empty if none")))
    kept.append(Entry("decision_date", None, note=_("the decision's date, YYYY-MM-DD, printed with its number")))
    for key, note in (
        ("emblem", _("image under templates/ printed on each certificate")),
        ("place", _("where the awards are signed")),
    ):
        if awards.get(key):
            kept.append(Entry(key, _carried(awards[key]), note=note))
    kept.append(Entry("date", None, note=_("date of the decision, YYYY-MM-DD; leave empty for the meeting date")))
    if awards.get("signatory"):
        kept.append(Entry("signatory", _carried(awards["signatory"]), note=_("who signs the certificates")))
    example = "\n".join(f"  {line}" for line in _example_group())
    kept.append(
        Entry(
            "groups",
            [],
            _("{fill}: the groups commended, one block per group, e.g.:").format(fill=fill) + f"\n{example}",
        )
    )
    example = "\n".join(f"  {line}" for line in _example_individual())
    kept.append(Entry("individuals", [], _("{fill}: the people commended, e.g.:").format(fill=fill) + f"\n{example}"))
    return Entry(
        "awards",
        Mapping(kept),
        _("Certificates of merit conferred at the meeting; one certificate per awardee."),
    )


_FIGURE_NOTES = {
    "kind": N_("count, money, percent or number"),
    "currency": N_("e.g. VND"),
    "label": N_("name in the key-figures table"),
    "counted": N_("how number + noun reads, per language"),
}
_RATIO_NOTES = {
    "part": N_("a figure"),
    "whole": N_("a figure"),
    "decimals": N_("digits after the decimal point"),
    "label": N_("name in the table"),
}


def _figure_note(key: str) -> str | None:
    return _(_FIGURE_NOTES[key]) if key in _FIGURE_NOTES else None


def _ratio_note(key: str) -> str | None:
    return _(_RATIO_NOTES[key]) if key in _RATIO_NOTES else None


def _example_group() -> list[str]:
    """A commented example of a group: YAML keys as the schema spells them, the texts left as "..."."""
    return ["- id: g01", "  name:", '    ar: "..."', '    vi: "..."']


def _example_individual() -> list[str]:
    return [
        "- id: i01",
        "  name:",
        '    ar: "..."',
        '    vi: "..."',
        "  gender: male  # " + _("or female: Ông / Bà"),
        "  position:  # " + _("optional"),
        '    ar: "..."',
        '    vi: "..."',
        "  unit:  # " + _("optional"),
        '    ar: "..."',
        '    vi: "..."',
    ]


def _documents(documents: dict) -> Entry:
    """Who issues and signs, and who receives, stay; last period's number and summary do not."""
    notes = {"report": _("the meeting report"), "awardees": _("the list of awardees")}
    kept = Mapping(
        [
            Entry(
                name,
                _carried({key: value for key, value in document.items() if key not in ("number", "summary")}),
                note=notes.get(name, _("a document")),
            )
            for name, document in documents.items()
            if isinstance(document, dict)
        ]
    )
    return Entry(
        "documents",
        kept,
        _(
            "How each document is issued (state: Decree 30/2020; party: Guidance 36-HD/VPTW), carried over\n"
            "without last period's number and summary: add this period's (number: 6, summary: ar/vi texts)."
        ),
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
    said = [
        _("Last time ({language}): {text}").format(language=code, text=text)
        for code, text in last.items()
        if isinstance(text, str)
    ]
    return "\n".join([comment, *(_shorten(line) for line in said)])


def _label(figure: dict) -> str:
    """The figure's label in the language the tool speaks if the data has it, else Vietnamese, else the first."""
    label = figure.get("label") if isinstance(figure, dict) else None
    if isinstance(label, dict):
        return str(label.get(tool_language.current()) or label.get("vi") or next(iter(label.values()), ""))
    return ""


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
