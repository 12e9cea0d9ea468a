"""The rules of DESIGN.md §4 on the Case aggregate and the support profile, without any I/O."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.cases.domain.evaluation import PlanEvaluation
from services.cases.domain.intervention import Intervention
from services.cases.domain.model import Case, CaseStatus, SupportLevel
from services.cases.domain.plan import DevelopmentPlan, PlanStatus
from services.cases.domain.referral import Referral
from services.cases.domain.school import PartnershipSettings, SupportProfile, current_profile
from shared.errors import RuleViolation, StateConflict
from shared.events import payload_schema
from tests.unit.cases.builders import (
    AGREED_END_DATE,
    AGREED_ON,
    GOAL,
    NOTE,
    PLAN_CREATED_ON,
    REQUESTED_ON,
    TODAY,
    active_plan,
    draft_plan,
    drain,
    drifted,
    non_code_values,
    open_case,
    profile_for,
    ready_plan,
    school,
    settings,
    types,
)

STARTS_ON = date(2026, 10, 1)


def start(
    case: Case,
    domain: str = "reading_dyslexia",
    *,
    starts_on: date = STARTS_ON,
    evaluate_by: date | None = None,
    config: PartnershipSettings | None = None,
    profile: SupportProfile | None = None,
) -> Intervention:
    """Start an intervention on the case; by default in the school's profile, for six weeks."""
    return case.start_intervention(
        domain=domain,
        goal=GOAL,
        starts_on=starts_on,
        evaluate_by=evaluate_by or STARTS_ON + timedelta(weeks=6),
        settings=config or settings(),
        profile=profile if profile is not None else profile_for(case),
    )


def evaluate(case: Case, plan: DevelopmentPlan, decision: str, **kw: Any) -> Referral | None:
    """Evaluate a plan (held TODAY unless told otherwise) with a decision."""
    return case.evaluate_plan(
        plan.id,
        evaluation_id=kw.get("evaluation_id"),
        held_on=kw.get("held_on", TODAY),
        decision=decision,
        note=NOTE,
        next_evaluation_on=kw.get("next_evaluation_on"),
        referral_destination=kw.get("referral_destination"),
        today=TODAY,
    )


# -- rule 1: basic interventions -------------------------------------------------------------------


def test_a_basic_intervention_starts_at_the_case_level_and_records_one_event():
    case = open_case()
    drain(case)

    item = start(case, evaluate_by=date(2026, 11, 12))

    assert (item.level, item.domain, item.plan_id, item.status) == (
        "basic",
        "reading_dyslexia",
        None,
        "active",
    )
    assert item.outside_support_profile is False
    [event] = drain(case)
    assert event.type == "intervention.started"
    assert event.payload() == {
        "case_id": case.id,
        "intervention_id": item.id,
        "level": "basic",
        "domain": "reading_dyslexia",
        "starts_on": STARTS_ON,
        "evaluate_by": date(2026, 11, 12),
        "plan_id": None,
    }


def test_a_basic_intervention_may_be_evaluated_exactly_ten_weeks_after_it_starts():
    case = open_case()

    item = start(case, evaluate_by=STARTS_ON + timedelta(days=70))

    assert item.evaluate_by == date(2026, 12, 10)


def test_a_basic_intervention_evaluated_one_day_after_ten_weeks_is_refused():
    case = open_case()
    drain(case)

    with pytest.raises(RuleViolation) as err:
        start(case, evaluate_by=STARTS_ON + timedelta(days=71))

    assert list(err.value.errors) == ["evaluate_by"]
    assert "2026-12-10" in err.value.errors["evaluate_by"][0]
    assert case.interventions == [] and case.events == []


def test_the_short_intervention_maximum_is_the_partnerships_setting():
    case = open_case()
    six_weeks = settings(short_intervention_max_weeks=6)

    start(case, evaluate_by=STARTS_ON + timedelta(weeks=6), config=six_weeks)
    with pytest.raises(RuleViolation) as err:
        start(case, evaluate_by=STARTS_ON + timedelta(weeks=6, days=1), config=six_weeks)

    assert list(err.value.errors) == ["evaluate_by"]


def test_evaluate_by_must_be_after_the_start():
    case = open_case()

    with pytest.raises(RuleViolation) as err:
        start(case, evaluate_by=STARTS_ON)

    assert list(err.value.errors) == ["evaluate_by"]


def test_a_basic_intervention_needs_a_domain_from_the_partnerships_basic_list():
    case = open_case()

    with pytest.raises(RuleViolation) as err:
        start(case, "juggling")

    assert list(err.value.errors) == ["domain"]
    assert case.interventions == []


def test_the_basic_list_is_the_partnerships_own():
    case = open_case()
    own = settings(basic_domains=["reading_dyslexia", "executive_functions"])

    item = start(case, "executive_functions", config=own)
    with pytest.raises(RuleViolation) as err:
        start(case, "gifted", config=own)  # in the default catalog, not in this partnership's

    assert item.domain == "executive_functions"
    assert list(err.value.errors) == ["domain"]


def test_all_problems_of_one_request_are_reported_together():
    case = open_case()
    drain(case)

    with pytest.raises(RuleViolation) as err:
        start(case, "not_a_domain", evaluate_by=STARTS_ON + timedelta(weeks=11))

    assert set(err.value.errors) == {"domain", "evaluate_by"}
    assert err.value.status == 422
    assert case.interventions == [] and case.events == []


def test_all_problems_of_a_plan_are_reported_together():
    case = open_case()
    drain(case)

    with pytest.raises(RuleViolation) as err:
        draft_plan(
            case,
            review_dates=(PLAN_CREATED_ON, date(2026, 12, 1), AGREED_END_DATE + timedelta(days=1)),
            evaluation_dates=(date(2026, 8, 31), date(2026, 11, 1), date(2026, 11, 1)),
        )

    assert set(err.value.errors) == {
        "scenarios.0.review_by",
        "scenarios.2.review_by",
        "evaluation_dates.0",
        "evaluation_dates",
    }
    assert case.plans == [] and case.events == []


# -- rule 2: extra support only through an active plan ---------------------------------------------


def test_an_extra_intervention_needs_an_active_plan_a_draft_is_not_enough():
    case = open_case()
    ready_plan(case)
    drain(case)

    with pytest.raises(StateConflict) as err:
        start(case, "reading_dyslexia_combined")

    assert (err.value.status, err.value.code) == (409, "plan_not_active")
    assert case.level == SupportLevel.BASIC and case.interventions == [] and case.events == []


def test_the_case_becomes_extra_only_when_the_plan_is_activated():
    case = open_case()
    plan = ready_plan(case)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    assert case.level == "basic" and plan.status == PlanStatus.AWAITING_CONSENT

    case.record_consent(
        plan.id, decision="agreed", recorded_on=AGREED_ON, guardian_ids=[], today=TODAY
    )

    assert case.level == "extra" and plan.status == PlanStatus.ACTIVE


def test_an_extra_intervention_under_the_active_plan_belongs_to_it():
    case = open_case()
    plan = active_plan(case)

    item = start(case, "reading_dyslexia_combined", evaluate_by=date(2027, 6, 1))

    assert (item.level, item.plan_id) == ("extra", plan.id)
    assert drain(case)[-1].payload()["plan_id"] == plan.id


def test_an_extra_intervention_needs_an_extra_domain():
    case = open_case()
    active_plan(case)

    with pytest.raises(RuleViolation) as err:
        start(case, "reading_dyslexia")

    assert list(err.value.errors) == ["domain"]


def test_an_extra_intervention_is_evaluated_by_the_plans_agreed_end_date():
    case = open_case()
    active_plan(case)

    start(case, "reading_dyslexia_combined", evaluate_by=AGREED_END_DATE)
    with pytest.raises(RuleViolation) as err:
        start(case, "reading_dyslexia_combined", evaluate_by=AGREED_END_DATE + timedelta(days=1))

    assert list(err.value.errors) == ["evaluate_by"]


# -- rule 3: the plan's parts and order ------------------------------------------------------------


def test_a_plan_records_its_creation_and_each_evaluation_date_in_date_order():
    case = open_case()
    drain(case)

    plan = draft_plan(case, evaluation_dates=(date(2027, 2, 1), date(2026, 10, 1)))

    recorded = drain(case)
    assert types(recorded) == [
        "development_plan.created",
        "development_plan.evaluation_scheduled",
        "development_plan.evaluation_scheduled",
    ]
    assert [e.payload()["due_on"] for e in recorded[1:]] == [date(2026, 10, 1), date(2027, 2, 1)]
    assert plan.status == PlanStatus.DRAFT and plan.action_plan_version == 1


def test_scenario_and_evaluation_dates_may_touch_the_plans_end_but_not_pass_it():
    case = open_case()

    plan = draft_plan(
        case,
        review_dates=(PLAN_CREATED_ON + timedelta(days=1), AGREED_END_DATE),
        evaluation_dates=(PLAN_CREATED_ON, AGREED_END_DATE),
    )

    assert [s.review_by for s in plan.scenarios] == [date(2026, 9, 2), AGREED_END_DATE]


def test_a_scenario_is_reviewed_after_the_plan_is_created():
    case = open_case()

    with pytest.raises(RuleViolation) as err:
        draft_plan(case, review_dates=(date(2026, 12, 1), PLAN_CREATED_ON))

    assert list(err.value.errors) == ["scenarios.1.review_by"]


def test_an_evaluation_date_after_the_agreed_end_is_refused():
    case = open_case()

    with pytest.raises(RuleViolation) as err:
        draft_plan(case, evaluation_dates=(AGREED_END_DATE + timedelta(days=1),))

    assert list(err.value.errors) == ["evaluation_dates.0"]


def test_the_agreed_end_date_is_after_the_creation_date():
    case = open_case()

    with pytest.raises(RuleViolation) as err:
        draft_plan(case, agreed_end_date=PLAN_CREATED_ON, review_dates=(), evaluation_dates=())

    assert list(err.value.errors) == ["agreed_end_date"]


def test_a_case_has_one_open_plan_at_a_time():
    case = open_case()
    draft_plan(case)

    with pytest.raises(StateConflict) as err:
        draft_plan(case)

    assert err.value.code == "plan_exists"


def test_consent_needs_the_consultation_and_the_pupils_view_first():
    case = open_case()
    plan = draft_plan(case)
    drain(case)

    with pytest.raises(StateConflict) as requested:
        case.request_consent(plan.id, requested_on=REQUESTED_ON)
    with pytest.raises(StateConflict) as recorded:
        case.record_consent(
            plan.id, decision="agreed", recorded_on=AGREED_ON, guardian_ids=[], today=TODAY
        )

    for err in (requested, recorded):
        assert err.value.status == 409
        assert err.value.code == "plan_incomplete"
        assert set(err.value.errors) == {"consultation", "pupil_view"}
    assert case.events == [] and plan.consents == [] and plan.status == PlanStatus.DRAFT


def test_after_the_consultation_only_the_pupils_view_is_missing():
    case = open_case()
    plan = draft_plan(case)
    case.record_consultation(
        plan.id, held_on=date(2026, 9, 3), participants=["ouders"], today=TODAY
    )

    with pytest.raises(StateConflict) as err:
        case.request_consent(plan.id, requested_on=REQUESTED_ON)

    assert err.value.code == "plan_incomplete"
    assert list(err.value.errors) == ["pupil_view"]


def test_a_consultation_or_pupil_view_in_the_future_is_refused():
    case = open_case()
    plan = draft_plan(case)
    tomorrow = TODAY + timedelta(days=1)

    with pytest.raises(RuleViolation) as consultation:
        case.record_consultation(plan.id, held_on=tomorrow, participants=[], today=TODAY)
    with pytest.raises(RuleViolation) as view:
        case.record_pupil_view(plan.id, heard_on=tomorrow, summary=None, today=TODAY)

    assert list(consultation.value.errors) == ["held_on"]
    assert list(view.value.errors) == ["heard_on"]
    assert plan.consultation_on is None and plan.pupil_view_on is None


# -- rule 4: consent -------------------------------------------------------------------------------


def test_agreed_consent_activates_the_plan_and_moves_the_case_to_extra_support():
    case = open_case()
    plan = ready_plan(case)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    drain(case)

    case.record_consent(
        plan.id, decision="agreed", recorded_on=AGREED_ON, guardian_ids=["g1"], today=TODAY
    )

    recorded = drain(case)
    assert types(recorded) == [
        "development_plan.consent_recorded",
        "development_plan.activated",
        "case.level_changed",
    ]
    consent, activated, level = (e.payload() for e in recorded)
    assert consent == {
        "case_id": case.id,
        "plan_id": plan.id,
        "action_plan_version": 1,
        "decision": "agreed",
        "recorded_on": AGREED_ON,
        "requested_on": REQUESTED_ON,
        "channel": "paper",
    }
    assert activated["activated_on"] == AGREED_ON and activated["action_plan_version"] == 1
    assert (level["from_level"], level["to_level"], level["changed_on"]) == (
        "basic",
        "extra",
        AGREED_ON,
    )
    assert plan.status == PlanStatus.ACTIVE and plan.consented_version == 1
    assert case.active_plan() is plan


def test_a_declined_consent_keeps_the_plan_inactive_and_is_itself_an_event():
    case = open_case()
    plan = ready_plan(case)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    drain(case)

    case.record_consent(
        plan.id, decision="declined", recorded_on=AGREED_ON, guardian_ids=[], today=TODAY
    )

    [event] = drain(case)
    assert event.type == "development_plan.consent_recorded"
    assert event.payload()["decision"] == "declined"
    assert plan.status == PlanStatus.DECLINED and plan.consented_version is None
    assert case.level == "basic" and case.active_plan() is None
    with pytest.raises(StateConflict) as err:
        start(case, "reading_dyslexia_combined")
    assert err.value.code == "plan_not_active"


def test_after_a_decline_a_changed_action_plan_can_still_be_agreed():
    case = open_case()
    plan = ready_plan(case)
    case.record_consent(
        plan.id, decision="declined", recorded_on=AGREED_ON, guardian_ids=[], today=TODAY
    )

    case.change_action_plan(
        plan.id, action_plan="Drie keer per week lezen", deviations=None, today=TODAY
    )
    assert plan.status == PlanStatus.DRAFT
    case.record_consent(plan.id, decision="agreed", recorded_on=TODAY, guardian_ids=[], today=TODAY)

    assert plan.status == PlanStatus.ACTIVE and plan.consented_version == 2
    assert [(c.action_plan_version, c.decision) for c in plan.consents] == [
        (1, "declined"),
        (2, "agreed"),
    ]


def test_a_changed_action_plan_of_an_active_plan_asks_the_parents_at_once():
    case = open_case()
    plan = active_plan(case)
    drain(case)

    case.change_action_plan(
        plan.id, action_plan="Nieuwe aanpak met tutor", deviations="Minder gym", today=TODAY
    )

    changed, requested = drain(case)
    assert (changed.type, requested.type) == (
        "development_plan.action_plan_changed",
        "development_plan.consent_requested",
    )
    assert changed.payload()["action_plan_version"] == 2
    assert requested.payload()["action_plan_version"] == 2
    assert requested.payload()["requested_on"] == TODAY
    # The old consent stays in force until the parents answer: the plan is active on version 1,
    # and the coordinator sees "instemming gevraagd" for version 2.
    assert plan.status == PlanStatus.ACTIVE and case.level == "extra"
    assert (plan.action_plan_version, plan.consented_version) == (2, 1)
    assert plan.consent_required and plan.consent_status == "requested"
    assert plan.consent_requested_on == TODAY

    case.record_consent(plan.id, decision="agreed", recorded_on=TODAY, guardian_ids=[], today=TODAY)

    recorded = drain(case)
    assert types(recorded) == [
        "development_plan.consent_recorded",
        "development_plan.activated",
    ]
    assert {e.payload()["action_plan_version"] for e in recorded} == {2}
    assert plan.consented_version == 2 and plan.consent_status == "agreed"
    assert plan.activated_on == AGREED_ON  # the plan took effect at the first agreement


def test_a_changed_draft_waits_for_the_coordinator_to_ask():
    case = open_case()
    plan = ready_plan(case)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    assert plan.consent_status == "requested"
    drain(case)

    case.change_action_plan(plan.id, action_plan="Anders", deviations=None, today=TODAY)

    assert types(drain(case)) == ["development_plan.action_plan_changed"]
    assert plan.status == PlanStatus.DRAFT and plan.consent_status == "not_requested"


def test_a_declined_change_leaves_the_agreed_version_in_force():
    # Current behaviour (a design choice): the plan stays active on the version the parents
    # agreed to; only the changed version is refused, and it still waits for consent.
    case = open_case()
    plan = active_plan(case)
    case.change_action_plan(
        plan.id, action_plan="Nieuwe aanpak met tutor", deviations=None, today=TODAY
    )
    drain(case)

    case.record_consent(
        plan.id, decision="declined", recorded_on=TODAY, guardian_ids=[], today=TODAY
    )

    [event] = drain(case)
    assert (event.type, event.payload()["decision"]) == (
        "development_plan.consent_recorded",
        "declined",
    )
    assert event.payload()["action_plan_version"] == 2
    assert plan.status == PlanStatus.ACTIVE and plan.consented_version == 1
    assert plan.consent_required and case.level == "extra"
    assert plan.consent_status == "declined"


def test_consent_to_the_same_version_twice_is_a_conflict():
    case = open_case()
    plan = active_plan(case)

    with pytest.raises(StateConflict) as err:
        case.record_consent(
            plan.id, decision="agreed", recorded_on=TODAY, guardian_ids=[], today=TODAY
        )

    assert err.value.code == "consent_already_given"


def test_consent_cannot_be_recorded_ahead_of_time():
    case = open_case()
    plan = ready_plan(case)

    with pytest.raises(RuleViolation) as err:
        case.record_consent(
            plan.id,
            decision="agreed",
            recorded_on=TODAY + timedelta(days=1),
            guardian_ids=[],
            today=TODAY,
        )

    assert list(err.value.errors) == ["recorded_on"]
    assert plan.consents == [] and plan.status == PlanStatus.DRAFT


# -- rule 5: the plan deadline ---------------------------------------------------------------------


def test_a_new_pupil_needs_a_plan_within_six_weeks_of_enrolment():
    enrolled = date(2026, 8, 24)

    case = open_case(enrolled_on=enrolled, opened_on=date(2026, 9, 14), needs_extra_support=True)

    assert case.plan_due_by == date(2026, 10, 5)
    assert case.events[0].payload()["plan_due_by"] == date(2026, 10, 5)


def test_a_case_opened_on_the_last_day_of_the_six_weeks_keeps_the_new_pupil_deadline():
    enrolled = date(2026, 8, 24)
    config = settings(plan_deadline_weeks=8)

    case = open_case(
        enrolled_on=enrolled,
        opened_on=enrolled + timedelta(weeks=6),
        needs_extra_support=True,
        config=config,
    )

    assert case.plan_due_by == enrolled + timedelta(weeks=6)


def test_an_enrolled_pupil_gets_the_partnerships_deadline():
    enrolled = date(2026, 8, 24)
    opened = enrolled + timedelta(weeks=6, days=1)

    case = open_case(
        enrolled_on=enrolled,
        opened_on=opened,
        needs_extra_support=True,
        config=settings(plan_deadline_weeks=8),
    )

    assert case.plan_due_by == opened + timedelta(weeks=8)


def test_a_case_without_need_for_extra_support_has_no_plan_deadline():
    case = open_case(needs_extra_support=False)

    assert case.plan_due_by is None
    assert case.events[0].payload()["plan_due_by"] is None


def test_a_case_cannot_open_before_enrolment_nor_in_the_future():
    with pytest.raises(RuleViolation) as before:
        open_case(enrolled_on=date(2026, 9, 1), opened_on=date(2026, 8, 31))
    with pytest.raises(RuleViolation) as future:
        open_case(opened_on=TODAY + timedelta(days=1))

    assert list(before.value.errors) == ["opened_on"]
    assert list(future.value.errors) == ["opened_on"]


# -- rule 6: one evaluation per school year --------------------------------------------------------


def plan_with_evaluations(*evaluations: tuple[str, date, date | None]):
    """An active plan whose evaluations are (status, due_on, held_on), as loaded from storage."""
    case = open_case()
    plan = drifted(active_plan(case))
    plan.evaluations = []
    for status, due_on, held_on in evaluations:
        evaluation = PlanEvaluation(plan_id=plan.id, due_on=due_on)
        evaluation.status, evaluation.held_on = status, held_on
        plan.evaluations.append(evaluation)
    return plan


@pytest.mark.parametrize(
    ("evaluations", "missing"),
    [
        ([], True),
        ([("scheduled", date(2026, 8, 1), None)], False),  # first day of 2026-2027
        ([("scheduled", date(2027, 7, 31), None)], False),  # last day of 2026-2027
        ([("scheduled", date(2026, 7, 31), None)], True),  # last year's
        ([("scheduled", date(2027, 8, 1), None)], True),  # next year's
        ([("held", date(2026, 7, 20), date(2026, 8, 3))], False),  # counts by the day held
        ([("held", date(2026, 8, 10), date(2026, 7, 31))], True),
        ([("cancelled", date(2027, 3, 1), None)], True),
    ],
)
def test_an_active_plan_needs_an_evaluation_in_the_current_school_year(evaluations, missing):
    plan = plan_with_evaluations(*evaluations)

    assert plan.evaluation_missing(TODAY) is missing


def test_the_school_year_turns_on_the_first_of_august():
    plan = plan_with_evaluations(("scheduled", date(2027, 7, 1), None))

    assert not plan.evaluation_missing(date(2027, 7, 31))
    assert plan.evaluation_missing(date(2027, 8, 1))


def test_a_plan_that_is_not_in_force_is_never_flagged():
    draft = drifted(draft_plan(open_case()))
    declined_case = open_case()
    declined = drifted(ready_plan(declined_case))
    declined_case.record_consent(
        declined.id, decision="declined", recorded_on=TODAY, guardian_ids=[], today=TODAY
    )
    case = open_case()
    closed = drifted(active_plan(case))
    assert closed.evaluation_missing(TODAY)  # active with nothing planned: flagged

    case.close(TODAY, "pupil_left")

    assert (draft.status, declined.status, closed.status) == ("draft", "declined", "closed")
    assert not draft.evaluation_missing(TODAY)
    assert not declined.evaluation_missing(TODAY)
    assert not closed.evaluation_missing(TODAY)


# -- rule 6: refusing what leaves a school year or 12 months without an evaluation --------------

LONG_END = date(2028, 7, 31)  # a plan agreed for two school years


def assert_rule6(err: pytest.ExceptionInfo[RuleViolation], field: str) -> None:
    assert (err.value.status, err.value.code) == (422, "rule_6_yearly_evaluation")
    assert list(err.value.errors) == [field]
    assert "Rule 6" in err.value.message and all("Rule 6" in m for m in err.value.errors[field])


@pytest.mark.parametrize(
    "evaluation_dates",
    [
        (),  # nothing planned
        (date(2026, 10, 1), date(2027, 10, 2)),  # a year and a day between the two
        (date(2027, 8, 15),),  # nothing in 2026-2027, the school year it starts in
        (date(2026, 10, 1), date(2027, 6, 1), date(2028, 6, 2)),  # the third too late
    ],
)
def test_a_plan_that_leaves_a_school_year_or_12_months_without_an_evaluation_is_refused(
    evaluation_dates,
):
    case = open_case()
    drain(case)

    with pytest.raises(RuleViolation) as err:
        draft_plan(case, agreed_end_date=LONG_END, evaluation_dates=evaluation_dates)

    assert_rule6(err, "evaluation_dates")
    assert case.plans == [] and case.events == []


def test_a_plan_evaluated_within_every_12_months_is_accepted_to_the_day():
    case = open_case()

    plan = draft_plan(
        case,
        agreed_end_date=LONG_END,
        evaluation_dates=(date(2026, 10, 1), date(2027, 10, 1), date(2028, 7, 1)),
    )

    assert [e.due_on for e in plan.scheduled_evaluations()][1] == date(2027, 10, 1)


def test_rescheduling_an_evaluation_more_than_12_months_after_the_one_before_is_refused():
    case = open_case()
    plan = active_plan(
        case, agreed_end_date=LONG_END, evaluation_dates=(date(2026, 12, 1), date(2027, 6, 1))
    )
    later = plan.scheduled_evaluations()[1]
    drain(case)

    with pytest.raises(RuleViolation) as err:
        case.reschedule_evaluation(plan.id, later.id, due_on=date(2027, 12, 2), today=TODAY)

    assert_rule6(err, "due_on")
    assert later.due_on == date(2027, 6, 1) and case.events == []
    case.reschedule_evaluation(plan.id, later.id, due_on=date(2027, 12, 1), today=TODAY)
    assert later.due_on == date(2027, 12, 1)


def test_rescheduling_the_only_evaluation_of_this_school_year_into_the_next_is_refused():
    case = open_case()
    plan = active_plan(
        case, agreed_end_date=LONG_END, evaluation_dates=(date(2026, 12, 1), date(2027, 9, 1))
    )
    first = plan.scheduled_evaluations()[0]

    with pytest.raises(RuleViolation) as err:
        case.reschedule_evaluation(plan.id, first.id, due_on=date(2027, 8, 20), today=TODAY)

    assert_rule6(err, "due_on")
    assert "2026-2027" in err.value.errors["due_on"][0]


def test_continuing_with_the_next_evaluation_more_than_12_months_ahead_is_refused():
    case = open_case()
    plan = active_plan(case, agreed_end_date=LONG_END, evaluation_dates=(date(2026, 10, 14),))
    drain(case)

    with pytest.raises(RuleViolation) as err:
        evaluate(case, plan, "continue", next_evaluation_on=date(2027, 10, 16))

    assert_rule6(err, "next_evaluation_on")
    assert [e.status for e in plan.evaluations] == ["scheduled"] and case.events == []
    evaluate(case, plan, "continue", next_evaluation_on=date(2027, 10, 15))
    assert [e.due_on for e in plan.scheduled_evaluations()] == [date(2027, 10, 15)]


def test_a_drifted_plan_accepts_an_evaluation_that_brings_it_back_and_stays_flagged_till_then():
    case = open_case()
    plan = drifted(active_plan(case, agreed_end_date=LONG_END), date(2027, 9, 1))
    assert plan.evaluation_missing(TODAY)

    with pytest.raises(RuleViolation) as err:  # another date next year does not mend it
        case.schedule_evaluation(plan.id, due_on=date(2027, 10, 1), today=TODAY)
    assert_rule6(err, "due_on")

    case.schedule_evaluation(plan.id, due_on=date(2026, 11, 1), today=TODAY)
    assert not plan.evaluation_missing(TODAY)


# -- rule 7: the evaluation's decision -------------------------------------------------------------


def test_continue_needs_a_next_evaluation_date_after_this_one():
    case = open_case()
    plan = active_plan(case)

    for next_on in (None, TODAY):
        with pytest.raises(RuleViolation) as err:
            evaluate(case, plan, "continue", next_evaluation_on=next_on)
        assert list(err.value.errors) == ["next_evaluation_on"]
    assert all(e.status == "scheduled" for e in plan.evaluations)


def test_continue_holds_the_first_scheduled_evaluation_and_schedules_the_next():
    case = open_case()
    plan = active_plan(case, evaluation_dates=(date(2026, 10, 1), date(2027, 2, 1)))
    drain(case)

    evaluate(case, plan, "continue", next_evaluation_on=date(2027, 4, 1))

    evaluated, scheduled = drain(case)
    assert evaluated.type == "development_plan.evaluated"
    assert evaluated.payload() == {
        "case_id": case.id,
        "plan_id": plan.id,
        "evaluation_id": plan.evaluations[0].id,
        "due_on": date(2026, 10, 1),
        "held_on": TODAY,
        "decision": "continue",
        "next_evaluation_on": date(2027, 4, 1),
    }
    assert scheduled.type == "development_plan.evaluation_scheduled"
    assert scheduled.payload()["due_on"] == date(2027, 4, 1)
    assert [(e.due_on, e.status) for e in plan.evaluations] == [
        (date(2026, 10, 1), "held"),
        (date(2027, 2, 1), "scheduled"),
        (date(2027, 4, 1), "scheduled"),
    ]
    assert plan.status == PlanStatus.ACTIVE and case.level == "extra"


def test_continue_to_an_already_scheduled_date_does_not_schedule_it_twice():
    case = open_case()
    plan = active_plan(case, evaluation_dates=(date(2026, 10, 1), date(2027, 2, 1)))
    drain(case)

    evaluate(case, plan, "continue", next_evaluation_on=date(2027, 2, 1))

    assert types(drain(case)) == ["development_plan.evaluated"]
    assert len(plan.scheduled_evaluations()) == 1


def test_back_to_basic_closes_the_plan_and_cancels_what_was_scheduled():
    case = open_case()
    plan = active_plan(case, evaluation_dates=(date(2026, 10, 1), date(2027, 2, 1)))
    extra = start(case, "reading_dyslexia_combined", evaluate_by=date(2027, 3, 1))
    drain(case)

    evaluate(case, plan, "back_to_basic")

    recorded = drain(case)
    assert types(recorded) == [
        "development_plan.evaluated",
        "development_plan.closed",
        "case.level_changed",
    ]
    assert recorded[1].payload()["reason"] == "back_to_basic"
    assert (recorded[2].payload()["from_level"], recorded[2].payload()["to_level"]) == (
        "extra",
        "basic",
    )
    assert [e.status for e in plan.evaluations] == ["held", "cancelled"]
    assert plan.status == PlanStatus.CLOSED and plan.closed_on == TODAY
    assert extra.status == "stopped"
    assert case.level == "basic" and case.status == "open"
    assert start(case, "reading_dyslexia", starts_on=TODAY, evaluate_by=TODAY + timedelta(weeks=4))


def test_refer_opens_a_referral_closes_the_plan_and_marks_the_case_referred():
    case = open_case()
    plan = active_plan(case)
    drain(case)

    referral = evaluate(case, plan, "refer", referral_destination="sbo")

    recorded = drain(case)
    assert types(recorded) == [
        "development_plan.evaluated",
        "referral.requested",
        "development_plan.closed",
    ]
    assert recorded[1].payload() == {
        "case_id": case.id,
        "referral_id": referral.id,
        "plan_id": plan.id,
        "destination": "sbo",
        "requested_on": TODAY,
    }
    assert recorded[2].payload()["reason"] == "referred"
    assert case.referrals == [referral] and case.status == CaseStatus.REFERRED
    assert [e.status for e in plan.evaluations] == ["held", "cancelled"]


def test_a_referred_case_refuses_further_changes():
    case = open_case()
    plan = active_plan(case)
    evaluate(case, plan, "refer", referral_destination="so")
    drain(case)

    attempts = [
        lambda: start(
            case, "reading_dyslexia", starts_on=TODAY, evaluate_by=TODAY + timedelta(weeks=2)
        ),
        lambda: draft_plan(case, created_on=TODAY, review_dates=(), evaluation_dates=()),
        lambda: case.change_action_plan(plan.id, action_plan="x", deviations=None, today=TODAY),
    ]
    for attempt in attempts:
        with pytest.raises(StateConflict) as err:
            attempt()
        assert (err.value.status, err.value.code) == (409, "case_referred")
    assert case.events == []


def test_refer_needs_a_destination():
    case = open_case()
    plan = active_plan(case)

    with pytest.raises(RuleViolation) as err:
        evaluate(case, plan, "refer")

    assert list(err.value.errors) == ["referral_destination"]
    assert case.status == "open" and case.referrals == []


def test_only_an_active_plan_is_evaluated():
    case = open_case()
    plan = ready_plan(case)

    with pytest.raises(StateConflict) as err:
        evaluate(case, plan, "back_to_basic")

    assert err.value.code == "plan_not_active"


def test_an_evaluation_is_held_between_activation_and_today():
    case = open_case()
    plan = active_plan(case)

    for held_on in (AGREED_ON - timedelta(days=1), TODAY + timedelta(days=1)):
        with pytest.raises(RuleViolation) as err:
            evaluate(case, plan, "back_to_basic", held_on=held_on)
        assert list(err.value.errors) == ["held_on"]


def test_an_admission_statement_is_recorded_on_the_referral_of_a_referred_case():
    case = open_case()
    plan = active_plan(case)
    referral = evaluate(case, plan, "refer", referral_destination="sbo")
    drain(case)

    case.record_admission_statement(
        referral.id, valid_from=date(2026, 11, 1), valid_until=date(2028, 7, 31)
    )

    [event] = drain(case)
    assert event.type == "referral.admission_statement_recorded"
    assert referral.admission_statement_until == date(2028, 7, 31)
    with pytest.raises(RuleViolation):
        case.record_admission_statement(
            referral.id, valid_from=date(2026, 11, 1), valid_until=date(2026, 11, 1)
        )


# -- rule 8: the school support profile ------------------------------------------------------------


def test_an_intervention_outside_the_support_profile_is_accepted_flagged_and_announced():
    case = open_case()
    profile = profile_for(case, basic=["reading_dyslexia"])
    drain(case)

    item = start(case, "math_dyscalculia", profile=profile)

    assert item.outside_support_profile is True
    started, outside = drain(case)
    assert (started.type, outside.type) == (
        "intervention.started",
        "intervention.outside_support_profile",
    )
    assert outside.payload() == {
        "case_id": case.id,
        "intervention_id": item.id,
        "domain": "math_dyscalculia",
        "support_profile_id": profile.id,
    }


def test_an_intervention_inside_the_support_profile_is_not_flagged():
    case = open_case()
    drain(case)

    item = start(case, "reading_dyslexia", profile=profile_for(case, basic=["reading_dyslexia"]))

    assert item.outside_support_profile is False
    assert types(drain(case)) == ["intervention.started"]


def test_without_a_published_profile_every_intervention_is_outside_it():
    case = open_case()
    drain(case)

    item = case.start_intervention(
        domain="reading_dyslexia",
        goal=GOAL,
        starts_on=STARTS_ON,
        evaluate_by=STARTS_ON + timedelta(weeks=2),
        settings=settings(),
        profile=None,
    )

    assert item.outside_support_profile is True
    assert drain(case)[1].payload()["support_profile_id"] is None


def test_the_current_profile_is_the_newest_version_already_in_force():
    case = open_case()
    v1 = profile_for(case, version=1, valid_from=date(2025, 8, 1), basic=["reading_dyslexia"])
    v2 = profile_for(case, version=2, valid_from=date(2026, 11, 1), basic=["math_dyscalculia"])

    assert current_profile([v2, v1], date(2025, 7, 31)) is None
    assert current_profile([v2, v1], date(2026, 10, 31)) is v1
    assert current_profile([v1, v2], date(2026, 11, 1)) is v2
    # reading is offered before v2 takes over, and outside the profile after it
    assert not start(case, "reading_dyslexia", profile=v1).outside_support_profile
    assert start(case, "reading_dyslexia", profile=v2).outside_support_profile


def publish(review_by, valid_from=date(2026, 8, 1), basic=("reading_dyslexia",), extra=()):
    return SupportProfile.publish(
        school=school(),
        settings=settings(),
        previous_version=2,
        basic_domains=list(basic),
        extra_domains=list(extra),
        valid_from=valid_from,
        review_by=review_by,
        published_on=TODAY,
    )


def test_publishing_a_profile_makes_the_next_version_and_announces_it():
    profile = publish(date(2030, 8, 1))

    assert profile.version == 3
    [event] = profile.events
    assert event.type == "support_profile.published"
    assert event.payload() == {
        "support_profile_id": profile.id,
        "version": 3,
        "valid_from": date(2026, 8, 1),
        "review_by": date(2030, 8, 1),
    }


@pytest.mark.parametrize(
    ("valid_from", "latest"),
    [
        (date(2026, 8, 1), date(2030, 8, 1)),
        (date(2028, 2, 29), date(2032, 2, 29)),  # leap day to leap day
        (date(2096, 2, 29), date(2100, 2, 28)),  # 2100 is no leap year
    ],
)
def test_a_profile_is_reviewed_at_most_four_years_after_it_takes_effect(valid_from, latest):
    assert publish(latest, valid_from=valid_from).review_by == latest

    with pytest.raises(RuleViolation) as err:
        publish(latest + timedelta(days=1), valid_from=valid_from)

    assert list(err.value.errors) == ["review_by"]
    assert latest.isoformat() in err.value.errors["review_by"][0]


def test_a_profile_lists_only_the_partnerships_domains_and_reports_every_problem():
    with pytest.raises(RuleViolation) as err:
        publish(
            date(2026, 8, 1),
            basic=("reading_dyslexia", "juggling"),
            extra=("reading_dyslexia",),  # a basic code in the extra list
        )

    assert err.value.errors["basic_domains"] == ["'juggling' is not in the partnership's list."]
    assert len(err.value.errors["extra_domains"]) == 1
    assert err.value.errors["review_by"] == ["Must be after valid_from."]


# -- interventions, closing ------------------------------------------------------------------------


def test_an_intervention_is_evaluated_once_between_its_start_and_today():
    case = open_case()
    item = start(case)
    drain(case)

    for day in (STARTS_ON - timedelta(days=1), TODAY + timedelta(days=1)):
        with pytest.raises(RuleViolation) as err:
            case.evaluate_intervention(
                item.id, outcome="effective", note=None, evaluated_on=day, today=TODAY
            )
        assert list(err.value.errors) == ["evaluated_on"]
    case.evaluate_intervention(
        item.id, outcome="not_effective", note=NOTE, evaluated_on=TODAY, today=TODAY
    )
    with pytest.raises(StateConflict) as again:
        case.evaluate_intervention(
            item.id, outcome="effective", note=None, evaluated_on=TODAY, today=TODAY
        )

    assert again.value.code == "intervention_not_active"
    assert (item.status, item.outcome, item.evaluation_note) == ("evaluated", "not_effective", NOTE)
    assert types(drain(case)) == ["intervention.evaluated"]


def test_closing_a_case_closes_its_plan_and_stops_what_runs():
    case = open_case()
    plan = active_plan(case)
    item = start(case, "reading_dyslexia_combined", evaluate_by=date(2027, 3, 1))
    drain(case)

    case.close(TODAY, "pupil_left")

    assert types(drain(case)) == ["development_plan.closed", "case.closed"]
    assert plan.close_reason == "case_closed" and item.status == "stopped"
    assert all(e.status == "cancelled" for e in plan.evaluations)
    assert case.status == "closed" and case.closed_on == TODAY
    with pytest.raises(StateConflict) as err:
        case.close(TODAY, "pupil_left")
    assert err.value.code == "case_closed"


def test_a_case_cannot_close_before_it_opened():
    case = open_case()

    with pytest.raises(RuleViolation) as err:
        case.close(case.opened_on - timedelta(days=1), "pupil_left")

    assert list(err.value.errors) == ["closed_on"] and case.status == "open"


def test_an_unknown_plan_or_intervention_is_a_conflict():
    case = open_case()

    with pytest.raises(StateConflict) as plan:
        case.request_consent(uuid4(), requested_on=TODAY)
    with pytest.raises(StateConflict) as item:
        case.evaluate_intervention(
            uuid4(), outcome="effective", note=None, evaluated_on=TODAY, today=TODAY
        )

    assert (plan.value.code, item.value.code) == ("plan_not_found", "intervention_not_found")


# -- events carry no personal details --------------------------------------------------------------


def test_every_event_of_a_whole_trajectory_carries_only_ids_dates_numbers_and_codes():
    case = open_case(needs_extra_support=True)
    item = start(case, "math_dyscalculia", profile=profile_for(case, basic=["reading_dyslexia"]))
    case.evaluate_intervention(
        item.id, outcome="not_effective", note=NOTE, evaluated_on=TODAY, today=TODAY
    )
    plan = active_plan(case)
    case.change_action_plan(
        plan.id, action_plan="Nieuwe aanpak voor Emma", deviations=NOTE, today=TODAY
    )
    case.record_consent(plan.id, decision="agreed", recorded_on=TODAY, guardian_ids=[], today=TODAY)
    case.reschedule_evaluation(
        plan.id, plan.scheduled_evaluations()[-1].id, due_on=date(2027, 3, 1), today=TODAY
    )
    case.schedule_evaluation(plan.id, due_on=date(2027, 5, 1), today=TODAY)
    referral = evaluate(case, plan, "refer", referral_destination="sbo")
    case.record_admission_statement(
        referral.id, valid_from=date(2026, 11, 1), valid_until=date(2028, 7, 31)
    )
    case.close(TODAY, "referred")

    recorded = drain(case)
    assert len(set(types(recorded))) == 19  # every kind of event a case records
    for event in recorded:
        assert non_code_values(event) == {}, event.type
        assert GOAL not in repr(event) and NOTE not in repr(event) and "Emma" not in repr(event)
        schema = payload_schema(event.type)
        assert schema.load(schema.dump(event.payload())) == event.payload(), event.type
