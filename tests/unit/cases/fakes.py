"""In-memory doubles of the cases service's own interfaces (service_layer/unit_of_work.py).

Like a database session, a fake unit of work hands out working copies of what was committed:
changes reach the store only on commit, and leaving the `with` block without commit discards them,
together with any events the touched aggregates recorded. Each fake exposes what the tests assert
on: `outbox` (every event `_write_outbox` received, in order), `commits` and `committed`.
"""

from __future__ import annotations

import pickle
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.cases.domain.events import Event
from services.cases.domain.model import Case
from services.cases.domain.plan import PlanStatus
from services.cases.domain.school import (
    Partnership,
    PartnershipSettings,
    Pupil,
    School,
    SupportProfile,
    User,
)
from services.cases.domain.tlv import TlvApplication
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork, DueItem
from shared.clock import Clock, FixedClock

# A Thursday in the school year 2026-2027, 10:00 in Amsterdam. Unit tests never read the real date.
NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)


class _Store:
    """Committed objects by id, plus the working copies of the current unit of work."""

    def __init__(self) -> None:
        self._committed: dict[UUID, Any] = {}
        self._working: dict[UUID, Any] = {}
        # A dict rather than a set: collect_new_events then drains aggregates in a stable order.
        self.seen: dict[Any, None] = {}

    def add(self, obj: Any) -> None:
        self._working[obj.id] = obj
        self.seen[obj] = None

    def _load(self, obj_id: UUID | None, kind: type) -> Any:
        if obj_id in self._working:
            obj = self._working[obj_id]
            return obj if isinstance(obj, kind) else None
        stored = self._committed.get(obj_id)  # type: ignore[arg-type]
        if not isinstance(stored, kind):
            return None
        working = _snapshot(stored)
        self._working[working.id] = working
        self.seen[working] = None
        return working

    def _ids(self, kind: type) -> list[UUID]:
        """Ids of every object of a kind this transaction can see, in insertion order."""
        visible = {**self._committed, **self._working}
        return [obj_id for obj_id, obj in visible.items() if isinstance(obj, kind)]

    def _peek(self, obj_id: UUID) -> Any:
        """The object as this transaction sees it, without taking a working copy."""
        return self._working.get(obj_id, self._committed.get(obj_id))

    def _commit(self) -> None:
        self._committed.update(self._working)
        self._forget()

    def _forget(self) -> None:
        self._working = {}
        self.seen = {}


class FakeCaseRepository(_Store):
    """Case aggregates by id, with the lookups the handlers use."""

    def get(self, case_id: UUID, *, for_update: bool = False) -> Case | None:
        return self._load(case_id, Case)

    def to_add_intervention(self, case_id: UUID) -> Case | None:
        return self._load(case_id, Case)

    def _first(self, match: Any) -> Case | None:
        for case_id in self._ids(Case):
            if match(self._peek(case_id)):
                return self._load(case_id, Case)
        return None

    def open_case_of(self, pupil_id: UUID) -> Case | None:
        return self._first(lambda c: c.pupil_id == pupil_id and c.status != "closed")

    def by_plan(self, plan_id: UUID) -> Case | None:
        return self._first(lambda c: any(p.id == plan_id for p in c.plans))

    def by_intervention(self, intervention_id: UUID) -> Case | None:
        return self._first(lambda c: any(i.id == intervention_id for i in c.interventions))

    def by_referral(self, referral_id: UUID) -> Case | None:
        return self._first(lambda c: any(r.id == referral_id for r in c.referrals))

    def all(self) -> list[Case]:
        """Every case as committed (for FakeNotices and assertions), without working copies."""
        return [self._peek(case_id) for case_id in self._ids(Case)]


class FakeRepository(_Store):
    """Partnerships, schools, support profiles, pupils and users by id."""

    def partnership(self, partnership_id: UUID) -> Partnership | None:
        return self._load(partnership_id, Partnership)

    def school(self, school_id: UUID) -> School | None:
        return self._load(school_id, School)

    def pupil(self, pupil_id: UUID) -> Pupil | None:
        return self._load(pupil_id, Pupil)

    def user(self, user_id: UUID) -> User | None:
        return self._load(user_id, User)

    def preload(self, **_ids: Any) -> None:
        """Nothing to load: every lookup here is in memory."""

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        for user_id in self._ids(User):
            if self._peek(user_id).email == wanted:
                return self._load(user_id, User)
        return None

    def partnership_and_profiles(
        self, partnership_id: UUID, school_id: UUID
    ) -> tuple[Partnership | None, list[SupportProfile]]:
        return self.partnership(partnership_id), self.profiles(school_id)

    def profiles(self, school_id: UUID) -> list[SupportProfile]:
        ids = [i for i in self._ids(SupportProfile) if self._peek(i).school_id == school_id]
        return [self._load(i, SupportProfile) for i in ids]

    def pupil_number_taken(self, school_id: UUID, pupil_number: str) -> bool:
        return any(
            self._peek(i).school_id == school_id and self._peek(i).pupil_number == pupil_number
            for i in self._ids(Pupil)
        )

    def guardian_pupils(self, user_id: UUID) -> list[UUID]:
        return [
            i
            for i in self._ids(Pupil)
            if any(g.user_id == user_id for g in self._peek(i).guardians)
        ]

    def assigned_pupils(self, user_id: UUID) -> list[UUID]:
        return [
            i for i in self._ids(Pupil) if any(a.user_id == user_id for a in self._peek(i).staff)
        ]

    def pupils_by_number(self, school_id: UUID, numbers: Collection[str]) -> dict[str, Pupil]:
        wanted = set(numbers)
        return {
            self._peek(i).pupil_number: self._load(i, Pupil)
            for i in self._ids(Pupil)
            if self._peek(i).school_id == school_id and self._peek(i).pupil_number in wanted
        }

    def users_by_email(self, emails: Collection[str]) -> dict[str, User]:
        wanted = {e.strip().lower() for e in emails}
        return {
            self._peek(i).email: self._load(i, User)
            for i in self._ids(User)
            if self._peek(i).email in wanted
        }

    def partnerships(self) -> list[Partnership]:
        """Every partnership as committed (for FakeNotices)."""
        return [self._peek(i) for i in self._ids(Partnership)]

    def support_profiles(self) -> list[SupportProfile]:
        """Every support profile as committed (for FakeNotices)."""
        return [self._peek(i) for i in self._ids(SupportProfile)]


class FakeApplications(_Store):
    """TLV applications by referral (issue 14)."""

    def by_referral(self, referral_id: UUID, *, for_update: bool = False) -> Any:
        for app_id in self._ids(TlvApplication):
            if self._peek(app_id).referral_id == referral_id:
                return self._load(app_id, TlvApplication)
        return None

    def of_case(self, case_id: UUID) -> list[TlvApplication]:
        ids = [i for i in self._ids(TlvApplication) if self._peek(i).case_id == case_id]
        return [self._load(i, TlvApplication) for i in ids]

    def page(self, where: Any, offset: int, limit: int) -> tuple[list[TlvApplication], int]:
        rows = [
            self._peek(i)
            for i in self._ids(TlvApplication)
            if self._peek(i).partnership_id == where.partnership_id
            and (where.school_ids is None or self._peek(i).school_id in where.school_ids)
            and (where.statuses is None or self._peek(i).status in where.statuses)
        ]
        return rows[offset : offset + limit], len(rows)


class FakeNotices:
    """Due items read from the fake repositories, and claims unique on (kind, id, due date, kind)
    like the real `scheduled_notices` table: a claim becomes permanent only on commit."""

    def __init__(self, cases: FakeCaseRepository, repo: FakeRepository) -> None:
        self.cases = cases
        self.repo = repo
        self.claimed: set[tuple[str, UUID, date, str]] = set()
        self._pending: set[tuple[str, UUID, date, str]] = set()

    def claim(self, subject_kind: str, subject_id: UUID, due_on: date, kind: str) -> bool:
        key = (subject_kind, subject_id, due_on, kind)
        if key in self.claimed or key in self._pending:
            return False
        self._pending.add(key)
        return True

    def partnerships(self) -> list[tuple[UUID, PartnershipSettings]]:
        return [(p.id, p.settings) for p in self.repo.partnerships()]

    def due_items(self, partnership_id: UUID, until: date) -> list[DueItem]:
        items: list[DueItem] = []
        for case in self.cases.all():
            if case.partnership_id != partnership_id:
                continue
            scope = (partnership_id, case.school_id)
            if case.awaits_plan:
                assert case.plan_due_by is not None
                items.append(DueItem("plan_deadline", case.id, case.plan_due_by, *scope, case.id))
            if case.status != "closed":
                items += [
                    DueItem("intervention", i.id, i.evaluate_by, *scope, case.id)
                    for i in case.interventions
                    if i.status == "active"
                ]
                items += [
                    DueItem("plan_evaluation", e.id, e.due_on, *scope, case.id, plan.id)
                    for plan in case.plans
                    if plan.status == PlanStatus.ACTIVE
                    for e in plan.evaluations
                    if e.status == "scheduled"
                ]
            items += [
                DueItem("admission_statement", r.id, r.admission_statement_until, *scope, case.id)
                for r in case.referrals
                if r.admission_statement_until is not None
            ]
        latest: dict[UUID, SupportProfile] = {}
        for profile in self.repo.support_profiles():
            if profile.partnership_id != partnership_id:
                continue
            if (
                profile.school_id not in latest
                or profile.version > latest[profile.school_id].version
            ):
                latest[profile.school_id] = profile
        items += [
            DueItem("support_profile", p.id, p.review_by, partnership_id, p.school_id)
            for p in latest.values()
        ]
        return [item for item in items if item.due_on <= until]

    def active_plans(self, partnership_id: UUID) -> list[tuple[UUID, UUID, UUID]]:
        return [
            (plan.id, case.id, case.school_id)
            for case in self.cases.all()
            if case.partnership_id == partnership_id
            for plan in case.plans
            if plan.status == PlanStatus.ACTIVE
        ]

    def has_evaluation_between(self, plan_id: UUID, start: date, end: date) -> bool:
        for case in self.cases.all():
            for plan in case.plans:
                if plan.id == plan_id:
                    return any(
                        (e.status == "scheduled" and start <= e.due_on <= end)
                        or (
                            e.status == "held"
                            and e.held_on is not None
                            and start <= e.held_on <= end
                        )
                        for e in plan.evaluations
                    )
        return False

    def _commit(self) -> None:
        self.claimed |= self._pending
        self._pending = set()

    def _forget(self) -> None:
        self._pending = set()


class FakeUnitOfWork(AbstractUnitOfWork):
    """An in-memory unit of work; one instance serves many `with` blocks, like a factory would."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or FixedClock(NOW)
        self.cases = FakeCaseRepository()
        self.repo = FakeRepository()
        self.notices = FakeNotices(self.cases, self.repo)
        self.applications = FakeApplications()
        self.outbox: list[Event] = []
        self._pending_outbox: list[Event] = []
        self.commits = 0
        self.committed = False
        self.emitted = []

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.committed = False
        return self

    def _write_outbox(self, new_events: list[Event]) -> None:
        self._pending_outbox = list(new_events)

    def _commit(self) -> None:
        self.outbox.extend(self._pending_outbox)
        self._pending_outbox = []
        self.cases._commit()
        self.repo._commit()
        self.applications._commit()
        self.notices._commit()
        self.commits += 1
        self.committed = True

    def rollback(self) -> None:
        self._pending_outbox = []
        self.cases._forget()
        self.repo._forget()
        self.applications._forget()
        self.notices._forget()
        self.emitted = []

    def outbox_types(self) -> list[str]:
        """The type strings of every event written to the outbox, in order."""
        return [event.type for event in self.outbox]


def _snapshot(obj: Any) -> Any:
    """A deep, independent copy. Pickle rather than deepcopy: when another test in the same
    process has mapped the domain classes with SQLAlchemy, deepcopy cannot copy their state."""
    return pickle.loads(pickle.dumps(obj))
