"""Commands: what a user asks the cases service to do, already validated in shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Command:
    pass


@dataclass(frozen=True)
class CreatePartnership(Command):
    name: str
    admin_email: str
    admin_name: str
    admin_password: str


@dataclass(frozen=True)
class UpdatePartnershipSettings(Command):
    partnership_id: UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class CreateSchool(Command):
    partnership_id: UUID
    name: str
    region: str
    brin: str | None = None


@dataclass(frozen=True)
class CreateUser(Command):
    role: str
    email: str
    name: str
    password: str | None
    school_id: UUID | None = None
    language: str = "nl"
    phone: str | None = None


@dataclass(frozen=True)
class SetUserActive(Command):
    user_id: UUID
    active: bool


@dataclass(frozen=True)
class LogIn(Command):
    email: str
    password: str
    code: str | None = None  # the second factor: a TOTP code or a recovery code


@dataclass(frozen=True)
class EnrolSecondFactor(Command):
    email: str
    password: str


@dataclass(frozen=True)
class DisableSecondFactor(Command):
    user_id: UUID


@dataclass(frozen=True)
class PublishSupportProfile(Command):
    school_id: UUID
    basic_domains: list[str]
    extra_domains: list[str]
    valid_from: date
    review_by: date


@dataclass(frozen=True)
class RegisterPupil(Command):
    school_id: UUID
    given_name: str
    family_name: str
    date_of_birth: date
    group: str
    enrolled_on: date
    pupil_number: str | None = None
    guardians: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class OpenCase(Command):
    pupil_id: UUID
    opened_on: date
    needs_extra_support: bool = False


@dataclass(frozen=True)
class CloseCase(Command):
    case_id: UUID
    closed_on: date
    reason: str


@dataclass(frozen=True)
class StartIntervention(Command):
    case_id: UUID
    domain: str
    goal: str
    starts_on: date
    evaluate_by: date


@dataclass(frozen=True)
class EvaluateIntervention(Command):
    intervention_id: UUID
    outcome: str
    evaluated_on: date
    note: str | None = None


@dataclass(frozen=True)
class CreateDevelopmentPlan(Command):
    case_id: UUID
    exit_destination: str
    hindering_factors: list[str]
    supporting_factors: list[str]
    action_plan: str
    scenarios: list[dict[str, Any]]
    agreed_end_date: date
    evaluation_dates: list[date]
    created_on: date
    deviations: str | None = None


@dataclass(frozen=True)
class RecordConsultation(Command):
    plan_id: UUID
    held_on: date
    participants: list[str]


@dataclass(frozen=True)
class RecordPupilView(Command):
    plan_id: UUID
    heard_on: date
    summary: str | None = None


@dataclass(frozen=True)
class ChangeActionPlan(Command):
    plan_id: UUID
    action_plan: str
    deviations: str | None = None


@dataclass(frozen=True)
class RequestConsent(Command):
    plan_id: UUID
    requested_on: date


@dataclass(frozen=True)
class RecordConsent(Command):
    plan_id: UUID
    decision: str
    recorded_on: date
    guardian_ids: list[UUID] = field(default_factory=list)


@dataclass(frozen=True)
class ScheduleEvaluation(Command):
    plan_id: UUID
    due_on: date


@dataclass(frozen=True)
class RescheduleEvaluation(Command):
    plan_id: UUID
    evaluation_id: UUID
    due_on: date


@dataclass(frozen=True)
class PlanMeeting(Command):
    plan_id: UUID
    evaluation_id: UUID
    starts_at: datetime
    duration_minutes: int
    location: str | None = None
    video_url: str | None = None


@dataclass(frozen=True)
class CancelMeeting(Command):
    plan_id: UUID
    evaluation_id: UUID


@dataclass(frozen=True)
class EvaluatePlan(Command):
    plan_id: UUID
    held_on: date
    decision: str
    evaluation_id: UUID | None = None
    note: str | None = None
    next_evaluation_on: date | None = None
    referral_destination: str | None = None


@dataclass(frozen=True)
class RecordAdmissionStatement(Command):
    referral_id: UUID
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class UpdateSchool(Command):
    """Change a school's name, region or BRIN (only the keys given)."""

    school_id: UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class ChangeUserRole(Command):
    """Give a staff account another role (and, for school staff, its school)."""

    user_id: UUID
    role: str
    school_id: UUID | None = None
