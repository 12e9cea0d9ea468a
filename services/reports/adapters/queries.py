"""The report's aggregations, done by the database: one GROUP BY query per fact table, counting
with SUM(CASE ...), filtered on the (school_id, date) indexes; grouped per school for the
partnership's report, and into two rows (the school, the other schools together) for a school's.

Medians are the exception. Neither SQLite nor portable SQL has a median aggregate (PostgreSQL's
percentile_cont has no SQLite counterpart), so the database computes each row's day span and
Python takes the median of those integers (counted per number of days, so a few rows come back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

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


def _n(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


# Grouped by the scope's label (the select's own expression may carry bound parameters, which a
# repeated expression in GROUP BY would not match on PostgreSQL) and a span's days.
SCOPE: ColumnElement[Any] = literal_column("scope")
DAYS: ColumnElement[Any] = literal_column("days")
Key = Callable[[Any], ColumnElement[Any]]  # a fact table's columns -> the scope of a row


def _by_school(c: Any) -> ColumnElement[Any]:
    return c.school_id


class SqlFactReader:
    """The service layer's FactReader on one read-only session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def schools_of(self, partnership_id: UUID) -> list[UUID]:
        """The partnership's schools seen in any event, in a stable order."""
        query = select(S.school_id).where(S.partnership_id == partnership_id).order_by(S.school_id)
        return list(self.session.execute(query).scalars())

    def partnership_of(self, school_id: UUID) -> UUID | None:
        """The partnership a school belongs to, if any event told."""
        query = select(S.partnership_id).where(S.school_id == school_id)
        return self.session.execute(query).scalar_one_or_none()

    def school_names(self, school_ids: list[UUID]) -> dict[UUID, str]:
        """The names `school.registered` told of these schools (a nameless school is left out)."""
        if not school_ids:
            return {}
        query = select(S.school_id, S.name).where(S.school_id.in_(school_ids), S.name.is_not(None))
        return {row.school_id: row.name for row in self.session.execute(query)}

    def partnership_name(self, partnership_id: UUID) -> str | None:
        """The name `partnership.registered` told, if it did."""
        query = select(orm.partnerships.c.name).where(
            orm.partnerships.c.partnership_id == partnership_id
        )
        return self.session.execute(query).scalar_one_or_none()

    def figures(
        self, partnership_id: UUID, school_ids: list[UUID], period: Period, as_of: date
    ) -> dict[UUID, Figures]:
        """The figures of each school over the period; `as_of` (today) tells a plan evaluation
        that is overdue from one still to come."""
        out: dict[Any, Figures] = {school_id: Figures() for school_id in school_ids}
        _aggregate(out, self.session, partnership_id, school_ids, period, as_of, _by_school)
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

        def key(c: Any) -> ColumnElement[Any]:
            return case((c.school_id == school_id, "own"), else_="rest")

        out = {"own": Figures(), "rest": Figures()}
        ids = sorted({*school_ids, school_id})
        _aggregate(out, self.session, partnership_id, ids, period, as_of, key)
        return out["own"], out["rest"]


def _aggregate(
    out: dict[Any, Figures],
    session: Session,
    pid: UUID,
    ids: list[UUID],
    period: Period,
    as_of: date,
    key: Key,
) -> None:
    if ids:
        q = _Query(out, session, pid, ids, period, key)
        _interventions(q)
        _plans(q)
        _consents(q)
        _evaluations(q, as_of)
        _referrals(q)
        _admission_statements(q)


@dataclass(frozen=True)
class _Query:
    """What the queries of every fact table share: the figures they fill in, the session, the
    partnership and its schools, the period and the scope of a row."""

    out: dict[Any, Figures]
    session: Session
    pid: UUID
    ids: list[UUID]
    period: Period
    key: Key

    def scope(self, c: Any) -> tuple[ColumnElement[bool], ...]:
        """A fact table's rows of the partnership's schools."""
        return (c.partnership_id == self.pid, c.school_id.in_(self.ids))

    def during(self, column: Any) -> ColumnElement[bool]:
        return column.between(self.period.start, self.period.end)

    def rows(self, query: Any) -> Iterable[Any]:
        return self.session.execute(query).mappings()

    def day_spans(
        self, c: Any, later: Any, earlier: Any, *where: ColumnElement[bool]
    ) -> Iterable[tuple[Any, list[int]]]:
        """Each scope's spans in whole days from `earlier` to `later` of the rows that match
        `where` and have an `earlier` date, counted per number of days by the database."""
        days = days_between(later, earlier).label("days")
        spans = select(self.key(c).label("scope"), days, func.count().label("n")).where(
            *self.scope(c), *where, earlier.is_not(None)
        )
        for row in self.rows(spans.group_by(SCOPE, DAYS)):
            yield row["scope"], [row["days"]] * row["n"]


def _interventions(q: _Query) -> None:
    started = q.during(I.started_on)
    evaluated = q.during(I.evaluated_on)
    basic = I.level == "basic"
    counts = select(
        q.key(I).label("scope"),
        _n(basic & started).label("started"),
        _n(basic & evaluated).label("evaluated"),
        *(_n(basic & evaluated & (I.outcome == o)).label(o) for o in OUTCOMES),
        _n(basic & evaluated & (I.evaluated_on <= I.evaluate_by)).label("evaluated_on_time"),
        _n(started & (I.outside_support_profile == true())).label("outside_support_profile"),
        _n(started & (I.level == "extra")).label("extra_started"),
    )
    for row in q.rows(counts.where(*q.scope(I), or_(started, evaluated)).group_by(SCOPE)):
        q.out[row["scope"]].interventions.update(_counts(row))
    by_domain = select(
        q.key(I).label("scope"),
        I.domain,
        _n(started).label("started"),
        _n(evaluated).label("evaluated"),
        *(_n(evaluated & (I.outcome == o)).label(o) for o in OUTCOMES),
    ).where(*q.scope(I), basic, I.domain.is_not(None), or_(started, evaluated))
    for row in q.rows(by_domain.group_by(SCOPE, I.domain)):
        q.out[row["scope"]].by_domain[row["domain"]] = Counter(_counts(row, "domain"))
    for scope, days in q.day_spans(I, I.evaluated_on, I.started_on, basic, evaluated):
        q.out[scope].intervention_days.extend(days)


def _plans(q: _Query) -> None:
    new = q.during(P.created_on)
    # Active at the end of the period: activated by then and not closed by then.
    end = q.period.end
    active = and_(P.activated_on <= end, or_(P.closed_on.is_(None), P.closed_on > end))
    closed = q.during(P.closed_on)
    counts = select(
        q.key(P).label("scope"),
        _n(new).label("new"),
        _n(active).label("active"),
        _n(closed).label("closed"),
    ).where(*q.scope(P), or_(new, active, closed))
    for row in q.rows(counts.group_by(SCOPE)):
        q.out[row["scope"]].plans.update(_counts(row))
    reasons = (
        select(q.key(P).label("scope"), P.close_reason, func.count().label("n"))
        .where(*q.scope(P), closed)
        .group_by(SCOPE, P.close_reason)
    )
    for row in q.rows(reasons):
        q.out[row["scope"]].closed_by_reason[row["close_reason"] or "unknown"] = row["n"]
    decisions = select(
        q.key(E).label("scope"), *(_n(E.decision == d).label(d) for d in DECISIONS)
    ).where(*q.scope(E), q.during(E.held_on))
    for row in q.rows(decisions.group_by(SCOPE)):
        q.out[row["scope"]].decisions.update(_counts(row))


def _consents(q: _Query) -> None:
    recorded = q.during(C.recorded_on)
    counts = select(
        q.key(C).label("scope"),
        _n(C.decision == "agreed").label("agreed"),
        _n(C.decision == "declined").label("declined"),
    ).where(*q.scope(C), recorded)
    for row in q.rows(counts.group_by(SCOPE)):
        q.out[row["scope"]].consent.update(_counts(row))
    for scope, days in q.day_spans(C, C.recorded_on, C.requested_on, recorded):
        q.out[scope].consent_days.extend(days)


def _evaluations(q: _Query, as_of: date) -> None:
    """Plan evaluations due in the period: held on or before the due date (on time), held later
    or not held although the date passed (overdue), or not yet due (open). Only a plan that took
    effect has evaluations due: one the parents declined or never answered (never activated by
    `as_of`) is left out, as the cases service reminds of no evaluation of a plan that is not
    active. One that was never held because its plan closed first was cancelled, and is left out
    too."""
    not_held = E.held_on.is_(None)
    took_effect = and_(P.activated_on.is_not(None), P.activated_on <= as_of)
    cancelled = and_(not_held, P.closed_on.is_not(None), P.closed_on <= E.due_on)
    counted = and_(took_effect, ~cancelled)
    on_time = and_(counted, E.held_on <= E.due_on)
    overdue = and_(counted, or_(E.held_on > E.due_on, and_(not_held, E.due_on < as_of)))
    still_open = and_(counted, not_held, E.due_on >= as_of)
    query = (
        select(
            q.key(E).label("scope"),
            _n(on_time).label("on_time"),
            _n(overdue).label("overdue"),
            _n(still_open).label("open"),
        )
        .select_from(orm.plan_evaluations.outerjoin(orm.development_plans, P.plan_id == E.plan_id))
        .where(*q.scope(E))
        .where(q.during(E.due_on))
        .group_by(SCOPE)
    )
    for row in q.rows(query):
        q.out[row["scope"]].evaluations.update(_counts(row))


def _referrals(q: _Query) -> None:
    query = (
        select(q.key(R).label("scope"), R.destination, func.count().label("n"))
        .where(*q.scope(R))
        .where(q.during(R.requested_on))
        .group_by(SCOPE, R.destination)
    )
    for row in q.rows(query):
        q.out[row["scope"]].referrals[row["destination"] or "unknown"] = row["n"]


def _admission_statements(q: _Query) -> None:
    """TLV applications submitted in the period, and the decisions made in it (on applications
    of any period): by decision, the grants by school type and those for so by category, those
    made after the deadline, and the days from application to decision."""
    submitted = q.during(R.submitted_on)
    decided = q.during(R.decided_on)
    granted = and_(decided, R.decision == "granted")
    so = and_(granted, R.school_type == "so")
    counts = select(
        q.key(R).label("scope"),
        _n(submitted).label("submitted"),
        _n(and_(submitted, R.parents_agreed == false())).label("submitted_without_agreement"),
        *(_n(and_(decided, R.decision == d)).label(d) for d in TLV_DECISIONS),
        *(_n(and_(granted, R.school_type == t)).label(t) for t in TLV_SCHOOL_TYPES),
        *(_n(and_(so, R.category == c)).label(c) for c in TLV_CATEGORIES),
        _n(and_(decided, R.decided_on > R.decide_by)).label("decided_late"),
    ).where(*q.scope(R), or_(submitted, decided))
    for row in q.rows(counts.group_by(SCOPE)):
        q.out[row["scope"]].tlv.update(_counts(row))
    settled = R.decision.in_(TLV_DECISIONS)
    for scope, days in q.day_spans(R, R.decided_on, R.submitted_on, decided, settled):
        q.out[scope].tlv_days.extend(days)


def _counts(row: Any, *skip: str) -> dict[str, int]:
    return {k: int(v or 0) for k, v in row.items() if k not in ("scope", *skip)}
