"""The seed story over HTTP against the running cases service, read back from the Redis Stream.

A school's coordinator tries a short basic reading intervention, which does not work; a development
plan (OPP) follows with the parents' consultation, the pupil's view and consent, and its evaluation
refers the pupil to special primary education (sbo). Every step is an event the relay publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared.events import Envelope
from shared.streams import ENVELOPE_FIELD
from tests.e2e.conftest import CasesStack, Client
from tests.support.processes import wait_until

COORDINATOR_PASSWORD = "ib-wachtwoord-regenboog"

EXPECTED = [
    "partnership.registered",
    "school.registered",
    "support_profile.published",
    "pupil.enrolled",
    "case.opened",
    "intervention.started",
    "intervention.evaluated",
    "development_plan.created",
    "development_plan.evaluation_scheduled",
    "development_plan.evaluation_scheduled",
    "development_plan.consultation_recorded",
    "development_plan.pupil_view_recorded",
    "development_plan.consent_requested",
    "development_plan.consent_recorded",
    "development_plan.activated",
    "case.level_changed",
    "development_plan.evaluated",
    "referral.requested",
    "development_plan.closed",
]


@dataclass(frozen=True)
class Seed:
    """The seed's school as an administrator sets it up: its IB'er (signed in), SOP and pupil."""

    admin: Client
    school: dict[str, Any]
    ib: Client
    pupil: dict[str, Any]


def seed_school(cases_stack: CasesStack) -> Seed:
    """OBS De Regenboog with its IB'er, its SOP (reading and arithmetic) and Sanne de Vries."""
    admin = cases_stack.admin()
    school = admin.post(
        "/api/v1/schools", {"name": "OBS De Regenboog", "region": "noord"}, expect=201
    )
    assert school["partnership_id"] == str(cases_stack.partnership_id)
    coordinator_account = admin.post(
        "/api/v1/users",
        {
            "role": "coordinator",
            "email": "ib@regenboog.test",
            "name": "Intern begeleider",
            "password": COORDINATOR_PASSWORD,
            "school_id": school["id"],
        },
        expect=201,
    )
    ib = cases_stack.client().login("ib@regenboog.test", COORDINATOR_PASSWORD)
    ib.post(
        f"/api/v1/schools/{school['id']}/support-profiles",
        {
            "basic_domains": ["reading_dyslexia", "math_dyscalculia"],
            "extra_domains": ["reading_dyslexia_combined"],
            "valid_from": "2026-08-01",
            "review_by": "2030-07-31",
        },
        expect=201,
    )
    pupil = ib.post(
        "/api/v1/pupils",
        {
            "school_id": school["id"],
            "given_name": "Sanne",
            "family_name": "de Vries",
            "date_of_birth": "2018-04-12",
            "group": "groep 3",
            "enrolled_on": "2022-08-29",
            "guardians": [{"name": "Ouder de Vries", "email": "ouder@example.test"}],
            "staff": [{"user_id": coordinator_account["id"], "role": "coordinator"}],
        },
        expect=201,
    )
    return Seed(admin, school, ib, pupil)


def published(cases_stack: CasesStack, at_least: int) -> list[Envelope]:
    """The events on the test's Redis Stream, once the relay has published `at_least`."""

    def stream() -> list[Envelope]:
        entries = cases_stack.redis.xrange(cases_stack.stream)
        return [Envelope.from_json(fields[ENVELOPE_FIELD]) for _id, fields in entries]

    wait_until(lambda: len(stream()) >= at_least, timeout=15, message="the relay to catch up")
    return stream()


def test_basic_support_to_plan_to_referral(cases_stack: CasesStack) -> None:
    seed = seed_school(cases_stack)
    admin, school, ib, pupil = seed.admin, seed.school, seed.ib, seed.pupil
    case = ib.post(
        "/api/v1/cases", {"pupil_id": pupil["id"], "opened_on": "2026-09-01"}, expect=201
    )
    intervention = ib.post(
        f"/api/v1/cases/{case['id']}/interventions",
        {
            "domain": "reading_dyslexia",
            "goal": "Technisch lezen op AVI M3-niveau",
            "starts_on": "2026-09-01",
            "evaluate_by": "2026-10-13",
        },
        expect=201,
    )
    assert intervention["outside_support_profile"] is False
    evaluated = ib.post(
        f"/api/v1/interventions/{intervention['id']}/evaluation",
        {"outcome": "not_effective", "evaluated_on": "2026-10-14"},
    )
    assert evaluated["status"] == "evaluated"

    plan = ib.post(
        f"/api/v1/cases/{case['id']}/development-plans",
        {
            "exit_destination": "regular_primary",
            "hindering_factors": ["Ernstige leesachterstand", "Faalangst"],
            "supporting_factors": ["Sterk mondeling taalbegrip", "Betrokken ouders"],
            "action_plan": "Dagelijks 20 minuten intensieve leesbegeleiding in een klein groepje.",
            "scenarios": [
                {"expected_effect": "Leest AVI M3 vlot", "review_by": "2027-01-29"},
                {"expected_effect": "Leest AVI E3 vlot", "review_by": "2027-06-25"},
            ],
            "agreed_end_date": "2027-07-09",
            "evaluation_dates": ["2027-01-29", "2027-06-25"],
            "created_on": "2026-10-15",
        },
        expect=201,
    )
    plan_path = f"/api/v1/development-plans/{plan['id']}"
    ib.post(
        f"{plan_path}/consultation",
        {"held_on": "2026-10-15", "participants": ["ouders", "intern begeleider", "leerkracht"]},
    )
    ib.post(f"{plan_path}/pupil-view", {"heard_on": "2026-10-15"})
    ib.post(f"{plan_path}/consent-request", {"requested_on": "2026-10-15"})
    guardian_id = pupil["guardians"][0]["id"]
    active = ib.post(
        f"{plan_path}/consent",
        {"decision": "agreed", "recorded_on": "2026-10-15", "guardian_ids": [guardian_id]},
    )
    assert active["status"] == "active"
    ib.post(
        f"{plan_path}/evaluation",
        {"held_on": "2026-10-15", "decision": "refer", "referral_destination": "sbo"},
    )

    referred = ib.get(f"/api/v1/cases/{case['id']}")
    assert referred["status"] == "referred"
    assert referred["level"] == "extra"
    assert [r["destination"] for r in referred["referrals"]] == ["sbo"]

    envelopes = published(cases_stack, len(EXPECTED))
    assert [e.type for e in envelopes] == EXPECTED
    assert len({e.id for e in envelopes}) == len(envelopes)
    assert {e.partnership_id for e in envelopes} == {cases_stack.partnership_id}
    assert {e.school_id for e in envelopes} == {None, UUID(school["id"])}
    assert [e.type for e in envelopes if e.school_id is None] == ["partnership.registered"]
    assert {e.subject.id for e in envelopes if e.subject.kind == "case"} == {UUID(case["id"])}

    # The stream is exactly the event log: same events, same order, nothing left unpublished.
    log = admin.get("/api/v1/events", params={"limit": 5000})
    assert [UUID(item["envelope"]["id"]) for item in log["items"]] == [e.id for e in envelopes]
