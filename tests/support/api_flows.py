"""Reusable HTTP flows for API tests: the story of a case, told as a coordinator would.

Every helper calls the real API through `World.call` and asserts the expected status, so a test
reads as the sequence of requests it makes. Dates fit the fixed clock (today is 2026-10-15).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from services.cases.bootstrap import Container
from tests.support.world import World

COORDINATOR = "coordinator_a1"

# Tables a request of the cases API may write to; "nothing written" means none of them changed.
TABLES = (
    "outbox",
    "cases",
    "interventions",
    "development_plans",
    "scenarios",
    "plan_evaluations",
    "consents",
    "referrals",
    "pupils",
    "guardians",
    "pupil_staff",
    "support_profiles",
    "schools",
    "users",
    "documents",
    "tlv_applications",
    "tlv_advices",
    "tlv_parent_answers",
)


# -- database checks ---------------------------------------------------------------------------


def row_counts(container: Container) -> dict[str, int]:
    """The number of rows of every table the API writes to."""
    with container.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def outbox_types(container: Container) -> list[str]:
    """The event types in the outbox, in seq order."""
    with container.engine.connect() as conn:
        return list(conn.execute(text("SELECT type FROM outbox ORDER BY seq")).scalars())


def assert_error(response: Any, status: int, code: str | None = None, field: str | None = None):
    """The response is a JSON error of DESIGN.md §5 with this status (and code, and field)."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.is_json, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"code", "message", "errors"}, body
    assert isinstance(body["code"], str) and body["code"], body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["errors"], dict), body
    for messages in body["errors"].values():
        assert isinstance(messages, list | dict), body
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["errors"], body
    return body


class NothingWritten:
    """Context manager: snapshot the row counts, and check afterwards that none changed."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.before: dict[str, int] = {}

    def __enter__(self) -> NothingWritten:
        self.before = row_counts(self.container)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            assert row_counts(self.container) == self.before


# -- request bodies ----------------------------------------------------------------------------


def plan_body(**overrides: Any) -> dict[str, Any]:
    """A complete development plan (OPP) created on 2026-09-15, agreed until 2027-07-01."""
    body: dict[str, Any] = {
        "exit_destination": "regular_primary",
        "hindering_factors": ["Leest langzaam", "Snel afgeleid"],
        "supporting_factors": ["Gemotiveerd", "Betrokken ouders"],
        "action_plan": "Dagelijks 20 minuten extra leesinstructie in een klein groepje.",
        "deviations": None,
        "scenarios": [
            {"expected_effect": "AVI E4 gehaald", "review_by": "2027-01-15"},
            {"expected_effect": "Zelfstandig lezen in de groep", "review_by": "2027-06-15"},
        ],
        "agreed_end_date": "2027-07-01",
        "evaluation_dates": ["2026-12-01", "2027-03-01"],
        "created_on": "2026-09-15",
    }
    body.update(overrides)
    return body


def intervention_body(**overrides: Any) -> dict[str, Any]:
    """A short basic reading intervention, evaluated after eight weeks."""
    body: dict[str, Any] = {
        "domain": "reading_dyslexia",
        "goal": "Leestempo naar groepsniveau",
        "starts_on": "2026-09-07",
        "evaluate_by": "2026-11-02",
    }
    body.update(overrides)
    return body


# -- flows -------------------------------------------------------------------------------------


def call_ok(world: World, who: str, method: str, path: str, status: int, **kwargs: Any) -> Any:
    response = world.call(who, method, path, **kwargs)
    assert response.status_code == status, (method, path, response.status_code, response.json)
    return response.json


def open_case(
    world: World, pupil: str = "a1", who: str = COORDINATOR, **overrides: Any
) -> dict[str, Any]:
    body = {"pupil_id": str(world.pupils[pupil]), "opened_on": "2026-09-01", **overrides}
    return call_ok(world, who, "POST", "/api/v1/cases", 201, json=body)


def start_intervention(
    world: World, case_id: str, who: str = COORDINATOR, **overrides: Any
) -> dict[str, Any]:
    path = f"/api/v1/cases/{case_id}/interventions"
    return call_ok(world, who, "POST", path, 201, json=intervention_body(**overrides))


def evaluate_intervention(
    world: World, intervention_id: str, outcome: str = "not_effective", who: str = COORDINATOR
) -> dict[str, Any]:
    path = f"/api/v1/interventions/{intervention_id}/evaluation"
    body = {"outcome": outcome, "evaluated_on": "2026-10-12", "note": None}
    return call_ok(world, who, "POST", path, 200, json=body)


def create_plan(
    world: World, case_id: str, who: str = COORDINATOR, **overrides: Any
) -> dict[str, Any]:
    path = f"/api/v1/cases/{case_id}/development-plans"
    return call_ok(world, who, "POST", path, 201, json=plan_body(**overrides))


def plan_action(
    world: World, plan_id: str, action: str, body: dict[str, Any], who: str = COORDINATOR
) -> dict[str, Any]:
    path = f"/api/v1/development-plans/{plan_id}/{action}"
    return call_ok(world, who, "POST", path, 200, json=body)


def record_consultation(world: World, plan_id: str, who: str = COORDINATOR) -> dict[str, Any]:
    body = {"held_on": "2026-09-20", "participants": ["Ouder", "IB'er", "Leerkracht"]}
    return plan_action(world, plan_id, "consultation", body, who)


def record_pupil_view(world: World, plan_id: str, who: str = COORDINATOR) -> dict[str, Any]:
    return plan_action(world, plan_id, "pupil-view", {"heard_on": "2026-09-22"}, who)


def request_consent(world: World, plan_id: str, who: str = COORDINATOR) -> dict[str, Any]:
    return plan_action(world, plan_id, "consent-request", {"requested_on": "2026-09-25"}, who)


def consent_body(world: World, decision: str = "agreed", pupil: str = "a1") -> dict[str, Any]:
    return {
        "decision": decision,
        "recorded_on": "2026-10-01",
        "guardian_ids": [str(world.guardians[pupil])],
    }


def record_consent(
    world: World, plan_id: str, decision: str = "agreed", pupil: str = "a1", who: str = COORDINATOR
) -> dict[str, Any]:
    return plan_action(world, plan_id, "consent", consent_body(world, decision, pupil), who)


def ready_plan(
    world: World, case_id: str, who: str = COORDINATOR, **overrides: Any
) -> dict[str, Any]:
    """A drafted plan with the consultation and the pupil's view recorded (ready for consent)."""
    plan = create_plan(world, case_id, who, **overrides)
    record_consultation(world, plan["id"], who)
    return record_pupil_view(world, plan["id"], who)


def case_with_active_plan(
    world: World, pupil: str = "a1", who: str = COORDINATOR, **plan_overrides: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case at extra support with an active plan (consented), as (case, plan)."""
    case = open_case(world, pupil, who)
    plan = ready_plan(world, case["id"], who, **plan_overrides)
    request_consent(world, plan["id"], who)
    plan = record_consent(world, plan["id"], "agreed", pupil, who)
    assert plan["status"] == "active", plan
    case = call_ok(world, who, "GET", f"/api/v1/cases/{case['id']}", 200)
    assert case["level"] == "extra", case
    return case, plan


def referred_case(
    world: World, pupil: str = "a1", who: str = COORDINATOR
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case whose plan evaluation decided `refer`, as (case, referral)."""
    case, plan = case_with_active_plan(world, pupil, who)
    body = {"held_on": "2026-10-14", "decision": "refer", "referral_destination": "sbo"}
    path = f"/api/v1/development-plans/{plan['id']}/evaluation"
    case = call_ok(world, who, "POST", path, 200, json=body)
    assert case["status"] == "referred", case
    return case, case["referrals"][0]


def register_pupil(
    world: World, name: str, school: str = "a1", who: str = COORDINATOR, **overrides: Any
) -> str:
    """Register a pupil over HTTP (one guardian without an account); returns the pupil id."""
    body = {
        "school_id": str(getattr(world, f"school_{school}")),
        "given_name": name,
        "family_name": "Test",
        "date_of_birth": "2017-03-01",
        "group": "groep 4",
        "enrolled_on": "2021-08-23",
        "guardians": [{"name": f"Ouder {name}", "email": f"ouder.{name}@test.nl"}],
        **overrides,
    }
    pupil = call_ok(world, who, "POST", "/api/v1/pupils", 201, json=body)
    world.pupils[name] = UUID(pupil["id"])
    world.guardians[name] = UUID(pupil["guardians"][0]["id"])
    return pupil["id"]
