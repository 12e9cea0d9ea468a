"""domain.caseload: the flag 'no evaluation this school year' (rule 6) and the closed case."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.cases.domain.caseload import standing
from services.cases.domain.model import Case, DevelopmentPlan, PlanEvaluation, PlanStatus


def _case_with_active_plan(evaluation_due: date) -> Case:
    case = Case(
        partnership_id=uuid4(), school_id=uuid4(), pupil_id=uuid4(), opened_on=date(2025, 9, 1)
    )
    plan = DevelopmentPlan.__new__(DevelopmentPlan)
    plan.id, plan.status = uuid4(), PlanStatus.ACTIVE.value
    plan.evaluations = [PlanEvaluation(plan_id=plan.id, due_on=evaluation_due)]
    case.plans = [plan]
    return case


def test_an_active_plan_without_an_evaluation_this_school_year_is_flagged():
    today = date(2026, 10, 15)
    last_year = standing(_case_with_active_plan(date(2026, 6, 1)), today, 14)
    assert last_year.flags == ("evaluation_overdue", "no_evaluation_this_year")
    this_year = standing(_case_with_active_plan(date(2026, 12, 1)), today, 14)
    assert this_year.flags == () and this_year.next_due_on == date(2026, 12, 1)
    assert this_year.next_due_kind == "plan_evaluation"


def test_a_closed_case_has_no_standing():
    case = _case_with_active_plan(date(2026, 6, 1))
    case.status = "closed"
    assert standing(case, date(2026, 10, 15), 14).flags == ()
