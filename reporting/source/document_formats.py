"""Format profiles: how a document is headed, numbered, signed and addressed, State or Party.

An event's data says under which system each of its documents is issued
(``documents.report``, ``documents.awardees``); this module holds what differs
between the two systems, so templates ask the profile instead of branching:

- ``state``: Decree 30/2020/ND-CP, Appendix I. National name and motto at the
  right; number ``Số: 05/BC-TTr`` (number, kind, body: ``/`` then ``-``);
  recipients end with ``;``, the last line ``Lưu: VT, ...``.
- ``party``: Guidance 36-HD/VPTW. ``ĐẢNG CỘNG SẢN VIỆT NAM`` at the right, an
  asterisk under the issuing body; number ``Số 15-BC/TU`` (no colon; ``-`` then
  ``/``); recipients end with ``,``, the last line ``Lưu Văn phòng ...``.

A document the data does not describe is a State document of the event's
issuer, unnumbered, as the reports were before profiles existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reporting.source.model import DocumentFormat, Event, IssuingBody

DocumentName = Literal["report", "awardees"]


@dataclass(frozen=True)
class Profile:
    """What one system prescribes for the parts every document has."""

    system: str
    number_pattern: str  # {number} {kind} {body}
    recipient_end: str  # after each recipient but the last
    party_heading: bool  # ĐẢNG CỘNG SẢN VIỆT NAM instead of the national name and motto


PROFILES = {
    "state": Profile("state", "{number}/{kind}-{body}", ";", party_heading=False),
    "party": Profile("party", "{number}-{kind}/{body}", ",", party_heading=True),
}


def document_format(event: Event, name: DocumentName) -> DocumentFormat:
    """The format the data gives document ``name``, or the event issuer's plain State format."""
    declared = getattr(event.documents, name)
    if declared is not None:
        return declared
    # model_construct: a fallback built from already validated parts, with no kind of its own
    # (the template names the document) and no number.
    body = IssuingBody.model_construct(parent=event.parent_body, name=event.issuer, code="")
    return DocumentFormat.model_construct(
        system="state",
        body=body,
        kind=None,
        kind_code=None,
        number=None,
        summary=None,
        signer=None,
        recipients=[],
        archive=None,
        sample_data=False,
    )


def profile(document: DocumentFormat) -> Profile:
    return PROFILES[document.system]


def number_and_symbol(document: DocumentFormat, digits) -> str | None:
    """``05/BC-TTr`` (state) or ``15-BC/TU`` (party); numbers below 10 take a leading zero.

    ``digits`` maps Latin digits to the locale's; None when the document has no number.
    """
    if document.number is None:
        return None
    number = digits(f"{document.number:02d}")
    return profile(document).number_pattern.format(number=number, kind=document.kind_code, body=document.body.code)
