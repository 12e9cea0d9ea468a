"""iCalendar (RFC 5545) pieces the services share: one UID scheme, calendars and events in
Europe/Amsterdam with its VTIMEZONE.

The notifications service sends invitations for evaluation meetings and the cases service serves
subscribable feeds; both name an evaluation by the same UID, so a calendar that holds both knows
them as one entry.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from icalendar import Calendar, Event

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


def to_ics(cal: Calendar) -> bytes:
    """Serialise, adding the VTIMEZONE of every TZID used."""
    cal.add_missing_timezones()
    return cal.to_ical()
