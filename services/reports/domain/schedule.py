"""Which periods a periodic report covers: the last whole month, calendar quarter or school year
(1 August - 31 July) before a day."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from services.reports.domain.report import Period
from shared.clock import school_year_of


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SCHOOL_YEAR = "school_year"


def last_complete(kind: PeriodKind, today: date) -> Period:
    """The latest period of this kind that ended before `today`."""
    if kind is PeriodKind.MONTH:
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    if kind is PeriodKind.QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        end = today.replace(month=first_month, day=1) - timedelta(days=1)
        return Period(end.replace(month=end.month - 2, day=1), end)
    year = school_year_of(school_year_of(today).start - timedelta(days=1))
    return Period(year.start, year.end)
