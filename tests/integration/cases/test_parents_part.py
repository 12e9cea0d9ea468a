"""The parents' part over HTTP (issue 13): the parents' own view (ouderdeel) is written by a
guardian of the child, shown in the plan to the coordinator and never in an event; a
partnership's `consent_from: all` makes the plan wait for every guardian with parental
authority; a guardian signs out everywhere; sign-in link requests are limited per address and
per client without telling whether an address is known."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from tests.integration.cases.test_guardian_sign_in import (
    LINK,
    OTHER,
    ask_link,
    sign_in,
    sign_in_events,
    web,
)
from tests.support.api_flows import (
    assert_error,
    call_ok,
    open_case,
    ready_plan,
    register_pupil,
    request_consent,
)

VIEW = "Thuis praat Kind veel over dieren; hij schaamt zich voor het voorlezen. Zeer persoonlijk."


def plan_path(plan_id: str, tail: str = "") -> str:
    return f"/api/v1/development-plans/{plan_id}{tail}"


def outbox_text(container) -> str:
    with container.engine.connect() as conn:
        return "\n".join(conn.execute(text("SELECT envelope FROM outbox")).scalars())


def test_the_parents_view_is_on_the_plan_for_the_coordinator_and_never_in_an_event(
    world, client, container, clock
):
    case = open_case(world, "a1_other")
    plan = ready_plan(world, case["id"])
    assert plan["parents_view"] is None
    world.tokens["parent"] = sign_in(client, container, clock)
    written = call_ok(
        world, "parent", "POST", plan_path(plan["id"], "/parents-view"), 200, json={"text": VIEW}
    )
    assert written["parents_view"]["text"] == VIEW
    assert written["parents_view"]["guardian_id"] == str(world.guardians["a1_other"])
    assert written["parents_view"]["recorded_at"].startswith(clock.now().date().isoformat())
    shown = call_ok(world, "coordinator_a1", "GET", plan_path(plan["id"]), 200)
    assert shown["parents_view"] == written["parents_view"]
    assert shown["action_plan_hash"] == plan["action_plan_hash"]  # not part of the consent
    stream = outbox_text(container)
    assert "schaamt" not in stream and "parents_view" not in stream


def test_only_a_guardian_of_the_child_writes_the_parents_view(world, client, container, clock):
    case = open_case(world, "a1")  # another family's child
    plan = ready_plan(world, case["id"])
    world.tokens["parent"] = sign_in(client, container, clock)
    path = plan_path(plan["id"], "/parents-view")
    assert_error(world.call("parent", "POST", path, json={"text": VIEW}), 404)
    for staff in ("coordinator_a1", "coordinator_b1", "admin_a"):
        answer = world.call(staff, "POST", path, json={"text": VIEW})
        assert answer.status_code in (403, 404), (staff, answer.status_code)
    shown = call_ok(world, "coordinator_a1", "GET", plan_path(plan["id"]), 200)
    assert shown["parents_view"] is None


def test_an_empty_parents_view_is_refused(world, client, container, clock):
    case = open_case(world, "a1_other")
    plan = ready_plan(world, case["id"])
    world.tokens["parent"] = sign_in(client, container, clock)
    path = plan_path(plan["id"], "/parents-view")
    assert_error(world.call("parent", "POST", path, json={"text": "   "}), 422, field="text")
    assert_error(world.call("parent", "POST", path, json={"text": "x" * 4001}), 422)


def two_parents(world) -> str:
    """A pupil of school A1 with two guardians with authority and a step-parent without."""
    guardians = [
        {"name": "Moeder Twee", "email": "moeder.twee@test.nl"},
        {"name": "Vader Twee", "email": "vader.twee@test.nl"},
        {"name": "Stiefouder Twee", "email": "stief.twee@test.nl", "parental_authority": False},
    ]
    register_pupil(world, "twee", guardians=guardians)
    return "twee"


def answer_online(world, who: str, plan_id: str, decision: str = "agreed"):
    current = call_ok(world, who, "GET", plan_path(plan_id), 200)
    body = {"decision": decision, "content_hash": current["action_plan_hash"]}
    return world.call(who, "POST", plan_path(plan_id, "/online-consent"), json=body)


def test_under_all_every_guardian_with_authority_must_agree(world, client, container, clock):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    call_ok(world, "admin_a", "PATCH", settings, 200, json={"consent_from": "all"})
    pupil = two_parents(world)
    case = open_case(world, pupil)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    for who in ("moeder", "vader", "stief"):
        world.tokens[who] = sign_in(client, container, clock, f"{who}.twee@test.nl")
    stepparent = answer_online(world, "stief", plan["id"])
    assert stepparent.status_code == 200  # recorded, but it does not count
    mother = answer_online(world, "moeder", plan["id"])
    assert mother.json["status"] == "awaiting_consent", mother.json
    assert mother.json["consent_status"] == "requested"
    assert mother.json["consent_from"] == "all"
    (awaited,) = mother.json["consent_awaited_guardian_ids"]
    assert_error(answer_online(world, "moeder", plan["id"]), 409, "already_agreed")
    # The consent request stays current for notifications' re-check at send time.
    state = container_consent_state(client, container, clock, plan["id"])
    assert 1 not in state["answered_versions"]
    father = answer_online(world, "vader", plan["id"])
    assert father.json["status"] == "active"
    shown = call_ok(world, "coordinator_a1", "GET", plan_path(plan["id"]), 200)
    assert shown["consent_awaited_guardian_ids"] == []
    who_agreed = {g for c in shown["consents"] for g in c["guardian_ids"]}
    assert awaited in who_agreed and all(c["recorded_at"] for c in shown["consents"])


def container_consent_state(client, container, clock, plan_id: str) -> dict:
    answer = client.get(f"/api/v1/internal/plans/{plan_id}/consent", headers=web(container, clock))
    assert answer.status_code == 200, answer.json
    return answer.json


def test_under_all_one_decline_keeps_the_plan_inactive(world, client, container, clock):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    call_ok(world, "admin_a", "PATCH", settings, 200, json={"consent_from": "all"})
    case = open_case(world, two_parents(world))
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    world.tokens["moeder"] = sign_in(client, container, clock, "moeder.twee@test.nl")
    world.tokens["vader"] = sign_in(client, container, clock, "vader.twee@test.nl")
    assert answer_online(world, "moeder", plan["id"]).status_code == 200
    declined = answer_online(world, "vader", plan["id"], "declined")
    assert declined.json["status"] == "declined" and declined.json["consent_status"] == "declined"
    assert_error(answer_online(world, "moeder", plan["id"]), 409, "consent_not_requested")


def test_by_default_one_guardian_suffices(world, client, container, clock):
    case = open_case(world, two_parents(world))
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    world.tokens["vader"] = sign_in(client, container, clock, "vader.twee@test.nl")
    agreed = answer_online(world, "vader", plan["id"])
    assert agreed.json["status"] == "active" and agreed.json["consent_from"] == "one"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def pupils(client, token: str) -> int:
    return client.get("/api/v1/pupils", headers=bearer(token)).status_code


def test_sign_out_everywhere_ends_every_session_of_that_guardian(world, client, container, clock):
    phone = sign_in(client, container, clock)
    laptop = sign_in(client, container, clock)
    for token in (phone, laptop):
        assert pupils(client, token) == 200
    out = client.post("/api/v1/auth/guardian-sign-out", headers=bearer(phone))
    assert out.status_code == 204
    for token in (phone, laptop):
        assert pupils(client, token) == 401
    # Another family's guardian and the staff are untouched; signing in again works.
    assert world.call("guardian_a1", "GET", "/api/v1/pupils").status_code == 200
    clock.advance(timedelta(seconds=1))
    again = sign_in(client, container, clock)
    assert pupils(client, again) == 200
    # The preference links in the guardian's mail keep opening (only sessions ended).
    validity = client.get(
        f"/api/v1/internal/guardians/{world.guardians['a1_other']}/validity",
        headers=web(container, clock),
    )
    assert validity.status_code == 200 and validity.json["valid_after"] is None, validity.json
    # Staff have no such button here (they have log-out and the administrator's disable).
    assert_error(world.call("coordinator_a1", "POST", "/api/v1/auth/guardian-sign-out"), 403)


def test_link_requests_are_limited_per_address_and_per_client(world, client, container, clock):
    limit = container.settings.guardian_links_per_address
    for _ in range(limit):
        ask_link(client, container, clock, OTHER)
    assert len(sign_in_events(container)) == limit
    over = client.post(LINK, json={"email": OTHER}, headers=web(container, clock))
    assert_error(over, 429, "too_many_requests")
    unknown = [
        client.post(LINK, json={"email": "nobody@test.nl"}, headers=web(container, clock))
        for _ in range(limit + 1)
    ]
    # An unknown address is limited alike: the limit tells nothing about who exists.
    assert [a.status_code for a in unknown] == [202] * limit + [429]
    assert len(sign_in_events(container)) == limit
    # The window ends after an hour of Redis time; meanwhile another client is counted apart.
    browser = {**web(container, clock), "X-Login-Client": "198.51.100.7"}
    assert client.post(LINK, json={"email": "x@test.nl"}, headers=browser).status_code == 202
    per_client = container.settings.guardian_links_per_client
    answers = [
        client.post(LINK, json={"email": f"p{i}@test.nl"}, headers=browser).status_code
        for i in range(per_client)
    ]
    assert answers[-1] == 429 and answers.count(202) == per_client - 1
