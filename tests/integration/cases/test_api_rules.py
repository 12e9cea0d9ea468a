"""The rules of DESIGN.md §4 and hostile input, over HTTP against the real app and database.

Every refusal is a 409 or 422 (or another 4xx) in the error shape of §5, and writes nothing: the
outbox and every table the API writes to keep their row counts.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from sqlalchemy import Uuid, bindparam, text

from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.support import api_flows as f
from tests.support.api_flows import NothingWritten, assert_error

COORD = "coordinator_a1"


def _interventions(case_id: str) -> str:
    return f"/api/v1/cases/{case_id}/interventions"


# -- rule 1: short basic interventions ---------------------------------------------------------


def test_rule1_basic_domain_must_be_in_the_partnership_list(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        response = world.call(
            COORD, "POST", _interventions(case["id"]), json=f.intervention_body(domain="astrology")
        )
        body = assert_error(response, 422, "rule_violation", "domain")
    assert "astrology" in body["errors"]["domain"][0]

    # The list is the partnership's own: once the administrator adds the code, it is accepted.
    settings = world.call(
        "admin_a",
        "PATCH",
        f"/api/v1/partnerships/{world.partnership_a}/settings",
        json={"basic_domains": ["reading_dyslexia", "astrology"]},
    )
    assert settings.status_code == 200, settings.json
    item = f.start_intervention(world, case["id"], domain="astrology")
    assert item["outside_support_profile"] is True  # not in school a1's SOP (rule 8)
    with NothingWritten(container):
        response = world.call(
            COORD, "POST", _interventions(case["id"]), json=f.intervention_body(domain="gifted")
        )
        assert_error(response, 422, "rule_violation", "domain")


def test_rule1_evaluate_by_within_ten_weeks(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        response = world.call(
            COORD,
            "POST",
            _interventions(case["id"]),
            json=f.intervention_body(starts_on="2026-09-07", evaluate_by="2026-11-17"),
        )
        body = assert_error(response, 422, "rule_violation", "evaluate_by")
    assert "2026-11-16" in body["errors"]["evaluate_by"][0]  # the latest allowed date is named
    # Exactly ten weeks is allowed.
    f.start_intervention(world, case["id"], starts_on="2026-09-07", evaluate_by="2026-11-16")


def test_rule1_maximum_weeks_is_a_partnership_setting(world, container):
    case = f.open_case(world)
    response = world.call(
        "admin_a",
        "PATCH",
        f"/api/v1/partnerships/{world.partnership_a}/settings",
        json={"short_intervention_max_weeks": 6},
    )
    assert response.status_code == 200
    with NothingWritten(container):
        response = world.call(
            COORD,
            "POST",
            _interventions(case["id"]),
            json=f.intervention_body(starts_on="2026-09-07", evaluate_by="2026-10-20"),
        )
        assert_error(response, 422, "rule_violation", "evaluate_by")


def test_rule1_evaluate_by_before_starts_on(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        for evaluate_by in ("2026-09-01", "2026-09-07"):  # before, and on the same day
            response = world.call(
                COORD,
                "POST",
                _interventions(case["id"]),
                json=f.intervention_body(starts_on="2026-09-07", evaluate_by=evaluate_by),
            )
            assert_error(response, 422, "rule_violation", "evaluate_by")


def test_all_problems_of_one_request_are_reported_together(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        response = world.call(
            COORD,
            "POST",
            _interventions(case["id"]),
            json=f.intervention_body(domain="astrology", evaluate_by="2027-06-01"),
        )
        body = assert_error(response, 422, "rule_violation")
    assert {"domain", "evaluate_by"} <= set(body["errors"])


# -- rule 2: extra interventions need an active plan ------------------------------------------


def test_rule2_extra_intervention_without_an_active_plan(world, container):
    case = f.open_case(world)
    extra = f.intervention_body(
        domain="reading_dyslexia_combined", starts_on="2026-10-05", evaluate_by="2027-01-15"
    )
    with NothingWritten(container):
        assert_error(
            world.call(COORD, "POST", _interventions(case["id"]), json=extra),
            409,
            "plan_not_active",
        )
    plan = f.ready_plan(world, case["id"])  # drafted, not consented: still not active
    f.request_consent(world, plan["id"])
    with NothingWritten(container):
        assert_error(
            world.call(COORD, "POST", _interventions(case["id"]), json=extra),
            409,
            "plan_not_active",
        )
    f.record_consent(world, plan["id"], "agreed")
    item = f.start_intervention(world, case["id"], **extra)
    assert (item["level"], item["plan_id"]) == ("extra", plan["id"])


def test_rule2_extra_intervention_needs_an_extra_domain_and_ends_with_the_plan(world, container):
    case, plan = f.case_with_active_plan(world)
    with NothingWritten(container):
        response = world.call(
            COORD,
            "POST",
            _interventions(case["id"]),
            json=f.intervention_body(
                domain="reading_dyslexia", starts_on="2026-10-05", evaluate_by="2027-08-01"
            ),
        )
        body = assert_error(response, 422, "rule_violation")
    assert {"domain", "evaluate_by"} <= set(body["errors"])  # basic code; after agreed end date


# -- rule 3: the plan's legal parts, consultation and the pupil's view ---------------------------


def test_rule3_scenario_review_by_after_the_agreed_end(world, container):
    case = f.open_case(world)
    scenarios = [
        {"expected_effect": "AVI E4", "review_by": "2027-01-15"},
        {"expected_effect": "Zelfstandig lezen", "review_by": "2027-07-02"},
    ]
    path = f"/api/v1/cases/{case['id']}/development-plans"
    with NothingWritten(container):
        response = world.call(COORD, "POST", path, json=f.plan_body(scenarios=scenarios))
        body = assert_error(response, 422, "rule_violation", "scenarios.1.review_by")
    assert "scenarios.0.review_by" not in body["errors"]


def test_rule3_plan_needs_its_legal_parts(world, container):
    case = f.open_case(world)
    path = f"/api/v1/cases/{case['id']}/development-plans"
    incomplete = f.plan_body()
    for part in ("exit_destination", "hindering_factors", "action_plan", "scenarios"):
        del incomplete[part]
    with NothingWritten(container):
        body = assert_error(world.call(COORD, "POST", path, json=incomplete), 422)
        assert {"exit_destination", "hindering_factors", "action_plan", "scenarios"} <= set(
            body["errors"]
        )
        empty = f.plan_body(supporting_factors=[], scenarios=[], evaluation_dates=[])
        body = assert_error(world.call(COORD, "POST", path, json=empty), 422)
        assert {"supporting_factors", "scenarios", "evaluation_dates"} <= set(body["errors"])
        unknown = f.plan_body(exit_destination="the_moon")
        assert_error(world.call(COORD, "POST", path, json=unknown), 422, field="exit_destination")
        dates = f.plan_body(agreed_end_date="2026-09-01", evaluation_dates=["2027-08-01"])
        body = assert_error(world.call(COORD, "POST", path, json=dates), 422)
        assert {"agreed_end_date", "evaluation_dates.0"} <= set(body["errors"])


def test_rule3_consent_needs_consultation_and_pupil_view_first(world, container):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    base = f"/api/v1/development-plans/{plan['id']}"
    consent = f.consent_body(world)
    with NothingWritten(container):
        for action, payload in (
            ("consent-request", {"requested_on": "2026-10-01"}),
            ("consent", consent),
        ):
            body = assert_error(
                world.call(COORD, "POST", f"{base}/{action}", json=payload), 409, "plan_incomplete"
            )
            assert set(body["errors"]) == {"consultation", "pupil_view"}
    f.record_consultation(world, plan["id"])
    with NothingWritten(container):
        body = assert_error(
            world.call(COORD, "POST", f"{base}/consent", json=consent), 409, "plan_incomplete"
        )
        assert set(body["errors"]) == {"pupil_view"}
    f.record_pupil_view(world, plan["id"])
    assert f.record_consent(world, plan["id"])["status"] == "active"


def test_rule3_one_open_plan_per_case(world, container):
    case = f.open_case(world)
    f.create_plan(world, case["id"])
    with NothingWritten(container):
        response = world.call(
            COORD, "POST", f"/api/v1/cases/{case['id']}/development-plans", json=f.plan_body()
        )
        assert_error(response, 409, "plan_exists")


# -- rule 4: consent ---------------------------------------------------------------------------


def test_rule4_consent_for_an_already_consented_version(world, container):
    _case, plan = f.case_with_active_plan(world)
    base = f"/api/v1/development-plans/{plan['id']}"
    with NothingWritten(container):
        for action, payload in (
            ("consent", f.consent_body(world)),
            ("consent", f.consent_body(world, "declined")),
            ("consent-request", {"requested_on": "2026-10-10"}),
        ):
            response = world.call(COORD, "POST", f"{base}/{action}", json=payload)
            assert_error(response, 409, "consent_already_given")


def test_rule4_declined_consent_is_an_event_and_keeps_the_plan_inactive(world, container):
    case = f.open_case(world)
    plan = f.ready_plan(world, case["id"])
    f.request_consent(world, plan["id"])
    before = f.outbox_types(container)
    plan = f.record_consent(world, plan["id"], "declined")
    assert plan["status"] == "declined"
    assert plan["activated_on"] is None and plan["consent_required"] is True
    assert f.outbox_types(container)[len(before) :] == ["development_plan.consent_recorded"]
    with container.engine.connect() as conn:
        envelope = conn.execute(
            text("SELECT envelope FROM outbox ORDER BY seq DESC LIMIT 1")
        ).scalar_one()
    assert json.loads(envelope)["data"]["decision"] == "declined"
    case = world.call(COORD, "GET", f"/api/v1/cases/{case['id']}").json
    assert case["level"] == "basic"
    extra = f.intervention_body(
        domain="reading_dyslexia_combined", starts_on="2026-10-05", evaluate_by="2027-01-15"
    )
    with NothingWritten(container):
        response = world.call(COORD, "POST", _interventions(case["id"]), json=extra)
        assert_error(response, 409, "plan_not_active")


def test_rule4_changed_action_plan_asks_the_parents_at_once_and_the_old_consent_holds(
    world, container
):
    case, plan = f.case_with_active_plan(world)
    changed = f.plan_action(
        world, plan["id"], "action-plan", {"action_plan": "Nu ook rekenondersteuning."}
    )
    # Instemming gevraagd for version 2, while version 1 stays in force.
    assert changed["status"] == "active"
    assert (changed["action_plan_version"], changed["consented_version"]) == (2, 1)
    assert (changed["consent_status"], changed["consent_requested_version"]) == ("requested", 2)
    assert changed["consent_required"] and changed["consent_requested_on"] == "2026-10-15"
    timeline = world.call(COORD, "GET", f"/api/v1/cases/{case['id']}/timeline").json
    assert [(e["type"], e["data"].get("action_plan_version")) for e in timeline[-2:]] == [
        ("development_plan.action_plan_changed", 2),
        ("development_plan.consent_requested", 2),
    ]
    consented = f.record_consent(world, plan["id"], "agreed")
    assert (consented["consented_version"], consented["consent_required"]) == (2, False)
    assert (consented["consent_status"], consented["consent_requested_version"]) == ("agreed", None)
    assert [c["action_plan_version"] for c in consented["consents"]] == [1, 2]


def test_rule4_consent_is_given_by_the_pupils_own_guardians(world, container):
    case = f.open_case(world)
    plan = f.ready_plan(world, case["id"])
    for stranger in ("a1_other", "b1"):  # another pupil's parent, another partnership's parent
        with NothingWritten(container):
            response = world.call(
                COORD,
                "POST",
                f"/api/v1/development-plans/{plan['id']}/consent",
                json=f.consent_body(world, pupil=stranger),
            )
            assert_error(response, 422, "rule_violation", "guardian_ids")


# -- rule 6: an evaluation with the parents every school year and every 12 months -------------


def test_rule6_a_plan_or_change_leaving_12_months_without_an_evaluation_is_refused(
    world, container
):
    case = f.open_case(world)
    long = {"agreed_end_date": "2028-07-31"}
    with NothingWritten(container):
        response = world.call(
            COORD,
            "POST",
            f"/api/v1/cases/{case['id']}/development-plans",
            json=f.plan_body(**long, evaluation_dates=["2026-12-01", "2027-12-02"]),
        )
        body = assert_error(response, 422, "rule_6_yearly_evaluation", "evaluation_dates")
    assert "Rule 6" in body["message"] and "12 months" in body["errors"]["evaluation_dates"][0]

    _case, plan = f.case_with_active_plan(world, "a1_other", **long)
    later = plan["evaluations"][1]  # 2027-03-01, after 2026-12-01
    path = f"/api/v1/development-plans/{plan['id']}"
    with NothingWritten(container):
        response = world.call(
            COORD, "PATCH", f"{path}/evaluations/{later['id']}", json={"due_on": "2027-12-02"}
        )
        assert_error(response, 422, "rule_6_yearly_evaluation", "due_on")
        body = {"held_on": "2026-10-14", "decision": "continue", "next_evaluation_on": "2028-03-02"}
        response = world.call(COORD, "POST", f"{path}/evaluation", json=body)
        assert_error(response, 422, "rule_6_yearly_evaluation", "next_evaluation_on")
    moved = world.call(
        COORD, "PATCH", f"{path}/evaluations/{later['id']}", json={"due_on": "2027-12-01"}
    )
    assert moved.status_code == 200, moved.json


# -- rule 7: the plan evaluation's decision -----------------------------------------------------


def test_rule7_continue_needs_the_next_evaluation_date(world, container):
    _case, plan = f.case_with_active_plan(world)
    path = f"/api/v1/development-plans/{plan['id']}/evaluation"
    with NothingWritten(container):
        for extra in ({}, {"next_evaluation_on": "2026-10-01"}):  # missing, and not after held_on
            body = {"held_on": "2026-10-14", "decision": "continue", **extra}
            response = world.call(COORD, "POST", path, json=body)
            assert_error(response, 422, "rule_violation", "next_evaluation_on")
        response = world.call(
            COORD, "POST", path, json={"held_on": "2026-10-14", "decision": "refer"}
        )
        assert_error(response, 422, "rule_violation", "referral_destination")
        response = world.call(
            COORD,
            "POST",
            path,
            json={"held_on": "2026-10-14", "decision": "refer", "referral_destination": "zoo"},
        )
        assert_error(response, 422, "validation_error", "referral_destination")  # not in the enum


def test_rule7_only_an_active_plan_is_evaluated(world, container):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    with NothingWritten(container):
        response = world.call(
            COORD,
            "POST",
            f"/api/v1/development-plans/{plan['id']}/evaluation",
            json={"held_on": "2026-10-14", "decision": "back_to_basic"},
        )
        assert_error(response, 409, "plan_not_active")


def test_rule7_refer_moves_the_case_to_referred_and_freezes_it(world, container):
    case, referral = f.referred_case(world)
    assert referral["destination"] == "sbo" and case["plans"][0]["status"] == "closed"
    with NothingWritten(container):
        response = world.call(COORD, "POST", _interventions(case["id"]), json=f.intervention_body())
        assert_error(response, 409, "case_referred")
        response = world.call(
            COORD, "POST", f"/api/v1/cases/{case['id']}/development-plans", json=f.plan_body()
        )
        assert_error(response, 409, "case_referred")
        response = world.call(
            COORD,
            "POST",
            f"/api/v1/referrals/{referral['id']}/admission-statement",
            json={"valid_from": "2026-11-01", "valid_until": "2026-11-01"},
        )
        assert_error(response, 422, "rule_violation", "valid_until")
    response = world.call(
        COORD,
        "POST",
        f"/api/v1/referrals/{referral['id']}/admission-statement",
        json={"valid_from": "2026-11-01", "valid_until": "2027-07-31"},
    )
    assert response.status_code == 200
    assert response.json["referrals"][0]["admission_statement_until"] == "2027-07-31"


# -- rule 8: support profiles ------------------------------------------------------------------


def test_rule8_support_profile_review_within_four_years(world, container):
    path = f"/api/v1/schools/{world.school_a1}/support-profiles"
    profile = {
        "basic_domains": ["reading_dyslexia"],
        "extra_domains": [],
        "valid_from": "2026-08-01",
        "review_by": "2030-08-02",
    }
    with NothingWritten(container):
        body = assert_error(world.call(COORD, "POST", path, json=profile), 422, field="review_by")
        assert "2030-08-01" in body["errors"]["review_by"][0]
        wrong = {**profile, "review_by": "2027-01-01", "basic_domains": ["astrology"]}
        assert_error(world.call(COORD, "POST", path, json=wrong), 422, field="basic_domains")
    response = world.call(COORD, "POST", path, json={**profile, "review_by": "2030-08-01"})
    assert response.status_code == 201 and response.json["version"] == 2


def test_rule8_intervention_outside_the_support_profile_is_accepted_and_flagged(world, container):
    case = f.open_case(world)
    inside = f.start_intervention(world, case["id"], domain="reading_dyslexia")
    assert inside["outside_support_profile"] is False
    before = f.outbox_types(container)
    outside = f.start_intervention(world, case["id"], domain="gifted")
    assert outside["outside_support_profile"] is True
    assert f.outbox_types(container)[len(before) :] == [
        "intervention.started",
        "intervention.outside_support_profile",
    ]
    timeline = world.call(COORD, "GET", f"/api/v1/cases/{case['id']}/timeline").json
    flagged = [e for e in timeline if e["type"] == "intervention.outside_support_profile"]
    assert len(flagged) == 1
    assert flagged[0]["data"]["intervention_id"] == outside["id"]
    assert flagged[0]["data"]["domain"] == "gifted"


# -- one open case per pupil -------------------------------------------------------------------


def test_one_open_case_per_pupil(world, container):
    f.open_case(world)
    with NothingWritten(container):
        body = {"pupil_id": str(world.pupils["a1"]), "opened_on": "2026-10-01"}
        assert_error(world.call(COORD, "POST", "/api/v1/cases", json=body), 409, "case_exists")
        for opened_on in ("2021-08-01", "2026-10-16"):  # before enrolment; in the future
            body = {"pupil_id": str(world.pupils["a1_other"]), "opened_on": opened_on}
            assert_error(
                world.call(COORD, "POST", "/api/v1/cases", json=body), 422, field="opened_on"
            )


# -- hostile input -----------------------------------------------------------------------------


def test_malformed_json_body(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        for raw in ('{"pupil_id": ', "{'single': 'quotes'}", "\xff\xfe", "[" * 100_000):
            response = world.call(
                COORD, "POST", "/api/v1/cases", data=raw, content_type="application/json"
            )
            assert_error(response, 400, "malformed_json")
        response = world.call(
            COORD, "POST", _interventions(case["id"]), data="{", content_type="application/json"
        )
        assert_error(response, 400, "malformed_json")
        for not_an_object in ("[1, 2]", "null", '"text"', "42"):
            response = world.call(
                COORD, "POST", "/api/v1/cases", data=not_an_object, content_type="application/json"
            )
            assert_error(response, 422, "validation_error")


def test_unknown_fields_are_named(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        response = world.call(
            COORD, "POST", _interventions(case["id"]), json=f.intervention_body(level="extra")
        )
        assert_error(response, 422, "validation_error", "level")
        body = {"pupil_id": str(world.pupils["a1_other"]), "opened_on": "2026-10-01", "id": "x"}
        assert_error(world.call(COORD, "POST", "/api/v1/cases", json=body), 422, field="id")
        scenario = {"expected_effect": "x", "review_by": "2027-01-01", "weight": 3}
        response = world.call(
            COORD,
            "POST",
            f"/api/v1/cases/{case['id']}/development-plans",
            json=f.plan_body(scenarios=[scenario]),
        )
        body = assert_error(response, 422, "validation_error", "scenarios")
        assert "weight" in str(body["errors"]["scenarios"])


def test_wrong_enum_values(world, container):
    case, plan = f.case_with_active_plan(world)
    item = f.start_intervention(
        world,
        case["id"],
        domain="reading_dyslexia_combined",
        starts_on="2026-10-05",
        evaluate_by="2027-01-15",
    )
    attempts = [
        (
            "POST",
            f"/api/v1/interventions/{item['id']}/evaluation",
            {"outcome": "great", "evaluated_on": "2026-10-14"},
            "outcome",
        ),
        (
            "POST",
            f"/api/v1/development-plans/{plan['id']}/evaluation",
            {"held_on": "2026-10-14", "decision": "maybe"},
            "decision",
        ),
        (
            "POST",
            f"/api/v1/development-plans/{plan['id']}/consent",
            {**f.consent_body(world), "decision": "yes"},
            "decision",
        ),
        (
            "POST",
            f"/api/v1/cases/{case['id']}/close",
            {"closed_on": "2026-10-14", "reason": "bored"},
            "reason",
        ),
        (
            "POST",
            _interventions(case["id"]),
            f.intervention_body(domain="Reading Dyslexia"),
            "domain",
        ),
        ("GET", "/api/v1/cases?level=super&status=lost", None, "level"),
    ]
    with NothingWritten(container):
        for method, path, body, field in attempts:
            response = world.call(COORD, method, path, json=body)
            assert_error(response, 422, "validation_error", field)


def test_impossible_dates(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        for starts_on, evaluate_by, field in (
            ("2026-02-30", "2026-04-01", "starts_on"),
            ("2026-09-07", "2026-13-01", "evaluate_by"),
            ("07-09-2026", "2026-11-01", "starts_on"),
            ("", "2026-11-01", "starts_on"),
            (20260907, "2026-11-01", "starts_on"),
            ("2026-09-07", "2026-09-01", "evaluate_by"),
        ):
            body = f.intervention_body(starts_on=starts_on, evaluate_by=evaluate_by)
            response = world.call(COORD, "POST", _interventions(case["id"]), json=body)
            assert_error(response, 422, field=field)
        response = world.call(COORD, "GET", "/api/v1/evaluations/due?before=2026-02-30")
        assert_error(response, 422, field="before")


def test_extreme_values_never_crash(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        nul = f.intervention_body(goal="Lezen\u0000")
        assert_error(
            world.call(COORD, "POST", _interventions(case["id"]), json=nul), 422, field="goal"
        )
        response = world.client.post(
            "/api/v1/auth/token", json={"email": "x\u0000@test.nl", "password": "p"}
        )
        assert_error(response, 422, field="email")
        assert_error(world.call("admin_a", "GET", f"/api/v1/events?after={10**20}"), 422)
        assert_error(world.call(COORD, "GET", "/api/v1/cases?page=0&page_size=100000"), 422)
        long_goal = f.intervention_body(goal="x" * 2001)
        assert_error(
            world.call(COORD, "POST", _interventions(case["id"]), json=long_goal), 422, field="goal"
        )
        response = world.call(
            COORD,
            "POST",
            f"/api/v1/schools/{world.school_a1}/support-profiles",
            json={
                "basic_domains": [],
                "extra_domains": [],
                "valid_from": "9999-01-01",
                "review_by": "9998-01-01",
            },
        )
        assert_error(response, 422, field="review_by")
    # Near the end of the calendar the ten-week limit is computed without overflowing.
    response = world.call(
        COORD,
        "POST",
        _interventions(case["id"]),
        json=f.intervention_body(starts_on="9999-12-30", evaluate_by="9999-12-31"),
    )
    assert response.status_code < 500, response.json


def test_ids_that_are_not_uuids(world, container):
    case = f.open_case(world)
    with NothingWritten(container):
        body = {"pupil_id": "42", "opened_on": "2026-10-01"}
        assert_error(world.call(COORD, "POST", "/api/v1/cases", json=body), 422, field="pupil_id")
        consent = {**f.consent_body(world), "guardian_ids": ["not-a-uuid"]}
        plan = f"/api/v1/development-plans/{uuid.uuid4()}/consent"
        assert_error(world.call(COORD, "POST", plan, json=consent), 422, field="guardian_ids")
        for method, path in (
            ("GET", "/api/v1/cases/42"),
            ("GET", f"/api/v1/cases/{case['id']}x/timeline"),
            ("POST", "/api/v1/cases/1%20OR%201=1/interventions"),
            ("GET", "/api/v1/development-plans/..%2F..%2Fusers"),
        ):
            response = world.call(COORD, method, path, json=f.intervention_body())
            assert_error(response, 404, "not_found")
        response = world.call(COORD, "GET", "/api/v1/cases?school_id=school-a1")
        assert_error(response, 422, field="school_id")


def test_another_schools_pupil_is_indistinguishable_from_none(world, container):
    missing = {"pupil_id": str(uuid.uuid4()), "opened_on": "2026-10-01"}
    with NothingWritten(container):
        expected = assert_error(world.call(COORD, "POST", "/api/v1/cases", json=missing), 404)
        for pupil in ("a2", "b1"):  # another school of the partnership; another partnership
            body = {"pupil_id": str(world.pupils[pupil]), "opened_on": "2026-10-01"}
            response = world.call(COORD, "POST", "/api/v1/cases", json=body)
            assert assert_error(response, 404) == expected
            response = world.call(COORD, "GET", f"/api/v1/pupils/{world.pupils[pupil]}")
            assert response.json == world.call(COORD, "GET", f"/api/v1/pupils/{uuid.uuid4()}").json


def test_another_partnerships_ids_are_not_found(world, container):
    case, plan = f.case_with_active_plan(world)
    item = f.start_intervention(
        world,
        case["id"],
        domain="reading_dyslexia_combined",
        starts_on="2026-10-05",
        evaluate_by="2027-01-15",
    )
    evaluation = plan["evaluations"][0]["id"]
    writes = [
        ("POST", _interventions(case["id"]), f.intervention_body()),
        (
            "POST",
            f"/api/v1/interventions/{item['id']}/evaluation",
            {"outcome": "effective", "evaluated_on": "2026-10-14"},
        ),
        (
            "POST",
            f"/api/v1/cases/{case['id']}/close",
            {"closed_on": "2026-10-14", "reason": "other"},
        ),
        ("POST", f"/api/v1/cases/{case['id']}/development-plans", f.plan_body()),
        (
            "POST",
            f"/api/v1/development-plans/{plan['id']}/consultation",
            {"held_on": "2026-10-01", "participants": ["x"]},
        ),
        ("POST", f"/api/v1/development-plans/{plan['id']}/evaluations", {"due_on": "2026-11-20"}),
        (
            "PATCH",
            f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation}",
            {"due_on": "2026-11-20"},
        ),
        (
            "POST",
            f"/api/v1/development-plans/{plan['id']}/evaluation",
            {"held_on": "2026-10-14", "decision": "back_to_basic"},
        ),
        (
            "POST",
            f"/api/v1/schools/{world.school_a1}/support-profiles",
            {
                "basic_domains": [],
                "extra_domains": [],
                "valid_from": "2026-08-01",
                "review_by": "2027-08-01",
            },
        ),
    ]
    with NothingWritten(container):
        for method, path, body in writes:
            response = world.call("coordinator_b1", method, path, json=body)
            assert_error(response, 404, "not_found")


# -- authentication ----------------------------------------------------------------------------


def _principal(world, key="coordinator_a1"):
    return Principal(
        user_id=world.users[key],
        role=Role.COORDINATOR,
        partnership_id=world.partnership_a,
        school_ids=frozenset([world.school_a1]),
    )


def test_missing_garbage_and_expired_tokens(world, container):
    expired = issue_token(_principal(world), JWT_SECRET, NOW - timedelta(hours=2))
    forged = issue_token(_principal(world), "another-secret-another-secret-!!", NOW)
    headers = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not.a.token"},
        {"Authorization": f"Basic {world.tokens[COORD]}"},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": f"Bearer {world.tokens[COORD][:-4]}AAAA"},
    ]
    body = {"pupil_id": str(world.pupils["a1"]), "opened_on": "2026-10-01"}
    with NothingWritten(container):
        for header in headers:
            for method, path, payload in (
                ("GET", "/api/v1/cases", None),
                ("POST", "/api/v1/cases", body),
                ("GET", "/api/v1/events", None),
            ):
                response = world.client.open(path, method=method, headers=header, json=payload)
                assert_error(response, 401, "unauthorized")


def test_disabled_accounts_token_is_refused(world, container):
    assert world.call(COORD, "GET", "/api/v1/cases").status_code == 200
    disable = text("UPDATE users SET active = false WHERE id = :id").bindparams(
        bindparam("id", type_=Uuid)
    )
    with container.engine.begin() as conn:
        assert conn.execute(disable, {"id": world.users[COORD]}).rowcount == 1
    body = {"pupil_id": str(world.pupils["a1"]), "opened_on": "2026-10-01"}
    with NothingWritten(container):
        assert_error(world.call(COORD, "GET", "/api/v1/cases"), 401, "unauthorized")
        assert_error(world.call(COORD, "POST", "/api/v1/cases", json=body), 401, "unauthorized")
        response = world.client.post(
            "/api/v1/auth/token", json={"email": "coordinator_a1@test.nl", "password": "x" * 12}
        )
        assert_error(response, 401)
