"""The cases service's events about partnerships, schools and pupils."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from shared.events.case_events.base import Event, OrganisationName, Region
from shared.events.payload import Length


@dataclass(frozen=True, kw_only=True)
class PartnershipRegistered(Event):
    """A partnership (samenwerkingsverband) was created (subject: the partnership). Its name; an
    organisation's name is not personal data, so reports may show it."""

    type: ClassVar[str] = "partnership.registered"
    subject_kind: ClassVar[str] = "partnership"
    name: OrganisationName


@dataclass(frozen=True, kw_only=True)
class SchoolRegistered(Event):
    """A school was added to the partnership (subject: the school). Its name, BRIN code and holiday
    region; a school's name is not personal data, so reports may show it."""

    type: ClassVar[str] = "school.registered"
    subject_kind: ClassVar[str] = "school"
    name: OrganisationName
    brin: Annotated[str | None, Length(max=12)]
    region: Region


@dataclass(frozen=True, kw_only=True)
class PupilEnrolled(Event):
    """A pupil was registered at a school."""

    type: ClassVar[str] = "pupil.enrolled"
    subject_kind: ClassVar[str] = "pupil"
    pupil_id: UUID
    enrolled_on: date


@dataclass(frozen=True, kw_only=True)
class PupilAnonymised(Event):
    """The pupil's personal data was removed after the retention period (rule 9); other services
    drop what they hold about the pupil's family."""

    type: ClassVar[str] = "pupil.anonymised"
    subject_kind: ClassVar[str] = "pupil"
    pupil_id: UUID
    anonymised_on: date


@dataclass(frozen=True, kw_only=True)
class PupilLeftWithOpenCase(Event):
    """A pupil left the school while a case of theirs is still open: the coordinator and the
    administrator close it, since the pupil's data is anonymised only once every case is closed
    (rule 9)."""

    type: ClassVar[str] = "pupil.left_with_open_case"
    subject_kind: ClassVar[str] = "pupil"
    pupil_id: UUID
    case_id: UUID
    left_on: date
