"""What beat does in the cases service: emit `*_approaching`, `*_overdue` and `*_expiring` events
(the rule 5 plan deadline among them), each exactly once per subject and due date, and flag plans
without an evaluation this school year.

Exactly-once comes from the unique (subject, due date, kind) claim written in the same transaction
as the outbox row: a second beat run, a restarted beat, or two beats at once find the claim taken.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from services.cases.domain import events
from services.cases.domain.school import PartnershipSettings
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork, DueItem
from shared.clock import local_today, school_year_of


def _notice_for(item: DueItem, today: date, settings: PartnershipSettings) -> events.Event | None:
    scope = {"partnership_id": item.partnership_id, "school_id": item.school_id}
    if item.kind == "intervention":
        assert item.case_id is not None
        cls = (
            events.InterventionEvaluationOverdue
            if item.due_on < today
            else events.InterventionEvaluationApproaching
        )
        return cls(
            **scope, case_id=item.case_id, intervention_id=item.subject_id, evaluate_by=item.due_on
        )
    if item.kind == "plan_deadline":  # rule 5: the subject is the case itself
        deadline_cls = events.PlanOverdue if item.due_on < today else events.PlanDeadlineApproaching
        return deadline_cls(**scope, case_id=item.subject_id, plan_due_by=item.due_on)
    if item.kind == "plan_evaluation":
        assert item.case_id is not None and item.plan_id is not None
        plan_cls = (
            events.PlanEvaluationOverdue
            if item.due_on < today
            else events.PlanEvaluationApproaching
        )
        return plan_cls(
            **scope,
            case_id=item.case_id,
            plan_id=item.plan_id,
            evaluation_id=item.subject_id,
            due_on=item.due_on,
        )
    horizon = (
        settings.admission_statement_horizon_days
        if item.kind == "admission_statement"
        else settings.support_profile_horizon_days
    )
    if item.due_on < today or item.due_on > today + timedelta(days=horizon):
        return None
    if item.kind == "admission_statement":
        assert item.case_id is not None
        return events.AdmissionStatementExpiring(
            **scope, case_id=item.case_id, referral_id=item.subject_id, valid_until=item.due_on
        )
    return events.SupportProfileExpiring(
        **scope, support_profile_id=item.subject_id, review_by=item.due_on
    )


def _claim_and_emit(uow: AbstractUnitOfWork, event: events.Event, due_on: date) -> bool:
    if not uow.notices.claim(event.subject_kind, event.subject_id, due_on, event.type):
        return False
    uow.emit(event)
    return True


def emit_scheduled_notices(uow: AbstractUnitOfWork) -> int:
    """One pass over every partnership; returns how many events were emitted."""
    emitted = 0
    with uow:
        today = local_today(uow.clock)
        partnerships = uow.notices.partnerships()
    for partnership_id, settings in partnerships:
        emitted += _emit_for_partnership(uow, partnership_id, settings, today)
    return emitted


def _emit_for_partnership(
    uow: AbstractUnitOfWork, partnership_id: UUID, settings: PartnershipSettings, today: date
) -> int:
    longest = max(
        settings.evaluation_horizon_days,
        settings.admission_statement_horizon_days,
        settings.support_profile_horizon_days,
    )
    emitted = 0
    with uow:
        for item in uow.notices.due_items(partnership_id, today + timedelta(days=longest)):
            if item.kind in ("intervention", "plan_evaluation", "plan_deadline") and (
                item.due_on > today + timedelta(days=settings.evaluation_horizon_days)
            ):
                continue
            event = _notice_for(item, today, settings)
            if event is not None and _claim_and_emit(uow, event, item.due_on):
                emitted += 1
        year = school_year_of(today)
        for plan_id, case_id, school_id in uow.notices.active_plans(partnership_id):
            if uow.notices.has_evaluation_between(plan_id, year.start, year.end):
                continue
            missing = events.PlanEvaluationMissing(
                partnership_id=partnership_id,
                school_id=school_id,
                case_id=case_id,
                plan_id=plan_id,
                school_year=year.label,
            )
            if _claim_and_emit(uow, missing, year.start):
                emitted += 1
        uow.commit()
    return emitted
