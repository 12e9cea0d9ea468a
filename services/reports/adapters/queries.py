"""The report's aggregations, done by the database: one GROUP BY query per fact table, counting
with SUM(CASE ...), filtered on the (school_id, date) indexes; grouped per school for the
partnership's report, and into two rows (the school, the other schools together) for a school's.

Medians are the exception. Neither SQLite nor portable SQL has a median aggregate (PostgreSQL's
percentile_cont has no SQLite counterpart), so the database computes each row's day span and
Python takes the median of those integers (counted per number of days, so a few rows come back).

Each statement is built once per kind of grouping (per school, or the school and the rest), with
bound parameters for the partnership, its schools (one parameter: `UuidList`), the period and
the day, and kept: building a
dozen SELECTs of SUM(CASE ...) anew for every report cost SQLAlchemy as much time as the database
took to run them, and the same statement object lets SQLAlchemy find its compiled form at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Dialect,
    Integer,
    String,
    TypeDecorator,
    Uuid,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine

from services.reports.adapters import orm
from services.reports.domain.report import (
    DECISIONS,
    OUTCOMES,
    TLV_CATEGORIES,
    TLV_DECISIONS,
    TLV_SCHOOL_TYPES,
    Figures,
    Period,
)

S = orm.schools.c
I = orm.interventions.c  # noqa: E741 - the fact table's initial, like the others
P = orm.development_plans.c
C = orm.plan_consents.c
E = orm.plan_evaluations.c
R = orm.referrals.c


class days_between(FunctionElement[int]):
    """Whole days from the second date to the first."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"  # PostgreSQL: date - date is an integer


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class UuidList(TypeDecorator[Sequence[UUID]]):
    """Ids bound as one parameter, however many: a uuid[] on PostgreSQL, a JSON array of the
    ids as SQLite stores them (32 hex digits) there. An IN list of a partnership's 60 schools
    took 60 parameters in each of a report's statements, each rendered, cast and converted."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(postgresql.ARRAY(Uuid()))

    def process_bind_param(self, value: Sequence[UUID] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return None if value is None else list(value)
        return _json_ids(tuple(value))


@lru_cache(maxsize=16)
def _json_ids(ids: tuple[UUID, ...]) -> str:
    """The JSON of a report's ids, once for its dozen statements."""
    return json.dumps([u.hex for u in ids])


class among(FunctionElement[bool]):
    """A column's value is one of a `UuidList` parameter's ids."""

    type = Boolean()
    inherit_cache = True
    name = "among"


@compiles(among)
def _among(element: among, compiler: Any, **kw: Any) -> str:
    column, ids = (compiler.process(c, **kw) for c in element.clauses)
    return f"{column} = ANY ({ids})"  # PostgreSQL


@compiles(among, "sqlite")
def _among_sqlite(element: among, compiler: Any, **kw: Any) -> str:
    column, ids = (compiler.process(c, **kw) for c in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


def _n(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


# Grouped by the scope's label (the select's own expression may carry bound parameters, which a
# repeated expression in GROUP BY would not match on PostgreSQL) and a span's days.
SCOPE: ColumnElement[Any] = literal_column("scope")
DAYS: ColumnElement[Any] = literal_column("days")
Key = Callable[[Any], ColumnElement[Any]]  # a fact table's columns -> the scope of a row


PID = bindparam("pid", type_=Uuid())
IDS = bindparam("ids", type_=UuidList())
START = bindparam("start", type_=Date())
END = bindparam("end", type_=Date())
AS_OF = bindparam("as_of", type_=Date())
SCHOOL = bindparam("school", type_=Uuid())


def _by_school(c: Any) -> ColumnElement[Any]:
    return c.school_id


def _own_or_rest(c: Any) -> ColumnElement[Any]:
    return case((c.school_id == SCHOOL, "own"), else_="rest")


Figured = dict[Any, Figures]  # the figures being filled in, by the scope of a row
Fill = Callable[[Figured, Iterable[Any]], None]  # what a statement's rows add to them


class SqlFactReader:
    """The service layer's FactReader on one read-only session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def schools_of(self, partnership_id: UUID) -> list[UUID]:
        """The partnership's schools seen in any event, in a stable order."""
        return list(self._run(_SCHOOLS_OF, {"pid": partnership_id}).scalars())

    def partnership_of(self, school_id: UUID) -> UUID | None:
        """The partnership a school belongs to, if any event told."""
        return self._run(_PARTNERSHIP_OF, {"school": school_id}).scalar_one_or_none()

    def school_names(self, school_ids: list[UUID]) -> dict[UUID, str]:
        """The names `school.registered` told of these schools (a nameless school is left out)."""
        if not school_ids:
            return {}
        rows = self._run(_SCHOOL_NAMES, {"ids": school_ids})
        return {row.school_id: row.name for row in rows}

    def partnership_name(self, partnership_id: UUID) -> str | None:
        """The name `partnership.registered` told, if it did."""
        return self._run(_PARTNERSHIP_NAME, {"pid": partnership_id}).scalar_one_or_none()

    def figures(
        self, partnership_id: UUID, school_ids: list[UUID], period: Period, as_of: date
    ) -> dict[UUID, Figures]:
        """The figures of each school over the period; `as_of` (today) tells a plan evaluation
        that is overdue from one still to come."""
        out: dict[Any, Figures] = {school_id: Figures() for school_id in school_ids}
        if school_ids:
            params = _params(partnership_id, school_ids, period, as_of)
            self._aggregate(out, _statements(_by_school), params)
        return out

    def own_and_rest(
        self,
        partnership_id: UUID,
        school_id: UUID,
        school_ids: list[UUID],
        period: Period,
        as_of: date,
    ) -> tuple[Figures, Figures]:
        """One school's figures and those of the other schools (of `school_ids`) together: the
        same queries, grouped into two rows instead of one per school, and the day spans counted
        per number of days, so the database hands back a few rows whatever the partnership's
        size."""
        out = {"own": Figures(), "rest": Figures()}
        params = _params(partnership_id, sorted({*school_ids, school_id}), period, as_of)
        self._aggregate(out, _statements(_own_or_rest), params | {"school": school_id})
        return out["own"], out["rest"]

    def _run(self, statement: Any, params: dict[str, Any]) -> CursorResult[Any]:
        """A statement on the session's connection (Core: no ORM step per statement)."""
        return self.session.connection().execute(statement, params)

    def _aggregate(
        self, out: Figured, statements: list[tuple[Any, Fill]], params: dict[str, Any]
    ) -> None:
        connection = self.session.connection()
        for statement, fill in statements:
            fill(out, connection.execute(statement, params).mappings().all())  # rows at once


def _params(pid: UUID, ids: list[UUID], period: Period, as_of: date) -> dict[str, Any]:
    return {"pid": pid, "ids": tuple(ids), "start": period.start, "end": period.end, "as_of": as_of}


_SCHOOLS_OF = select(S.school_id).where(S.partnership_id == PID).order_by(S.school_id)
_PARTNERSHIP_OF = select(S.partnership_id).where(S.school_id == SCHOOL)
_SCHOOL_NAMES = select(S.school_id, S.name).where(among(S.school_id, IDS), S.name.is_not(None))
_PARTNERSHIP_NAME = select(orm.partnerships.c.name).where(orm.partnerships.c.partnership_id == PID)


@cache
def _statements(key: Key) -> list[tuple[Any, Fill]]:
    """Every fact table's statements with what their rows fill in, for one kind of scope (built
    once: `key` is one of the module's two functions)."""
    return [
        *_interventions(key),
        *_plans(key),
        *_consents(key),
        *_evaluations(key),
        *_referrals(key),
        *_admission_statements(key),
    ]


def _scope(c: Any) -> tuple[ColumnElement[bool], ...]:
    """A fact table's rows of the partnership's schools."""
    return (c.partnership_id == PID, among(c.school_id, IDS))


def _during(column: Any) -> ColumnElement[bool]:
    return column.between(START, END)


def _day_spans(
    key: Key, field: str, c: Any, later: Any, earlier: Any, *where: ColumnElement[bool]
) -> tuple[Any, Fill]:
    """Each scope's spans in whole days from `earlier` to `later` of the rows that match
    `where` and have an `earlier` date, counted per number of days by the database, added to
    the figures' list `field`."""
    days = days_between(later, earlier).label("days")
    spans = select(key(c).label("scope"), days, func.count().label("n")).where(
        *_scope(c), *where, earlier.is_not(None)
    )

    def fill(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            getattr(out[row["scope"]], field).extend([row["days"]] * row["n"])

    return spans.group_by(SCOPE, DAYS), fill


def _interventions(key: Key) -> list[tuple[Any, Fill]]:
    started = _during(I.started_on)
    evaluated = _during(I.evaluated_on)
    basic = I.level == "basic"
    counts = select(
        key(I).label("scope"),
        _n(basic & started).label("started"),
        _n(basic & evaluated).label("evaluated"),
        *(_n(basic & evaluated & (I.outcome == o)).label(o) for o in OUTCOMES),
        _n(basic & evaluated & (I.evaluated_on <= I.evaluate_by)).label("evaluated_on_time"),
        _n(started & (I.outside_support_profile == true())).label("outside_support_profile"),
        _n(started & (I.level == "extra")).label("extra_started"),
    ).where(*_scope(I), or_(started, evaluated))

    def fill_counts(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].interventions.update(_counts(row))

    by_domain = select(
        key(I).label("scope"),
        I.domain,
        _n(started).label("started"),
        _n(evaluated).label("evaluated"),
        *(_n(evaluated & (I.outcome == o)).label(o) for o in OUTCOMES),
    ).where(*_scope(I), basic, I.domain.is_not(None), or_(started, evaluated))

    def fill_domains(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].by_domain[row["domain"]] = Counter(_counts(row, "domain"))

    return [
        (counts.group_by(SCOPE), fill_counts),
        (by_domain.group_by(SCOPE, I.domain), fill_domains),
        _day_spans(key, "intervention_days", I, I.evaluated_on, I.started_on, basic, evaluated),
    ]


def _plans(key: Key) -> list[tuple[Any, Fill]]:
    new = _during(P.created_on)
    # Active at the end of the period: activated by then and not closed by then.
    active = and_(P.activated_on <= END, or_(P.closed_on.is_(None), P.closed_on > END))
    closed = _during(P.closed_on)
    counts = select(
        key(P).label("scope"),
        _n(new).label("new"),
        _n(active).label("active"),
        _n(closed).label("closed"),
    ).where(*_scope(P), or_(new, active, closed))
    reasons = (
        select(key(P).label("scope"), P.close_reason, func.count().label("n"))
        .where(*_scope(P), closed)
        .group_by(SCOPE, P.close_reason)
    )
    decisions = select(key(E).label("scope"), *(_n(E.decision == d).label(d) for d in DECISIONS))

    def fill_counts(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].plans.update(_counts(row))

    def fill_reasons(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].closed_by_reason[row["close_reason"] or "unknown"] = row["n"]

    def fill_decisions(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].decisions.update(_counts(row))

    return [
        (counts.group_by(SCOPE), fill_counts),
        (reasons, fill_reasons),
        (decisions.where(*_scope(E), _during(E.held_on)).group_by(SCOPE), fill_decisions),
    ]


def _consents(key: Key) -> list[tuple[Any, Fill]]:
    recorded = _during(C.recorded_on)
    counts = select(
        key(C).label("scope"),
        _n(C.decision == "agreed").label("agreed"),
        _n(C.decision == "declined").label("declined"),
    ).where(*_scope(C), recorded)

    def fill(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].consent.update(_counts(row))

    return [
        (counts.group_by(SCOPE), fill),
        _day_spans(key, "consent_days", C, C.recorded_on, C.requested_on, recorded),
    ]


def _evaluations(key: Key) -> list[tuple[Any, Fill]]:
    """Plan evaluations due in the period: held on or before the due date (on time), held later
    or not held although the date passed (overdue), or not yet due (open). Only a plan that took
    effect has evaluations due: one the parents declined or never answered (never activated by
    `as_of`) is left out, as the cases service reminds of no evaluation of a plan that is not
    active. One that was never held because its plan closed first was cancelled, and is left out
    too."""
    not_held = E.held_on.is_(None)
    took_effect = and_(P.activated_on.is_not(None), P.activated_on <= AS_OF)
    cancelled = and_(not_held, P.closed_on.is_not(None), P.closed_on <= E.due_on)
    counted = and_(took_effect, ~cancelled)
    on_time = and_(counted, E.held_on <= E.due_on)
    overdue = and_(counted, or_(E.held_on > E.due_on, and_(not_held, E.due_on < AS_OF)))
    still_open = and_(counted, not_held, E.due_on >= AS_OF)
    query = (
        select(
            key(E).label("scope"),
            _n(on_time).label("on_time"),
            _n(overdue).label("overdue"),
            _n(still_open).label("open"),
        )
        .select_from(orm.plan_evaluations.outerjoin(orm.development_plans, P.plan_id == E.plan_id))
        .where(*_scope(E))
        .where(_during(E.due_on))
        .group_by(SCOPE)
    )

    def fill(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].evaluations.update(_counts(row))

    return [(query, fill)]


def _referrals(key: Key) -> list[tuple[Any, Fill]]:
    query = (
        select(key(R).label("scope"), R.destination, func.count().label("n"))
        .where(*_scope(R))
        .where(_during(R.requested_on))
        .group_by(SCOPE, R.destination)
    )

    def fill(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].referrals[row["destination"] or "unknown"] = row["n"]

    return [(query, fill)]


def _admission_statements(key: Key) -> list[tuple[Any, Fill]]:
    """TLV applications submitted in the period, and the decisions made in it (on applications
    of any period): by decision, the grants by school type and those for so by category, those
    made after the deadline, and the days from application to decision."""
    submitted = _during(R.submitted_on)
    decided = _during(R.decided_on)
    granted = and_(decided, R.decision == "granted")
    so = and_(granted, R.school_type == "so")
    counts = select(
        key(R).label("scope"),
        _n(submitted).label("submitted"),
        _n(and_(submitted, R.parents_agreed == false())).label("submitted_without_agreement"),
        *(_n(and_(decided, R.decision == d)).label(d) for d in TLV_DECISIONS),
        *(_n(and_(granted, R.school_type == t)).label(t) for t in TLV_SCHOOL_TYPES),
        *(_n(and_(so, R.category == c)).label(c) for c in TLV_CATEGORIES),
        _n(and_(decided, R.decided_on > R.decide_by)).label("decided_late"),
    ).where(*_scope(R), or_(submitted, decided))

    def fill(out: Figured, rows: Iterable[Any]) -> None:
        for row in rows:
            out[row["scope"]].tlv.update(_counts(row))

    settled = R.decision.in_(TLV_DECISIONS)
    return [
        (counts.group_by(SCOPE), fill),
        _day_spans(key, "tlv_days", R, R.decided_on, R.submitted_on, decided, settled),
    ]


def _counts(row: Any, *skip: str) -> dict[str, int]:
    return {k: int(v or 0) for k, v in row.items() if k not in ("scope", *skip)}
