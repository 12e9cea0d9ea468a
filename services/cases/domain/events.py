"""Domain events of the cases service: small frozen records of ids, codes and dates.

Each class's `type` names its entry in `shared.events.cases`, which documents it and holds the
payload schema the outbox serialises it with; a unit test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

# The base is in event_base.py and stays part of this module's interface (events.Event).
from services.cases.domain.event_base import SUBJECT_FIELD, Event  # noqa: F401


@dataclass(frozen=True, kw_only=True)
class PartnershipRegistered(Event):
    """A partnership was created. An organisation's name is not personal data: other services
    (reports) may show it."""

    type: ClassVar[str] = "partnership.registered"
    subject_kind: ClassVar[str] = "partnership"
    name: str


@dataclass(frozen=True, kw_only=True)
class SchoolRegistered(Event):
    """A school joined the partnership. Its name is not personal data: other services (reports)
    may show it."""

    type: ClassVar[str] = "school.registered"
    subject_kind: ClassVar[str] = "school"
    name: str
    brin: str | None
    region: str


@dataclass(frozen=True, kw_only=True)
class PupilEnrolled(Event):
    type: ClassVar[str] = "pupil.enrolled"
    subject_kind: ClassVar[str] = "pupil"
    pupil_id: UUID
    enrolled_on: date


@dataclass(frozen=True, kw_only=True)
class PupilAnonymised(Event):
    type: ClassVar[str] = "pupil.anonymised"
    subject_kind: ClassVar[str] = "pupil"
    pupil_id: UUID
    anonymised_on: date


@dataclass(frozen=True, kw_only=True)
class PupilLeftWithOpenCase(Event):
    type: ClassVar[str] = "pupil.left_with_open_case"
    subject_kind: ClassVar[str] = "pupil"
    pupil_id: UUID
    case_id: UUID
    left_on: date


@dataclass(frozen=True, kw_only=True)
class CaseOpened(Event):
    type: ClassVar[str] = "case.opened"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    pupil_id: UUID
    level: str
    opened_on: date
    plan_due_by: date | None


@dataclass(frozen=True, kw_only=True)
class CaseLevelChanged(Event):
    type: ClassVar[str] = "case.level_changed"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    from_level: str
    to_level: str
    changed_on: date


@dataclass(frozen=True, kw_only=True)
class CaseClosed(Event):
    type: ClassVar[str] = "case.closed"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    closed_on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class PlanDeadlineApproaching(Event):
    type: ClassVar[str] = "case.plan_deadline_approaching"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    plan_due_by: date


@dataclass(frozen=True, kw_only=True)
class PlanOverdue(Event):
    type: ClassVar[str] = "case.plan_overdue"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    plan_due_by: date


@dataclass(frozen=True, kw_only=True)
class InterventionStarted(Event):
    type: ClassVar[str] = "intervention.started"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    level: str
    domain: str
    starts_on: date
    evaluate_by: date
    plan_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class InterventionOutsideSupportProfile(Event):
    type: ClassVar[str] = "intervention.outside_support_profile"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    domain: str
    support_profile_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class InterventionEvaluated(Event):
    type: ClassVar[str] = "intervention.evaluated"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    outcome: str
    evaluated_on: date
    evaluate_by: date
    evaluated_by: UUID | None = None  # the user (id) who recorded it: the IB'er or the teacher


@dataclass(frozen=True, kw_only=True)
class InterventionEvaluationApproaching(Event):
    type: ClassVar[str] = "intervention.evaluation_approaching"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    evaluate_by: date


@dataclass(frozen=True, kw_only=True)
class InterventionEvaluationOverdue(Event):
    type: ClassVar[str] = "intervention.evaluation_overdue"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    evaluate_by: date


@dataclass(frozen=True, kw_only=True)
class PlanCreated(Event):
    type: ClassVar[str] = "development_plan.created"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    created_on: date
    agreed_end_date: date


@dataclass(frozen=True, kw_only=True)
class ConsultationRecorded(Event):
    type: ClassVar[str] = "development_plan.consultation_recorded"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    held_on: date


@dataclass(frozen=True, kw_only=True)
class PupilViewRecorded(Event):
    type: ClassVar[str] = "development_plan.pupil_view_recorded"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    heard_on: date


@dataclass(frozen=True, kw_only=True)
class ActionPlanChanged(Event):
    type: ClassVar[str] = "development_plan.action_plan_changed"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int


@dataclass(frozen=True, kw_only=True)
class ConsentRequested(Event):
    type: ClassVar[str] = "development_plan.consent_requested"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    requested_on: date


@dataclass(frozen=True, kw_only=True)
class ConsentRecorded(Event):
    type: ClassVar[str] = "development_plan.consent_recorded"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    decision: str
    recorded_on: date
    requested_on: date | None
    channel: str = "paper"  # online: by the guardian on the parents' pages


@dataclass(frozen=True, kw_only=True)
class PlanActivated(Event):
    type: ClassVar[str] = "development_plan.activated"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    activated_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationScheduled(Event):
    type: ClassVar[str] = "development_plan.evaluation_scheduled"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationRescheduled(Event):
    type: ClassVar[str] = "development_plan.evaluation_rescheduled"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date
    previous_due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationApproaching(Event):
    type: ClassVar[str] = "development_plan.evaluation_approaching"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationOverdue(Event):
    type: ClassVar[str] = "development_plan.evaluation_overdue"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationMissing(Event):
    type: ClassVar[str] = "development_plan.evaluation_missing"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    school_year: str


@dataclass(frozen=True, kw_only=True)
class PlanEvaluated(Event):
    type: ClassVar[str] = "development_plan.evaluated"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date
    held_on: date
    decision: str
    next_evaluation_on: date | None


@dataclass(frozen=True, kw_only=True)
class _Meeting(Event):
    """A plan evaluation's meeting; no place or link text, only whether one was given."""

    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    starts_at: datetime
    duration_minutes: int
    sequence: int
    has_location: bool


@dataclass(frozen=True, kw_only=True)
class MeetingPlanned(_Meeting):
    type: ClassVar[str] = "development_plan.meeting_planned"


@dataclass(frozen=True, kw_only=True)
class MeetingMoved(_Meeting):
    type: ClassVar[str] = "development_plan.meeting_moved"


@dataclass(frozen=True, kw_only=True)
class MeetingCancelled(_Meeting):
    type: ClassVar[str] = "development_plan.meeting_cancelled"


@dataclass(frozen=True, kw_only=True)
class PlanClosed(Event):
    type: ClassVar[str] = "development_plan.closed"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    closed_on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReferralRequested(Event):
    type: ClassVar[str] = "referral.requested"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    plan_id: UUID
    destination: str
    requested_on: date


@dataclass(frozen=True, kw_only=True)
class AdmissionStatementRecorded(Event):
    type: ClassVar[str] = "referral.admission_statement_recorded"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    valid_from: date
    valid_until: date


@dataclass(frozen=True, kw_only=True)
class ReferralSubmitted(Event):
    type: ClassVar[str] = "referral.submitted"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    submitted_on: date
    parents_agreed: bool
    decide_by: date


@dataclass(frozen=True, kw_only=True)
class AdviceRecorded(Event):
    type: ClassVar[str] = "referral.advice_recorded"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    advice_id: UUID
    adviser_role: str
    recorded_on: date
    complete: bool


@dataclass(frozen=True, kw_only=True)
class ReferralDecided(Event):
    type: ClassVar[str] = "referral.decided"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    decision: str
    decided_on: date
    submitted_on: date
    parents_agreed: bool
    school_type: str | None
    category: str | None
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True, kw_only=True)
class AdmissionStatementExpiring(Event):
    type: ClassVar[str] = "referral.admission_statement_expiring"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    valid_until: date


@dataclass(frozen=True, kw_only=True)
class SupportProfilePublished(Event):
    type: ClassVar[str] = "support_profile.published"
    subject_kind: ClassVar[str] = "support_profile"
    support_profile_id: UUID
    version: int
    valid_from: date
    review_by: date


@dataclass(frozen=True, kw_only=True)
class SupportProfileExpiring(Event):
    type: ClassVar[str] = "support_profile.expiring"
    subject_kind: ClassVar[str] = "support_profile"
    support_profile_id: UUID
    review_by: date


@dataclass(frozen=True, kw_only=True)
class GuardianSignInRequested(Event):
    """A guardian asked for a sign-in link (issue 13). Only ids and the link's expiry: never the
    address. The notifications service looks the guardian up and signs the link at send time."""

    type: ClassVar[str] = "guardian.sign_in_requested"
    subject_kind: ClassVar[str] = "guardian"
    guardian_id: UUID
    link_id: UUID
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class DocumentAttached(Event):
    """A file was attached to a case (issue 14): ids, type and size; never its name."""

    type: ClassVar[str] = "document.attached"
    subject_kind: ClassVar[str] = "document"
    case_id: UUID
    document_id: UUID
    content_type: str
    size: int
    attached_on: date


@dataclass(frozen=True, kw_only=True)
class DocumentRemoved(Event):
    type: ClassVar[str] = "document.removed"
    subject_kind: ClassVar[str] = "document"
    case_id: UUID
    document_id: UUID
    removed_on: date


@dataclass(frozen=True, kw_only=True)
class DocumentSharingDecided(Event):
    """The parents decided whether the partnership may see the file."""

    type: ClassVar[str] = "document.sharing_decided"
    subject_kind: ClassVar[str] = "document"
    case_id: UUID
    document_id: UUID
    shared: bool
    decided_on: date


ALL_EVENTS: tuple[type[Event], ...] = tuple(
    e for e in Event.__subclasses__() if e is not _Meeting
) + tuple(_Meeting.__subclasses__())
