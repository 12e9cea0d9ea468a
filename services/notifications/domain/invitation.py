"""Calendar invitations (iCalendar, RFC 5545) for plan evaluation meetings.

One VEVENT per meeting, its UID derived from the evaluation id so that a moved meeting updates the
same calendar entry (SEQUENCE from the cases service counts every change) and a cancelled one is
removed (METHOD:CANCEL, STATUS:CANCELLED). Times are in Europe/Amsterdam with its VTIMEZONE.
The events carry no place or video link (DESIGN.md §3: ids and codes only); the description says
where to find them when the school gave one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

from shared.clock import AMSTERDAM

MEETING_EVENTS = (
    "development_plan.meeting_planned",
    "development_plan.meeting_moved",
    "development_plan.meeting_cancelled",
)
FILENAME = "uitnodiging.ics"
PRODID = "-//Passend onderwijs//Evaluatiegesprekken//NL"

SUMMARY = {
    "nl": "Evaluatiegesprek ontwikkelingsperspectiefplan",
    "en": "Development plan evaluation meeting",
}
WHERE = {
    "nl": "De plaats of videolink staat in het bericht van de school.",
    "en": "The place or video link is in the school's message.",
}


def meeting_context(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a planned notification keeps to build the invitation at send time (JSON-ready)."""
    starts_at: datetime = data["starts_at"]
    return {
        "uid": f"{data['evaluation_id']}@passend-onderwijs",
        "starts_at": starts_at.isoformat(),
        "duration_minutes": int(data["duration_minutes"]),
        "sequence": int(data["sequence"]),
        "cancelled": event_type == "development_plan.meeting_cancelled",
        "has_location": bool(data.get("has_location")),
    }


def build_invitation(
    meeting: dict[str, Any], language: str, organizer: str | None, stamp: datetime
) -> bytes:
    """The .ics file of one meeting, as a REQUEST (or a CANCEL once cancelled)."""
    language = language if language in SUMMARY else "nl"
    starts = datetime.fromisoformat(meeting["starts_at"]).astimezone(AMSTERDAM)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if meeting["cancelled"] else "REQUEST")
    event = Event()
    event.add("uid", meeting["uid"])
    event.add("sequence", meeting["sequence"])
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=meeting["duration_minutes"]))
    event.add("summary", SUMMARY[language])
    event.add("status", "CANCELLED" if meeting["cancelled"] else "CONFIRMED")
    if meeting.get("has_location"):
        event.add("description", WHERE[language])
    if organizer:
        address = vCalAddress(f"mailto:{organizer}")
        address.params["cn"] = vText(organizer)
        event.add("organizer", address)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
