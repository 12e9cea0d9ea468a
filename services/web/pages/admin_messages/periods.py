"""Dates on the console's pages: evaluations grouped by week, meeting times in Dutch local time,
dates written out in Dutch or English, and the report periods a school downloads (the last
complete month, quarter and school year). Plain Python, no Flask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import AMSTERDAM, school_year_of
from shared.dates import written, written_with_weekday

REPORT_KINDS = ("month", "quarter", "school_year")


long_date = written_with_weekday  # 'donderdag 15 oktober 2026' / 'Thursday 15 October 2026'
short_date = written  # '15 oktober 2026' / '15 October 2026'


def local_clock(moment: datetime | str | None) -> str:
    """An instant (aware, or ISO 8601 text as the APIs send it) as Dutch local time, '10:00'."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


def parse_day(value: str | None) -> date | None:
    """A date typed as yyyy-mm-dd (what <input type=date> sends), or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def monday_of(day: date) -> date:
    """The Monday of the (ISO) week a day is in."""
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    """One week of the list: its Monday, its ISO week number and its items by date."""

    monday: date
    number: int
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def by_week(items: list[dict[str, Any]], start: date, end: date) -> list[Week]:
    """Every week from `start` to `end` (also the empty ones), each with its items in the order
    given; an item's day is its `date` (yyyy-mm-dd, as the API sends it, or a date)."""
    weeks: dict[date, Week] = {}
    monday = monday_of(start)
    while monday <= end:
        weeks[monday] = Week(monday, monday.isocalendar().week)
        monday += timedelta(days=7)
    for item in items:
        day = item["date"] if isinstance(item["date"], date) else date.fromisoformat(item["date"])
        week = weeks.setdefault(monday_of(day), Week(monday_of(day), day.isocalendar().week))
        week.items.append(item)
    return [weeks[k] for k in sorted(weeks)]


@dataclass(frozen=True)
class ReportPeriod:
    """A report period, both days inclusive."""

    kind: str
    start: date
    end: date


def last_complete(kind: str, today: date) -> ReportPeriod:
    """The latest month, quarter or school year (1 August - 31 July) that ended before `today`,
    as the reports service counts its periodic reports."""
    if kind == "month":
        end = today.replace(day=1) - timedelta(days=1)
        return ReportPeriod(kind, end.replace(day=1), end)
    if kind == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        end = today.replace(month=first_month, day=1) - timedelta(days=1)
        return ReportPeriod(kind, end.replace(month=end.month - 2, day=1), end)
    if kind == "school_year":
        year = school_year_of(school_year_of(today).start - timedelta(days=1))
        return ReportPeriod(kind, year.start, year.end)
    raise ValueError(f"unknown period kind {kind!r}")


def report_periods(today: date) -> list[ReportPeriod]:
    """The last complete month, quarter and school year."""
    return [last_complete(kind, today) for kind in REPORT_KINDS]
