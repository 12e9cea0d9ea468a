"""The cases service's events about development plans (OPP): consent, evaluations, meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, ClassVar
from uuid import UUID

from shared.events.case_events.base import Code, ConsentDecision, Event, PlanDecision
from shared.events.payload import AtLeast, OneOf, Pattern


@dataclass(frozen=True, kw_only=True)
class PlanCreated(Event):
    """A development plan (OPP) was drafted."""

    type: ClassVar[str] = "development_plan.created"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    created_on: date
    agreed_end_date: date


@dataclass(frozen=True, kw_only=True)
class ConsultationRecorded(Event):
    """The consultation with the parents (OOGO) was recorded."""

    type: ClassVar[str] = "development_plan.consultation_recorded"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    held_on: date


@dataclass(frozen=True, kw_only=True)
class PupilViewRecorded(Event):
    """It was recorded that the pupil was heard (hoorrecht)."""

    type: ClassVar[str] = "development_plan.pupil_view_recorded"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    heard_on: date


@dataclass(frozen=True, kw_only=True)
class ActionPlanChanged(Event):
    """The action plan (handelingsdeel) changed; it needs fresh consent."""

    type: ClassVar[str] = "development_plan.action_plan_changed"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int


@dataclass(frozen=True, kw_only=True)
class ConsentRequested(Event):
    """The parents were asked to consent to the action plan."""

    type: ClassVar[str] = "development_plan.consent_requested"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    requested_on: date


@dataclass(frozen=True, kw_only=True)
class ConsentRecorded(Event):
    """The parents' consent (agreed or declined) was recorded."""

    type: ClassVar[str] = "development_plan.consent_recorded"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    decision: ConsentDecision
    recorded_on: date
    requested_on: date | None
    # How the answer came: `online` (the guardian on the parents' pages) or `paper` (typed in by
    # the coordinator). Events written before issue 13 have none: paper.
    channel: Annotated[str, OneOf(("online", "paper"))] = "paper"


@dataclass(frozen=True, kw_only=True)
class PlanActivated(Event):
    """The action plan took effect after the parents agreed."""

    type: ClassVar[str] = "development_plan.activated"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    action_plan_version: int
    activated_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationScheduled(Event):
    """An evaluation of the plan with the parents was scheduled."""

    type: ClassVar[str] = "development_plan.evaluation_scheduled"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationRescheduled(Event):
    """A scheduled evaluation moved to another date."""

    type: ClassVar[str] = "development_plan.evaluation_rescheduled"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date
    previous_due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationApproaching(Event):
    """A plan evaluation is within the partnership's horizon."""

    type: ClassVar[str] = "development_plan.evaluation_approaching"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationOverdue(Event):
    """A plan evaluation date passed without the evaluation being held."""

    type: ClassVar[str] = "development_plan.evaluation_overdue"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True, kw_only=True)
class PlanEvaluationMissing(Event):
    """An active plan has no evaluation scheduled in the current school year (rule 6)."""

    type: ClassVar[str] = "development_plan.evaluation_missing"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    school_year: Annotated[str, Pattern(r"^\d{4}-\d{4}$")]


@dataclass(frozen=True, kw_only=True)
class PlanEvaluated(Event):
    """The plan was evaluated with the parents and a decision taken."""

    type: ClassVar[str] = "development_plan.evaluated"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    due_on: date
    held_on: date
    decision: PlanDecision
    next_evaluation_on: date | None


@dataclass(frozen=True, kw_only=True)
class _Meeting(Event):
    """A plan evaluation's meeting; no place or link text, only whether one was given."""

    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    evaluation_id: UUID
    starts_at: datetime
    duration_minutes: Annotated[int, AtLeast(1)]
    sequence: Annotated[int, AtLeast(0)]
    has_location: bool


@dataclass(frozen=True, kw_only=True)
class MeetingPlanned(_Meeting):
    """A meeting was planned for a plan evaluation. Carries the instant (UTC), the length and the
    calendar sequence; never the place or link text, only whether one was given."""

    type: ClassVar[str] = "development_plan.meeting_planned"


@dataclass(frozen=True, kw_only=True)
class MeetingMoved(_Meeting):
    """A plan evaluation's meeting moved (time or place). Carries the instant (UTC), the length and
    the calendar sequence; never the place or link text, only whether one was given."""

    type: ClassVar[str] = "development_plan.meeting_moved"


@dataclass(frozen=True, kw_only=True)
class MeetingCancelled(_Meeting):
    """A plan evaluation's meeting was cancelled. Carries the instant (UTC), the length and the
    calendar sequence; never the place or link text, only whether one was given."""

    type: ClassVar[str] = "development_plan.meeting_cancelled"


@dataclass(frozen=True, kw_only=True)
class PlanClosed(Event):
    """The plan ended."""

    type: ClassVar[str] = "development_plan.closed"
    subject_kind: ClassVar[str] = "development_plan"
    case_id: UUID
    plan_id: UUID
    closed_on: date
    reason: Code
