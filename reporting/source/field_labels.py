"""The clerk's names for the data's fields: ``date`` is the meeting's date, ``ngày họp`` in Vietnamese.

A problem names its field by its YAML path (``awards.individuals[2].position.vi``), which the clerk
types and searches for; in her language the report adds what the field is (``position (chức vụ)``).
The labels are keyed by the end of a field's path, its indexes left out, so the more specific entry
wins (``awards.date`` is the awards' date, ``date`` the meeting's). English shows the key alone: the
key already is the English word.

Only the data's fields have labels: ``reporting.toml``'s keys are the project maintainer's, not the
clerk's.
"""

from __future__ import annotations

import re

from reporting.tool_language import N_, _

FIELD_LABELS: dict[str, str] = {
    "id": N_("identifier"),
    "sample_data": N_("sample data"),
    "parent_body": N_("parent body"),
    "issuer": N_("issuing body"),
    "title": N_("meeting title"),
    "place": N_("meeting place"),
    "date": N_("meeting date"),
    "part_of_day": N_("part of the day"),
    "period": N_("period under review"),
    "period.start": N_("start of the period"),
    "period.end": N_("end of the period"),
    "chair": N_("chair of the meeting"),
    "attendees": N_("attendees"),
    "name": N_("name"),
    "individuals.name": N_("full name"),
    "role": N_("role"),
    "figures": N_("figures"),
    "value": N_("value"),
    "kind": N_("kind"),
    "currency": N_("currency"),
    "label": N_("label"),
    "counted": N_("counted forms"),
    "approximate": N_("rounding unit"),
    "ratios": N_("ratios"),
    "part": N_("part"),
    "whole": N_("whole"),
    "decimals": N_("decimal places"),
    "stated_percent": N_("stated percentage"),
    "key_figures": N_("key figures"),
    "sections": N_("sections"),
    "heading": N_("heading"),
    "style": N_("layout"),
    "paragraphs": N_("paragraphs"),
    "reporters": N_("reporters"),
    "awards": N_("awards"),
    "award": N_("form of award"),
    "conferred_by": N_("conferred by"),
    "citation": N_("citation"),
    "decision": N_("decision"),
    "decision_date": N_("date of the decision"),
    "emblem": N_("emblem"),
    "awards.place": N_("place before the date"),
    "awards.date": N_("date of the awards"),
    "signatory": N_("signatory"),
    "groups": N_("groups"),
    "individuals": N_("individuals"),
    "position": N_("position"),
    "unit": N_("unit"),
    "gender": N_("gender"),
    "book_number": N_("register number"),
    "awards.source": N_("awardee spreadsheet"),
    "awards.sheets": N_("sheets"),
    "include_hidden": N_("read hidden rows"),
    "order": N_("order of the lists"),
    "documents": N_("documents"),
    "documents.report": N_("the report"),
    "documents.awardees": N_("the list of awardees"),
    "system": N_("document system"),
    "body": N_("issuing body"),
    "parent": N_("parent body"),
    "code": N_("abbreviation"),
    "kind_code": N_("abbreviation of the document kind"),
    "number": N_("document number"),
    "summary": N_("summary"),
    "signer": N_("signer"),
    "signer.title": N_("signer's title"),
    "signatory.title": N_("signer's title"),
    "authority": N_("signing authority"),
    "recipients": N_("recipients"),
    "archive": N_("archive copies"),
}
# A path's last parts that name no field but a version of one: a language (``title.vi``), plural
# categories (``one few many other``, as a choice's keys list them) or a grammatical case
# (``figures.x.counted.ar.few.genitive``).
_CATEGORY = "(zero|one|two|few|many|other)"
_VERSION = re.compile(
    rf"^[a-z]{{2}}(_[A-Za-z]{{2,4}})?$|^{_CATEGORY}( {_CATEGORY})*$|^(nominative|accusative|genitive)$"
)
# Mappings keyed by the clerk's own ids: ``figures.admin_inspections`` is one of the figures.
_KEYED_BY_ID = ("figures", "ratios")
_PARTS = re.compile(r"\[[^\]]*\]|\.")


def label_key(field_path: str) -> str | None:
    """The table's key for a problem's field (``awards.individuals[2].name.vi`` -> ``individuals.name``),
    or None when the table has no label for it."""
    parts = [part for part in _PARTS.split(field_path) if part]
    while parts:
        for start in range(len(parts)):
            key = ".".join(parts[start:])
            if key in FIELD_LABELS:
                return key
        if not (_VERSION.match(parts[-1]) or (len(parts) == 2 and parts[0] in _KEYED_BY_ID)):
            return None  # an unknown field keeps no label of its parent's
        parts.pop()
    return None


def field_label(field_path: str) -> str | None:
    """The field's name in the tool's language (``ngày họp``), or None without a label."""
    key = label_key(field_path)
    return _(FIELD_LABELS[key]) if key else None
