"""The development plan's steps on the Case aggregate (rules 2, 3, 4, 6, 7): drafting,
consent, evaluations and their meetings, and the decision an evaluation carries out (continue,
back to basic support, or a referral). The plan keeps its own rules (domain.plan); these steps
record the events. Plain Python."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from services.cases.domain import events
from services.cases.domain.case_state import CaseState, CaseStatus, SupportLevel
from services.cases.domain.consent import ConsentChannel
from services.cases.domain.evaluation import Decision, PlanEvaluation, meeting_payload
from services.cases.domain.plan import (
    DevelopmentPlan,
    PlanStatus,
    Scenario,
    check_plan_dates,
)
from services.cases.domain.referral import Referral
from shared.errors import StateConflict


class PlanSteps(CaseState):
    """The Case's steps on its development plans; model.Case is built on them."""

    def create_plan(
        self,
        *,
        exit_destination: str,
        hindering_factors: list[str],
        supporting_factors: list[str],
        action_plan: str,
        deviations: str | None,
        scenarios: list[Scenario],
        agreed_end_date: date,
        evaluation_dates: list[date],
        created_on: date,
    ) -> DevelopmentPlan:
        """Draft a development plan with its legal parts, scenarios and evaluation dates."""
        self._require_open()
        if any(p.is_open for p in self.plans):
            raise StateConflict(
                "The case already has an open development plan.", code="plan_exists"
            )
        check_plan_dates(
            created_on=created_on,
            agreed_end_date=agreed_end_date,
            scenarios=scenarios,
            evaluation_dates=evaluation_dates,
        )
        plan = DevelopmentPlan(
            case_id=self.id,
            exit_destination=exit_destination,
            hindering_factors=hindering_factors,
            supporting_factors=supporting_factors,
            action_plan=action_plan,
            deviations=deviations,
            agreed_end_date=agreed_end_date,
            created_on=created_on,
            scenarios=scenarios,
        )
        self.plans.append(plan)
        self._record(
            events.PlanCreated,
            case_id=self.id,
            plan_id=plan.id,
            created_on=created_on,
            agreed_end_date=agreed_end_date,
        )
        for day in sorted(evaluation_dates):
            self._schedule(plan, day)
        return plan

    def record_consultation(
        self, plan_id: UUID, *, held_on: date, participants: list[str], today: date
    ) -> None:
        """Record the consultation with the parents (OOGO)."""
        plan = self._open_plan(plan_id)
        plan.record_consultation(held_on=held_on, participants=participants, today=today)
        self._record(events.ConsultationRecorded, case_id=self.id, plan_id=plan.id, held_on=held_on)

    def record_pupil_view(
        self, plan_id: UUID, *, heard_on: date, summary: str | None, today: date
    ) -> None:
        """Record that the pupil was heard (hoorrecht)."""
        plan = self._open_plan(plan_id)
        plan.record_pupil_view(heard_on=heard_on, summary=summary, today=today)
        self._record(events.PupilViewRecorded, case_id=self.id, plan_id=plan.id, heard_on=heard_on)

    def change_action_plan(
        self, plan_id: UUID, *, action_plan: str, deviations: str | None, today: date
    ) -> None:
        """Change the action plan; the new version needs fresh consent (rule 4). An active
        plan's parents are asked at once; the version they agreed to stays in force meanwhile."""
        plan = self._open_plan(plan_id)
        plan.change_action_plan(action_plan=action_plan, deviations=deviations)
        self._record(
            events.ActionPlanChanged,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
        )
        if plan.status == PlanStatus.ACTIVE:
            self.request_consent(plan.id, requested_on=today)

    def request_consent(self, plan_id: UUID, *, requested_on: date) -> None:
        """Ask the parents to consent to the current action plan."""
        plan = self._open_plan(plan_id)
        plan.request_consent(requested_on=requested_on)
        self._record(
            events.ConsentRequested,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
            requested_on=requested_on,
        )

    def record_consent(
        self,
        plan_id: UUID,
        *,
        decision: str,
        recorded_on: date,
        guardian_ids: list[str],
        today: date,
        how: ConsentChannel | None = None,
        needed: frozenset[str] | None = None,
    ) -> None:
        """Record the parents' answer; agreement activates the plan (rule 4). An online answer
        names the hash of the text the guardian read: a stale one is refused (409). `needed`:
        the guardians with parental authority when every one of them must agree (the
        partnership's `consent_from` is `all`); the plan waits for the last of them."""
        plan = self._open_plan(plan_id)
        how = how or ConsentChannel()
        plan.check_answer(
            decision=decision,
            guardian_ids=guardian_ids,
            how=how,
            needed=needed,
            recorded_on=recorded_on,
            today=today,
        )
        plan.add_answer(
            decision=decision, recorded_on=recorded_on, guardian_ids=guardian_ids, how=how
        )
        self._record(
            events.ConsentRecorded,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
            decision=decision,
            recorded_on=recorded_on,
            requested_on=plan.consent_requested_on,
            channel=how.channel,
        )
        if not plan.settle_consent(decision=decision, recorded_on=recorded_on, needed=needed):
            return
        self._record(
            events.PlanActivated,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
            activated_on=recorded_on,
        )
        self._change_level(SupportLevel.EXTRA, recorded_on)

    def record_parents_view(
        self, plan_id: UUID, *, text: str, guardian_id: UUID, at: datetime
    ) -> None:
        """The parents write (or rewrite) their own view on the plan. Never an event: it is
        free text about the pupil, read only through the plan."""
        plan = self._open_plan(plan_id)
        plan.record_parents_view(text=text, guardian_id=guardian_id, at=at)

    # -- evaluations and their meetings (rules 6, 7) --------------------------------------------

    def schedule_evaluation(self, plan_id: UUID, *, due_on: date, today: date) -> PlanEvaluation:
        """Schedule an extra evaluation of the plan."""
        plan = self._open_plan(plan_id)
        plan.check_new_schedule(due_on, today)
        return self._schedule(plan, due_on)

    def reschedule_evaluation(
        self, plan_id: UUID, evaluation_id: UUID, *, due_on: date, today: date
    ) -> None:
        """Move a scheduled evaluation to another date."""
        plan = self._open_plan(plan_id)
        evaluation = plan.scheduled_evaluation(evaluation_id)
        plan.check_new_schedule(due_on, today, moving=evaluation)
        previous, evaluation.due_on = evaluation.due_on, due_on
        self._record(
            events.PlanEvaluationRescheduled,
            case_id=self.id,
            plan_id=plan.id,
            evaluation_id=evaluation.id,
            due_on=due_on,
            previous_due_on=previous,
        )

    def plan_meeting(
        self,
        plan_id: UUID,
        evaluation_id: UUID,
        *,
        starts_at: datetime,
        minutes: int,
        location: str | None,
        video_url: str | None,
        now: datetime,
    ) -> None:
        """Plan, or move, the meeting of a scheduled evaluation of an active plan."""
        plan = self._open_plan(plan_id)
        plan.require_active("Only an active plan's evaluation gets a meeting.")
        evaluation = plan.scheduled_evaluation(evaluation_id)
        moved = evaluation.plan_meeting(
            starts_at=starts_at, minutes=minutes, location=location, video_url=video_url, now=now
        )
        self._record(
            events.MeetingMoved if moved else events.MeetingPlanned,
            **self._meeting_payload(plan, evaluation),
        )

    def cancel_meeting(self, plan_id: UUID, evaluation_id: UUID) -> None:
        """Cancel the planned meeting of an evaluation (the evaluation itself stays)."""
        plan = self._open_plan(plan_id)
        evaluation = plan.scheduled_evaluation(evaluation_id)
        if not evaluation.has_meeting:
            raise StateConflict("No meeting is planned.", code="meeting_not_planned")
        self._record_meeting_cancelled(plan, evaluation)

    def _record_meeting_cancelled(self, plan: DevelopmentPlan, evaluation: PlanEvaluation) -> None:
        evaluation.cancel_meeting()
        self._record(events.MeetingCancelled, **self._meeting_payload(plan, evaluation))

    def _call_off_meeting(
        self, plan: DevelopmentPlan, evaluation: PlanEvaluation, now: datetime | None
    ) -> None:
        """An evaluation held before its meeting, or cancelled with its plan, no longer meets:
        a meeting still ahead is cancelled, so its calendar invitations are withdrawn too."""
        if evaluation.meeting_still_ahead(now):
            self._record_meeting_cancelled(plan, evaluation)

    def _meeting_payload(
        self, plan: DevelopmentPlan, evaluation: PlanEvaluation
    ) -> dict[str, object]:
        assert evaluation.meeting_starts_at is not None and evaluation.meeting_minutes is not None
        return meeting_payload(self.id, plan.id, evaluation)

    def evaluate_plan(
        self,
        plan_id: UUID,
        *,
        evaluation_id: UUID | None,
        held_on: date,
        decision: str,
        note: str | None,
        next_evaluation_on: date | None,
        referral_destination: str | None,
        today: date,
        now: datetime | None = None,
    ) -> Referral | None:
        """Evaluate an active plan with the parents and carry out the decision (rule 7); a
        meeting of the evaluation still ahead at `now` is cancelled."""
        plan = self._open_plan(plan_id)
        plan.require_active("Only an active plan can be evaluated.")
        plan.check_evaluation(
            held_on=held_on,
            decision=decision,
            next_evaluation_on=next_evaluation_on,
            referral_destination=referral_destination,
            today=today,
        )
        evaluation_id = plan.evaluation_to_hold(evaluation_id)
        if decision == Decision.CONTINUE:
            assert next_evaluation_on is not None
            plan.check_continuation(evaluation_id, next_evaluation_on, held_on, today)
        evaluation = (
            plan.scheduled_evaluation(evaluation_id)
            if evaluation_id is not None
            else self._schedule(plan, held_on)
        )
        evaluation.hold(
            held_on=held_on, decision=decision, note=note, next_evaluation_on=next_evaluation_on
        )
        self._record(
            events.PlanEvaluated,
            case_id=self.id,
            plan_id=plan.id,
            evaluation_id=evaluation.id,
            due_on=evaluation.due_on,
            held_on=held_on,
            decision=decision,
            next_evaluation_on=next_evaluation_on,
        )
        self._call_off_meeting(plan, evaluation, now)
        return self._carry_out(
            plan, decision, held_on, next_evaluation_on, referral_destination, now
        )

    def _carry_out(
        self,
        plan: DevelopmentPlan,
        decision: str,
        held_on: date,
        next_evaluation_on: date | None,
        referral_destination: str | None,
        now: datetime | None,
    ) -> Referral | None:
        """Rule 7: continue (with the next evaluation), back to basic support, or refer."""
        if decision == Decision.CONTINUE:
            assert next_evaluation_on is not None
            if all(e.due_on != next_evaluation_on for e in plan.scheduled_evaluations()):
                self._schedule(plan, next_evaluation_on)
            return None
        if decision == Decision.BACK_TO_BASIC:
            self._close_plan(plan, held_on, "back_to_basic", now)
            self._change_level(SupportLevel.BASIC, held_on)
            return None
        assert referral_destination is not None
        return self._refer(plan, referral_destination, held_on, now)

    # -- referrals ------------------------------------------------------------------------------

    def _refer(
        self, plan: DevelopmentPlan, destination: str, requested_on: date, now: datetime | None
    ) -> Referral:
        referral = Referral(
            case_id=self.id, plan_id=plan.id, destination=destination, requested_on=requested_on
        )
        self.referrals.append(referral)
        self._record(
            events.ReferralRequested,
            case_id=self.id,
            referral_id=referral.id,
            plan_id=plan.id,
            destination=destination,
            requested_on=requested_on,
        )
        self._close_plan(plan, requested_on, "referred", now)
        self.status = CaseStatus.REFERRED.value
        return referral

    # -- internals ------------------------------------------------------------------------------

    def _schedule(self, plan: DevelopmentPlan, due_on: date) -> PlanEvaluation:
        evaluation = plan.add_evaluation(due_on)
        self._record(
            events.PlanEvaluationScheduled,
            case_id=self.id,
            plan_id=plan.id,
            evaluation_id=evaluation.id,
            due_on=due_on,
        )
        return evaluation

    def _close_plan(
        self, plan: DevelopmentPlan, closed_on: date, reason: str, now: datetime | None = None
    ) -> None:
        for evaluation in plan.close(closed_on, reason):
            self._call_off_meeting(plan, evaluation, now)
        for item in self.interventions:
            if item.plan_id == plan.id:
                item.stop()
        self._record(
            events.PlanClosed, case_id=self.id, plan_id=plan.id, closed_on=closed_on, reason=reason
        )
