"""Consuming events: idempotent by event id, default policies for a new partnership, the real path
from the cases outbox through the relay and a Redis Stream, failed entries reclaimed, and
unparseable entries dead-lettered.

The world (tests/support/world.py): pupil a1 at School A1 (region noord) has guardian
'Ouder a1' <guardian_a1@test.nl> and coordinator_a1 as assigned staff; director_a1 leads the school.
A basic reading intervention starts on 7 September 2026 and is evaluated by Monday 2 November 2026.
"""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

from services.notifications.domain.policy import default_policies
from services.notifications.service_layer import batch
from shared.streams import ENVELOPE_FIELD
from tests.conftest import NOW
from tests.integration.notifications.helpers import outbox_envelopes, rows
from tests.support.api_flows import open_case, start_intervention


def utc_on(day: date, hour: int):
    from datetime import UTC, datetime

    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def intervention_rows(notifications, case_id):
    return {
        (r["policy_key"], r["recipient_role"], r["address"], r["kind"], r["send_at"])
        for r in rows(notifications, case_id=case_id)
    }


def expected_intervention_rows(case_id):
    # 7 days before Monday 2 November is Monday 26 October, the day after noord's autumn holiday;
    # 08:00 in winter time is 07:00 UTC.
    return {
        ("support_started", "guardian", "guardian_a1@test.nl", "now", NOW),
        (
            "intervention_evaluation",
            "coordinator",
            "coordinator_a1@test.nl",
            "lead:7",
            utc_on(date(2026, 10, 26), 7),
        ),
        (
            "intervention_evaluation",
            "coordinator",
            "coordinator_a1@test.nl",
            "lead:0",
            utc_on(date(2026, 11, 2), 7),
        ),
    }


def test_an_event_is_planned_once_and_a_new_partnership_gets_the_default_policies(
    container, notifications, world
):
    case = open_case(world)
    start_intervention(world, case["id"])
    [started] = outbox_envelopes(container, "intervention.started")
    with notifications.store() as store:
        assert store.policies(world.partnership_a) == []

    n = notifications
    assert batch.handle_event(started, n.store, n.directory, NOW) == 3
    assert batch.handle_event(started, n.store, n.directory, NOW) == 0  # the same envelope
    assert intervention_rows(n, case["id"]) == expected_intervention_rows(case["id"])

    with n.store() as store:
        keys = sorted(p.key for p in store.policies(world.partnership_a))
        assert store.policies(world.partnership_b) == []
    assert keys == sorted(p.key for p in default_policies(world.partnership_a))


def test_events_travel_from_the_outbox_through_the_stream_into_planned_rows(
    notifications, world, pipeline, container
):
    case = open_case(world)
    start_intervention(world, case["id"])
    published = pipeline.relay()
    assert published >= len(outbox_envelopes(container, "pupil.enrolled")) + 3
    handled = pipeline.consume()
    assert handled == published
    assert pipeline.pending() == 0
    assert intervention_rows(notifications, case["id"]) == expected_intervention_rows(case["id"])

    # School A1 published its support profile (review by 31 July 2029): its coordinator and
    # director are reminded 90 and 30 days ahead.
    profile = {
        (r["recipient_role"], r["kind"], r["due_on"])
        for r in rows(notifications, policy_key="support_profile_review")
    }
    assert profile == {
        (role, kind, date(2029, 7, 31))
        for role in ("coordinator", "director")
        for kind in ("lead:90", "lead:30")
    }
    # Both partnerships got their defaults from their first events.
    with notifications.store() as store:
        assert store.has_policies(world.partnership_a) and store.has_policies(world.partnership_b)

    # Running again handles nothing: everything was acknowledged.
    assert pipeline.run() == 0
    assert len(rows(notifications, case_id=case["id"])) == 3


def test_an_entry_that_fails_stays_pending_and_is_handled_when_reclaimed(
    notifications, world, pipeline, cases_server
):
    case = open_case(world)
    start_intervention(world, case["id"])
    cases_server.stop()  # the audience cannot be asked now
    pipeline.relay()
    pipeline.consume()
    assert pipeline.pending() >= 1  # intervention.started (and the profile) wait
    assert rows(notifications, case_id=case["id"]) == []

    cases_server.start()
    assert pipeline.consume() >= 1  # reclaimed (claim_idle_ms=0) and handled
    assert pipeline.pending() == 0
    assert intervention_rows(notifications, case["id"]) == expected_intervention_rows(case["id"])
    assert pipeline.consume() == 0


def test_an_unparseable_entry_goes_to_the_dead_letter_stream(
    notifications, pipeline, redis_client, stream_name
):
    redis_client.xadd(stream_name, {ENVELOPE_FIELD: "{not json"})
    redis_client.xadd(stream_name, {ENVELOPE_FIELD: json.dumps({"id": str(uuid4())})})
    redis_client.xadd(stream_name, {"something": "else"})
    unknown = {
        "id": str(uuid4()),
        "type": "report.something_new",
        "version": 1,
        "occurred_at": NOW.isoformat(),
        "partnership_id": str(uuid4()),
        "school_id": None,
        "subject": {"kind": "report", "id": str(uuid4())},
        "data": {},
    }
    redis_client.xadd(stream_name, {ENVELOPE_FIELD: json.dumps(unknown)})

    assert pipeline.consume() == 0
    dead = redis_client.xrange(f"{stream_name}:dead")
    assert len(dead) == 3  # a newer producer's event type is skipped, not buried
    assert {fields["reason"] for _id, fields in dead} == {"unparseable envelope"}
    assert all(fields["group"] == "notifications" for _id, fields in dead)
    assert dead[0][1][ENVELOPE_FIELD] == "{not json"
    assert pipeline.pending() == 0
    assert rows(notifications) == []


def test_events_dead_lettered_during_a_long_outage_are_replayed_once(
    notifications, world, pipeline, cases_server, redis_client, stream_name
):
    case = open_case(world)
    start_intervention(world, case["id"])
    cases_server.stop()  # a long outage: every delivery fails until the limit buries them
    pipeline.consumer.max_deliveries = 2
    pipeline.relay()
    for _ in range(4):
        pipeline.consume()
    dead = redis_client.xrange(f"{stream_name}:dead")
    assert dead and {f["reason"] for _id, f in dead} == {"too many deliveries"}
    assert pipeline.pending() == 0 and rows(notifications, case_id=case["id"]) == []

    cases_server.start()
    replayed, failed = pipeline.consumer.replay_dead()
    assert (replayed, failed) == (len(dead), 0)
    assert redis_client.xrange(f"{stream_name}:dead") == []
    assert intervention_rows(notifications, case["id"]) == expected_intervention_rows(case["id"])
    assert pipeline.consumer.replay_dead() == (0, 0)  # idempotent: nothing twice
