"""A created resource answers 201 with its Location, where a GET reads it (issue 11: scheduling an
extra evaluation answered 200 without saying where the new evaluation is)."""

from __future__ import annotations

from tests.support import api_flows as f
from tests.support.api_flows import COORDINATOR


def created(world, path: str, body: dict) -> tuple[dict, str]:
    response = world.call(COORDINATOR, "POST", path, json=body)
    assert response.status_code == 201, (path, response.status_code, response.json)
    location = response.headers["Location"]
    assert location.startswith("/api/v1/"), location
    return response.json, location


def read(world, location: str) -> dict:
    response = world.call(COORDINATOR, "GET", location)
    assert response.status_code == 200, (location, response.json)
    return response.json


def test_an_extra_plan_evaluation_is_created_with_its_location(world) -> None:
    _case, plan = f.case_with_active_plan(world, "a1")
    path = f"/api/v1/development-plans/{plan['id']}/evaluations"
    body, location = created(world, path, {"due_on": "2026-11-20"})
    added = [e for e in body["evaluations"] if e["due_on"] == "2026-11-20"]
    assert len(added) == 1
    assert location == f"{path}/{added[0]['id']}"
    assert read(world, location) == added[0]
    elsewhere = f"/api/v1/development-plans/{plan['id']}/evaluations/{body['id']}"
    assert world.call(COORDINATOR, "GET", elsewhere).status_code == 404


def test_cases_plans_and_pupils_are_created_with_their_location(world) -> None:
    pupil, location = created(
        world,
        "/api/v1/pupils",
        {
            "school_id": str(world.school_a1),
            "given_name": "Noor",
            "family_name": "Test",
            "date_of_birth": "2017-03-01",
            "group": "groep 4",
            "enrolled_on": "2021-08-23",
            "guardians": [{"name": "Ouder Noor", "email": "ouder.noor@test.nl"}],
        },
    )
    assert read(world, location)["id"] == pupil["id"] and location.endswith(pupil["id"])
    case, location = created(
        world, "/api/v1/cases", {"pupil_id": pupil["id"], "opened_on": "2026-09-01"}
    )
    assert read(world, location)["id"] == case["id"]
    plan, location = created(world, f"/api/v1/cases/{case['id']}/development-plans", f.plan_body())
    assert read(world, location)["id"] == plan["id"]
