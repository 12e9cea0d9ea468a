"""domain.caseload: the flag 'no evaluation this school year' (rule 6) and the closed case."""

from __future__ import annotations

from datetime import date

from services.cases.domain.caseload import standing
from services.cases.domain.model import Case
from tests.unit.cases.builders import active_plan, drifted, open_case


def _case_with_active_plan(evaluation_due: date) -> Case:
    """A case whose active plan has one scheduled evaluation, due on `evaluation_due`. Built
    through the domain (not `__new__`), so it holds whether or not the ORM mapping is loaded in
    this test process."""
    case = open_case(needs_extra_support=True)
    drifted(active_plan(case), evaluation_due)
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
