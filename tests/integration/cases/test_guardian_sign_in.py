"""Parents in the loop (issue 13): a guardian signs in through a one-time link and answers the
consent request online. Asking for a link never tells whether an address is known; the event
holds ids only; a link works once and briefly; the guardian sees only their own children; an
online answer names the version read, and a stale one is refused."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import text

from services.cases.service_layer.guardian_access import SIGN_IN_PURPOSE
from shared.auth import service_token
from shared.signing import sign
from tests.support.api_flows import (
    assert_error,
    call_ok,
    open_case,
    outbox_types,
    plan_action,
    ready_plan,
    request_consent,
)

LINK = "/api/v1/auth/guardian-link"
SESSION = "/api/v1/auth/guardian-session"
OTHER = "other.parent@test.nl"  # guardian of pupil a1_other, no account yet


def web(container, clock) -> dict[str, str]:
    token = service_token("web", container.settings.jwt_secret, clock.now(), timedelta(minutes=5))
    return {"Authorization": f"Bearer {token}"}


def sign_in_events(container) -> list[dict]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT envelope FROM outbox WHERE type = 'guardian.sign_in_requested'")
        ).scalars()
        return [json.loads(r) for r in rows]


def ask_link(client, container, clock, email: str) -> None:
    answer = client.post(LINK, json={"email": email}, headers=web(container, clock))
    assert answer.status_code == 202, answer.get_data(as_text=True)


def link_token(container, clock, link_id: str) -> str:
    secret = container.settings.jwt_secret
    return sign({"lid": link_id}, secret, SIGN_IN_PURPOSE, clock.now(), timedelta(minutes=20))


def sign_in(client, container, clock, email: str = OTHER) -> str:
    ask_link(client, container, clock, email)
    link_id = sign_in_events(container)[-1]["data"]["link_id"]
    answer = client.post(
        SESSION,
        json={"token": link_token(container, clock, link_id)},
        headers=web(container, clock),
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["role"] == "guardian"
    return answer.json["access_token"]


def test_a_known_address_gets_a_link_event_with_ids_only(world, client, container, clock):
    ask_link(client, container, clock, "nobody@test.nl")
    ask_link(client, container, clock, "coordinator_a1@test.nl")  # staff sign in with a password
    assert sign_in_events(container) == []
    ask_link(client, container, clock, "Other.Parent@TEST.nl")
    (event,) = sign_in_events(container)
    assert set(event["data"]) == {"guardian_id", "link_id", "expires_at"}
    assert event["data"]["guardian_id"] == str(world.guardians["a1_other"])
    assert event["subject"] == {"kind": "guardian", "id": str(world.guardians["a1_other"])}
    assert "@" not in json.dumps(event) and "Ouder" not in json.dumps(event)


def test_same_answer_known_or_not_and_only_for_the_web(world, client, container, clock):
    known = client.post(LINK, json={"email": OTHER}, headers=web(container, clock))
    unknown = client.post(LINK, json={"email": "x@test.nl"}, headers=web(container, clock))
    assert (known.status_code, known.data) == (unknown.status_code, unknown.data)
    as_guardian = {"Authorization": f"Bearer {world.tokens['guardian_a1']}"}
    assert client.post(LINK, json={"email": OTHER}, headers=as_guardian).status_code == 403
    assert_error(client.post(LINK, json={"email": "no"}, headers=web(container, clock)), 422)


def test_a_link_works_once_and_shows_only_own_children(world, client, container, clock):
    token = sign_in(client, container, clock)
    seen = client.get("/api/v1/pupils", headers={"Authorization": f"Bearer {token}"}).json
    assert [p["id"] for p in seen["items"]] == [str(world.pupils["a1_other"])]
    other = client.get(
        f"/api/v1/pupils/{world.pupils['a1']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert other.status_code in (403, 404)
    link_id = sign_in_events(container)[-1]["data"]["link_id"]
    again = client.post(
        SESSION,
        json={"token": link_token(container, clock, link_id)},
        headers=web(container, clock),
    )
    assert_error(again, 401, "link_spent")


def test_an_expired_or_forged_link_is_refused(world, client, container, clock):
    ask_link(client, container, clock, OTHER)
    link_id = sign_in_events(container)[-1]["data"]["link_id"]
    token = link_token(container, clock, link_id)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert_error(client.post(SESSION, json={"token": forged}, headers=web(container, clock)), 401)
    clock.advance(timedelta(minutes=21))
    late = link_token(container, clock, link_id)  # even freshly signed: the link row expired
    assert_error(
        client.post(SESSION, json={"token": late}, headers=web(container, clock)), 401, "link_spent"
    )


def test_online_consent_names_the_version_read(world, client, container, clock):
    case = open_case(world, "a1_other")
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    world.tokens["parent"] = sign_in(client, container, clock)
    path = f"/api/v1/development-plans/{plan['id']}/online-consent"
    seen = call_ok(world, "parent", "GET", f"/api/v1/development-plans/{plan['id']}", 200)
    stale_hash = seen["action_plan_hash"]
    plan_action(world, plan["id"], "action-plan", {"action_plan": "Nieuw: twee keer per week."})
    request_consent(world, plan["id"])
    stale = world.call(
        "parent", "POST", path, json={"decision": "agreed", "content_hash": stale_hash}
    )
    assert_error(stale, 409, "action_plan_changed", "content_hash")

    current = call_ok(world, "parent", "GET", f"/api/v1/development-plans/{plan['id']}", 200)
    body = {"decision": "agreed", "content_hash": current["action_plan_hash"]}
    agreed = call_ok(world, "parent", "POST", path, 200, json=body)
    assert agreed["status"] == "active"
    consent = agreed["consents"][-1]
    assert consent["channel"] == "online" and consent["recorded_at"]
    assert consent["guardian_ids"] == [str(world.guardians["a1_other"])]
    assert consent["content_hash"] == current["action_plan_hash"]
    assert outbox_types(container).count("development_plan.consent_recorded") == 1
    with container.engine.connect() as conn:
        (envelope,) = conn.execute(
            text("SELECT envelope FROM outbox WHERE type = 'development_plan.consent_recorded'")
        ).scalars()
    assert json.loads(envelope)["data"]["channel"] == "online"
    # The coordinator sees who agreed and when, in the plan.
    shown = call_ok(world, "coordinator_a1", "GET", f"/api/v1/development-plans/{plan['id']}", 200)
    assert shown["consents"][-1]["channel"] == "online"


def test_a_guardian_cannot_answer_for_another_family(world, client, container, clock):
    case = open_case(world, "a1")
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    world.tokens["parent"] = sign_in(client, container, clock)
    path = f"/api/v1/development-plans/{plan['id']}/online-consent"
    body = {"decision": "agreed", "content_hash": plan["action_plan_hash"]}
    assert_error(world.call("parent", "POST", path, json=body), 404)
    assert world.call("parent", "GET", f"/api/v1/development-plans/{plan['id']}").status_code == 404
    # Staff record paper consent; the online route is the guardian's own.
    assert_error(world.call("coordinator_a1", "POST", path, json=body), 404)


def test_online_consent_waits_for_the_schools_request(world, client, container, clock):
    case = open_case(world, "a1_other")
    plan = ready_plan(world, case["id"])
    world.tokens["parent"] = sign_in(client, container, clock)
    path = f"/api/v1/development-plans/{plan['id']}/online-consent"
    body = {"decision": "agreed", "content_hash": plan["action_plan_hash"]}
    assert_error(world.call("parent", "POST", path, json=body), 409, "consent_not_requested")
