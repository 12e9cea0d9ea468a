"""The unit of work: one transaction around a use case, with the repositories it needs.

`commit()` writes every event the touched aggregates recorded into the outbox in the same
transaction as the state change (DESIGN.md §2), so an event exists if and only if its change does.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from services.cases.domain import events
from services.cases.domain.documents import Document
from services.cases.domain.model import Case
from services.cases.domain.school import (
    Guardian,
    Partnership,
    PartnershipSettings,
    Pupil,
    School,
    SupportProfile,
    User,
)
from services.cases.domain.tlv import TlvApplication
from shared.clock import Clock
from shared.errors import EditedElsewhere


class CaseRepository(Protocol):
    seen: dict[Case, None]  # insertion-ordered, so events leave in the order they happened

    def add(self, case: Case) -> None: ...
    def get(self, case_id: UUID, *, for_update: bool = False) -> Case | None: ...
    def to_add_intervention(self, case_id: UUID) -> Case | None:
        """The case locked for update, to append an intervention: its earlier interventions
        may be left unloaded (a new one's rules never look at them), so nothing but appending
        may read `interventions` (issue 15)."""
        ...

    def open_case_of(self, pupil_id: UUID) -> Case | None: ...
    def by_plan(self, plan_id: UUID) -> Case | None: ...
    def by_intervention(self, intervention_id: UUID) -> Case | None: ...
    def by_referral(self, referral_id: UUID) -> Case | None: ...


class Repository(Protocol):
    """Partnerships, schools, profiles, pupils and users: simple lookups by id and key."""

    seen: dict[object, None]  # insertion-ordered, so events leave in the order they happened

    def add(self, obj: object) -> None: ...
    def partnership(self, partnership_id: UUID) -> Partnership | None: ...
    def school(self, school_id: UUID) -> School | None: ...
    def pupil(self, pupil_id: UUID) -> Pupil | None: ...
    def user(self, user_id: UUID) -> User | None: ...
    def user_by_email(self, email: str) -> User | None: ...
    def profiles(self, school_id: UUID) -> list[SupportProfile]: ...
    def partnership_and_profiles(
        self, partnership_id: UUID, school_id: UUID
    ) -> tuple[Partnership | None, list[SupportProfile]]: ...
    def pupil_number_taken(self, school_id: UUID, pupil_number: str) -> bool: ...
    def guardian_pupils(self, user_id: UUID) -> list[UUID]: ...
    def assigned_pupils(self, user_id: UUID) -> list[UUID]: ...
    def guardians_with_email(self, email: str) -> list[tuple[Guardian, Pupil]]: ...
    def add_sign_in_link(self, **row: Any) -> None: ...
    def use_sign_in_link(self, link_id: UUID, now: datetime) -> dict[str, Any] | None: ...
    def link_guardians(self, email: str, partnership_id: UUID, user_id: UUID) -> None: ...
    def pupils_by_number(self, school_id: UUID, numbers: Collection[str]) -> dict[str, Pupil]: ...
    def users_by_email(self, emails: Collection[str]) -> dict[str, User]: ...
    def preload(
        self,
        *,
        pupils: Collection[UUID] = (),
        schools: Collection[UUID] = (),
        users: Collection[UUID] = (),
    ) -> None: ...


@dataclass(frozen=True)
class DueItem:
    """Something with a due date that beat may remind about."""

    # intervention | plan_evaluation | plan_deadline | admission_statement | support_profile
    kind: str
    subject_id: UUID
    due_on: date
    partnership_id: UUID
    school_id: UUID
    case_id: UUID | None = None
    plan_id: UUID | None = None


class Notices(Protocol):
    """Due items, and the once-only marks of notices (approaching/overdue) already emitted."""

    def claim(self, subject_kind: str, subject_id: UUID, due_on: date, kind: str) -> bool: ...
    def due_items(self, partnership_id: UUID, until: date) -> list[DueItem]: ...
    def active_plans(self, partnership_id: UUID) -> list[tuple[UUID, UUID, UUID]]: ...
    def has_evaluation_between(self, plan_id: UUID, start: date, end: date) -> bool: ...
    def partnerships(self) -> list[tuple[UUID, PartnershipSettings]]: ...


class Retention(Protocol):
    """Pupils who left long enough ago, and their cases (rule 9)."""

    def pupils_left_before(self, partnership_id: UUID, before: date) -> list[UUID]: ...
    def cases_of(self, pupil_id: UUID) -> list[Case]: ...


class DocumentRepository(Protocol):
    """Documents attached to cases (issue 14)."""

    def add(self, doc: Document) -> None: ...
    def get(self, document_id: UUID, *, for_update: bool = False) -> Document | None: ...
    def of_case(self, case_id: UUID) -> list[Document]: ...
    def of_cases(self, case_ids: Collection[UUID]) -> dict[UUID, list[Document]]: ...
    def of_pupil(self, pupil_id: UUID) -> list[Document]: ...
    def remove(self, doc: Document) -> None: ...


@dataclass(frozen=True)
class ApplicationFilter:
    """Which TLV applications a list shows: a partnership's, of some schools, in some states."""

    partnership_id: UUID
    school_ids: frozenset[UUID] | None = None
    statuses: frozenset[str] | None = None


class ApplicationRepository(Protocol):
    """TLV applications (issue 14), one per referral."""

    seen: dict[TlvApplication, None]

    def add(self, application: TlvApplication) -> None: ...
    def by_referral(
        self, referral_id: UUID, *, for_update: bool = False
    ) -> TlvApplication | None: ...
    def of_case(self, case_id: UUID) -> list[TlvApplication]: ...
    def page(
        self, where: ApplicationFilter, offset: int, limit: int
    ) -> tuple[list[TlvApplication], int]: ...


class AbstractUnitOfWork(abc.ABC):
    """A transaction; leaving the `with` block without commit rolls everything back."""

    cases: CaseRepository
    repo: Repository
    notices: Notices
    retention: Retention
    documents: DocumentRepository
    applications: ApplicationRepository
    clock: Clock
    emitted: list[events.Event]

    # Optimistic concurrency: the case version the caller's form was built from (If-Match), or
    # None (no precondition: the last write wins, as before).
    expected_version: int | None = None

    def __enter__(self) -> AbstractUnitOfWork:
        self.emitted = []
        return self

    def expect_version(self, version: int | None) -> AbstractUnitOfWork:
        """Refuse the commit (EditedElsewhere) when a case it changes is no longer at `version`."""
        self.expected_version = version
        return self

    def emit(self, event: events.Event) -> None:
        """Queue an event that belongs to no aggregate (scheduled notices)."""
        self.emitted.append(event)

    def __exit__(self, *args: object) -> None:
        self.rollback()

    def commit(self) -> None:
        """Count a new version of every changed case (refusing a stale expected one), write the
        recorded events to the outbox, then commit atomically."""
        self._count_versions()
        self._write_outbox(list(self.collect_new_events()))
        self._commit()

    def _count_versions(self) -> None:
        """Every case with new events gets the next version; the cases were loaded for update,
        so no one else changes them between this check and the commit."""
        changed = [case for case in self.cases.seen if getattr(case, "events", None)]
        expected = self.expected_version
        if expected is not None and any(case.version != expected for case in changed):
            raise EditedElsewhere(
                "Someone else changed this case or plan since you loaded it; load it again.",
            )
        for case in changed:
            case.version += 1

    def collect_new_events(self) -> Iterable[events.Event]:
        """Drain the events recorded on every aggregate this unit of work touched."""
        applications = getattr(self, "applications", None)
        also = list(applications.seen) if applications is not None else []
        # An application's step comes before what it causes on the case (a granted decision's
        # admission statement).
        for aggregate in [*also, *self.cases.seen, *self.repo.seen]:
            pending = getattr(aggregate, "events", None)
            while pending:
                yield pending.pop(0)
        while self.emitted:
            yield self.emitted.pop(0)

    @abc.abstractmethod
    def _write_outbox(self, new_events: list[events.Event]) -> None: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...
