"""Disabling an account (issue 5): the administrator's endpoints, who may use them, and the
token refused at once by cases. Notifications and reports: see their test_revocation modules."""

from __future__ import annotations

import json
from datetime import timedelta

import redis

from tests.conftest import NOW
from tests.support import api_flows as f
from tests.support.world import PASSWORD, World


def test_disabled_user_is_refused_at_once_and_can_be_enabled_again(
    world: World, redis_client: redis.Redis
) -> None:
    coordinator = world.users["coordinator_a1"]
    assert world.call("coordinator_a1", "GET", "/api/v1/pupils").status_code == 200

    response = world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/disable")
    assert response.status_code == 200, response.json
    assert response.json["active"] is False
    cached = json.loads(redis_client.get(f"auth:validity:{coordinator}"))
    assert cached == {"active": False, "valid_after": NOW.isoformat()}

    refused = world.call("coordinator_a1", "GET", "/api/v1/pupils")
    assert refused.status_code == 401
    assert refused.json["code"] == "unauthorized"
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "coordinator_a1@test.nl", "password": PASSWORD}
    )
    assert login.status_code == 401

    response = world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/enable")
    assert response.status_code == 200 and response.json["active"] is True
    cached = json.loads(redis_client.get(f"auth:validity:{coordinator}"))
    assert cached == {"active": True, "valid_after": NOW.isoformat()}
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "coordinator_a1@test.nl", "password": PASSWORD}
    )
    assert login.status_code == 200


def test_only_the_partnerships_administrator_disables_and_never_themselves(
    world: World, redis_client: redis.Redis
) -> None:
    coordinator = world.users["coordinator_a1"]
    other_admin = world.call("admin_b", "POST", f"/api/v1/users/{coordinator}/disable")
    assert other_admin.status_code == 404
    for who in ("coordinator_a2", "director_a1", "consultant_a", "teacher_a1", "guardian_a1"):
        response = world.call(who, "POST", f"/api/v1/users/{coordinator}/disable")
        assert response.status_code == 403, who
    own = world.call("admin_a", "POST", f"/api/v1/users/{world.users['admin_a']}/disable")
    assert own.status_code == 422
    assert own.json["errors"] == {"active": ["Ask another administrator."]}

    assert not redis_client.exists(f"auth:validity:{coordinator}")
    assert world.call("coordinator_a1", "GET", "/api/v1/pupils").status_code == 200
    users = world.call("admin_a", "GET", "/api/v1/users").json
    assert all(u["active"] for u in users)


def test_a_service_token_reads_the_internal_endpoints_and_nothing_else(world: World) -> None:
    import uuid

    from shared.auth import Principal, Role, issue_token
    from tests.conftest import JWT_SECRET, NOW

    service = Principal(user_id=uuid.uuid4(), role=Role.SERVICE, partnership_id=None)
    world.tokens["service"] = issue_token(service, JWT_SECRET, NOW)
    pupil = world.pupils[next(iter(world.pupils))]
    allowed = [
        f"/api/v1/internal/audience?school_id={world.school_a1}",
        "/api/v1/events?after=0&limit=10",
        f"/api/v1/cases?pupil_id={pupil}",
    ]
    _, plan = f.case_with_active_plan(world, "a2", "coordinator_a2")
    allowed.append(f"/api/v1/internal/plans/{plan['id']}/consent")
    for path in allowed:
        assert world.call("service", "GET", path).status_code == 200, path
    refused = [
        ("GET", f"/api/v1/pupils/{pupil}"),
        ("GET", "/api/v1/pupils"),
        ("GET", "/api/v1/users"),
        ("GET", "/api/v1/audit"),
        ("POST", "/api/v1/cases"),
        ("POST", f"/api/v1/users/{world.users['coordinator_a1']}/disable"),
    ]
    for method, path in refused:
        response = world.call("service", method, path, json={} if method == "POST" else None)
        assert response.status_code == 403, (method, path)
        assert response.json["code"] == "forbidden"


def test_a_token_issued_before_a_disable_stays_dead_after_a_re_enable(world, clock) -> None:
    """docs/SECURITY.md: after a re-enable the user logs in again; the old token is refused."""
    coordinator = world.users["coordinator_a1"]
    clock.advance(timedelta(minutes=5))  # the token of the world was issued at NOW
    assert world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/disable").status_code == 200
    clock.advance(timedelta(minutes=1))
    assert world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/enable").status_code == 200
    old = world.call("coordinator_a1", "GET", "/api/v1/pupils")
    assert old.status_code == 401 and old.json["code"] == "unauthorized"

    clock.advance(timedelta(seconds=1))
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "coordinator_a1@test.nl", "password": PASSWORD}
    )
    assert login.status_code == 200
    world.tokens["coordinator_a1"] = login.json["access_token"]
    assert world.call("coordinator_a1", "GET", "/api/v1/pupils").status_code == 200


def test_a_disabled_users_write_is_refused_at_once_and_writes_nothing(world, container) -> None:
    """A write checks the account outside its transaction (an autocommitted SELECT, issue 15):
    the disable counts for the very next write."""
    case = f.open_case(world)
    path = f"/api/v1/cases/{case['id']}/interventions"
    assert world.call("coordinator_a1", "POST", path, json=f.intervention_body()).status_code == 201
    coordinator = world.users["coordinator_a1"]
    assert world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/disable").status_code == 200
    with f.NothingWritten(container):
        refused = world.call("coordinator_a1", "POST", path, json=f.intervention_body())
    assert refused.status_code == 401 and refused.json["code"] == "unauthorized"
