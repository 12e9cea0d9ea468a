"""iCalendar (RFC 5545) pieces the services share: one UID scheme, calendars and events in
Europe/Amsterdam with its VTIMEZONE.

The VTIMEZONE is written as Outlook and Apple Calendar write it: two yearly rules (summer time
from the last Sunday of March 02:00, winter time from the last Sunday of October 03:00) rather
than a list of RDATEs, which some readers (vobject, and so Radicale) misread for summer dates.
Every calendar carries it, so even one without events holds a component (RFC 5545 requires one).

The notifications service sends invitations for evaluation meetings and the cases service serves
subscribable feeds; both name an evaluation by the same UID, so a calendar that holds both knows
them as one entry.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from shared.clock import AMSTERDAM

UID_DOMAIN = "passend-onderwijs"


def uid(subject_id: UUID | str) -> str:
    """The stable UID of an evaluation (or intervention): `{id}@passend-onderwijs`."""
    return f"{subject_id}@{UID_DOMAIN}"


def new_calendar(prodid: str, *, method: str | None = None) -> Calendar:
    """An empty VCALENDAR, version 2.0, Gregorian, with an iTIP method if given."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method is not None:
        cal.add("method", method)
    return cal


def timed_event(
    event_uid: str, starts_at: datetime, minutes: int, stamp: datetime, sequence: int = 0
) -> Event:
    """A VEVENT from an instant for some minutes, written with TZID Europe/Amsterdam."""
    starts = starts_at.astimezone(AMSTERDAM)
    event = Event()
    event.add("uid", event_uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=minutes))
    return event


def all_day_event(event_uid: str, day: date, stamp: datetime, sequence: int = 0) -> Event:
    """A VEVENT for one whole day (DTSTART;VALUE=DATE, DTEND the day after)."""
    event = Event()
    event.add("uid", event_uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a due date, not a busy slot
    return event


def add_place(
    event: Event, location: str | None, url: str | None, description: str | None = None
) -> None:
    """Where a timed event is: LOCATION (free text), URL (e.g. a video link) and a DESCRIPTION
    that repeats the link for calendar programs that do not show URL; empty parts are left out."""
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if description:
        event.add("description", description)


def amsterdam_timezone() -> Timezone:
    """The VTIMEZONE of Europe/Amsterdam with yearly rules (the EU's since 1996; the first
    onsets as Apple Calendar writes them)."""
    zone = Timezone()
    zone.add("tzid", "Europe/Amsterdam")
    zone.add_component(_observance(TimezoneDaylight(), "CEST", 1, 2, datetime(1981, 3, 29, 2), 3))
    zone.add_component(_observance(TimezoneStandard(), "CET", 2, 1, datetime(1996, 10, 27, 3), 10))
    return zone


def _observance(
    part: TimezoneDaylight | TimezoneStandard,
    name: str,
    hours_from: int,
    hours_to: int,
    first: datetime,
    month: int,
) -> TimezoneDaylight | TimezoneStandard:
    """One side of the zone: from the last Sunday of `month` at `first`'s local time on."""
    part.add("tzname", name)
    part.add("tzoffsetfrom", timedelta(hours=hours_from))
    part.add("tzoffsetto", timedelta(hours=hours_to))
    part.add("dtstart", first)
    part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
    return part


def to_ics(cal: Calendar) -> bytes:
    """Serialise with the VTIMEZONE of Europe/Amsterdam (the only zone events are written in)
    as the calendar's first component."""
    if not any(zone.get("tzid") == "Europe/Amsterdam" for zone in cal.walk("VTIMEZONE")):
        cal.subcomponents.insert(0, amsterdam_timezone())
    return cal.to_ical()
