"""The case timeline names who did each step (issue 12: "gestart door ..."): a staff member by
name, a guardian who answered online as "ouder/verzorger", a scheduled reminder as "het systeem".
Who it was is kept in the outbox row, never in the event itself. Today is 2026-10-15."""

from __future__ import annotations

import json

from sqlalchemy import text

from services.cases.service_layer import scheduling
from tests.integration.cases.test_guardian_sign_in import sign_in
from tests.support.api_flows import (
    call_ok,
    open_case,
    ready_plan,
    request_consent,
    start_intervention,
)


def test_each_timeline_entry_names_its_actor_and_no_event_carries_it(
    world, client, container, clock
):
    case = open_case(world, "a1_other")
    start_intervention(world, case["id"], starts_on="2026-10-01", evaluate_by="2026-10-20")
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    world.tokens["parent"] = sign_in(client, container, clock)
    current = call_ok(world, "parent", "GET", f"/api/v1/development-plans/{plan['id']}", 200)
    call_ok(
        world,
        "parent",
        "POST",
        f"/api/v1/development-plans/{plan['id']}/online-consent",
        200,
        json={"decision": "agreed", "content_hash": current["action_plan_hash"]},
    )
    assert scheduling.emit_scheduled_notices(container.uow()) >= 1  # an evaluation nears

    timeline = call_ok(world, "coordinator_a1", "GET", f"/api/v1/cases/{case['id']}/timeline", 200)
    by_type = {e["type"]: e["actor"] for e in timeline}
    coordinator = {"kind": "staff", "role": "coordinator", "name": "coordinator_a1"}
    assert by_type["case.opened"] == coordinator
    assert by_type["development_plan.consent_requested"] == coordinator
    guardian = {"kind": "guardian", "role": "guardian", "name": "ouder/verzorger"}
    assert by_type["development_plan.consent_recorded"] == guardian
    assert by_type["development_plan.activated"] == guardian
    system = {"kind": "system", "role": None, "name": "het systeem"}
    assert by_type["intervention.evaluation_approaching"] == system
    # Neither the event nor the event log names anyone.
    with container.engine.connect() as conn:
        envelopes = conn.execute(text("SELECT envelope FROM outbox")).scalars().all()
    assert envelopes and all("actor" not in json.loads(e) for e in envelopes)
    assert not any(str(world.users["coordinator_a1"]) in e for e in envelopes)
    log = call_ok(world, "admin_a", "GET", "/api/v1/events?limit=5000", 200)
    assert "coordinator_a1" not in json.dumps(log) and "het systeem" not in json.dumps(log)


def test_events_from_before_the_actor_was_kept_have_none(world, container):
    case = open_case(world, "a1")
    with container.engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET actor_id = NULL, actor_role = NULL"))
    timeline = call_ok(world, "coordinator_a1", "GET", f"/api/v1/cases/{case['id']}/timeline", 200)
    assert [e["actor"] for e in timeline] == [None]
