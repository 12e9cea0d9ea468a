"""The cases service's events about support profiles (SOP), parents' sign-in and files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, ClassVar
from uuid import UUID

from shared.events.case_events.base import Event
from shared.events.payload import Pattern


@dataclass(frozen=True, kw_only=True)
class SupportProfilePublished(Event):
    """A school published a (new version of its) support profile (SOP)."""

    type: ClassVar[str] = "support_profile.published"
    subject_kind: ClassVar[str] = "support_profile"
    support_profile_id: UUID
    version: int
    valid_from: date
    review_by: date


@dataclass(frozen=True, kw_only=True)
class SupportProfileExpiring(Event):
    """A support profile's review date is within the partnership's horizon."""

    type: ClassVar[str] = "support_profile.expiring"
    subject_kind: ClassVar[str] = "support_profile"
    support_profile_id: UUID
    review_by: date


@dataclass(frozen=True, kw_only=True)
class GuardianSignInRequested(Event):
    """A guardian asked for a sign-in link for the parents' pages (subject: one guardian record with
    that address). The link's id and expiry only: the address and the link itself are not in the
    event; notifications reads the address from the cases service and signs the link when it sends
    the message."""

    type: ClassVar[str] = "guardian.sign_in_requested"
    subject_kind: ClassVar[str] = "guardian"
    guardian_id: UUID
    link_id: UUID
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class DocumentAttached(Event):
    """A file was attached to a case (issue 14). Ids, its type and size only: never its name or
    content. The partnership does not see it until the parents share it."""

    type: ClassVar[str] = "document.attached"
    subject_kind: ClassVar[str] = "document"
    case_id: UUID
    document_id: UUID
    content_type: Annotated[str, Pattern(r"^[a-z]+/[a-z0-9.+-]{1,100}$")]  # a MIME type (a code)
    size: int
    attached_on: date


@dataclass(frozen=True, kw_only=True)
class DocumentRemoved(Event):
    """A file was removed from a case (its record and its bytes)."""

    type: ClassVar[str] = "document.removed"
    subject_kind: ClassVar[str] = "document"
    case_id: UUID
    document_id: UUID
    removed_on: date


@dataclass(frozen=True, kw_only=True)
class DocumentSharingDecided(Event):
    """The parents decided whether the partnership may see a file of their child's case (`shared`:
    true or false; AVG)."""

    type: ClassVar[str] = "document.sharing_decided"
    subject_kind: ClassVar[str] = "document"
    case_id: UUID
    document_id: UUID
    shared: bool
    decided_on: date
