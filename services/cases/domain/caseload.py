"""Where a case stands for the people who follow it: its next due date and the flags the rules
raise (an evaluation overdue, no plan evaluation this school year, the plan deadline near, an
intervention the school's SOP does not offer). Computed here, once, so every page, message and
report shows the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.cases.domain.model import Case, CaseStatus
from services.cases.domain.plan import PlanStatus

EVALUATION_OVERDUE = "evaluation_overdue"
NO_EVALUATION_THIS_YEAR = "no_evaluation_this_year"
PLAN_DEADLINE_NEAR = "plan_deadline_near"
OUTSIDE_SUPPORT_PROFILE = "outside_support_profile"
FLAGS = (EVALUATION_OVERDUE, NO_EVALUATION_THIS_YEAR, PLAN_DEADLINE_NEAR, OUTSIDE_SUPPORT_PROFILE)


@dataclass(frozen=True)
class Standing:
    """A case's next due date (with what is due) and its flags, in the order of FLAGS."""

    next_due_on: date | None
    next_due_kind: str | None
    flags: tuple[str, ...]


def _due_dates(case: Case) -> list[tuple[date, str]]:
    """What the case waits for: active interventions' evaluations, open plans' scheduled
    evaluations, and the plan itself while none is drafted under a deadline (rule 5)."""
    due = [(i.evaluate_by, "intervention") for i in case.interventions if i.status == "active"]
    for plan in case.plans:
        if plan.status != PlanStatus.CLOSED:
            due += [(e.due_on, "plan_evaluation") for e in plan.scheduled_evaluations()]
    if case.plan_due_by is not None and not case.plans:
        due.append((case.plan_due_by, "plan"))
    return due


def standing(case: Case, today: date, horizon_days: int) -> Standing:
    """The case's standing on `today`; `horizon_days` is how near a deadline counts as near."""
    if case.status == CaseStatus.CLOSED:
        return Standing(None, None, ())
    due = sorted(_due_dates(case))
    raised = {
        EVALUATION_OVERDUE: any(day < today and kind != "plan" for day, kind in due),
        NO_EVALUATION_THIS_YEAR: any(p.evaluation_missing(today) for p in case.plans),
        PLAN_DEADLINE_NEAR: case.plan_due_by is not None
        and not case.plans
        and case.plan_due_by <= today + timedelta(days=horizon_days),
        OUTSIDE_SUPPORT_PROFILE: any(
            i.outside_support_profile and i.status == "active" for i in case.interventions
        ),
    }
    first = due[0] if due else (None, None)
    return Standing(first[0], first[1], tuple(f for f in FLAGS if raised[f]))
