"""What the store hands the delivery: a planned notification as stored (with a group channel's
URL decrypted), and a guardian's own choices. Plain values: the delivery reads them, the store
changes rows only through its own methods."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class NotificationRow:
    """One planned notification (a row of planned_notifications)."""

    id: UUID
    dedupe_key: str
    partnership_id: UUID
    school_id: UUID | None
    case_id: UUID | None
    plan_id: UUID | None
    subject_kind: str
    subject_id: UUID
    event_id: UUID
    event_type: str
    policy_key: str
    recipient_kind: str
    recipient_id: str
    recipient_role: str
    channel: str
    address: str  # empty once scrubbed
    language: str
    template: str
    kind: str
    due_on: date | None
    send_at: datetime
    critical: bool
    context: dict[str, Any]  # the template's values: JSON as planned
    digest_key: str | None
    status: str
    attempts: int
    status_changed_at: datetime
    sent_at: datetime | None
    last_error: str | None
    created_at: datetime
    request_id: str | None

    @classmethod
    def from_mapping(cls, row: dict[str, Any]) -> NotificationRow:
        """A row from the table's columns (extra keys, if any, are left out)."""
        return cls(**{name: row[name] for name in _FIELDS})

    def as_dict(self) -> dict[str, Any]:
        """The row as column=value pairs (the API's log view); the context is not copied."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(NotificationRow))


@dataclass(frozen=True)
class GuardianPreferences:
    """A guardian's own choices: language (None: as planned), informational messages on or off,
    and channels (None: every channel the policies have for guardians)."""

    guardian_id: UUID
    partnership_id: UUID
    language: str | None
    informational: bool
    updated_at: datetime
    channels: list[str] | None
