"""What mail and calendar programs make of our e-mail (issue 17): invitations as meeting requests
(multipart/alternative with a `text/calendar; method=...` part, ATTENDEE and ORGANIZER), read back
from the real SMTP server with Python's strict e-mail policy and two independent iCalendar
libraries (icalendar, which writes them, and vobject), their ORGANIZER the partnership's own
contact (a partnership setting) or else the service's; Auto-Submitted on every message; and
List-Unsubscribe with one-click unsubscribe on messages to parents."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
import vobject
from icalendar import Calendar

from tests.integration.notifications.test_invitations import GUARDIAN, deliver_due
from tests.support.api_flows import NothingWritten, assert_error, call_ok, case_with_active_plan
from tests.support.mail import ReceivedMail

ORGANIZER = "IB De Linde <ib@delinde.test>"
WINTER = ("2026-11-30T15:30:00+01:00", datetime(2026, 11, 30, 14, 30, tzinfo=UTC))
SUMMER = ("2027-04-20T10:00:00+02:00", datetime(2027, 4, 20, 8, 0, tzinfo=UTC))


@pytest.fixture
def notifications_settings(notifications_settings):
    return dataclasses.replace(notifications_settings, meeting_organizer=ORGANIZER)


def strict(mail: ReceivedMail) -> EmailMessage:
    """The message as received, parsed with the strict policy: any defect raises."""
    message = message_from_bytes(mail.raw, policy=policy.strict)
    assert isinstance(message, EmailMessage)
    for part in message.walk():
        assert not part.defects, (mail.subject, part.get_content_type(), part.defects)
    return message


def request_part(message: EmailMessage) -> EmailMessage:
    """The meeting request: the text/calendar alternative of the text."""
    assert message.get_content_type() == "multipart/mixed"
    [alternative] = [p for p in message.iter_parts() if p.get_content_type().startswith("multi")]
    assert alternative.get_content_type() == "multipart/alternative"
    text, calendar = alternative.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_content_disposition() is None  # shown, not a file
    return calendar


def plan_meetings(world, pipeline, n, mail_server) -> dict[str, object]:
    _, plan = case_with_active_plan(world)
    first, last = plan["evaluations"][0], plan["evaluations"][-1]
    for evaluation, (starts, _) in ((first, WINTER), (last, SUMMER)):
        path = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}/meeting"
        body = {"starts_at": starts, "duration_minutes": 45, "location": "Lokaal 12 – De Linde"}
        call_ok(world, "coordinator_a1", "PUT", path, 200, json=body)
    pipeline.run()
    assert set(deliver_due(n).values()) == {"sent"}
    mail_server.wait_for(4)
    return {"plan": plan, "winter": first["id"], "summer": last["id"]}


def test_an_invitation_is_a_meeting_request_read_alike_by_two_calendar_libraries(
    world, pipeline, notifications, mail_server
):
    story = plan_meetings(world, pipeline, notifications, mail_server)
    expected = {
        f"{story['winter']}@passend-onderwijs": WINTER[1],
        f"{story['summer']}@passend-onderwijs": SUMMER[1],
    }
    invitations = [m for m in mail_server.messages if GUARDIAN in m.rcpt_tos]
    assert len(invitations) == 2
    starts_icalendar, starts_vobject = {}, {}
    for mail in invitations:
        part = request_part(strict(mail))
        assert part.get_param("method") == "REQUEST"
        content = part.get_content()
        assert "Lokaal 12 – De Linde" in content  # UTF-8, as the charset says

        calendar = Calendar.from_ical(content)
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["ORGANIZER"]) == "mailto:ib@delinde.test"  # no partnership's own
        assert event["ORGANIZER"].params["CN"] == "IB De Linde"
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [f"mailto:{GUARDIAN}"]
        assert attendees[0].params["RSVP"] == "TRUE"
        starts_icalendar[str(event["UID"])] = event.decoded("DTSTART").astimezone(UTC)

        parsed = vobject.readOne(content)
        assert parsed.method.value == "REQUEST"
        assert parsed.vevent.attendee.value == f"mailto:{GUARDIAN}"
        assert parsed.vevent.organizer.value == "mailto:ib@delinde.test"
        starts_vobject[parsed.vevent.uid.value] = parsed.vevent.dtstart.value.astimezone(UTC)
    assert starts_icalendar == starts_vobject == expected

    # Cancelled: the same entry, now a CANCEL in the part's content type.
    mail_server.clear()
    plan = story["plan"]
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{story['summer']}/meeting"
    call_ok(world, "coordinator_a1", "DELETE", path, 200)
    pipeline.run()
    assert "sent" in set(deliver_due(notifications).values())
    [mail] = [m for m in mail_server.wait_for(2) if GUARDIAN in m.rcpt_tos]
    part = request_part(strict(mail))
    assert part.get_param("method") == "CANCEL"
    cancelled = vobject.readOne(part.get_content())
    assert cancelled.method.value == "CANCEL" and cancelled.vevent.status.value == "CANCELLED"
    assert cancelled.vevent.uid.value == f"{story['summer']}@passend-onderwijs"
    assert cancelled.vevent.dtstart.value.astimezone(UTC) == SUMMER[1]


def test_every_message_is_auto_submitted_and_parents_can_unsubscribe_in_one_click(
    world, pipeline, notifications, mail_server, notifications_client
):
    plan_meetings(world, pipeline, notifications, mail_server)
    received = list(mail_server.messages)
    assert {GUARDIAN, "coordinator_a1@test.nl"} <= {a for m in received for a in m.rcpt_tos}
    for mail in received:
        message = strict(mail)
        assert message["Auto-Submitted"] == "auto-generated"
        if GUARDIAN not in mail.rcpt_tos:
            assert message["List-Unsubscribe"] is None  # staff are no mailing list
    [mail, *_] = [m for m in received if GUARDIAN in m.rcpt_tos]
    message = strict(mail)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"])
    assert link.startswith("<") and link.endswith(">")
    url = urlsplit(link[1:-1])
    assert url.path.startswith("/api/v1/preferences/") and url.path.endswith("/unsubscribe")

    # What a mail provider does (RFC 8058): a POST, no cookie, no CSRF token, no interaction.
    notifications.clock.advance(timedelta(minutes=1))
    answer = notifications_client.post(
        url.path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.json["informational"] is False
    settings = url.path.removesuffix("/unsubscribe")
    shown = notifications_client.get(settings, headers={"Accept": "application/json"})
    assert shown.json["informational"] is False
    # A browser that opens the link sees the settings page; the GET changes nothing.
    opened = notifications_client.get(url.path)
    assert opened.status_code == 303 and "/ouders/voorkeuren/" in opened.location
    # A forged link unsubscribes no one.
    forged = notifications_client.post("/api/v1/preferences/forged/unsubscribe")
    assert forged.status_code == 404


def organizers(mail: ReceivedMail) -> tuple[tuple[str, str], tuple[str, str]]:
    """The ORGANIZER (address, CN) of a received invitation, read by icalendar and by vobject."""
    content = request_part(strict(mail)).get_content()
    [event] = Calendar.from_ical(content).walk("VEVENT")
    by_icalendar = (str(event["ORGANIZER"]), str(event["ORGANIZER"].params["CN"]))
    organizer = vobject.readOne(content).vevent.organizer
    return by_icalendar, (organizer.value, organizer.params["CN"][0])


def test_the_partnerships_own_organizer_receives_the_replies_and_is_checked(
    world, container, pipeline, notifications, mail_server
):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    for bad in ("ib at swv", "", "ib@", 42):
        with NothingWritten(container):
            answer = world.call("admin_a", "PATCH", settings, json={"meeting_organizer": bad})
            assert_error(answer, 422, field="meeting_organizer")
    coordinator = world.call(
        "coordinator_a1", "PATCH", settings, json={"meeting_organizer": "x@swv-a.test"}
    )
    assert coordinator.status_code == 403
    own = {"meeting_organizer": "ib@swv-a.test"}
    changed = world.call("admin_a", "PATCH", settings, json=own)
    assert (
        changed.status_code == 200
        and changed.json["settings"]["meeting_organizer"] == own["meeting_organizer"]
    )
    shown = world.call("admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}")
    assert shown.json["settings"]["meeting_organizer"] == "ib@swv-a.test"

    story = plan_meetings(world, pipeline, notifications, mail_server)
    invitations = [m for m in mail_server.messages if GUARDIAN in m.rcpt_tos]
    assert len(invitations) == 2
    for mail in invitations:  # the partnership's, not the service's IB De Linde
        assert organizers(mail) == (("mailto:ib@swv-a.test", "SWV A"),) * 2

    # Unset again (null): the service's setting once more, in the moved meeting's invitation.
    mail_server.clear()
    cleared = world.call("admin_a", "PATCH", settings, json={"meeting_organizer": None})
    assert cleared.status_code == 200 and cleared.json["settings"]["meeting_organizer"] is None
    plan = story["plan"]
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{story['winter']}/meeting"
    body = {"starts_at": "2026-12-01T15:30:00+01:00", "duration_minutes": 45}
    call_ok(world, "coordinator_a1", "PUT", path, 200, json=body)
    pipeline.run()
    assert "sent" in set(deliver_due(notifications).values())
    [mail] = [m for m in mail_server.wait_for(2) if GUARDIAN in m.rcpt_tos]
    assert organizers(mail) == (("mailto:ib@delinde.test", "IB De Linde"),) * 2
