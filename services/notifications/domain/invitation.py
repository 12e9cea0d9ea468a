"""Calendar invitations (iCalendar, RFC 5545) for plan evaluation meetings.

One VEVENT per meeting, its UID derived from the evaluation id so that a moved meeting updates the
same calendar entry (SEQUENCE from the cases service counts every change) and a cancelled one is
removed (METHOD:CANCEL, STATUS:CANCELLED). Times are in Europe/Amsterdam with its VTIMEZONE.
The events carry no place or video link (DESIGN.md §3: ids and codes only); the description says
where to find them when the school gave one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from icalendar import vCalAddress, vText

from shared.ical import new_calendar, timed_event, to_ics, uid

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
        "uid": uid(data["evaluation_id"]),
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
    cal = new_calendar(PRODID, method="CANCEL" if meeting["cancelled"] else "REQUEST")
    starts = datetime.fromisoformat(meeting["starts_at"])
    minutes = meeting["duration_minutes"]
    event = timed_event(meeting["uid"], starts, minutes, stamp, meeting["sequence"])
    event.add("summary", SUMMARY[language])
    event.add("status", "CANCELLED" if meeting["cancelled"] else "CONFIRMED")
    if meeting.get("has_location"):
        event.add("description", WHERE[language])
    if organizer:
        address = vCalAddress(f"mailto:{organizer}")
        address.params["cn"] = vText(organizer)
        event.add("organizer", address)
    cal.add_component(event)
    return to_ics(cal)
