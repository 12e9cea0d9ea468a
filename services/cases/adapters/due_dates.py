"""The dates a partnership's open subjects are due on, one SELECT per kind of subject.

Beat's reminders (`SqlAlchemyNotices.due_items`) and the notifications service's policy
simulation (`queries.scheduled_dates`) both read their dates here, so the two cannot drift
apart. Every SELECT has the same columns, so any of them unite into one query: `kind`, `id`
(the subject), `due_on`, `school_id`, `case_id` (NULL for a support profile) and `plan_id`
(only for a plan's evaluation or meeting).

The two readers differ on purpose in two places, which the callers choose:
- a plan evaluation is reminded about once its plan took effect (`plans="active"`), while the
  simulation lists the dates of every plan not closed (`plans="open"`);
- an admission statement's end is reminded about also when its case has been closed since
  (`statements_of_closed_cases=True`); the simulation lists those of open cases only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Select, String, Uuid, cast, exists, func, literal, null, select

from services.cases.adapters import orm
from shared.db import utc_date

# The condition a due date must meet, e.g. `lambda day: day <= until`.
Window = Callable[[Any], Any]


def _kind(name: str) -> Any:
    return cast(literal(name), String(20)).label("kind")


def _none(name: str) -> Any:
    return cast(null(), Uuid).label(name)


@dataclass(frozen=True)
class DueDates:
    """The SELECTs of one partnership's due dates that fall in `window`."""

    partnership_id: UUID
    window: Window

    def _open_case(self) -> Any:
        c = orm.cases.c
        return (c.partnership_id == self.partnership_id) & (c.status != "closed")

    def interventions(self) -> Select:
        """The evaluation date of each active intervention of an open case."""
        i, c = orm.interventions.c, orm.cases.c
        return (
            select(_kind("intervention"), i.id, i.evaluate_by.label("due_on"))
            .add_columns(c.school_id, c.id.label("case_id"), _none("plan_id"))
            .join_from(orm.interventions, orm.cases, i.case_id == c.id)
            .where(self._open_case(), i.status == "active", self.window(i.evaluate_by))
        )

    def plan_evaluations(self, plans: Literal["active", "open"]) -> Select:
        """Each scheduled evaluation of an active (or any not closed) plan of an open case."""
        e, p, c = orm.plan_evaluations.c, orm.development_plans.c, orm.cases.c
        plan = p.status == "active" if plans == "active" else p.status != "closed"
        return (
            select(_kind("plan_evaluation"), e.id, e.due_on)
            .add_columns(c.school_id, c.id.label("case_id"), e.plan_id)
            .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
            .join(orm.cases, p.case_id == c.id)
            .where(self._open_case(), e.status == "scheduled", plan, self.window(e.due_on))
        )

    def meetings(self, first_at: datetime, after_at: datetime) -> Select:
        """Each meeting planned (not cancelled) for a scheduled evaluation of a plan not closed,
        starting in [first_at, after_at). A meeting is an instant: its `due_on` is its UTC day,
        which sorts it among the dates (the same day but for meetings between midnight and 2
        a.m. in Amsterdam); `window` does not apply."""
        e, p, c = orm.plan_evaluations.c, orm.development_plans.c, orm.cases.c
        return (
            select(_kind("meeting"), e.id, utc_date(e.meeting_starts_at).label("due_on"))
            .add_columns(c.school_id, c.id.label("case_id"), e.plan_id)
            .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
            .join(orm.cases, p.case_id == c.id)
            .where(self._open_case(), e.status == "scheduled", p.status != "closed")
            .where(e.meeting_starts_at.is_not(None), ~e.meeting_cancelled)
            .where(e.meeting_starts_at >= first_at, e.meeting_starts_at < after_at)
        )

    def admission_statements(self, *, statements_of_closed_cases: bool) -> Select:
        """The end of each recorded admission statement (TLV)."""
        r, c = orm.referrals.c, orm.cases.c
        case = (
            c.partnership_id == self.partnership_id
            if statements_of_closed_cases
            else self._open_case()
        )
        return (
            select(_kind("admission_statement"), r.id, r.admission_statement_until.label("due_on"))
            .add_columns(c.school_id, c.id.label("case_id"), _none("plan_id"))
            .join_from(orm.referrals, orm.cases, r.case_id == c.id)
            .where(case, self.window(r.admission_statement_until))
        )

    def plan_deadlines(self) -> Select:
        """The date by which an open case (status `open`) needs a plan that took effect (rule 5),
        while none has."""
        p, c = orm.development_plans.c, orm.cases.c
        took_effect = exists().where(p.case_id == c.id, p.activated_on.is_not(None))
        return (
            select(_kind("plan_deadline"), c.id, c.plan_due_by.label("due_on"))
            .add_columns(c.school_id, c.id.label("case_id"), _none("plan_id"))
            .where(self._open_case(), c.status == "open", ~took_effect)
            .where(self.window(c.plan_due_by))
        )

    def support_profiles(self) -> Select:
        """The review date of each school's current (latest) support profile."""
        sp = orm.support_profiles.c
        latest = (
            select(sp.school_id, func.max(sp.version).label("version"))
            .where(sp.partnership_id == self.partnership_id)
            .group_by(sp.school_id)
            .subquery()
        )
        return (
            select(_kind("support_profile"), sp.id, sp.review_by.label("due_on"))
            .add_columns(sp.school_id, _none("case_id"), _none("plan_id"))
            .join(latest, (latest.c.school_id == sp.school_id) & (latest.c.version == sp.version))
            .where(sp.partnership_id == self.partnership_id, self.window(sp.review_by))
        )


def until(day: date) -> Window:
    """Due on or before `day` (overdue ones included)."""
    return lambda column: column <= day


def between(start: date, end: date) -> Window:
    """Due from `start` to `end`, both inclusive."""
    return lambda column: column.between(start, end)
