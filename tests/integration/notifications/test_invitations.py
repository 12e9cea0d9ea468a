"""Evaluation meetings as calendar invitations: planned, moved and cancelled through the cases API,
carried by the pipeline, delivered through Apprise to a real SMTP server, and read back with the
`icalendar` library as a calendar program would. The place and video link are fetched from the
cases service (over HTTP, with the notifications service's token) when the e-mail is built."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from services.notifications.service_layer import handlers
from tests.conftest import NOW
from tests.integration.notifications.helpers import rows
from tests.support.api_flows import assert_error, call_ok, case_with_active_plan, register_pupil
from tests.support.mail import ReceivedMail

GUARDIAN = "guardian_a1@test.nl"


def deliver_due(n) -> dict:
    ids = handlers.due_for_dispatch(
        n.store, n.clock.now(), n.settings.dispatch_batch, n.settings.stale_after_seconds
    )
    return {
        i: handlers.deliver(i, n.store, n.sender, n.rules, n.clock.now, meetings=n.directory)
        for i in ids
    }


def invitation(mail: ReceivedMail) -> Calendar:
    [part] = [p for p in mail.message.iter_attachments() if p.get_filename() == "uitnodiging.ics"]
    return Calendar.from_ical(part.get_payload(decode=True))


def test_a_meeting_planned_moved_and_cancelled_updates_one_calendar_entry(
    world, pipeline, notifications, mail_server
):
    n = notifications
    _, plan = case_with_active_plan(world)
    evaluation = plan["evaluations"][-1]
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}/meeting"
    steps = [
        ("PUT", {"starts_at": "2026-11-03T15:30:00+01:00", "duration_minutes": 45}),
        (
            "PUT",
            {
                "starts_at": "2026-11-05T14:00:00Z",
                "duration_minutes": 60,
                "location": "Lokaal 12",
                "video_url": "https://meet.example.nl/opp",
            },
        ),
        ("DELETE", None),
    ]
    calendars = []
    for method, body in steps:
        kwargs = {"json": body} if body is not None else {}
        answer = call_ok(world, "coordinator_a1", method, path, 200, **kwargs)
        pipeline.run()
        delivered = deliver_due(n)
        assert delivered and set(delivered.values()) == {"sent"}, delivered
        received = mail_server.wait_for(len(mail_server.messages))
        mails = [m for m in received if GUARDIAN in m.rcpt_tos]
        calendars.append(invitation(mails[-1]))
        n.clock.advance(timedelta(minutes=5))
    [meeting] = [e for e in answer["evaluations"] if e["id"] == evaluation["id"]]
    assert meeting["meeting"]["cancelled"] is True and meeting["meeting"]["sequence"] == 2

    events = [cal.walk("VEVENT") for cal in calendars]
    assert [len(e) for e in events] == [1, 1, 1]  # one event per message
    vevents = [e[0] for e in events]
    assert {str(v["UID"]) for v in vevents} == {f"{evaluation['id']}@passend-onderwijs"}
    assert [int(v["SEQUENCE"]) for v in vevents] == [0, 1, 2]
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(vevents[2]["STATUS"]) == "CANCELLED"
    for cal, vevent in zip(calendars, vevents, strict=True):
        assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
        assert str(vevent["SUMMARY"]) == "Evaluatiegesprek ontwikkelingsperspectiefplan"
        assert str(vevent["ORGANIZER"]) == "mailto:noreply@swv.test"
    first, moved = vevents[0], vevents[1]
    assert first["DTSTART"].dt == datetime(2026, 11, 3, 14, 30, tzinfo=UTC)  # 15:30 CET
    assert first["DTSTART"].dt.strftime("%H:%M") == "15:30"
    assert first["DTEND"].dt - first["DTSTART"].dt == timedelta(minutes=45)
    assert moved["DTSTART"].dt.strftime("%H:%M") == "15:00"  # 14:00 UTC is 15:00 in Amsterdam
    # No place at first; then the place and the video link, also in the cancellation.
    assert "LOCATION" not in first and "URL" not in first and "DESCRIPTION" not in first
    for vevent in vevents[1:]:
        assert str(vevent["LOCATION"]) == "Lokaal 12"
        assert str(vevent["URL"]) == "https://meet.example.nl/opp"
        assert str(vevent["DESCRIPTION"]) == "Videolink: https://meet.example.nl/opp"

    # The school's coordinator was invited too (pupil a1 has no teacher assigned in the world).
    sent = rows(n, policy_key="evaluation_meeting", kind="now")
    assert {r["recipient_role"] for r in sent} == {"guardian", "coordinator"}
    assert len(sent) == 2 * 3  # each recipient once per change
    assert {r["status"] for r in sent} == {"sent"}
    guardian_mails = [m for m in mail_server.messages if GUARDIAN in m.rcpt_tos]
    assert [m.subject for m in guardian_mails][-3:] == [
        "Uitnodiging evaluatiegesprek 3 november 2026 om 15:30",
        "Evaluatiegesprek verplaatst naar 5 november 2026 om 15:00",
        "Evaluatiegesprek van 5 november 2026 om 15:00 gaat niet door",
    ]


def test_a_meeting_in_the_past_or_on_a_draft_plan_is_refused(world, pipeline):
    _, plan = case_with_active_plan(world)
    evaluation = plan["evaluations"][-1]
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}/meeting"
    past = (NOW - timedelta(hours=1)).isoformat()

    response = world.call(
        "coordinator_a1", "PUT", path, json={"starts_at": past, "duration_minutes": 45}
    )
    assert_error(response, 422, field="starts_at")
    response = world.call(
        "coordinator_a1",
        "PUT",
        path,
        json={
            "starts_at": "2026-11-03T15:30:00",  # no offset
            "duration_minutes": 300,
            "video_url": "http://insecure.example.nl",
        },
    )
    assert_error(response, 422)
    assert {"starts_at", "duration_minutes", "video_url"} <= set(response.json["errors"])
    response = world.call("coordinator_a1", "DELETE", path)
    assert_error(response, 409, "meeting_not_planned")


# -- issue 11, item 17: an evaluation held before its meeting withdraws the invitation ----------


EVALUATED = "/api/v1/development-plans/{plan}/evaluation"
CLOSED = "/api/v1/cases/{case}/close"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (EVALUATED, {"decision": "continue", "next_evaluation_on": "2027-01-15"}),
        (EVALUATED, {"decision": "back_to_basic"}),  # the plan closes: the cancellation stays
        (CLOSED, {"closed_on": "2026-10-15", "reason": "pupil_left"}),  # so does the case
    ],
    ids=["continue", "back_to_basic", "case_closed"],
)
def test_an_evaluation_held_before_its_meeting_or_a_closed_case_withdraws_every_invitation(
    world, pipeline, notifications, mail_server, path, body
):
    n = notifications
    # A pupil with a teacher assigned: parent, IB'er and teacher are invited.
    staff = [
        {"user_id": str(world.users[key]), "role": key.removesuffix("_a1")}
        for key in ("coordinator_a1", "teacher_a1")
    ]
    register_pupil(world, "lotte", staff=staff)
    case, plan = case_with_active_plan(world, "lotte")
    pipeline.run()
    deliver_due(n)
    evaluation = plan["evaluations"][0]
    meeting = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}/meeting"
    starts = {"starts_at": "2026-11-30T15:30:00+01:00", "duration_minutes": 45}
    call_ok(world, "coordinator_a1", "PUT", meeting, 200, json=starts)
    pipeline.run()
    assert set(deliver_due(n).values()) == {"sent"}
    invited = {r["address"] for r in rows(n, event_type="development_plan.meeting_planned")}
    assert invited == {"ouder.lotte@test.nl", "coordinator_a1@test.nl", "teacher_a1@test.nl"}
    mail_server.wait_for(len(mail_server.messages))
    mail_server.clear()

    if path == EVALUATED:
        body = {"evaluation_id": evaluation["id"], "held_on": "2026-10-15", **body}
    where = path.format(plan=plan["id"], case=case["id"])
    call_ok(world, "coordinator_a1", "POST", where, 200, json=body)
    pipeline.run()
    assert "sent" in set(deliver_due(n).values())

    uid = f"{evaluation['id']}@passend-onderwijs"
    for address in invited:
        mails = [m for m in mail_server.wait_for(3) if address in m.rcpt_tos]
        cancellations = [invitation(m) for m in mails if _has_invitation(m)]
        assert len(cancellations) == 1, (address, [m.subject for m in mails])
        [calendar] = cancellations
        [vevent] = calendar.walk("VEVENT")
        assert str(calendar["METHOD"]) == "CANCEL"
        assert (str(vevent["UID"]), int(vevent["SEQUENCE"])) == (uid, 1)
        assert str(vevent["STATUS"]) == "CANCELLED"
    # No reminder of the meeting is left.
    assert not [r for r in rows(n, subject_kind="meeting") if r["status"] == "planned"]


def _has_invitation(mail: ReceivedMail) -> bool:
    return any(p.get_filename() == "uitnodiging.ics" for p in mail.message.iter_attachments())
