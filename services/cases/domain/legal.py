"""The law at a glance: per open development plan (OPP), which legal rule it meets or misses, as
the inspection asks it (WPO art. 40a; DESIGN.md §4 rules 3 to 6). Computed here, once, so the
directors' and consultants' pages and the XLSX download say the same.

Each rule answers `met`, `missed`, `pending` (not due yet, or waiting for the parents) or
`not_applicable`:
- consent: the parents consented to the current version of the action plan (rule 4); pending
  while consent for it is asked and not yet answered.
- evaluation: the plan was evaluated with the parents in this school year (rule 6); pending while
  an evaluation in this school year is scheduled and not yet due; not applicable to a plan not in
  force yet.
- pupil_heard: the pupil's view was recorded (rule 3).
- deadline: the plan was drawn up within the case's deadline (6 weeks for a new pupil, rule 5);
  not applicable to a case without a deadline.
- rod: the plan can be registered with DUO (ROD): it is in force and the pupil has the school's
  pupil number DUO knows them by. Whether the office actually sent it is not known here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan, PlanStatus
from shared.clock import school_year_of

MET, MISSED, PENDING, NOT_APPLICABLE = "met", "missed", "pending", "not_applicable"
RULES = ("consent", "evaluation", "pupil_heard", "deadline", "rod")


@dataclass(frozen=True)
class PlanLegalState:
    """One plan's answer per rule (in the order of RULES), and whether any rule is missed."""

    case_id: UUID
    plan_id: UUID
    plan_status: str
    rules: dict[str, str]

    @property
    def complete(self) -> bool:
        return MISSED not in self.rules.values()


def _consent(plan: DevelopmentPlan) -> str:
    if not plan.consent_required:
        return MET
    return PENDING if plan.consent_requested_on is not None else MISSED


def _evaluation(plan: DevelopmentPlan, today: date) -> str:
    if plan.activated_on is None:
        return NOT_APPLICABLE
    year = school_year_of(today)
    if any(e.status == "held" and e.held_on in year for e in plan.evaluations):
        return MET
    ahead = any(
        e.status == "scheduled" and e.due_on in year and e.due_on >= today for e in plan.evaluations
    )
    return PENDING if ahead else MISSED


def _deadline(case: Case, plan: DevelopmentPlan) -> str:
    if case.plan_due_by is None:
        return NOT_APPLICABLE
    return MET if plan.created_on <= case.plan_due_by else MISSED


def _rod(plan: DevelopmentPlan, has_pupil_number: bool) -> str:
    if plan.activated_on is None:
        return NOT_APPLICABLE
    return MET if has_pupil_number else MISSED


def plan_legal_state(
    case: Case, plan: DevelopmentPlan, *, has_pupil_number: bool, today: date
) -> PlanLegalState:
    """Which rule `plan` (of `case`) meets or misses on `today`."""
    rules = {
        "consent": _consent(plan),
        "evaluation": _evaluation(plan, today),
        "pupil_heard": MET if plan.pupil_view_on is not None else MISSED,
        "deadline": _deadline(case, plan),
        "rod": _rod(plan, has_pupil_number),
    }
    return PlanLegalState(case.id, plan.id, plan.status, rules)


def open_plans(case: Case) -> list[DevelopmentPlan]:
    """The plans the overview lists: not closed, of a case not closed."""
    if case.status == "closed":
        return []
    return [p for p in case.plans if p.status != PlanStatus.CLOSED]
