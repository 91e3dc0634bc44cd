"""Reporting periods as staff type them (``2024-Q2``, ``2024-H1``, ``2024-06``, ``2024``, ``START..END``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from reporting.errors import PeriodError
from reporting.tool_language import _, isolate

_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])$")
_HALF = re.compile(r"(\d{4})-[Hh]([12])$")
_MONTH = re.compile(r"(\d{4})-(\d{2})$")
_YEAR = re.compile(r"(\d{4})$")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
FORMS = "2024-Q2, 2024-H1, 2024-06, 2024 or 2024-04-01..2024-06-30"


@dataclass(frozen=True)
class ReportingPeriod:
    start: dt.date
    end: dt.date
    token: str  # how the period appears in an event id: 2024-q2, 2024-h1, 2024-06, 2024, 20240401-20240630


def parse_period(text: str) -> ReportingPeriod:
    text = text.strip()
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        return ReportingPeriod(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), f"{year}-q{quarter}")
    if match := _HALF.match(text):
        year, half = int(match[1]), int(match[2])
        return ReportingPeriod(dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half), f"{year}-h{half}")
    if (match := _MONTH.match(text)) and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
        return ReportingPeriod(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
    if match := _YEAR.match(text):
        year = int(match[1])
        return ReportingPeriod(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    if match := _RANGE.match(text):
        try:
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        except ValueError as exc:
            raise PeriodError(
                _("--period: expected real dates, found {value} ({reason})").format(
                    value=isolate(f"'{text}'"), reason=exc
                )
            ) from None
        if end < start:
            raise PeriodError(
                _("--period: expected the end on or after the start, found {value}").format(value=isolate(f"'{text}'"))
            )
        return ReportingPeriod(start, end, f"{start:%Y%m%d}-{end:%Y%m%d}")
    raise PeriodError(
        _("--period: expected {forms}, found {value}").format(forms=isolate(FORMS), value=isolate(f"'{text}'"))
    )


def token_of(start: dt.date, end: dt.date) -> str:
    """The id token of an existing period, in the most natural form that describes it exactly."""
    for text in (
        f"{start.year}-Q{(start.month + 2) // 3}",
        f"{start.year}-H{(start.month + 5) // 6}",
        f"{start:%Y-%m}",
        str(start.year),
    ):
        period = parse_period(text)
        if (period.start, period.end) == (start, end):
            return period.token
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def is_calendar_quarter(start: dt.date, end: dt.date) -> bool:
    return token_of(start, end).split("-")[-1].startswith("q")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
