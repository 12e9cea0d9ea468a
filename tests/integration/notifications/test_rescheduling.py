"""Date changes move reminders; closing a plan or a case cancels what is still pending.

The story: pupil a1's case gets a basic intervention (evaluate by 2 November 2026), then a
development plan with evaluations on Tuesday 1 December 2026 and Monday 1 March 2027, consented by
the parents. The default policy 'plan_evaluation' reminds the guardian and the coordinator 14, 3
and 0 days before each evaluation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.integration.notifications.helpers import rows
from tests.support.api_flows import (
    call_ok,
    open_case,
    ready_plan,
    record_consent,
    request_consent,
    start_intervention,
)
from tests.support.world import World

FIRST = date(2026, 12, 1)
SECOND = date(2027, 3, 1)


def plan_story(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    case = open_case(world)
    start_intervention(world, case["id"])
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    plan = record_consent(world, plan["id"])
    return case, plan


def evaluation_id(plan: dict[str, Any], due_on: date) -> str:
    return next(e["id"] for e in plan["evaluations"] if e["due_on"] == due_on.isoformat())


def reminders(notifications, case_id: str, status: str = "planned") -> dict[date, set[tuple]]:
    """The evaluation reminders of a case with a status, per due date."""
    out: dict[date, set[tuple]] = {}
    for r in rows(notifications, case_id=case_id, policy_key="plan_evaluation", status=status):
        out.setdefault(r["due_on"], set()).add((r["recipient_role"], r["kind"]))
    return out


EACH = {
    (role, kind) for role in ("guardian", "coordinator") for kind in ("lead:14", "lead:3", "lead:0")
}
# 1 March 2027: the 3-day reminder falls in noord's voorjaarsvakantie (20-28 February), moves to
# 1 March itself and goes as one message with the 0-day reminder.
MERGED = {(role, kind) for role, kind in EACH if kind != "lead:3"}


def move(world: World, plan: dict[str, Any], evaluation: str, due_on: date) -> dict[str, Any]:
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation}"
    return call_ok(world, "coordinator_a1", "PATCH", path, 200, json={"due_on": due_on.isoformat()})


def test_a_plan_evaluation_is_reminded_at_every_lead_time(notifications, world, pipeline):
    case, _plan = plan_story(world)
    pipeline.run()
    assert reminders(notifications, case["id"]) == {FIRST: EACH, SECOND: MERGED}
    send = {
        (r["due_on"], r["kind"]): r["send_at"].isoformat()
        for r in rows(notifications, case_id=case["id"], policy_key="plan_evaluation")
    }
    assert send == {
        (FIRST, "lead:14"): "2026-11-17T07:00:00+00:00",  # Tuesday 08:00 winter time
        (FIRST, "lead:3"): "2026-11-30T07:00:00+00:00",  # Saturday 28th: Monday 08:00
        (FIRST, "lead:0"): "2026-12-01T07:00:00+00:00",
        (SECOND, "lead:14"): "2027-02-15T07:00:00+00:00",
        (SECOND, "lead:0"): "2027-03-01T07:00:00+00:00",  # lead:3 merged into it (see MERGED)
    }


def test_a_rescheduled_evaluation_cancels_the_old_reminders_and_plans_new_ones(
    notifications, world, pipeline
):
    case, plan = plan_story(world)
    pipeline.run()
    moved_to = date(2026, 12, 8)
    move(world, plan, evaluation_id(plan, FIRST), moved_to)
    pipeline.run()
    assert reminders(notifications, case["id"]) == {moved_to: EACH, SECOND: MERGED}
    assert reminders(notifications, case["id"], "cancelled") == {FIRST: EACH}
    fresh = rows(notifications, case_id=case["id"], due_on=moved_to)
    assert {r["event_type"] for r in fresh} == {"development_plan.evaluation_rescheduled"}
    assert {r["template"] for r in fresh} == {"development_plan.evaluation_rescheduled.lead"}


def test_an_evaluation_moved_back_to_its_first_date_is_reminded_again(
    notifications, world, pipeline
):
    case, plan = plan_story(world)
    pipeline.run()
    evaluation = evaluation_id(plan, FIRST)
    move(world, plan, evaluation, date(2026, 12, 8))
    pipeline.run()
    move(world, plan, evaluation, FIRST)
    pipeline.run()
    assert reminders(notifications, case["id"]) == {FIRST: EACH, SECOND: MERGED}


def test_a_closed_plan_cancels_its_pending_reminders(notifications, world, pipeline):
    case, plan = plan_story(world)
    pipeline.run()
    body = {"held_on": "2026-10-14", "decision": "back_to_basic"}
    call_ok(
        world,
        "coordinator_a1",
        "POST",
        f"/api/v1/development-plans/{plan['id']}/evaluation",
        200,
        json=body,
    )
    pipeline.run()
    assert reminders(notifications, case["id"]) == {}
    assert reminders(notifications, case["id"], "cancelled") == {FIRST: EACH, SECOND: MERGED}
    # The basic intervention is not part of the plan: its reminders stay.
    kept = rows(notifications, case_id=case["id"], policy_key="intervention_evaluation")
    assert {r["status"] for r in kept} == {"planned"} and len(kept) == 2


@pytest.mark.parametrize("sent_first", [False, True])
def test_a_closed_case_cancels_every_pending_reminder_but_keeps_what_was_sent(
    notifications, world, pipeline, sent_first
):
    from services.notifications.service_layer import handlers

    case, _plan = plan_story(world)
    pipeline.run()
    n = notifications
    if sent_first:  # the guardian's 'support started' message goes out before the case closes
        for notification_id in handlers.due_for_dispatch(n.store, n.clock.now(), 100, 300):
            handlers.deliver(notification_id, n.store, n.sender, n.rules, n.clock.now)
    before = {r["id"]: r["status"] for r in rows(n, case_id=case["id"])}
    path = f"/api/v1/cases/{case['id']}/close"
    call_ok(
        world,
        "coordinator_a1",
        "POST",
        path,
        200,
        json={"closed_on": "2026-10-15", "reason": "goals_reached"},
    )
    pipeline.run()
    after = {r["id"]: r["status"] for r in rows(n, case_id=case["id"])}
    assert set(after) == set(before)  # nothing new planned for a closed case
    for notification_id, status in before.items():
        expected = "cancelled" if status == "planned" else status
        assert after[notification_id] == expected
    assert ("sent" in after.values()) is sent_first
    # School-level reminders (the support profile's review) are not the case's: they stay.
    profile = rows(n, policy_key="support_profile_review")
    assert profile and {r["status"] for r in profile} == {"planned"}
