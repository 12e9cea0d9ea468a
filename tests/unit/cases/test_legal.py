"""The law at a glance: which legal rule a plan meets or misses (domain.legal). Today is
15 October 2026, school year 2026-2027."""

from __future__ import annotations

from datetime import date

from services.cases.domain.legal import open_plans, plan_legal_state
from tests.unit.cases.builders import (
    AGREED_ON,
    REQUESTED_ON,
    TODAY,
    active_plan,
    draft_plan,
    open_case,
    ready_plan,
)


def _state(case, plan, has_pupil_number=True, today=TODAY):
    return plan_legal_state(case, plan, has_pupil_number=has_pupil_number, today=today).rules


def test_an_active_plan_with_everything_in_order():
    case = open_case()
    plan = active_plan(case)
    case.evaluate_plan(
        plan.id,
        evaluation_id=None,
        held_on=date(2026, 10, 1),
        decision="continue",
        note=None,
        next_evaluation_on=date(2027, 2, 1),
        referral_destination=None,
        today=TODAY,
    )
    found = plan_legal_state(case, plan, has_pupil_number=True, today=TODAY)
    assert found.rules == {
        "consent": "met",
        "evaluation": "met",
        "pupil_heard": "met",
        "deadline": "not_applicable",  # the case had no plan deadline
        "rod": "met",
    }
    assert found.complete and found.plan_status == "active"


def test_a_draft_misses_consent_and_the_pupil_s_view_and_is_not_for_duo_yet():
    case = open_case()
    plan = draft_plan(case)
    rules = _state(case, plan)
    assert rules["consent"] == "missed" and rules["pupil_heard"] == "missed"
    assert rules["evaluation"] == "not_applicable" and rules["rod"] == "not_applicable"
    assert not plan_legal_state(case, plan, has_pupil_number=True, today=TODAY).complete


def test_consent_asked_and_not_yet_answered_is_pending():
    case = open_case()
    plan = ready_plan(case)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    assert _state(case, plan)["consent"] == "pending"


def test_consent_to_an_older_version_of_the_action_plan_does_not_count():
    case = open_case()
    plan = active_plan(case)
    # The state a changed action plan leaves (change_action_plan's signature differs between
    # branches being merged; the rule reads only the versions and the request).
    plan.action_plan_version += 1
    plan.consent_requested_on = None
    assert plan.consented_version == 1
    assert _state(case, plan)["consent"] == "missed"
    plan.consent_requested_on = TODAY
    assert _state(case, plan)["consent"] == "pending"


def test_an_evaluation_scheduled_later_this_school_year_is_pending_none_is_missed():
    case = open_case()
    plan = active_plan(case)  # evaluations scheduled 1 October 2026 and 1 February 2027
    assert _state(case, plan)["evaluation"] == "pending"
    # In June 2027 both dates passed without an evaluation held: missed.
    assert _state(case, plan, today=date(2027, 6, 1))["evaluation"] == "missed"


def test_a_held_evaluation_counts_for_its_own_school_year_only():
    case = open_case()
    plan = active_plan(case)
    case.evaluate_plan(
        plan.id,
        evaluation_id=None,
        held_on=date(2026, 10, 1),
        decision="continue",
        note=None,
        next_evaluation_on=date(2027, 7, 1),
        referral_destination=None,
        today=TODAY,
    )
    assert _state(case, plan)["evaluation"] == "met"
    assert _state(case, plan, today=date(2027, 8, 15))["evaluation"] == "missed"


def test_the_plan_deadline_is_met_when_drawn_up_in_time_and_missed_after():
    case = open_case(opened_on=date(2026, 8, 20), needs_extra_support=True)
    assert case.plan_due_by is not None
    in_time = draft_plan(case, created_on=case.plan_due_by)
    assert _state(case, in_time)["deadline"] == "met"
    late_case = open_case(opened_on=date(2026, 7, 1), needs_extra_support=True)
    late = draft_plan(late_case)  # drafted on 1 September 2026, past the deadline
    assert late_case.plan_due_by < late.created_on
    assert _state(late_case, late)["deadline"] == "missed"


def test_a_plan_in_force_without_a_pupil_number_cannot_be_registered_with_duo():
    case = open_case()
    plan = active_plan(case)
    assert plan.activated_on == AGREED_ON
    assert _state(case, plan, has_pupil_number=False)["rod"] == "missed"


def test_closed_plans_and_closed_cases_are_not_listed():
    case = open_case()
    plan = active_plan(case)
    assert open_plans(case) == [plan]
    case.close(date(2026, 10, 14), "goals_reached", TODAY)
    assert open_plans(case) == []
