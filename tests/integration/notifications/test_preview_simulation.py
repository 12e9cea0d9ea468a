"""Simulating a policy over real HTTP: POST /api/v1/policies/preview (a draft, saved nowhere) and
GET /api/v1/policies/{id}/preview?simulate=true, against the dates the real cases service (in a
thread) has scheduled, on both databases, with the real holiday file.

Today is Thursday 15 October 2026, 10:00. Region noord (schools A1 and A2) has its herfstvakantie
from Saturday 17 to Sunday 25 October. Partnership A: an intervention at School A1 evaluated by
Monday 2 November and one at School A2 by Thursday 12 November; a development plan at A1 with
evaluations on Tuesday 1 December 2026 and Monday 1 March 2027. Partnership B: an intervention at
School B1 by Thursday 5 November.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.notifications.helpers import rows
from tests.integration.notifications.test_api import NONSENSE, Client, policy_count
from tests.support.api_flows import (
    assert_error,
    call_ok,
    open_case,
    ready_plan,
    record_consent,
    request_consent,
    start_intervention,
)

POLICIES = "/api/v1/policies/"
PREVIEW = "/api/v1/policies/preview"


def draft(**changes: Any) -> dict[str, Any]:
    """A reminder to the coordinator 14, 3 and 0 days before an intervention's evaluation."""
    body: dict[str, Any] = {
        "key": "ib_herinnering",
        "name": "Herinnering IB'er",
        "event_types": ["intervention.started"],
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
        "lead_times_days": [14, 3, 0],
    }
    body.update(changes)
    return body


@pytest.fixture
def api(notifications_client, world) -> Client:
    return Client(notifications_client, world)


@pytest.fixture
def story(world) -> dict[str, Any]:
    a1 = open_case(world, "a1")
    start_intervention(world, a1["id"])  # evaluate by 2026-11-02
    plan = ready_plan(world, a1["id"])  # evaluations 2026-12-01 and 2027-03-01
    request_consent(world, plan["id"])
    record_consent(world, plan["id"])
    a2 = open_case(world, "a2", who="coordinator_a2")
    start_intervention(world, a2["id"], who="coordinator_a2", evaluate_by="2026-11-12")
    b1 = open_case(world, "b1", who="coordinator_b1")
    theirs = start_intervention(world, b1["id"], who="coordinator_b1", evaluate_by="2026-11-05")
    return {"a1": a1["id"], "a2": a2["id"], "b1": b1["id"], "theirs": theirs["id"], "plan": plan}


def simulated(response: Any) -> list[tuple[str, str, str, str, str]]:
    assert response.status_code == 200, response.json
    return [
        (m["send_at_local"], m["reminder"], m["due_on"], m["school_id"], m["recipient_role"])
        for m in response.json["messages"]
    ]


def test_a_draft_is_simulated_for_the_next_30_days_and_nothing_is_saved(
    api, notifications, world, story
):
    assert api("admin_a", "GET", POLICIES).status_code == 200  # the defaults exist from here
    count, planned = policy_count(notifications), rows(notifications)

    response = api("admin_a", "POST", PREVIEW, json=draft())
    a1, a2 = str(world.school_a1), str(world.school_a2)
    # A1, 2 November: 14 days ahead is 19 October, in the herfstvakantie: Monday 26 October.
    # A2, 12 November: Thursday 29 October, Monday 9 November (3 days: a Monday), 12 November.
    assert simulated(response) == [
        ("2026-10-26T08:00:00+01:00", "lead:14", "2026-11-02", a1, "coordinator"),
        ("2026-10-29T08:00:00+01:00", "lead:14", "2026-11-12", a2, "coordinator"),
        ("2026-10-30T08:00:00+01:00", "lead:3", "2026-11-02", a1, "coordinator"),
        ("2026-11-02T08:00:00+01:00", "lead:0", "2026-11-02", a1, "coordinator"),
        ("2026-11-09T08:00:00+01:00", "lead:3", "2026-11-12", a2, "coordinator"),
        ("2026-11-12T08:00:00+01:00", "lead:0", "2026-11-12", a2, "coordinator"),
    ]
    body = response.json
    first = body["messages"][0]
    assert first["send_at"] == "2026-10-26T07:00:00+00:00"  # the same instant in UTC
    assert (first["event_type"], first["channel"], first["case_id"]) == (
        "intervention.started",
        "email",
        story["a1"],
    )
    assert first["template"] == "intervention.started.lead" and first["lead_days"] == 14
    assert body["total"] == 6 and body["per_role"] == {"coordinator": 6}
    assert [(d["date"], d["total"], d["roles"]) for d in body["per_day"]] == [
        (day, 1, {"coordinator": 1})
        for day in ("2026-10-26", "2026-10-29", "2026-10-30", "2026-11-02", "2026-11-09")
    ] + [("2026-11-12", 1, {"coordinator": 1})]
    assert body["days"] == 30 and body["counted"] == "per_role"
    assert body["start"] == "2026-10-15T08:00:00+00:00"
    assert body["end"] == "2026-11-14T08:00:00+00:00"
    assert body["dates_considered"] == 2 and body["not_simulated"] == []
    text = response.get_data(as_text=True)
    assert "@" not in text and "***" not in text  # no address, not even masked
    for foreign in (story["b1"], story["theirs"], str(world.school_b1), str(world.partnership_b)):
        assert foreign not in text

    # Nothing was saved or planned; the draft's key is still free.
    assert policy_count(notifications) == count and rows(notifications) == planned
    assert "ib_herinnering" not in {p["key"] for p in api("admin_a", "GET", POLICIES).json}
    assert api("admin_a", "POST", POLICIES, json=draft()).status_code == 201

    # Seven days ahead ends on 22 October, 10:00: nothing yet. Other partnership: its own only.
    assert simulated(api("admin_a", "POST", PREVIEW, json=draft(days=7))) == []
    theirs = simulated(api("admin_b", "POST", PREVIEW, json=draft()))
    assert {(m[2], m[3]) for m in theirs} == {("2026-11-05", str(world.school_b1))}


def test_the_simulation_of_a_saved_policy_is_what_the_consumer_plans(
    api, notifications, world, story, pipeline
):
    pipeline.run()  # the events reach the consumer, which plans the rows for real
    [saved] = [p for p in api("admin_a", "GET", POLICIES).json if p["key"] == "plan_evaluation"]
    path = f"{POLICIES}{saved['id']}/preview"
    planned = api("admin_a", "GET", f"{path}?days=60").json
    simulation = api("admin_a", "GET", f"{path}?simulate=true&days=60")
    assert simulation.status_code == 200, simulation.json
    messages = simulation.json["messages"]
    # 1 December: 17 November (14 days), Saturday 28 November -> Monday 30 November (3 days),
    # 1 December (0 days); to guardian, coordinator and teacher: one line per role.
    assert sorted({(m["send_at"], m["due_on"]) for m in messages}) == sorted(
        {(row["send_at"], row["due_on"]) for row in planned}
    )
    assert [m["send_at_local"][:10] for m in messages if m["recipient_role"] == "teacher"] == [
        "2026-11-17",
        "2026-11-30",
        "2026-12-01",
    ]
    assert simulation.json["per_role"] == {"coordinator": 3, "guardian": 3, "teacher": 3}
    # The consumer planned for the people there are (a guardian and the coordinator, no teacher).
    assert {row["recipient_role"] for row in planned} == {"guardian", "coordinator"}
    # The same simulation as a draft of the saved policy.
    body = {k: v for k, v in saved.items() if k not in ("id", "partnership_id", "group_channels")}
    drafted = api("admin_a", "POST", PREVIEW, json={**body, "days": 60})
    assert drafted.json == simulation.json
    # Without simulate the preview is the planned rows, as before.
    assert all("recipient" in row for row in planned)
    assert_error(api("admin_a", "GET", f"{path}?simulate=true&days=61"), 422, field="days")
    assert api("admin_a", "GET", f"{path}?days=61").status_code == 200


def test_meeting_reminders_are_simulated_as_the_consumer_plans_them(
    api, notifications, world, story, pipeline
):
    """The default meeting policy: a reminder the day before a planned meeting, at the send hour.
    The meeting on Tuesday 3 November at 15:30 is reminded of on Monday 2 November at 08:00, to
    each role; the invitation itself (a message at once) and a cancellation are not simulated."""
    plan = story["plan"]
    evaluation = plan["evaluations"][0]
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}/meeting"
    body = {"starts_at": "2026-11-03T15:30:00+01:00", "duration_minutes": 45}
    call_ok(world, "coordinator_a1", "PUT", path, 200, json=body)
    pipeline.run()
    [saved] = [p for p in api("admin_a", "GET", POLICIES).json if p["key"] == "evaluation_meeting"]
    assert saved["lead_times_days"] == [1]
    preview = f"{POLICIES}{saved['id']}/preview"
    rows_now = api("admin_a", "GET", f"{preview}?days=60").json
    planned = [r for r in rows_now if r["template"].endswith(".lead")]
    simulation = api("admin_a", "GET", f"{preview}?simulate=true&days=60")
    assert simulation.status_code == 200, simulation.json
    messages = simulation.json["messages"]
    assert [(m["send_at_local"], m["reminder"], m["due_on"]) for m in messages] == [
        ("2026-11-02T08:00:00+01:00", "lead:1", "2026-11-03")
    ] * 3
    assert {m["recipient_role"] for m in messages} == {"guardian", "coordinator", "teacher"}
    assert {m["subject_kind"] for m in messages} == {"meeting"}
    assert {m["template"] for m in messages} == {"development_plan.meeting_planned.lead"}
    assert {(m["send_at"], m["due_on"]) for m in messages} == {
        (row["send_at"], row["due_on"]) for row in planned
    }
    assert simulation.json["not_simulated"] == ["development_plan.meeting_cancelled"]
    assert simulation.json["dates_considered"] == 1
    # Without a lead time the policy only invites: nothing to simulate.
    body = {k: v for k, v in saved.items() if k not in ("id", "partnership_id", "group_channels")}
    drafted = api("admin_a", "POST", PREVIEW, json={**body, "lead_times_days": [], "days": 60})
    assert drafted.status_code == 200 and drafted.json["messages"] == []


def test_a_draft_that_makes_no_sense_is_refused_as_create_refuses_it(api, notifications):
    assert api("admin_a", "GET", POLICIES).status_code == 200
    before = policy_count(notifications)
    for changes, field in NONSENSE:
        refused = api("admin_a", "POST", PREVIEW, json=draft(**changes))
        assert_error(refused, 422, field=field)
        created = api("admin_a", "POST", POLICIES, json=draft(**changes))
        assert refused.json == created.json, changes  # the same problems, word for word
    for days in (0, 61, "x"):
        assert_error(api("admin_a", "POST", PREVIEW, json=draft(days=days)), 422, field="days")
    assert_error(api("admin_a", "POST", PREVIEW, json={"name": "x"}), 422, field="key")
    assert policy_count(notifications) == before


def test_only_the_partnerships_administrator_simulates(api, world, story):
    saved = api("admin_a", "POST", POLICIES, json=draft()).json
    path = f"{POLICIES}{saved['id']}/preview?simulate=true"
    for who in ("coordinator_a1", "director_a1", "teacher_a1", "consultant_a", "guardian_a1"):
        assert_error(api(who, "POST", PREVIEW, json=draft()), 403, "forbidden")
        assert_error(api(who, "GET", path), 403, "forbidden")
    # Another partnership's policy, or school, does not exist for you.
    assert_error(api("admin_b", "GET", path), 404, "not_found")
    drafted = draft(policy_id=saved["id"])
    assert_error(api("admin_b", "POST", PREVIEW, json=drafted), 404, "not_found")
    foreign = draft(school_id=str(world.school_b1))
    assert_error(api("admin_a", "POST", PREVIEW, json=foreign), 422, field="school_id")


def test_school_versions_group_channels_and_a_cases_service_that_does_not_answer(
    api, world, story, cases_server
):
    a2 = str(world.school_a2)
    # School A2 has its own version of the key: the partnership's draft leaves A2 out.
    own = api("admin_a", "POST", POLICIES, json=draft(school_id=a2, lead_times_days=[1]))
    assert own.status_code == 201, own.json
    wide = api("admin_a", "POST", PREVIEW, json=draft())
    assert {m[3] for m in simulated(wide)} == {str(world.school_a1)}
    assert wide.json["schools_overridden"] == [a2]
    # The school's draft sees its own school only: 1 day before 12 November is Wednesday 11th.
    school = api("admin_a", "POST", PREVIEW, json=draft(school_id=a2, lead_times_days=[1]))
    assert simulated(school) == [
        ("2026-11-11T08:00:00+01:00", "lead:1", "2026-11-12", a2, "coordinator")
    ]
    # A draft of a saved policy with group channels keeps them when it gives none (as PUT).
    url = "json://hooks.example.test/zorgteam?token=geheim"
    saved = api("admin_a", "POST", POLICIES, json=draft(key="met_groep", group_urls=[url])).json
    changed = draft(key="met_groep", lead_times_days=[0], policy_id=saved["id"])
    grouped = api("admin_a", "POST", PREVIEW, json=changed)
    assert grouped.json["per_role"] == {"coordinator": 2, "group": 2}  # 2 and 12 November
    del changed["policy_id"]
    assert api("admin_a", "POST", PREVIEW, json=changed).json["per_role"] == {"coordinator": 2}
    assert "geheim" not in grouped.get_data(as_text=True)

    cases_server.stop()
    try:
        assert_error(api("admin_a", "POST", PREVIEW, json=draft()), 503)
    finally:
        cases_server.start()
