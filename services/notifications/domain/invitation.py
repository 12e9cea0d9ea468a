"""Calendar invitations (iCalendar, RFC 5545) for plan evaluation meetings.

One VEVENT per meeting, its UID derived from the evaluation id so that a moved meeting updates the
same calendar entry (SEQUENCE from the cases service counts every change) and a cancelled one is
removed (METHOD:CANCEL, STATUS:CANCELLED). Times are in Europe/Amsterdam with its VTIMEZONE.
The events carry no place or video link (DESIGN.md §3: ids and codes only): the delivery fetches
them from the cases service when it builds the e-mail (a `MeetingPlace`), so they are written into
the invitation (LOCATION; the video link as URL and in DESCRIPTION) and never stored here.

As RFC 5546 asks of a REQUEST and a CANCEL, the event names its ORGANIZER (an address that
receives the replies) and the message's recipient as its ATTENDEE, so a mail program shows it as
a meeting request with answer buttons. Each recipient gets an invitation of their own: no
invitee's address is shown to another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from icalendar import vCalAddress, vText

from shared.ical import add_place, new_calendar, timed_event, to_ics, uid

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
VIDEO = {"nl": "Videolink: {}", "en": "Video link: {}"}


@dataclass(frozen=True)
class MeetingPlace:
    """Where a meeting is, as the cases service has it at send time: free text, kept in memory
    only for the one message; with the partnership's meeting organizer ("Name <address>"), if
    it set one."""

    location: str | None
    video_url: str | None
    organizer: str | None = None


def choose_organizer(partnership: str | None, service: str, sender: str) -> str | None:
    """Who organises a meeting in its invitation (receives the replies): the partnership's own
    contact when it set one, else the notifications service's setting, else the mail sender."""
    return partnership or service or sender or None


def meeting_context(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a planned notification keeps to build the invitation at send time (JSON-ready)."""
    starts_at: datetime = data["starts_at"]
    return {
        "evaluation_id": str(data["evaluation_id"]),
        "uid": uid(data["evaluation_id"]),
        "starts_at": starts_at.isoformat(),
        "duration_minutes": int(data["duration_minutes"]),
        "sequence": int(data["sequence"]),
        "cancelled": event_type == "development_plan.meeting_cancelled",
        "has_location": bool(data.get("has_location")),
    }


def evaluation_of(meeting: dict[str, Any]) -> str:
    """The evaluation id of a meeting context (rows planned before it was kept: from the UID)."""
    return str(meeting.get("evaluation_id") or meeting["uid"].split("@", 1)[0])


def method_of(meeting: dict[str, Any]) -> str:
    """The iTIP method of a meeting's invitation: CANCEL once cancelled, else REQUEST."""
    return "CANCEL" if meeting["cancelled"] else "REQUEST"


def build_invitation(
    meeting: dict[str, Any],
    language: str,
    organizer: str | None,
    stamp: datetime,
    place: MeetingPlace | None = None,
    attendee: str | None = None,
) -> bytes:
    """The .ics file of one meeting, as a REQUEST (or a CANCEL once cancelled), with its place
    and video link when given, from `organizer` (an address, optionally with a name:
    "School <ib@school.nl>") to `attendee` (the recipient's address)."""
    language = language if language in SUMMARY else "nl"
    cal = new_calendar(PRODID, method=method_of(meeting))
    starts = datetime.fromisoformat(meeting["starts_at"])
    minutes = meeting["duration_minutes"]
    event = timed_event(meeting["uid"], starts, minutes, stamp, meeting["sequence"])
    event.add("summary", SUMMARY[language])
    event.add("status", "CANCELLED" if meeting["cancelled"] else "CONFIRMED")
    if place is not None:
        video = VIDEO[language].format(place.video_url) if place.video_url else None
        add_place(event, place.location, place.video_url, video)
    if organizer:
        name, address = parseaddr(organizer)
        event.add("organizer", _cal_address(address, name or address))
    if attendee:
        invitee = _cal_address(attendee, attendee)
        invitee.params.update(
            {"cutype": "INDIVIDUAL", "role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION"}
        )
        if not meeting["cancelled"]:
            invitee.params["rsvp"] = "TRUE"
        event.add("attendee", invitee)
    cal.add_component(event)
    return to_ics(cal)


def _cal_address(address: str, name: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{address}")
    value.params["cn"] = vText(name)
    return value
