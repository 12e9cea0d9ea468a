"""POST /api/v1/internal/audiences: many audiences in one call (the notifications consumer's
batch, issue 15), each the answer GET /api/v1/internal/audience gives, null for what is gone;
service accounts only; a bad query is a 422 and answers nothing."""

from __future__ import annotations

import uuid

from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.support import api_flows as f
from tests.support.world import World

PATH = "/api/v1/internal/audiences"


def as_service(world: World) -> None:
    service = Principal(user_id=uuid.uuid4(), role=Role.SERVICE, partnership_id=None)
    world.tokens["service"] = issue_token(service, JWT_SECRET, NOW)


def test_many_audiences_in_one_call_answer_what_one_by_one_answers(world: World) -> None:
    as_service(world)
    case = f.open_case(world)
    queries = [
        {"case_id": case["id"]},
        {"school_id": str(world.school_a1), "partnership_consultants": True},
        {"case_id": str(uuid.uuid4())},  # no such case
    ]
    response = world.call("service", "POST", PATH, json={"queries": queries})
    assert response.status_code == 200, response.json
    one, two, gone = response.json["audiences"]
    single = f"/api/v1/internal/audience?case_id={case['id']}"
    assert one == world.call("service", "GET", single).json
    wide = f"/api/v1/internal/audience?school_id={world.school_a1}&partnership_consultants=true"
    assert two == world.call("service", "GET", wide).json
    assert gone is None


def test_only_service_accounts_and_only_valid_queries(world: World) -> None:
    as_service(world)
    body = {"queries": [{"school_id": str(world.school_a1)}]}
    assert world.call("coordinator_a1", "POST", PATH, json=body).status_code == 403
    assert world.call("admin_a", "POST", PATH, json=body).status_code == 403
    for bad in (
        {"queries": []},
        {"queries": [{"school_id": str(world.school_a1), "case_id": str(uuid.uuid4())}]},
        {"queries": [{"school_id": "not-a-uuid"}]},
        {"queries": [{"school_id": str(world.school_a1)}] * 501},
        {},
    ):
        f.assert_error(world.call("service", "POST", PATH, json=bad), 422)
