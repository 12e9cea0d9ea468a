"""The base of the cases service's domain events (events.py holds the events themselves): the
tenant scope beside the payload, and which field names an event's subject."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar
from uuid import UUID

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
