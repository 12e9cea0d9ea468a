"""Rule 9 in the notifications service: when a pupil is anonymised, what the delivery log knows
about the pupil's family goes too, and the log has its own retention for everyone else.

Two pupils of school A1, Fenna and Sem, each with a case, an intervention and an active plan
(test_rescheduling.py's story: the guardian got messages at once and has evaluation reminders
waiting). On `pupil.anonymised` for Fenna: her pending rows are cancelled, every row of her
cases loses its address, template context and error texts (ids, event types, policy keys, times
and statuses stay), her guardian's preferences go, and her guardian's address, name and her own
name appear nowhere in the database. Sem is untouched; the event a second time changes nothing.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from services.cases.service_layer import retention
from services.notifications import tasks
from services.notifications.adapters import orm
from services.notifications.config import NotificationsSettings
from services.notifications.service_layer import batch, handlers
from services.notifications.worker import celery
from shared.events import Envelope, Subject
from tests.integration.notifications.helpers import bearer, outbox_envelopes, rows
from tests.support.api_flows import (
    call_ok,
    open_case,
    ready_plan,
    record_consent,
    register_pupil,
    request_consent,
    start_intervention,
)
from tests.support.celery_worker import finished, worker_on_own_queue
from tests.support.processes import wait_until

PENDING = ("planned", "queued")
PHONES = {"Fenna": "+31612340001", "Sem": "+31612340002"}
# What stays of a scrubbed row: everything but the personal data (and, for a row cancelled by
# the anonymisation, its status fields and freed dedupe key).
KEPT = (
    "id",
    "partnership_id",
    "school_id",
    "case_id",
    "plan_id",
    "subject_kind",
    "subject_id",
    "event_id",
    "event_type",
    "policy_key",
    "recipient_kind",
    "recipient_id",
    "recipient_role",
    "channel",
    "language",
    "template",
    "kind",
    "due_on",
    "send_at",
    "critical",
    "digest_key",
    "attempts",
    "sent_at",
    "created_at",
)


def family(world, name: str) -> dict[str, Any]:
    """A pupil with a guardian who has an e-mail address and a phone number."""
    guardian = {
        "name": f"Ouder {name}",
        "email": f"ouder.{name.lower()}@test.nl",
        "phone": PHONES[name],
        "language": "nl",
    }
    register_pupil(world, name, guardians=[guardian])
    case = open_case(world, name)
    start_intervention(world, case["id"])
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    record_consent(world, plan["id"], pupil=name)
    needles = [name, guardian["name"], guardian["email"], guardian["phone"]]
    return {"case": case["id"], "needles": needles}


def deliver_due(n) -> dict[UUID, str]:
    ids = handlers.due_for_dispatch(
        n.store, n.clock.now(), n.settings.dispatch_batch, n.settings.stale_after_seconds
    )
    return {i: handlers.deliver(i, n.store, n.sender, n.rules, n.clock.now) for i in ids}


def set_preferences(world, n, client, name: str) -> None:
    """The guardian follows the signed link in a message: English, no informational messages."""
    link = handlers.preferences_link(
        n.rules, str(world.guardians[name]), world.partnership_a, n.clock.now()
    )
    token = link.rsplit("/", 1)[1]  # the link opens the web's page; the API takes it too
    response = client.put(
        f"/api/v1/preferences/{token}", json={"language": "en", "informational": False}
    )
    assert response.status_code == 200, response.json


def database(n) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the notifications database."""
    with n.engine.connect() as conn:
        return {
            table.name: [dict(r) for r in conn.execute(select(table)).mappings()]
            for table in orm.metadata.sorted_tables
        }


def found(n, needle: str) -> list[tuple[str, str]]:
    """(table, column) of every value in the database that contains `needle` (any case)."""
    needle = needle.lower()
    out = []
    for table, table_rows in database(n).items():
        for row in table_rows:
            for column, value in row.items():
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                if needle in text.lower():
                    out.append((table, column))
    return out


def of_case(n, case_id: str) -> list[dict[str, Any]]:
    return sorted(rows(n, case_id=case_id), key=lambda r: str(r["id"]))


def attempts_of(n, ids: list[UUID]) -> list[dict[str, Any]]:
    table = orm.delivery_attempts
    query = select(table).where(table.c.notification_id.in_(ids)).order_by(table.c.id)
    with n.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def anonymised(world, pupil: str, at) -> Envelope:
    """The event as the cases service emits it (shared/events/case_events/)."""
    pupil_id = world.pupils[pupil]
    return Envelope(
        id=uuid.uuid4(),
        type="pupil.anonymised",
        version=1,
        occurred_at=at,
        partnership_id=world.partnership_a,
        school_id=world.school_a1,
        subject=Subject("pupil", pupil_id),
        data={"pupil_id": pupil_id, "anonymised_on": at.date()},
    )


def test_an_anonymised_pupil_leaves_no_trace_in_the_notifications_database(
    world, notifications, pipeline, mail_server, notifications_client, clock
):
    n = notifications
    fenna, sem = family(world, "Fenna"), family(world, "Sem")
    pipeline.run()
    sent = deliver_due(n)  # the messages of now: consent requests, support started, ...
    assert sent and set(sent.values()) == {"sent"}
    mail_server.wait_for(len(sent))
    for name in ("Fenna", "Sem"):  # each guardian follows the link in their message
        set_preferences(world, n, notifications_client, name)

    before = of_case(n, fenna["case"])
    statuses = {r["status"] for r in before}
    # Something sent, something waiting; the consent request the answer made moot is cancelled.
    assert statuses == {"sent", "planned", "cancelled"}, statuses
    assert {r["recipient_kind"] for r in before} >= {"guardian", "user"}
    for needle in fenna["needles"][:3] + sem["needles"][:3]:  # (no SMS: phones are not kept)
        assert found(n, needle), needle  # the scan finds what is there
    sem_before = of_case(n, sem["case"])
    sem_attempts = attempts_of(n, [r["id"] for r in sem_before])
    with n.store() as store:
        sem_preferences = store.preferences(world.guardians["Sem"])
    assert sem_preferences is not None and sem_preferences.language == "en"

    event = anonymised(world, "Fenna", clock.now())
    pipeline.publisher.publish_envelope(event)
    assert pipeline.consume() == 1

    after = {r["id"]: r for r in of_case(n, fenna["case"])}
    assert len(after) == len(before)  # the counts stay
    for row in before:
        now_row = after[row["id"]]
        assert {k: now_row[k] for k in KEPT} == {k: row[k] for k in KEPT}
        assert (now_row["address"], now_row["context"]) == ("", {})
        if row["status"] in PENDING:
            assert now_row["status"] == "cancelled"
            assert now_row["last_error"] == "pupil_anonymised"
            assert now_row["status_changed_at"] == clock.now()
        elif row["status"] == "cancelled":  # the consent request the answer made moot
            assert now_row["status"] == "cancelled"
            assert now_row["status_changed_at"] == row["status_changed_at"]
        else:
            assert now_row["status"] == row["status"] == "sent"
            assert now_row["status_changed_at"] == row["status_changed_at"]
            assert now_row["last_error"] is None
    fenna_attempts = attempts_of(n, list(after))
    assert [a["outcome"] for a in fenna_attempts] == ["sent"] * len(
        [r for r in before if r["status"] == "sent"]
    )
    for needle in fenna["needles"]:
        assert found(n, needle) == [], needle
    with n.store() as store:
        assert store.preferences(world.guardians["Fenna"]) is None
        assert store.preferences(world.guardians["Sem"]) == sem_preferences

    # Sem: untouched, to the last column; his family is still there.
    assert of_case(n, sem["case"]) == sem_before
    assert attempts_of(n, [r["id"] for r in sem_before]) == sem_attempts
    for needle in sem["needles"][:3]:
        assert found(n, needle), needle

    # The delivery log still shows Fenna's rows, with nothing to recognise the recipient by.
    some = next(r for r in before if r["status"] == "sent")
    response = notifications_client.get(
        f"/api/v1/deliveries/{some['id']}", headers=bearer(world.tokens["admin_a"])
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "sent" and response.json["recipient"] == "***"

    # The same event again (a redelivery, or a replay of the dead-letter stream): nothing changes.
    snapshot = database(n)
    batch.handle_event(event, n.store, n.directory, clock.now())
    pipeline.publisher.publish(str(uuid.uuid4()), event.to_json())  # a second stream entry
    assert pipeline.consume() == 1
    assert database(n) == snapshot

    # Fenna's reminder dates come and go: nothing is sent to her family.
    clock.advance(timedelta(days=60))
    delivered = deliver_due(n)
    assert delivered and {row["case_id"] for row in rows(n) if row["id"] in delivered} == {
        UUID(sem["case"])
    }


def test_a_row_being_sent_while_the_pupil_is_anonymised_is_not_sent_again(
    world, notifications, pipeline, clock
):
    """A send under way keeps its status; if it failed, its retry finds no address and stops."""
    n = notifications
    fenna = family(world, "Fenna")
    pipeline.run()
    row = next(
        r
        for r in of_case(n, fenna["case"])
        if r["status"] == "planned" and r["send_at"] <= clock.now()
    )
    with n.store() as store:
        assert store.claim(row["id"], clock.now(), clock.now()) is not None  # a worker has it
        store.commit()
    pipeline.publisher.publish_envelope(anonymised(world, "Fenna", clock.now()))
    assert pipeline.consume() == 1
    [claimed] = rows(n, id=row["id"])
    assert (claimed["status"], claimed["address"]) == ("sending", "")
    with n.store() as store:  # the send failed: the row is planned again with a retry
        store.finish(row["id"], "planned", clock.now(), "timeout", send_at=clock.now())
        store.commit()
    assert handlers.deliver(row["id"], n.store, n.sender, n.rules, n.clock.now) == "cancelled"
    [final] = rows(n, id=row["id"])
    assert (final["status"], final["last_error"]) == ("cancelled", "pupil_anonymised")
    assert handlers.retry_dead(row["id"], n.store, clock.now()) is False


def test_the_cases_services_anonymisation_reaches_the_delivery_log(
    world, container, notifications, pipeline, mail_server, clock
):
    """The real story: the case closes, the pupil leaves, two years pass, cases anonymises the
    pupil and its `pupil.anonymised` travels the stream; notifications finds the pupil's cases
    through the cases service's list (the cases keep their ids)."""
    n = notifications
    fenna = family(world, "Fenna")
    pipeline.run()
    assert set(deliver_due(n).values()) == {"sent"}
    path = f"/api/v1/cases/{fenna['case']}/close"
    call_ok(
        world,
        "coordinator_a1",
        "POST",
        path,
        200,
        json={"closed_on": "2026-10-15", "reason": "other"},
    )
    pupil = f"/api/v1/pupils/{world.pupils['Fenna']}/leave"
    call_ok(world, "coordinator_a1", "POST", pupil, 200, json={"left_on": "2026-10-15"})
    pipeline.run()
    assert {r["status"] for r in of_case(n, fenna["case"])} == {"sent", "cancelled"}
    assert found(n, "ouder.fenna@test.nl")

    clock.advance(timedelta(days=365 * 2 + 1))
    assert retention.anonymise_due(container.uow()) == 1
    assert pipeline.run() >= 1
    [event] = outbox_envelopes(container, "pupil.anonymised")
    assert event.data["pupil_id"] == world.pupils["Fenna"]
    assert {(r["address"], json.dumps(r["context"])) for r in of_case(n, fenna["case"])} == {
        ("", "{}")
    }
    for needle in fenna["needles"]:
        assert found(n, needle) == [], needle


@pytest.fixture
def notifications_worker(notifications, redis_client):
    with worker_on_own_queue(celery, tasks, notifications, redis_client, "notifications") as q:
        yield q


def scrub(n) -> int:
    """One run of the daily beat task on the real worker."""
    with finished("notifications.scrub_delivery_log") as done:
        tasks.scrub_delivery_log.delay()
        wait_until(lambda: done, timeout=30, message="the scrub task ran")
    return done[0]


def test_finished_notifications_lose_their_address_after_the_log_retention(
    world, notifications, pipeline, mail_server, clock, notifications_worker
):
    n = notifications
    assert n.settings.log_retention_days == 400
    assert (
        NotificationsSettings.from_env(
            {
                "NOTIFICATIONS_DATABASE_URL": "sqlite://",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
                "JWT_SECRET": "x" * 32,
                "CASES_URL": "http://cases",
                "NOTIFICATIONS_ENCRYPTION_KEY": "k",
                "NOTIFICATIONS_MAIL_URL": "mailto://localhost",
                "NOTIFICATIONS_LOG_RETENTION_DAYS": "30",
            }
        ).log_retention_days
        == 30
    )
    fenna = family(world, "Fenna")
    pipeline.run()
    sent = [i for i, status in deliver_due(n).items() if status == "sent"]
    assert sent
    waiting = [r["id"] for r in of_case(n, fenna["case"]) if r["status"] == "planned"]
    assert waiting
    # The consent request, answered before it went (issue 11, item 18): finished, cancelled.
    moot = [r["id"] for r in rows(n) if r["status"] == "cancelled"]
    assert moot

    clock.advance(timedelta(days=399))
    assert scrub(n) == 0
    assert all(r["address"] for r in rows(n))

    clock.advance(timedelta(days=2))
    assert scrub(n) == len(sent) + len(moot)
    for row in rows(n):
        if row["id"] in sent:
            assert (row["status"], row["address"], row["context"]) == ("sent", "", {})
            assert row["sent_at"] is not None and row["policy_key"]
        elif row["id"] in moot:
            assert (row["status"], row["address"], row["context"]) == ("cancelled", "", {})
        else:  # never finished (nothing dispatched them in this test): kept for their send
            assert row["status"] == "planned" and row["address"] and row["context"]
    assert scrub(n) == 0  # once
