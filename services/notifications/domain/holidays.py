"""Reading school holidays in the shape of the Rijksoverheid open data (infotype
`schoolholidays`): content[].schoolyear, vacations[].type, regions[].region/startdate/enddate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from services.notifications.domain.timing import Holiday
from shared.clock import AMSTERDAM, school_year_of

REGIONS = ("noord", "midden", "zuid")


def _day(value: str) -> date:
    # The open data writes midnight instants (e.g. 2026-10-16T22:00:00.000Z for 17 October in
    # summer time, or 2026-10-17T00:00:00.000Z); a date part in Amsterdam time is what is meant.
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(AMSTERDAM).date()


def parse_rijksoverheid(document: dict[str, Any]) -> dict[str, list[Holiday]]:
    """Holidays per school year; a region 'heel Nederland' applies to all three regions."""
    years: dict[str, list[Holiday]] = {}
    for content in document.get("content", []):
        year = str(content["schoolyear"]).strip()
        holidays = years.setdefault(year, [])
        for vacation in content.get("vacations", []):
            name = str(vacation["type"]).strip()
            for region in vacation.get("regions", []):
                label = str(region["region"]).strip().lower()
                targets = REGIONS if label == "heel nederland" else (label,)
                for target in targets:
                    if target not in REGIONS:
                        raise ValueError(f"unknown holiday region {label!r}")
                    start, end = _day(region["startdate"]), _day(region["enddate"])
                    if end < start:
                        raise ValueError(f"{name} {target}: end before start")
                    holidays.append(Holiday(target, name, start, end))
    return years


# From this day of a school year on, reminders reach into the next one (an evaluation in the
# autumn, planned weeks ahead): its holidays should be known by then.
NEXT_YEAR_NEEDED_FROM = (4, 1)


def missing_school_years(loaded: Iterable[str], today: date) -> list[str]:
    """The school years whose holidays planning needs now but are not loaded: the current one,
    and from 1 April the next. Without them messages may fall in a holiday."""
    current = school_year_of(today)
    needed = [current.label]
    if (today.month, today.day) >= NEXT_YEAR_NEEDED_FROM and today.month < 8:
        needed.append(school_year_of(current.end + timedelta(days=1)).label)
    have = set(loaded)
    return [year for year in needed if year not in have]
