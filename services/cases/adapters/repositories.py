"""SQLAlchemy repositories of the cases service."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, case, delete, exists, func, insert, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, raiseload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from services.cases.adapters import due_dates, orm
from services.cases.adapters.due_dates import DueDates
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan
from services.cases.domain.school import (
    Guardian,
    Partnership,
    PartnershipSettings,
    Pupil,
    School,
    SupportProfile,
    User,
)
from services.cases.service_layer.unit_of_work import DueItem
from shared.clock import Clock

_CHUNK = 500  # bound parameters per IN (...): well under SQLite's and PostgreSQL's limits

# The kinds of due dates beat reminds about, in the order `due_items` lists them.
_REMINDED = (
    "intervention",
    "plan_evaluation",
    "admission_statement",
    "plan_deadline",
    "support_profile",
)


def _case_query() -> Any:
    return select(Case).options(
        selectinload(Case.interventions),  # type: ignore[arg-type,misc]
        selectinload(Case.plans).selectinload(DevelopmentPlan.scenarios),  # type: ignore[arg-type,misc]
        selectinload(Case.plans).selectinload(DevelopmentPlan.evaluations),  # type: ignore[arg-type,misc]
        selectinload(Case.plans).selectinload(DevelopmentPlan.consents),  # type: ignore[arg-type,misc]
        selectinload(Case.referrals),  # type: ignore[arg-type,misc]
    )


@cache
def _case_by_id() -> Any:
    """One case by id (issue 15): the case with its interventions, plans and referrals in
    one joined SELECT (interventions × plans × referrals rows, a handful), the plans' parts by
    selectin only when there are plans. A selectin per collection cost about 3× as much."""
    interventions = joinedload(Case.interventions)  # type: ignore[arg-type,misc]
    return _one_case(interventions)


def _one_case(interventions: Any) -> Any:
    """The case by id with its plans (and their parts) and referrals; `interventions` says how
    its interventions are loaded."""
    plans = joinedload(Case.plans)  # type: ignore[arg-type,misc]
    return (
        select(Case)
        .options(
            interventions,
            plans.selectinload(DevelopmentPlan.scenarios),  # type: ignore[arg-type,misc]
            plans.selectinload(DevelopmentPlan.evaluations),  # type: ignore[arg-type,misc]
            plans.selectinload(DevelopmentPlan.consents),  # type: ignore[arg-type,misc]
            joinedload(Case.referrals),  # type: ignore[arg-type,misc]
        )
        .where(orm.cases.c.id == bindparam("case_id"))
    )


@cache
def _case_by_id_for_update() -> Any:
    """`_case_by_id` locking the case's row (PostgreSQL; SQLite: BEGIN IMMEDIATE), built once."""
    return _case_by_id().with_for_update(of=orm.cases)


@cache
def _case_to_add_intervention() -> Any:
    """`_case_by_id_for_update` without the past interventions (issue 15): the rules of a new
    intervention look at the case's status, level, dates and active plan, never at the earlier
    interventions, so the write under the lock does not grow with the case. The collection is
    not loaded (raiseload) but set empty as committed (`to_add_intervention`): the new
    intervention is appended to it and inserted, and nothing else changes."""
    not_loaded = raiseload(Case.interventions)  # type: ignore[arg-type,misc]
    return _one_case(not_loaded).with_for_update(of=orm.cases)


@cache
def _partnership_and_profiles() -> Any:
    """A partnership with one school's support profiles, in one SELECT (issue 15): a row per
    profile (or one row with none), the partnership on each; built once."""
    profiles = orm.support_profiles
    return (
        select(Partnership, SupportProfile)
        .select_from(orm.partnerships)
        .outerjoin(profiles, profiles.c.school_id == bindparam("school_id"))
        .where(orm.partnerships.c.id == bindparam("partnership_id"))
    )


@cache
def _profiles() -> Any:
    """A school's support profiles, built once (after the mappers are started)."""
    return select(SupportProfile).where(orm.support_profiles.c.school_id == bindparam("school_id"))


class SqlAlchemyCaseRepository:
    """Loads and stores whole case aggregates."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[Any, None] = {}

    def add(self, case: Case) -> None:
        self.session.add(case)
        self.seen[case] = None

    def _one(self, query: Any, for_update: bool = True) -> Case | None:
        if for_update:
            query = query.with_for_update(of=orm.cases)
        case = self.session.execute(query).scalars().first()
        if case is not None:
            self.seen[case] = None
        return case

    def get(self, case_id: UUID, *, for_update: bool = False) -> Case | None:
        """A case by id, in one joined SELECT (`_case_by_id`); locked with `for_update`."""
        query = _case_by_id_for_update() if for_update else _case_by_id()
        found = self.session.execute(query, {"case_id": case_id}).unique().scalars().first()
        if found is not None:
            self.seen[found] = None
        return found

    def to_add_intervention(self, case_id: UUID) -> Case | None:
        """A case locked for update, to append an intervention to: without its past
        interventions (`_case_to_add_intervention`). Use it for nothing else."""
        query = _case_to_add_intervention()
        found = self.session.execute(query, {"case_id": case_id}).unique().scalars().first()
        if found is not None:
            set_committed_value(found, "interventions", [])  # unloaded: none of the earlier
            self.seen[found] = None
        return found

    def open_case_of(self, pupil_id: UUID) -> Case | None:
        return self._one(
            _case_query().where(orm.cases.c.pupil_id == pupil_id, orm.cases.c.status != "closed"),
            False,
        )

    def by_plan(self, plan_id: UUID) -> Case | None:
        case_id = (
            select(orm.development_plans.c.case_id)
            .where(orm.development_plans.c.id == plan_id)
            .scalar_subquery()
        )
        return self._one(_case_query().where(orm.cases.c.id == case_id))

    def by_intervention(self, intervention_id: UUID) -> Case | None:
        case_id = (
            select(orm.interventions.c.case_id)
            .where(orm.interventions.c.id == intervention_id)
            .scalar_subquery()
        )
        return self._one(_case_query().where(orm.cases.c.id == case_id))

    def by_referral(self, referral_id: UUID) -> Case | None:
        case_id = (
            select(orm.referrals.c.case_id)
            .where(orm.referrals.c.id == referral_id)
            .scalar_subquery()
        )
        return self._one(_case_query().where(orm.cases.c.id == case_id))


class SqlAlchemyRepository:
    """Partnerships, schools, support profiles, pupils and users."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[Any, None] = {}
        self.preloaded: list[Any] = []

    def add(self, obj: Any) -> None:
        self.session.add(obj)
        self.seen[obj] = None

    def partnership(self, partnership_id: UUID) -> Partnership | None:
        return self.session.get(Partnership, partnership_id)

    def school(self, school_id: UUID) -> School | None:
        return self.session.get(School, school_id)

    def pupil(self, pupil_id: UUID) -> Pupil | None:
        pupil = self.session.get(Pupil, pupil_id)
        if pupil is not None:
            self.seen[pupil] = None
        return pupil

    def user(self, user_id: UUID) -> User | None:
        return self.session.get(User, user_id)

    def user_by_email(self, email: str) -> User | None:
        query = select(User).where(orm.users.c.email == email.strip().lower())
        return self.session.execute(query).scalars().first()

    def profiles(self, school_id: UUID) -> list[SupportProfile]:
        return list(self.session.execute(_profiles(), {"school_id": school_id}).scalars())

    def partnership_and_profiles(
        self, partnership_id: UUID, school_id: UUID
    ) -> tuple[Partnership | None, list[SupportProfile]]:
        """The partnership and the school's support profiles, in one round trip."""
        params = {"partnership_id": partnership_id, "school_id": school_id}
        rows = self.session.execute(_partnership_and_profiles(), params).all()
        if not rows:
            return None, []
        return rows[0][0], [profile for _, profile in rows if profile is not None]

    def pupil_number_taken(self, school_id: UUID, pupil_number: str) -> bool:
        query = select(
            exists().where(
                orm.pupils.c.school_id == school_id, orm.pupils.c.pupil_number == pupil_number
            )
        )
        return bool(self.session.execute(query).scalar())

    def guardians_with_email(self, email: str) -> list[tuple[Guardian, Pupil]]:
        """Every guardian record with this address (any case), with its pupil; anonymised
        pupils left out."""
        query = (
            select(orm.guardians.c.id, Pupil)
            .join(orm.pupils, orm.pupils.c.id == orm.guardians.c.pupil_id)
            .where(
                func.lower(orm.guardians.c.email) == email.strip().lower(),
                orm.pupils.c.anonymised_on.is_(None),
            )
            .order_by(orm.guardians.c.id)
        )
        rows = self.session.execute(query).all()
        return [(next(g for g in p.guardians if g.id == gid), p) for gid, p in rows]

    def add_sign_in_link(self, **row: Any) -> None:
        self.session.execute(insert(orm.guardian_sign_in_links).values(**row))

    def use_sign_in_link(self, link_id: UUID, now: datetime) -> dict[str, Any] | None:
        """Spend a sign-in link once: the row if it was unused and unexpired, else None. One
        UPDATE with the conditions, so two clicks at once cannot both get in."""
        links = orm.guardian_sign_in_links
        spent = self.session.execute(
            links.update()
            .where(links.c.id == link_id, links.c.used_at.is_(None), links.c.expires_at > now)
            .values(used_at=now)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = self.session.execute(select(links).where(links.c.id == link_id)).mappings().one()
        return dict(row)

    def link_guardians(self, email: str, partnership_id: UUID, user_id: UUID) -> None:
        """Tie every guardian record with this address in the partnership to the account."""
        pupils_here = select(orm.pupils.c.id).where(orm.pupils.c.partnership_id == partnership_id)
        self.session.execute(
            orm.guardians.update()
            .where(
                func.lower(orm.guardians.c.email) == email.strip().lower(),
                orm.guardians.c.pupil_id.in_(pupils_here),
            )
            .values(user_id=user_id)
        )

    def guardian_pupils(self, user_id: UUID) -> list[UUID]:
        query = select(orm.guardians.c.pupil_id).where(orm.guardians.c.user_id == user_id)
        return list(self.session.execute(query).scalars())

    def assigned_pupils(self, user_id: UUID) -> list[UUID]:
        """The pupils a staff member is assigned to (pupil_staff), in any role."""
        s = orm.pupil_staff.c
        query = select(s.pupil_id).where(s.user_id == user_id).distinct()
        return list(self.session.execute(query).scalars())

    def pupils_by_number(self, school_id: UUID, numbers: Collection[str]) -> dict[str, Pupil]:
        """A school's pupils with these numbers, with their guardians, in a few queries."""
        found: dict[str, Pupil] = {}
        wanted = sorted(set(numbers))
        for start in range(0, len(wanted), _CHUNK):
            query = (
                select(Pupil)
                .where(
                    orm.pupils.c.school_id == school_id,
                    orm.pupils.c.pupil_number.in_(wanted[start : start + _CHUNK]),
                )
                .options(selectinload(Pupil.guardians))  # type: ignore[arg-type,misc]
            )
            for pupil in self.session.execute(query).scalars():
                found[pupil.pupil_number] = pupil  # type: ignore[index]
                self.seen[pupil] = None
        return found

    def preload(
        self,
        *,
        pupils: Collection[UUID] = (),
        schools: Collection[UUID] = (),
        users: Collection[UUID] = (),
    ) -> None:
        """Load these rows a few SELECTs at a time, so that pupil(), school() and user() after
        it find them in the session and ask the database nothing (a page of a list)."""
        for model, table, ids in (
            (Pupil, orm.pupils, pupils),
            (School, orm.schools, schools),
            (User, orm.users, users),
        ):
            wanted = sorted(set(ids))
            for start in range(0, len(wanted), _CHUNK):
                query = select(model).where(table.c.id.in_(wanted[start : start + _CHUNK]))
                # Held here: the session keeps unchanged rows only as long as someone does.
                self.preloaded += self.session.execute(query).scalars().all()

    def users_by_email(self, emails: Collection[str]) -> dict[str, User]:
        """Accounts by (lowercase) e-mail, in a few queries."""
        found: dict[str, User] = {}
        wanted = sorted({e.strip().lower() for e in emails})
        for start in range(0, len(wanted), _CHUNK):
            query = select(User).where(orm.users.c.email.in_(wanted[start : start + _CHUNK]))
            for user in self.session.execute(query).scalars():
                found[user.email] = user
        return found


class SqlAlchemyRetention:
    """Pupils whose personal data may be due to go, and their cases."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def pupils_left_before(self, partnership_id: UUID, before: date) -> list[UUID]:
        p = orm.pupils.c
        query = (
            select(p.id)
            .where(
                p.partnership_id == partnership_id,
                p.left_on.is_not(None),
                p.left_on <= before,
                p.anonymised_on.is_(None),
            )
            .order_by(p.id)
        )
        return list(self.session.execute(query).scalars())

    def cases_of(self, pupil_id: UUID) -> list[Case]:
        query = _case_query().where(orm.cases.c.pupil_id == pupil_id).with_for_update(of=orm.cases)
        return list(self.session.execute(query).scalars())


class SqlAlchemyNotices:
    """Finds due items; claims (subject, due date, kind) rows so a second claim of one key loses."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    def partnerships(self) -> list[tuple[UUID, PartnershipSettings]]:
        rows = self.session.execute(select(orm.partnerships.c.id, orm.partnerships.c.settings))
        return [(r.id, r.settings) for r in rows]

    def due_items(self, partnership_id: UUID, until: date) -> list[DueItem]:
        """What beat may remind about: every due date up to `until`, overdue ones included, by
        kind (in the order of `_REMINDED`) and subject id."""
        dates = DueDates(partnership_id, due_dates.until(until))
        found = union_all(
            dates.interventions(),
            dates.plan_evaluations(plans="active"),
            dates.admission_statements(statements_of_closed_cases=True),
            dates.plan_deadlines(),
            dates.support_profiles(),
        ).subquery()
        by_kind = case({kind: n for n, kind in enumerate(_REMINDED)}, value=found.c.kind)
        rows = self.session.execute(select(found).order_by(by_kind, found.c.id))
        return [
            DueItem(
                kind=row.kind,
                subject_id=row.id,
                due_on=row.due_on,
                partnership_id=partnership_id,
                school_id=row.school_id,
                case_id=row.case_id,
                plan_id=row.plan_id,
            )
            for row in rows
        ]

    def active_plans(self, partnership_id: UUID) -> list[tuple[UUID, UUID, UUID]]:
        p, c = orm.development_plans.c, orm.cases.c
        query = (
            select(p.id, c.id.label("case_id"), c.school_id)
            .join_from(orm.development_plans, orm.cases, p.case_id == c.id)
            .where(c.partnership_id == partnership_id, p.status == "active")
            .order_by(p.id)
        )
        return [(row.id, row.case_id, row.school_id) for row in self.session.execute(query)]

    def has_evaluation_between(self, plan_id: UUID, start: date, end: date) -> bool:
        e = orm.plan_evaluations.c
        query = select(
            exists().where(
                e.plan_id == plan_id,
                ((e.status == "scheduled") & e.due_on.between(start, end))
                | ((e.status == "held") & e.held_on.between(start, end)),
            )
        )
        return bool(self.session.execute(query).scalar())

    def claim(self, subject_kind: str, subject_id: UUID, due_on: date, kind: str) -> bool:
        values = {
            "subject_kind": subject_kind,
            "subject_id": subject_id,
            "due_on": due_on,
            "kind": kind,
            "emitted_at": self.clock.now(),
        }
        try:
            with self.session.begin_nested():
                self.session.execute(insert(orm.scheduled_notices).values(**values))
        except IntegrityError:
            return False
        return True


class SqlAlchemyCalendarFeeds:
    """Per-user calendar feed secrets, kept only as sha256 hashes (one feed per user)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, user_id: UUID, token_hash: str, at: datetime) -> None:
        """Give the user a feed with this secret; a previous one stops working."""
        f = orm.calendar_feeds.c
        self.session.execute(delete(orm.calendar_feeds).where(f.user_id == user_id))
        values = {"user_id": user_id, "token_hash": token_hash, "created_at": at}
        self.session.execute(insert(orm.calendar_feeds).values(**values))

    def remove(self, user_id: UUID) -> bool:
        """Revoke the user's feed; whether there was one."""
        f = orm.calendar_feeds.c
        result = self.session.execute(delete(orm.calendar_feeds).where(f.user_id == user_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def owner(self, token_hash: str) -> UUID | None:
        """The user whose feed has this secret: a lookup by hash, so no secret is compared."""
        f = orm.calendar_feeds.c
        query = select(f.user_id).where(f.token_hash == token_hash)
        return self.session.execute(query).scalar_one_or_none()
