"""The cases service's events about cases and their interventions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID

from shared.events.case_events.base import Code, Event, Level, Outcome


@dataclass(frozen=True, kw_only=True)
class CaseOpened(Event):
    """A support case (ondersteuningstraject) was opened for a pupil."""

    type: ClassVar[str] = "case.opened"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    pupil_id: UUID
    level: Level
    opened_on: date
    plan_due_by: date | None


@dataclass(frozen=True, kw_only=True)
class CaseLevelChanged(Event):
    """The case moved between basic and extra support."""

    type: ClassVar[str] = "case.level_changed"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    from_level: Level
    to_level: Level
    changed_on: date


@dataclass(frozen=True, kw_only=True)
class CaseClosed(Event):
    """The case was closed."""

    type: ClassVar[str] = "case.closed"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    closed_on: date
    reason: Code


@dataclass(frozen=True, kw_only=True)
class PlanDeadlineApproaching(Event):
    """Rule 5: the case's deadline for a development plan (6 weeks after enrolment for a new pupil)
    is within the partnership's horizon and no plan has taken effect yet."""

    type: ClassVar[str] = "case.plan_deadline_approaching"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    plan_due_by: date


@dataclass(frozen=True, kw_only=True)
class PlanOverdue(Event):
    """Rule 5: the case's deadline for a development plan passed without a plan taking effect."""

    type: ClassVar[str] = "case.plan_overdue"
    subject_kind: ClassVar[str] = "case"
    case_id: UUID
    plan_due_by: date


@dataclass(frozen=True, kw_only=True)
class InterventionStarted(Event):
    """A basic or extra intervention started."""

    type: ClassVar[str] = "intervention.started"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    level: Level
    domain: Code
    starts_on: date
    evaluate_by: date
    plan_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class InterventionOutsideSupportProfile(Event):
    """An intervention's domain is not offered in the school's current support profile."""

    type: ClassVar[str] = "intervention.outside_support_profile"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    domain: Code
    support_profile_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class InterventionEvaluated(Event):
    """An intervention's effect was evaluated; `evaluated_by` is the id of the user who recorded it
    (the coordinator, or the teacher who carries it out; absent in older events)."""

    type: ClassVar[str] = "intervention.evaluated"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    outcome: Outcome
    evaluated_on: date
    evaluate_by: date
    evaluated_by: UUID | None = None  # the user (id) who recorded it: the IB'er or the teacher


@dataclass(frozen=True, kw_only=True)
class InterventionEvaluationApproaching(Event):
    """An intervention's evaluation date is within the partnership's horizon."""

    type: ClassVar[str] = "intervention.evaluation_approaching"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    evaluate_by: date


@dataclass(frozen=True, kw_only=True)
class InterventionEvaluationOverdue(Event):
    """An intervention's evaluation date has passed without an evaluation."""

    type: ClassVar[str] = "intervention.evaluation_overdue"
    subject_kind: ClassVar[str] = "intervention"
    case_id: UUID
    intervention_id: UUID
    evaluate_by: date
