"""Evaluation meetings, issue 7 follow-up: the invitation names the place and the video link, and
reminders are counted from the meeting's start.

Everything is real: the cases app over HTTP (its internal meetings endpoint answers the
notifications service's own token), Redis, both databases (SQLite and PostgreSQL) and the SMTP
server. Today is Thursday 15 October 2026, 10:00 in Amsterdam. Pupil a1's guardian and the school's
coordinator are invited (the pupil has no teacher assigned in the test world).

The place is free text: events never carry it (only `has_location`), the planned rows never hold
it, and it is fetched at send time for the one message that needs it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from services.notifications.service_layer import handlers
from shared.auth import service_token
from tests.conftest import JWT_SECRET, NOW
from tests.integration.notifications.helpers import attempts, outbox_envelopes, rows
from tests.integration.notifications.test_anonymise import found
from tests.integration.notifications.test_invitations import GUARDIAN, deliver_due, invitation
from tests.support.api_flows import assert_error, call_ok, case_with_active_plan
from tests.support.mail import ReceivedMail

LOCATION = "Gebouw Oost, lokaal 3.14"
VIDEO = "https://meet.example.nl/opp-oost-314"
POLICY = "evaluation_meeting"


def meeting_path(plan: dict[str, Any]) -> str:
    evaluation = plan["evaluations"][-1]
    return f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}/meeting"


def put_meeting(world, pipeline, plan, starts_at: str, **place: str) -> None:
    body = {"starts_at": starts_at, "duration_minutes": 45, **place}
    call_ok(world, "coordinator_a1", "PUT", meeting_path(plan), 200, json=body)
    pipeline.run()


def active_plan(world, pipeline, n, mail_server) -> dict[str, Any]:
    """Pupil a1's active plan, with the messages of getting there sent and forgotten."""
    _, plan = case_with_active_plan(world)
    pipeline.run()
    assert set(deliver_due(n).values()) == {"sent"}
    mail_server.clear()
    return plan


def guardian_mails(mail_server) -> list[ReceivedMail]:
    return [m for m in mail_server.messages if GUARDIAN in m.rcpt_tos]


def reminders(n) -> list[dict[str, Any]]:
    return [r for r in rows(n, policy_key=POLICY) if r["kind"] != "now"]


def test_the_invitation_names_the_place_which_never_reaches_the_notifications_database(
    world, container, pipeline, notifications, mail_server
):
    n = notifications
    plan = active_plan(world, pipeline, n, mail_server)
    put_meeting(
        world, pipeline, plan, "2026-11-03T15:30:00+01:00", location=LOCATION, video_url=VIDEO
    )
    [event] = outbox_envelopes(container, "development_plan.meeting_planned")
    assert event.data["has_location"] is True
    assert LOCATION not in event.to_json() and VIDEO not in event.to_json()

    delivered = deliver_due(n)
    assert delivered and set(delivered.values()) == {"sent"}
    mail_server.wait_for(2)
    [mail] = guardian_mails(mail_server)
    [vevent] = invitation(mail).walk("VEVENT")
    assert str(vevent["LOCATION"]) == LOCATION
    assert str(vevent["URL"]) == VIDEO
    assert str(vevent["DESCRIPTION"]) == f"Videolink: {VIDEO}"
    assert vevent["DTSTART"].dt == datetime(2026, 11, 3, 14, 30, tzinfo=UTC)
    texts = [p.get_content() for p in mail.message.walk() if p.get_content_maintype() == "text"]
    assert texts and not any(LOCATION in t for t in texts if "BEGIN:VCALENDAR" not in t)

    # Each read of a place is in the cases service's audit trail, as the notifications service.
    with container.engine.connect() as conn:
        audited = conn.execute(
            sa.text("SELECT role, action, endpoint, resource_id, status FROM audit_log")
        ).mappings()
        reads = [dict(r) for r in audited if "internal/meetings" in r["endpoint"]]
    evaluation_id = plan["evaluations"][-1]["id"]
    assert len(reads) == 2  # the guardian's e-mail and the coordinator's
    for read in reads:
        assert (read["role"], read["action"], read["status"]) == ("service", "read", 200)
        assert UUID(str(read["resource_id"])) == UUID(evaluation_id)

    # Moved, then delivered and reminded: still nowhere in the notifications database.
    put_meeting(world, pipeline, plan, "2026-11-05T14:00:00Z", location=LOCATION, video_url=VIDEO)
    assert set(deliver_due(n).values()) == {"sent"}
    for needle in (LOCATION, "lokaal 3.14", VIDEO, "opp-oost"):
        assert found(n, needle) == [], needle


def test_the_meetings_endpoint_is_for_services_only_and_404_without_a_meeting(world):
    _, plan = case_with_active_plan(world)
    evaluation_id = plan["evaluations"][-1]["id"]
    path = f"/api/v1/internal/meetings/{evaluation_id}"
    token = service_token("notifications", JWT_SECRET, NOW, timedelta(minutes=5))
    service = {"Authorization": f"Bearer {token}"}

    assert_error(world.client.get(path, headers=service), 404, "not_found")
    body = {"starts_at": "2026-11-03T15:30:00+01:00", "duration_minutes": 60, "location": "A"}
    call_ok(world, "coordinator_a1", "PUT", meeting_path(plan), 200, json=body)
    answer = world.client.get(path, headers=service)
    assert answer.status_code == 200, answer.json
    assert answer.json == {
        "evaluation_id": evaluation_id,
        "starts_at": "2026-11-03T14:30:00+00:00",
        "duration_minutes": 60,
        "location": "A",
        "video_url": None,
        "sequence": 0,
        "cancelled": False,
        "organizer_email": None,  # the partnership set none: the service's setting is used
        "organizer_name": "SWV A",
    }
    call_ok(world, "coordinator_a1", "DELETE", meeting_path(plan), 200)
    answer = world.client.get(path, headers=service)
    assert (answer.json["cancelled"], answer.json["sequence"]) == (True, 1)

    assert_error(world.call("coordinator_a1", "GET", path), 403)
    assert_error(world.client.get(path), 401)
    assert_error(world.client.get(f"/api/v1/internal/meetings/{plan['id']}", headers=service), 404)


def test_cases_unreachable_retries_the_invitation_then_sends_it_once(
    world, pipeline, notifications, mail_server, cases_server
):
    n = notifications
    plan = active_plan(world, pipeline, n, mail_server)
    put_meeting(world, pipeline, plan, "2026-11-03T15:30:00+01:00", location=LOCATION)

    cases_server.stop()  # the cases service is down when the invitations are built
    first = deliver_due(n)
    assert len(first) == 2 and set(first.values()) == {"planned"}, first
    assert guardian_mails(mail_server) == []
    for notification_id in first:
        [attempt] = attempts(n, notification_id)
        assert attempt["outcome"] == "failed"
        assert attempt["error"] == "cases service: ConnectionError"

    n.clock.advance(timedelta(seconds=20))
    assert deliver_due(n) == {}  # the retry waits for its backoff (30 s ± 20 %)
    cases_server.start()
    n.clock.advance(timedelta(minutes=1))
    second = deliver_due(n)
    assert set(second) == set(first) and set(second.values()) == {"sent"}
    mail_server.wait_for(2)
    [mail] = guardian_mails(mail_server)  # one mail: the failed attempt handed nothing to SMTP
    [vevent] = invitation(mail).walk("VEVENT")
    assert str(vevent["LOCATION"]) == LOCATION
    assert "URL" not in vevent and "DESCRIPTION" not in vevent
    for notification_id in first:
        assert [a["outcome"] for a in attempts(n, notification_id)] == ["failed", "sent"]


def test_reminders_follow_the_meeting_moved_with_it(world, pipeline, notifications, mail_server):
    n = notifications
    plan = active_plan(world, pipeline, n, mail_server)
    evaluation_reminders = [(r["id"], r["status"]) for r in rows(n, policy_key="plan_evaluation")]
    put_meeting(world, pipeline, plan, "2026-11-03T15:30:00+01:00", location=LOCATION)

    # One day before the meeting (Tuesday 3 November), at the send hour: Monday 08:00.
    planned = reminders(n)
    assert {r["recipient_role"] for r in planned} == {"guardian", "coordinator"}
    assert {(r["kind"], r["status"], r["subject_kind"]) for r in planned} == {
        ("lead:1", "planned", "meeting")
    }
    assert {r["due_on"] for r in planned} == {date(2026, 11, 3)}
    assert {_utc(r["send_at"]) for r in planned} == {datetime(2026, 11, 2, 7, 0, tzinfo=UTC)}
    assert set(deliver_due(n).values()) == {"sent"}  # the invitations

    # Moved to Thursday 5 November 15:00: the old reminders are cancelled, new ones planned.
    put_meeting(world, pipeline, plan, "2026-11-05T14:00:00Z", location=LOCATION)
    assert {r["status"] for r in reminders(n) if r["id"] in {p["id"] for p in planned}} == {
        "cancelled"
    }
    moved = [r for r in reminders(n) if r["status"] == "planned"]
    assert len(moved) == 2
    assert {r["due_on"] for r in moved} == {date(2026, 11, 5)}
    assert {_utc(r["send_at"]) for r in moved} == {datetime(2026, 11, 4, 7, 0, tzinfo=UTC)}
    assert {r["template"] for r in moved} == {"development_plan.meeting_moved.lead"}
    assert set(deliver_due(n).values()) == {"sent"}  # the updates
    # The evaluation date's own reminders are a different thing and stay as they were.
    assert evaluation_reminders
    assert [(r["id"], r["status"]) for r in rows(n, policy_key="plan_evaluation")] == (
        evaluation_reminders
    )

    # At the reminder's moment it goes, as a plain message without a calendar attachment.
    before = len(guardian_mails(mail_server))
    n.clock.set(datetime(2026, 11, 4, 7, 0, tzinfo=UTC))
    delivered = handlers.due_for_dispatch(n.store, n.clock.now(), 500, 300)
    ids = {r["id"] for r in moved}
    assert ids <= set(delivered)
    for notification_id in ids:
        status = handlers.deliver(
            notification_id, n.store, n.sender, n.rules, n.clock.now, meetings=n.directory
        )
        assert status == "sent"
    mail_server.wait_for(before + 1)
    [reminder] = guardian_mails(mail_server)[before:]
    assert reminder.subject == "Herinnering: evaluatiegesprek 5 november 2026 om 15:00"
    assert list(reminder.message.iter_attachments()) == []


def test_a_cancelled_meeting_cancels_its_reminders(world, pipeline, notifications, mail_server):
    n = notifications
    plan = active_plan(world, pipeline, n, mail_server)
    put_meeting(world, pipeline, plan, "2026-11-03T15:30:00+01:00")
    assert {r["status"] for r in reminders(n)} == {"planned"} and len(reminders(n)) == 2
    call_ok(world, "coordinator_a1", "DELETE", meeting_path(plan), 200)
    pipeline.run()
    assert {r["status"] for r in reminders(n)} == {"cancelled"}
    assert len(reminders(n)) == 2  # the cancellation plans none of its own

    n.clock.set(datetime(2026, 11, 2, 7, 0, tzinfo=UTC))
    assert set(deliver_due(n).values()) <= {"sent"}
    sent = [r for r in rows(n, policy_key=POLICY) if r["status"] == "sent"]
    assert {r["template"] for r in sent} == {
        "development_plan.meeting_planned",
        "development_plan.meeting_cancelled",
    }
    subjects = [m.subject for m in guardian_mails(mail_server)]
    assert not any(s.startswith("Herinnering") for s in subjects), subjects


def test_an_evaluation_held_before_its_meeting_cancels_the_meeting_reminders(
    world, pipeline, notifications, mail_server
):
    n = notifications
    plan = active_plan(world, pipeline, n, mail_server)
    put_meeting(world, pipeline, plan, "2026-11-03T15:30:00+01:00")
    assert {r["status"] for r in reminders(n)} == {"planned"} and len(reminders(n)) == 2

    # The conversation was held early, today: no "meeting tomorrow" on Monday 2 November.
    evaluation = plan["evaluations"][-1]
    body = {"evaluation_id": evaluation["id"], "held_on": "2026-10-15", "decision": "continue"}
    body["next_evaluation_on"] = "2027-06-01"
    path = f"/api/v1/development-plans/{plan['id']}/evaluation"
    call_ok(world, "coordinator_a1", "POST", path, 200, json=body)
    pipeline.run()
    assert {r["status"] for r in reminders(n)} == {"cancelled"}

    n.clock.set(datetime(2026, 11, 2, 7, 0, tzinfo=UTC))
    deliver_due(n)
    subjects = [m.subject for m in guardian_mails(mail_server)]
    assert not any(s.startswith("Herinnering: evaluatiegesprek") for s in subjects), subjects


def _utc(moment: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite hands back what was written, PostgreSQL aware)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
