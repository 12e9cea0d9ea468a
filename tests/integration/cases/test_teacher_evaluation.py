"""A teacher records how a basic intervention they carry out went (a pupil assigned to them);
the intervention.evaluated event says who recorded it, by user id only."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.support import api_flows as f


def _last_event(container) -> dict:
    with container.engine.connect() as conn:
        envelope = conn.execute(
            text("SELECT envelope FROM outbox ORDER BY seq DESC LIMIT 1")
        ).scalar_one()
    return json.loads(envelope)


def _assigned_pupil(world) -> str:
    staff = [
        {"user_id": str(world.users["coordinator_a1"]), "role": "coordinator"},
        {"user_id": str(world.users["teacher_a1"]), "role": "teacher"},
    ]
    return f.register_pupil(world, "Lotte", staff=staff)


BODY = {"outcome": "partly_effective", "evaluated_on": "2026-10-14", "note": None}


def test_an_assigned_teacher_evaluates_a_basic_intervention_and_the_event_says_who(
    world, container
):
    _assigned_pupil(world)
    case = f.open_case(world, "Lotte")
    item = f.start_intervention(world, case["id"])
    path = f"/api/v1/interventions/{item['id']}/evaluation"
    done = f.call_ok(world, "teacher_a1", "POST", path, 200, json=BODY)
    assert (done["status"], done["outcome"]) == ("evaluated", "partly_effective")
    event = _last_event(container)
    assert event["type"] == "intervention.evaluated"
    assert event["data"]["evaluated_by"] == str(world.users["teacher_a1"])
    assert "Lotte" not in json.dumps(event)


def test_the_coordinator_s_evaluation_names_the_coordinator(world, container):
    case = f.open_case(world, "a1")
    item = f.start_intervention(world, case["id"])
    f.evaluate_intervention(world, item["id"])
    assert _last_event(container)["data"]["evaluated_by"] == str(world.users["coordinator_a1"])


def test_a_teacher_not_assigned_to_the_pupil_cannot_evaluate(world, container):
    case = f.open_case(world, "a1")  # a1's staff: the coordinator only
    item = f.start_intervention(world, case["id"])
    path = f"/api/v1/interventions/{item['id']}/evaluation"
    with f.NothingWritten(container):
        response = world.call("teacher_a1", "POST", path, json=BODY)
    assert response.status_code in (403, 404), response.json  # 404 once teachers see only theirs
    f.assert_error(response, response.status_code)


def test_a_teacher_does_not_evaluate_an_extra_intervention(world, container):
    pupil = _assigned_pupil(world)
    case, _plan = f.case_with_active_plan(world, "Lotte")
    path = f"/api/v1/cases/{case['id']}/interventions"
    body = f.intervention_body(domain="reading_dyslexia_combined")
    item = f.call_ok(world, "coordinator_a1", "POST", path, 201, json=body)
    assert item["level"] == "extra", pupil
    evaluation = f"/api/v1/interventions/{item['id']}/evaluation"
    with f.NothingWritten(container):
        response = world.call("teacher_a1", "POST", evaluation, json=BODY)
    f.assert_error(response, 403)
