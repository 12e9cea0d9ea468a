"""Domain events of the cases service: small frozen records of ids, codes and dates.

Each class's `type` names its entry in `shared.events.cases`, which documents it and holds the
payload schema the outbox serialises it with; a unit test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

SUBJECT_FIELD = {
    "pupil": "pupil_id",
    "case": "case_id",
    "intervention": "intervention_id",
    "development_plan": "plan_id",
    "referral": "referral_id",
    "support_profile": "support_profile_id",
}


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of all events: the tenant scope travels beside the payload, not in it."""

    type: ClassVar[str]
    subject_kind: ClassVar[str]
    partnership_id: UUID
    school_id: UUID | None

    @property
    def subject_id(self) -> UUID:
        """The id of what the event is about."""
        return getattr(self, SUBJECT_FIELD[self.subject_kind])

    @property
    def case_id_or_none(self) -> UUID | None:
        """The case the event belongs to, for the case timeline."""
        return getattr(self, "case_id", None)

    def payload(self) -> dict[str, Any]:
        """The `data` of the envelope: every field but the scope."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("partnership_id", "school_id")
        }


def _event(type_: str, subject_kind: str):  # type: ignore[no-untyped-def]
    def wrap(cls: type[Event]) -> type[Event]:
        cls.type = type_
        cls.subject_kind = subject_kind
        return dataclass(frozen=True, kw_only=True)(cls)

    return wrap


@_event("pupil.enrolled", "pupil")
class PupilEnrolled(Event):
    pupil_id: UUID
    enrolled_on: date


@_event("case.opened", "case")
class CaseOpened(Event):
    case_id: UUID
    pupil_id: UUID
    level: str
    opened_on: date
    plan_due_by: date | None


@_event("case.level_changed", "case")
class CaseLevelChanged(Event):
    case_id: UUID
    from_level: str
    to_level: str
    changed_on: date


@_event("case.closed", "case")
class CaseClosed(Event):
    case_id: UUID
    closed_on: date
    reason: str


@_event("intervention.started", "intervention")
class InterventionStarted(Event):
    case_id: UUID
    intervention_id: UUID
    level: str
    domain: str
    starts_on: date
    evaluate_by: date
    plan_id: UUID | None


@_event("intervention.outside_support_profile", "intervention")
class InterventionOutsideSupportProfile(Event):
    case_id: UUID
    intervention_id: UUID
    domain: str
    support_profile_id: UUID | None


@_event("intervention.evaluated", "intervention")
class InterventionEvaluated(Event):
    case_id: UUID
    intervention_id: UUID
    outcome: str
    evaluated_on: date
    evaluate_by: date


@_event("intervention.evaluation_approaching", "intervention")
class InterventionEvaluationApproaching(Event):
    case_id: UUID
    intervention_id: UUID
    evaluate_by: date


@_event("intervention.evaluation_overdue", "intervention")
class InterventionEvaluationOverdue(Event):
    case_id: UUID
    intervention_id: UUID
    evaluate_by: date


@_event("development_plan.created", "development_plan")
class PlanCreated(Event):
    case_id: UUID
    plan_id: UUID
    created_on: date
    agreed_end_date: date


@_event("development_plan.consultation_recorded", "development_plan")
class ConsultationRecorded(Event):
    case_id: UUID
    plan_id: UUID
    held_on: date


@_event("development_plan.pupil_view_recorded", "development_plan")
class PupilViewRecorded(Event):
    case_id: UUID
    plan_id: UUID
    heard_on: date


@_event("development_plan.action_plan_changed", "development_plan")
class ActionPlanChanged(Event):
    case_id: UUID
    plan_id: UUID
    action_plan_version: int


@_event("development_plan.consent_requested", "development_plan")
class ConsentRequested(Event):
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    requested_on: date


@_event("development_plan.consent_recorded", "development_plan")
class ConsentRecorded(Event):
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    decision: str
    recorded_on: date
    requested_on: date | None


@_event("development_plan.activated", "development_plan")
class PlanActivated(Event):
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    activated_on: date


@_event("development_plan.evaluation_scheduled", "development_plan")
class PlanEvaluationScheduled(Event):
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@_event("development_plan.evaluation_rescheduled", "development_plan")
class PlanEvaluationRescheduled(Event):
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date
    previous_due_on: date


@_event("development_plan.evaluation_approaching", "development_plan")
class PlanEvaluationApproaching(Event):
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@_event("development_plan.evaluation_overdue", "development_plan")
class PlanEvaluationOverdue(Event):
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@_event("development_plan.evaluation_missing", "development_plan")
class PlanEvaluationMissing(Event):
    case_id: UUID
    plan_id: UUID
    school_year: str


@_event("development_plan.evaluated", "development_plan")
class PlanEvaluated(Event):
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date
    held_on: date
    decision: str
    next_evaluation_on: date | None


@_event("development_plan.closed", "development_plan")
class PlanClosed(Event):
    case_id: UUID
    plan_id: UUID
    closed_on: date
    reason: str


@_event("referral.requested", "referral")
class ReferralRequested(Event):
    case_id: UUID
    referral_id: UUID
    plan_id: UUID
    destination: str
    requested_on: date


@_event("referral.admission_statement_recorded", "referral")
class AdmissionStatementRecorded(Event):
    case_id: UUID
    referral_id: UUID
    valid_from: date
    valid_until: date


@_event("referral.admission_statement_expiring", "referral")
class AdmissionStatementExpiring(Event):
    case_id: UUID
    referral_id: UUID
    valid_until: date


@_event("support_profile.published", "support_profile")
class SupportProfilePublished(Event):
    support_profile_id: UUID
    version: int
    valid_from: date
    review_by: date


@_event("support_profile.expiring", "support_profile")
class SupportProfileExpiring(Event):
    support_profile_id: UUID
    review_by: date


ALL_EVENTS: tuple[type[Event], ...] = tuple(Event.__subclasses__())
