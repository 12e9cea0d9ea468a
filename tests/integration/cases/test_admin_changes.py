"""Issue 12 (the administrator's pages): what the cases API adds for them. A school's name, region
and BRIN change; a staff account gets another role and school, and its tokens so far are refused
(they name the old role); retention is a partnership setting. Only the partnership's own
administrator may, and the API checks every field."""

from __future__ import annotations

import json
from datetime import timedelta

import redis

from tests.conftest import NOW
from tests.support.world import PASSWORD, World


def test_the_administrator_changes_a_school(world: World) -> None:
    path = f"/api/v1/schools/{world.school_a1}"
    changed = world.call("admin_a", "PATCH", path, json={"name": "De Regenboog", "brin": "12AB"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["name"], changed.json["brin"], changed.json["region"]) == (
        "De Regenboog",
        "12AB",
        "noord",
    )
    listed = world.call("admin_a", "GET", "/api/v1/schools").json
    assert "De Regenboog" in [s["name"] for s in listed]

    wrong = world.call("admin_a", "PATCH", path, json={"brin": "12", "region": "west", "name": ""})
    assert wrong.status_code == 422
    assert set(wrong.json["errors"]) == {"brin", "region", "name"}
    assert world.call("admin_b", "PATCH", path, json={"name": "X"}).status_code == 404
    for who in ("director_a1", "consultant_a", "coordinator_a1"):
        assert world.call(who, "PATCH", path, json={"name": "X"}).status_code == 403, who
    assert world.call("admin_a", "GET", "/api/v1/schools").json[0]["name"] != "X"


def test_a_new_role_refuses_the_old_tokens_and_the_next_log_in_carries_it(
    world: World, clock, redis_client: redis.Redis
) -> None:
    teacher = world.users["teacher_a1"]
    path = f"/api/v1/users/{teacher}"
    body = {"role": "coordinator", "school_id": str(world.school_a2)}
    changed = world.call("admin_a", "PATCH", path, json=body)
    assert changed.status_code == 200, changed.json
    assert changed.json["role"] == "coordinator"
    assert changed.json["school_id"] == str(world.school_a2)
    cached = json.loads(redis_client.get(f"auth:validity:{teacher}"))
    assert cached == {"active": True, "valid_after": NOW.isoformat()}
    assert world.call("teacher_a1", "GET", "/api/v1/pupils").status_code == 401

    clock.advance(timedelta(seconds=1))
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "teacher_a1@test.nl", "password": PASSWORD}
    )
    assert login.status_code == 200 and login.json["role"] == "coordinator"


def test_role_changes_the_api_refuses(world: World, redis_client: redis.Redis) -> None:
    teacher, guardian = world.users["teacher_a1"], world.users["guardian_a1"]

    def patch(who: str, user, body) -> tuple[int, dict]:
        answer = world.call(who, "PATCH", f"/api/v1/users/{user}", json=body)
        return answer.status_code, answer.json

    status, body = patch("admin_a", teacher, {"role": "teacher"})
    assert status == 422 and body["errors"] == {"school_id": ["School staff need a school."]}
    status, body = patch(
        "admin_a", teacher, {"role": "consultant", "school_id": str(world.school_a1)}
    )
    assert status == 422 and body["errors"] == {
        "school_id": ["Only school staff belong to a school."]
    }
    status, body = patch("admin_a", teacher, {"role": "guardian"})
    assert status == 422 and "role" in body["errors"]
    status, body = patch("admin_a", guardian, {"role": "consultant"})
    assert status == 422 and body["errors"] == {"role": ["Only a staff account's role can change."]}
    status, body = patch("admin_a", world.users["admin_a"], {"role": "consultant"})
    assert status == 422 and body["errors"] == {"role": ["Ask another administrator."]}
    other_school = {"role": "teacher", "school_id": str(world.school_b1)}
    assert patch("admin_a", teacher, other_school)[0] == 404
    assert patch("admin_b", teacher, {"role": "consultant"})[0] == 404
    for who in ("director_a1", "consultant_a", "coordinator_a1"):
        assert patch(who, teacher, {"role": "consultant"})[0] == 403, who
    assert not redis_client.exists(f"auth:validity:{teacher}")
    assert world.call("teacher_a1", "GET", "/api/v1/pupils").status_code == 200


def test_retention_is_a_partnership_setting(world: World) -> None:
    path = f"/api/v1/partnerships/{world.partnership_a}"
    shown = world.call("admin_a", "GET", path).json["settings"]
    assert (shown["retention_years"], shown["referral_retention_years"]) == (2, 3)
    changes = {"retention_years": 3, "referral_retention_years": 5}
    changed = world.call("admin_a", "PATCH", f"{path}/settings", json=changes)
    assert changed.status_code == 200, changed.json
    assert changed.json["settings"]["retention_years"] == 3
    assert world.call("admin_a", "GET", path).json["settings"]["referral_retention_years"] == 5
    wrong = world.call("admin_a", "PATCH", f"{path}/settings", json={"retention_years": 0})
    assert wrong.status_code == 422 and "retention_years" in wrong.json["errors"]
