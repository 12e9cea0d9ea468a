"""The support case (ondersteuningstraject) aggregate root. Its parts live by concept in their
own modules: interventions (domain.intervention), the development plan with consent
(domain.plan), its evaluations and meetings (domain.evaluation) and the referral
(domain.referral). Every change goes through the Case, which records the events. Plain Python;
rules of DESIGN.md §4 live here and in those modules."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from services.cases.domain import events
from services.cases.domain.case_state import CaseStatus, SupportLevel
from services.cases.domain.consent import Consent, ConsentChannel
from services.cases.domain.evaluation import (
    RULE_6,
    Decision,
    PlanEvaluation,
    meeting_payload,
    one_year_after,
    yearly_evaluation_gaps,
)
from services.cases.domain.intervention import (
    Intervention,
    Outcome,
    check_basic_intervention,
    check_extra_intervention,
)
from services.cases.domain.plan import DevelopmentPlan, PlanStatus, Scenario
from services.cases.domain.plan_steps import PlanSteps
from services.cases.domain.referral import Referral
from services.cases.domain.school import PartnershipSettings, Pupil, SupportProfile
from shared.errors import Problems, StateConflict

# The parts, re-exported for code that imports them from here (new code imports them from
# their own modules).
__all__ = [
    "RULE_6",
    "Case",
    "CaseStatus",
    "Consent",
    "ConsentChannel",
    "Decision",
    "DevelopmentPlan",
    "Intervention",
    "Outcome",
    "PlanEvaluation",
    "PlanStatus",
    "Referral",
    "Scenario",
    "SupportLevel",
    "meeting_payload",
    "one_year_after",
    "yearly_evaluation_gaps",
]


class Case(PlanSteps):
    """A pupil's support trajectory. All changes go through its methods, which record events."""

    def __init__(
        self,
        *,
        partnership_id: UUID,
        school_id: UUID,
        pupil_id: UUID,
        opened_on: date,
        plan_due_by: date | None = None,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.partnership_id = partnership_id
        self.school_id = school_id
        self.pupil_id = pupil_id
        self.level = SupportLevel.BASIC.value
        self.status = CaseStatus.OPEN.value
        self.opened_on = opened_on
        self.closed_on: date | None = None
        self.plan_due_by = plan_due_by
        self.interventions: list[Intervention] = []
        self.plans: list[DevelopmentPlan] = []
        self.referrals: list[Referral] = []
        self.version = 1
        self.events: list[events.Event] = []

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        pupil: Pupil,
        opened_on: date,
        needs_extra_support: bool,
        settings: PartnershipSettings,
        today: date,
    ) -> Case:
        """Open a case; when extra support is needed, the plan deadline of rule 5 is set."""
        problems = Problems()
        problems.check(
            opened_on >= pupil.enrolled_on, "opened_on", "Cannot be before the pupil's enrolment."
        )
        problems.check(opened_on <= today, "opened_on", "Cannot be in the future.")
        problems.raise_if_any("The case cannot be opened.")
        plan_due_by = None
        if needs_extra_support:
            new_pupil_deadline = pupil.enrolled_on + timedelta(weeks=settings.new_pupil_plan_weeks)
            if opened_on <= new_pupil_deadline:
                plan_due_by = new_pupil_deadline
            else:
                plan_due_by = opened_on + timedelta(weeks=settings.plan_deadline_weeks)
        case = cls(
            partnership_id=pupil.partnership_id,
            school_id=pupil.school_id,
            pupil_id=pupil.id,
            opened_on=opened_on,
            plan_due_by=plan_due_by,
        )
        case._record(
            events.CaseOpened,
            case_id=case.id,
            pupil_id=pupil.id,
            level=case.level,
            opened_on=opened_on,
            plan_due_by=plan_due_by,
        )
        return case

    def close(
        self,
        closed_on: date,
        reason: str,
        today: date | None = None,
        now: datetime | None = None,
    ) -> None:
        """Close the case; an open plan closes with it and pending evaluations are cancelled,
        with their meetings still ahead at `now`."""
        if self.status == CaseStatus.CLOSED:
            raise StateConflict("The case is already closed.", code="case_closed")
        problems = Problems()
        problems.check(
            closed_on >= self.opened_on, "closed_on", "Must not be before the opening date."
        )
        problems.check(today is None or closed_on <= today, "closed_on", "Cannot be in the future.")
        problems.raise_if_any("The case cannot be closed as given.")
        for plan in self.plans:
            if plan.is_open:
                self._close_plan(plan, closed_on, "case_closed", now)
        for intervention in self.interventions:
            intervention.stop()
        self.status = CaseStatus.CLOSED.value
        self.closed_on = closed_on
        self._record(events.CaseClosed, case_id=self.id, closed_on=closed_on, reason=reason)

    # -- interventions (rules 1, 2, 8) ----------------------------------------------------------

    def start_intervention(
        self,
        *,
        domain: str,
        goal: str,
        starts_on: date,
        evaluate_by: date,
        settings: PartnershipSettings,
        profile: SupportProfile | None,
    ) -> Intervention:
        """Start an intervention at the case's level; extra ones need an active plan."""
        self._require_open()
        plan = self.active_plan()
        self._check_intervention(domain, starts_on, evaluate_by, settings, plan)
        outside = profile is None or not profile.offers(domain)
        item = Intervention(
            case_id=self.id,
            level=self.level,
            domain=domain,
            goal=goal,
            starts_on=starts_on,
            evaluate_by=evaluate_by,
            plan_id=plan.id if plan and self.level == SupportLevel.EXTRA else None,
            outside_support_profile=outside,
        )
        self.interventions.append(item)
        self._record(
            events.InterventionStarted,
            case_id=self.id,
            intervention_id=item.id,
            level=item.level,
            domain=domain,
            starts_on=starts_on,
            evaluate_by=evaluate_by,
            plan_id=item.plan_id,
        )
        if outside:
            self._record(
                events.InterventionOutsideSupportProfile,
                case_id=self.id,
                intervention_id=item.id,
                domain=domain,
                support_profile_id=profile.id if profile else None,
            )
        return item

    def _check_intervention(
        self,
        domain: str,
        starts_on: date,
        evaluate_by: date,
        settings: PartnershipSettings,
        plan: DevelopmentPlan | None,
    ) -> None:
        """Rules 1 and 2 for a new intervention at the case's level."""
        problems = Problems()
        problems.check(evaluate_by > starts_on, "evaluate_by", "Must be after starts_on.")
        problems.check(
            starts_on >= self.opened_on, "starts_on", "Cannot be before the case was opened."
        )
        if self.level == SupportLevel.BASIC:
            check_basic_intervention(
                problems,
                domain=domain,
                starts_on=starts_on,
                evaluate_by=evaluate_by,
                settings=settings,
            )
        else:
            check_extra_intervention(
                problems,
                domain=domain,
                evaluate_by=evaluate_by,
                settings=settings,
                plan_end_date=plan.agreed_end_date if plan is not None else None,
            )
        problems.raise_if_any("The intervention breaks one or more rules.")

    def evaluate_intervention(
        self,
        intervention_id: UUID,
        *,
        outcome: str,
        note: str | None,
        evaluated_on: date,
        today: date,
        evaluated_by: UUID | None = None,
    ) -> None:
        """Record an intervention's effect; `evaluated_by` is the user who recorded it."""
        item = self.intervention(intervention_id)
        item.evaluate(outcome=outcome, note=note, evaluated_on=evaluated_on, today=today)
        self._record(
            events.InterventionEvaluated,
            case_id=self.id,
            intervention_id=item.id,
            outcome=outcome,
            evaluated_on=evaluated_on,
            evaluate_by=item.evaluate_by,
            evaluated_by=evaluated_by,
        )

    # -- referrals (rule 7) ---------------------------------------------------------------------

    def record_admission_statement(
        self, referral_id: UUID, *, valid_from: date, valid_until: date
    ) -> None:
        """Record the admission statement (TLV) granted on a referral, with its validity."""
        referral = next((r for r in self.referrals if r.id == referral_id), None)
        if referral is None:
            raise StateConflict("No such referral on this case.", code="referral_not_found")
        referral.grant_admission_statement(valid_from=valid_from, valid_until=valid_until)
        self._record(
            events.AdmissionStatementRecorded,
            case_id=self.id,
            referral_id=referral.id,
            valid_from=valid_from,
            valid_until=valid_until,
        )

    # -- retention (rule 9) ----------------------------------------------------------------------

    def anonymise(self) -> None:
        """Blank every free text about the pupil: goals, notes, factors, the action plan,
        scenarios, the pupil's view and who attended. Codes, dates and decisions stay."""
        if self.status != CaseStatus.CLOSED:
            raise StateConflict("Only a closed case is anonymised.", code="case_not_closed")
        for item in self.interventions:
            item.anonymise()
        for plan in self.plans:
            plan.anonymise()

    # -- lookups --------------------------------------------------------------------------------

    @property
    def awaits_plan(self) -> bool:
        """Rule 5: the case has a plan deadline and no plan has taken effect yet."""
        return (
            self.plan_due_by is not None
            and self.status == CaseStatus.OPEN
            and all(p.activated_on is None for p in self.plans)
        )
