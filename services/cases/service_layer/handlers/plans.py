"""Use cases on a development plan (OPP): drafting, consultation, the pupil's view, the
action plan and the parents' consent, evaluations and their meetings, and the admission
statement of a referral."""

from __future__ import annotations

from uuid import UUID

from services.cases.domain import commands, parents
from services.cases.domain.catalog import EXIT_DESTINATIONS, REFERRAL_DESTINATIONS
from services.cases.domain.model import Case
from services.cases.domain.plan import Scenario
from services.cases.domain.referral import Referral
from services.cases.domain.school import Pupil
from services.cases.service_layer.handlers.access import _writable_case
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import Principal
from shared.clock import local_today
from shared.errors import NotFound, RuleViolation, StateConflict


def create_development_plan(
    cmd: commands.CreateDevelopmentPlan, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Draft a development plan (OPP) on a case."""
    if cmd.exit_destination not in EXIT_DESTINATIONS:
        raise RuleViolation(
            "Unknown exit destination.",
            errors={"exit_destination": [f"Must be one of: {', '.join(EXIT_DESTINATIONS)}."]},
        )
    with uow:
        case = _writable_case(uow, uow.cases.get(cmd.case_id, for_update=True), actor)
        plan = case.create_plan(
            exit_destination=cmd.exit_destination,
            hindering_factors=cmd.hindering_factors,
            supporting_factors=cmd.supporting_factors,
            action_plan=cmd.action_plan,
            deviations=cmd.deviations,
            scenarios=[Scenario(s["expected_effect"], s["review_by"]) for s in cmd.scenarios],
            agreed_end_date=cmd.agreed_end_date,
            evaluation_dates=cmd.evaluation_dates,
            created_on=cmd.created_on,
        )
        uow.commit()
        return plan.id


def _plan_case(uow: AbstractUnitOfWork, plan_id: UUID, actor: Principal) -> Case:
    case = uow.cases.by_plan(plan_id)
    if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such development plan.")
    return _writable_case(uow, case, actor)


def record_consultation(
    cmd: commands.RecordConsultation, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Record the consultation with the parents (OOGO)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.record_consultation(
            cmd.plan_id,
            held_on=cmd.held_on,
            participants=cmd.participants,
            today=local_today(uow.clock),
        )
        uow.commit()


def record_pupil_view(
    cmd: commands.RecordPupilView, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Record that the pupil was heard."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.record_pupil_view(
            cmd.plan_id, heard_on=cmd.heard_on, summary=cmd.summary, today=local_today(uow.clock)
        )
        uow.commit()


def change_action_plan(
    cmd: commands.ChangeActionPlan, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Change the action plan; it needs the parents' consent again (asked at once when active)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.change_action_plan(
            cmd.plan_id,
            action_plan=cmd.action_plan,
            deviations=cmd.deviations,
            today=local_today(uow.clock),
        )
        uow.commit()


def request_consent(
    cmd: commands.RequestConsent, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Ask the parents for consent on the current action plan."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.request_consent(cmd.plan_id, requested_on=cmd.requested_on)
        uow.commit()


def record_consent(cmd: commands.RecordConsent, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Record the parents' consent (agreed or declined)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        pupil = uow.repo.pupil(case.pupil_id)
        assert pupil is not None
        known = {g.id for g in pupil.guardians}
        unknown = [str(g) for g in cmd.guardian_ids if g not in known]
        if unknown:
            raise RuleViolation(
                "Consent is given by the pupil's own guardians.",
                errors={"guardian_ids": [f"Not a guardian of this pupil: {g}" for g in unknown]},
            )
        case.record_consent(
            cmd.plan_id,
            decision=cmd.decision,
            recorded_on=cmd.recorded_on,
            guardian_ids=[str(g) for g in cmd.guardian_ids],
            today=local_today(uow.clock),
            needed=consent_needed(uow, case, pupil),
        )
        uow.commit()


def consent_needed(uow: AbstractUnitOfWork, case: Case, pupil: Pupil) -> frozenset[str] | None:
    """Whose agreement counts for this pupil's plans: None when one guardian's suffices (the
    partnership's `consent_from` is `one`), else every guardian's with parental authority."""
    partnership = uow.repo.partnership(case.partnership_id)
    rule = partnership.settings.consent_from if partnership is not None else "one"
    return parents.needed_guardians(rule, pupil.guardians)


def schedule_evaluation(
    cmd: commands.ScheduleEvaluation, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Schedule an evaluation of the plan."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        evaluation = case.schedule_evaluation(
            cmd.plan_id, due_on=cmd.due_on, today=local_today(uow.clock)
        )
        uow.commit()
        return evaluation.id


def reschedule_evaluation(
    cmd: commands.RescheduleEvaluation, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Move a scheduled evaluation."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.reschedule_evaluation(
            cmd.plan_id, cmd.evaluation_id, due_on=cmd.due_on, today=local_today(uow.clock)
        )
        uow.commit()


def plan_meeting(cmd: commands.PlanMeeting, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Plan or move the meeting of a scheduled evaluation (a calendar invitation follows)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.plan_meeting(
            cmd.plan_id,
            cmd.evaluation_id,
            starts_at=cmd.starts_at,
            minutes=cmd.duration_minutes,
            location=cmd.location,
            video_url=cmd.video_url,
            now=uow.clock.now(),
        )
        uow.commit()


def cancel_meeting(cmd: commands.CancelMeeting, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Cancel the meeting of an evaluation (the invitation is withdrawn)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.cancel_meeting(cmd.plan_id, cmd.evaluation_id)
        uow.commit()


def evaluate_plan(
    cmd: commands.EvaluatePlan, uow: AbstractUnitOfWork, actor: Principal
) -> Referral | None:
    """Evaluate the plan with the parents: continue, back to basic, or refer."""
    if cmd.referral_destination and cmd.referral_destination not in REFERRAL_DESTINATIONS:
        raise RuleViolation(
            "Unknown referral destination.",
            errors={
                "referral_destination": [f"Must be one of: {', '.join(REFERRAL_DESTINATIONS)}."]
            },
        )
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        referral = case.evaluate_plan(
            cmd.plan_id,
            evaluation_id=cmd.evaluation_id,
            held_on=cmd.held_on,
            decision=cmd.decision,
            note=cmd.note,
            next_evaluation_on=cmd.next_evaluation_on,
            referral_destination=cmd.referral_destination,
            today=local_today(uow.clock),
            now=uow.clock.now(),
        )
        uow.commit()
        return referral


def record_admission_statement(
    cmd: commands.RecordAdmissionStatement, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Record the admission statement (TLV) of a referral; returns the case id."""
    with uow:
        case = uow.cases.by_referral(cmd.referral_id)
        if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
            raise NotFound("No such referral.")
        case = _writable_case(uow, case, actor)
        if uow.applications.by_referral(cmd.referral_id) is not None:
            raise StateConflict(
                "This referral has a TLV application: the partnership's decision on it records "
                "the admission statement.",
                code="application_exists",
            )
        case.record_admission_statement(
            cmd.referral_id, valid_from=cmd.valid_from, valid_until=cmd.valid_until
        )
        uow.commit()
        return case.id
