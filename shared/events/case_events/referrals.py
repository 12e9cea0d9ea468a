"""The cases service's events about referrals and admission statements (TLV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from shared.events.case_events.base import (
    TLV_CATEGORIES,
    TLV_SCHOOL_TYPES,
    AdviserRole,
    Code,
    Event,
    TlvDecision,
)
from shared.events.payload import OneOf


@dataclass(frozen=True, kw_only=True)
class ReferralRequested(Event):
    """A referral to a more specialised setting was requested (towards a TLV)."""

    type: ClassVar[str] = "referral.requested"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    plan_id: UUID
    destination: Code
    requested_on: date


@dataclass(frozen=True, kw_only=True)
class AdmissionStatementRecorded(Event):
    """An admission statement (TLV) was recorded with its validity."""

    type: ClassVar[str] = "referral.admission_statement_recorded"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    valid_from: date
    valid_until: date


@dataclass(frozen=True, kw_only=True)
class ReferralSubmitted(Event):
    """The school submitted its TLV application to the partnership. `parents_agreed` is false when
    it went without the parents' agreement (allowed, flagged up to the decision); `decide_by` is the
    partnership's deadline for the decision."""

    type: ClassVar[str] = "referral.submitted"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    submitted_on: date
    parents_agreed: bool
    decide_by: date


@dataclass(frozen=True, kw_only=True)
class AdviceRecorded(Event):
    """A consultant recorded one of the two expert advices on a TLV application (the adviser's role
    as a code; the advice's text stays in cases). `complete` is true once both are in."""

    type: ClassVar[str] = "referral.advice_recorded"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    advice_id: UUID
    adviser_role: AdviserRole
    recorded_on: date
    complete: bool


@dataclass(frozen=True, kw_only=True)
class ReferralDecided(Event):
    """The partnership decided on a TLV application: granted or refused; for a grant the type of
    school, for a special school the category, and the statement's validity."""

    type: ClassVar[str] = "referral.decided"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    decision: TlvDecision
    decided_on: date
    submitted_on: date
    parents_agreed: bool
    school_type: Annotated[str | None, OneOf(TLV_SCHOOL_TYPES)]
    category: Annotated[str | None, OneOf(TLV_CATEGORIES)]
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True, kw_only=True)
class AdmissionStatementExpiring(Event):
    """An admission statement's end date is within the partnership's horizon."""

    type: ClassVar[str] = "referral.admission_statement_expiring"
    subject_kind: ClassVar[str] = "referral"
    case_id: UUID
    referral_id: UUID
    valid_until: date
