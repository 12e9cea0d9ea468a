"""Delivering planned notifications through Apprise to a real SMTP server and a real webhook.

An intervention starts for pupil a1: the default policy 'support_started' tells the guardian at
once (send_at is now), the coordinator's evaluation reminders wait for later dates. Dispatch and
delivery run as the Celery tasks run them (handlers.due_for_dispatch, handlers.deliver), with the
test's fixed clock moved by hand.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from services.notifications.service_layer import handlers
from tests.conftest import NOW
from tests.integration.notifications.helpers import MAX_ATTEMPTS, attempts, bearer, rows
from tests.support.api_flows import open_case, start_intervention

GUARDIAN = "guardian_a1@test.nl"


def dispatch(n) -> list[UUID]:
    """The beat task's work: mark the due rows queued and return their ids."""
    return handlers.due_for_dispatch(
        n.store, n.clock.now(), n.settings.dispatch_batch, n.settings.stale_after_seconds
    )


def deliver_due(n) -> dict[UUID, str]:
    """Dispatch and run the delivery task of every due row."""
    return {i: handlers.deliver(i, n.store, n.sender, n.rules, n.clock.now) for i in dispatch(n)}


def started_case(world, pipeline) -> dict:
    case = open_case(world)
    start_intervention(world, case["id"])
    pipeline.run()
    return case


def guardian_row(n, case) -> dict:
    [row] = rows(n, case_id=case["id"], recipient_role="guardian")
    return row


def test_the_guardian_gets_one_dutch_email_and_the_log_shows_one_attempt(
    notifications, world, pipeline, mail_server, notifications_client
):
    n = notifications
    case = started_case(world, pipeline)
    row = guardian_row(n, case)
    assert row["send_at"] == NOW and row["status"] == "planned"

    assert deliver_due(n) == {row["id"]: "sent"}  # only the guardian's message is due now
    [mail] = mail_server.wait_for(1)
    assert mail.rcpt_tos == (GUARDIAN,)
    assert mail.mail_from == "noreply@swv.test"
    assert mail.subject == "Ondersteuning gestart voor Kind a1"
    assert mail.body.startswith(
        "Beste Ouder a1,\n\n"
        "Voor Kind a1 is op 7 september 2026 extra begeleiding gestart "
        "(Leesproblemen en dyslexie). "
        "We bekijken uiterlijk 2 november 2026 samen hoe het gaat.\n\n"
        "Met vriendelijke groet,\nSchool A1"
    )

    # Exactly once: nothing is due any more, and a repeated task for the row does nothing.
    assert dispatch(n) == []
    assert handlers.deliver(row["id"], n.store, n.sender, n.rules, n.clock.now) == "skipped"
    assert len(mail_server.messages) == 1

    [sent] = rows(n, id=row["id"])
    assert (sent["status"], sent["attempts"], sent["sent_at"]) == ("sent", 1, NOW)
    [attempt] = attempts(n, row["id"])
    assert (attempt["attempt"], attempt["outcome"], attempt["error"]) == (1, "sent", None)

    response = notifications_client.get(
        f"/api/v1/deliveries/{row['id']}", headers=bearer(world.tokens["admin_a"])
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "sent" and body["recipient"] == "g***@test.nl"
    assert [a["outcome"] for a in body["attempt_log"]] == ["sent"]
    assert "address" not in body and "context" not in body


def test_with_the_mail_server_down_a_message_retries_dies_and_is_delivered_after_a_retry(
    notifications, world, pipeline, mail_server, notifications_client, clock
):
    n = notifications
    case = started_case(world, pipeline)
    row = guardian_row(n, case)
    mail_server.stop()

    assert deliver_due(n) == {row["id"]: "planned"}
    [failed] = rows(n, id=row["id"])
    assert failed["status"] == "planned" and failed["attempts"] == 1
    assert failed["last_error"]
    # Backoff: 30 s ± 20 % after the failed attempt.
    assert NOW + timedelta(seconds=24) <= failed["send_at"] <= NOW + timedelta(seconds=36)
    assert dispatch(n) == []  # not due again before its new moment

    for attempt in range(2, MAX_ATTEMPTS + 1):
        clock.set(rows(n, id=row["id"])[0]["send_at"])
        expected = "dead" if attempt == MAX_ATTEMPTS else "planned"
        assert deliver_due(n) == {row["id"]: expected}
    [dead] = rows(n, id=row["id"])
    assert (dead["status"], dead["attempts"]) == ("dead", MAX_ATTEMPTS)
    assert [a["outcome"] for a in attempts(n, row["id"])] == ["failed"] * MAX_ATTEMPTS
    clock.advance(timedelta(minutes=30))  # (the world's tokens live for an hour)
    assert dispatch(n) == []  # dead rows are not dispatched again by themselves

    # The administrator sees it in the log and retries it; the mail server is back.
    admin = bearer(world.tokens["admin_a"])
    response = notifications_client.get("/api/v1/deliveries/?status=dead", headers=admin)
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True))
    listed = response.json
    assert [item["id"] for item in listed["items"]] == [str(row["id"])]
    response = notifications_client.post(f"/api/v1/deliveries/{row['id']}/retry", headers=admin)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "planned"
    mail_server.start()

    assert deliver_due(n) == {row["id"]: "sent"}
    [mail] = mail_server.wait_for(1)
    assert mail.rcpt_tos == (GUARDIAN,) and mail.subject == "Ondersteuning gestart voor Kind a1"
    assert rows(n, id=row["id"])[0]["status"] == "sent"
    assert len(mail_server.messages) == 1
    log = notifications_client.get(f"/api/v1/deliveries/{row['id']}", headers=admin).json
    assert sorted(a["outcome"] for a in log["attempt_log"]) == ["failed"] * MAX_ATTEMPTS + ["sent"]
    again = notifications_client.post(f"/api/v1/deliveries/{row['id']}/retry", headers=admin)
    assert again.status_code == 409  # a sent message is not retried


def test_a_retry_that_falls_in_quiet_hours_is_deferred_not_sent(
    notifications, world, pipeline, mail_server, clock
):
    n = notifications
    case = started_case(world, pipeline)
    row = guardian_row(n, case)
    mail_server.stop()
    deliver_due(n)
    clock.set(NOW.replace(hour=19, minute=30))  # 21:30 in Amsterdam, quiet hours
    mail_server.start()
    assert deliver_due(n) == {row["id"]: "deferred"}
    assert mail_server.messages == []
    [deferred] = rows(n, id=row["id"])
    assert deferred["status"] == "planned"
    assert deferred["send_at"].isoformat() == "2026-10-16T05:00:00+00:00"  # Friday 07:00


def test_a_group_channel_gets_a_reference_and_no_pupil_details(
    notifications, world, pipeline, mail_server, webhook, notifications_client
):
    n = notifications
    pipeline.run()  # the world's first events give the partnership its default policies
    policy = {
        "key": "team_channel",
        "name": "Teams-kanaal zorgteam",
        "event_types": ["intervention.started"],
        "group_urls": [webhook.apprise_url("/hooks/zorgteam")],
    }
    admin = bearer(world.tokens["admin_a"])
    response = notifications_client.post("/api/v1/policies/", json=policy, headers=admin)
    assert response.status_code == 201, response.json
    assert "group_urls" not in response.json and response.json["group_channels"] == 1

    case = started_case(world, pipeline)
    [group] = rows(n, case_id=case["id"], channel="group")
    assert webhook.apprise_url() not in group["address"]  # the URL is stored encrypted
    results = deliver_due(n)
    assert results[group["id"]] == "sent"

    [body] = webhook.wait_for(1)
    [request] = webhook.requests
    assert request.path == "/hooks/zorgteam"
    reference = case["id"][:8]
    assert reference in body["title"] and reference in body["message"]
    text = body["title"] + body["message"]
    for private in ("Kind a1", "School A1", "Ouder a1", "lezen", "reading_dyslexia", "dyslexie"):
        assert private not in text
    # The web page it is about: only ids, and it asks for a log-in (issue 12, deep links).
    assert f"http://127.0.0.1:8000/trajecten/{case['id']}" in body["message"]
    assert "/api/v1/" not in text
    assert len(mail_server.wait_for(1)) == 1  # the guardian's own message went by e-mail


def test_a_webhook_answering_503_is_retried_until_it_accepts(
    notifications, world, pipeline, webhook, notifications_client, clock
):
    n = notifications
    pipeline.run()
    policy = {
        "key": "team_channel",
        "name": "Zorgteam",
        "event_types": ["intervention.started"],
        "group_urls": [webhook.apprise_url()],
    }
    admin = bearer(world.tokens["admin_a"])
    assert (
        notifications_client.post("/api/v1/policies/", json=policy, headers=admin).status_code
        == 201
    )
    case = started_case(world, pipeline)
    [group] = rows(n, case_id=case["id"], channel="group")
    webhook.fail_next(1, status=503)
    assert deliver_due(n)[group["id"]] == "planned"
    clock.set(rows(n, id=group["id"])[0]["send_at"])
    assert deliver_due(n) == {group["id"]: "sent"}
    assert [r.status for r in webhook.requests] == [503, 200]
    assert len(webhook.bodies) == 1
