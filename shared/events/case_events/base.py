"""The base of the cases service's events and the codes their payloads use (plain Python only)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from types import ModuleType
from typing import Annotated, Any, ClassVar
from uuid import UUID

from shared.events.payload import CODE, SCOPE, Length, OneOf

SUBJECT_FIELD = {
    "partnership": "partnership_id",  # the scope field doubles as the subject, as for a school
    "school": "school_id",  # the scope field doubles as the subject: a school is its own school
    "pupil": "pupil_id",
    "case": "case_id",
    "intervention": "intervention_id",
    "development_plan": "plan_id",
    "referral": "referral_id",
    "support_profile": "support_profile_id",
    "guardian": "guardian_id",
    "document": "document_id",
}

LEVELS = ("basic", "extra")
OUTCOMES = ("effective", "partly_effective", "not_effective")
DECISIONS = ("continue", "back_to_basic", "refer")
CONSENT = ("agreed", "declined")
REGIONS = ("noord", "midden", "zuid")
TLV_DECISIONS = ("granted", "refused")
TLV_SCHOOL_TYPES = ("sbo", "so")  # speciaal basisonderwijs, speciaal onderwijs
TLV_CATEGORIES = ("low", "medium", "high")  # bekostigingscategorie, special schools only
ADVISER_ROLES = ("orthopedagoog", "psycholoog", "deskundige")

Code = Annotated[str, CODE]
Level = Annotated[str, OneOf(LEVELS)]
Outcome = Annotated[str, OneOf(OUTCOMES)]
PlanDecision = Annotated[str, OneOf(DECISIONS)]
ConsentDecision = Annotated[str, OneOf(CONSENT)]
Region = Annotated[str, OneOf(REGIONS)]
TlvDecision = Annotated[str, OneOf(TLV_DECISIONS)]
AdviserRole = Annotated[str, OneOf(ADVISER_ROLES)]
# An organisation's name is not personal data: other services (reports) may show it.
OrganisationName = Annotated[str, Length(1, 200)]


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
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in SCOPE}


def events_of(module: ModuleType) -> list[type[Event]]:
    """The event types a module defines, in the order it defines them (bases without a `type`
    of their own, such as a shared set of fields, left out)."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Event)
        and value.__module__ == module.__name__
        and "type" in vars(value)
    ]
