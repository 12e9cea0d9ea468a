"""Upcoming evaluations per school, and the per-user calendar feed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.queries.base import local_days, scope
from services.cases.domain.school import School
from shared.auth import Principal, Role
from shared.clock import AMSTERDAM
from shared.errors import Forbidden, NotFound


def school_for_calendar(session: Session, principal: Principal, school_id: UUID) -> School:
    """The school whose upcoming evaluations the caller may list: its own staff, or the
    partnership's administrator or consultant. Another partnership's (or no) school is 404;
    a guardian, or staff of another school of the same partnership, is refused with 403."""
    school = session.get(School, school_id)
    if school is None or not principal.sees_partnership(school.partnership_id):
        raise NotFound("No such school.")
    if principal.role is Role.GUARDIAN:
        raise Forbidden("Parents see their own child's dates on the child's case.")
    if not principal.sees_school(school.partnership_id, school.id):
        raise Forbidden("Only staff of the school, or of the partnership, see its evaluations.")
    return school


def calendar_scope(query: Select, principal: Principal) -> Select:
    """`scope` on cases (a teacher: only the pupils they are assigned to)."""
    return scope(query, principal, orm.cases)


def pupil_display(given_name: str, family_name: str) -> str:
    """A pupil as a coordinator's list names them: first name and initial ('Sanne J.')."""
    initial = family_name.strip()[:1]
    return f"{given_name} {initial}." if initial else given_name


def upcoming_evaluations(
    session: Session,
    principal: Principal,
    start: date,
    end: date,
    today: date,
    school_id: UUID | None = None,
) -> list[dict[str, Any]]:
    """Evaluation dates of active interventions and plans, and planned evaluation meetings, on
    the days from `start` to `end` (Europe/Amsterdam, both inclusive), by date and time.

    A plan evaluation with a planned meeting is one item, of kind `meeting`, on the meeting's day;
    a cancelled meeting falls back to the evaluation's due date. Overdue: the due date has passed
    without an evaluation being recorded."""
    interventions, evaluations = _interventions_due(start, end), _evaluations_due(start, end)
    if school_id is not None:
        interventions = interventions.where(orm.cases.c.school_id == school_id)
        evaluations = evaluations.where(orm.cases.c.school_id == school_id)
    items = [
        _upcoming("intervention", row, row.due_on, today, intervention_id=row.id)
        for row in session.execute(calendar_scope(interventions, principal))
    ]
    items += [
        _evaluation_item(row, today)
        for row in session.execute(calendar_scope(evaluations, principal))
    ]
    items.sort(key=_order)
    return items


def _case_columns() -> tuple[Any, ...]:
    """What every item says of its case and pupil."""
    c, u = orm.cases.c, orm.pupils.c
    return (c.id.label("case_id"), c.school_id, c.pupil_id, u.given_name, u.family_name)


def _interventions_due(start: date, end: date) -> Select:
    """Active interventions of open cases to be evaluated on the days from `start` to `end`."""
    c, i, u = orm.cases.c, orm.interventions.c, orm.pupils.c
    return (
        select(i.id, i.plan_id, i.evaluate_by.label("due_on"), *_case_columns())
        .join_from(orm.interventions, orm.cases, i.case_id == c.id)
        .join(orm.pupils, c.pupil_id == u.id)
        .where(c.status != "closed", i.status == "active", i.evaluate_by.between(start, end))
    )


def _evaluations_due(start: date, end: date) -> Select:
    """Scheduled evaluations of active plans of open cases: due on the days from `start` to
    `end`, or, with a meeting planned (not cancelled), meeting on one of those days."""
    c, p, e, u = orm.cases.c, orm.development_plans.c, orm.plan_evaluations.c, orm.pupils.c
    first_at, after_at = local_days(start, end)
    has_meeting = e.meeting_starts_at.is_not(None) & ~e.meeting_cancelled
    return (
        select(e.id, e.plan_id, e.due_on, e.meeting_starts_at, e.meeting_minutes)
        .add_columns(e.meeting_sequence, e.meeting_cancelled, *_case_columns())
        .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
        .join(orm.cases, p.case_id == c.id)
        .join(orm.pupils, c.pupil_id == u.id)
        .where(
            c.status != "closed",
            p.status == "active",
            e.status == "scheduled",
            or_(
                ~has_meeting & e.due_on.between(start, end),
                has_meeting & (e.meeting_starts_at >= first_at) & (e.meeting_starts_at < after_at),
            ),
        )
    )


def _evaluation_item(row: Any, today: date) -> dict[str, Any]:
    """A plan evaluation as one item: its meeting (on the meeting's day in Amsterdam) when one
    is planned, with a length and not cancelled; else its due date."""
    if row.meeting_starts_at is None or not row.meeting_minutes or row.meeting_cancelled:
        return _upcoming("plan_evaluation", row, row.due_on, today, evaluation_id=row.id)
    starts = row.meeting_starts_at  # UTC, as instants are shown
    return _upcoming(
        "meeting",
        row,
        starts.astimezone(AMSTERDAM).date(),
        today,
        evaluation_id=row.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=row.meeting_minutes),
        sequence=row.meeting_sequence,
    )


def _upcoming(kind: str, row: Any, day: date, today: date, **extra: Any) -> dict[str, Any]:
    """One item of the list, its fields as the API names them."""
    item: dict[str, Any] = {
        "kind": kind,
        "id": row.id,
        "date": day,
        "due_on": row.due_on,
        "starts_at": None,
        "ends_at": None,
        "sequence": 0,
        "case_id": row.case_id,
        "plan_id": row.plan_id,
        "intervention_id": None,
        "evaluation_id": None,
        "school_id": row.school_id,
        "pupil_id": row.pupil_id,
        "pupil": pupil_display(row.given_name, row.family_name),
        "overdue": row.due_on < today,
    }
    item.update(extra)
    return item


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    """By day; a day's all-day items first, then its meetings by time."""
    return (item["date"], item["starts_at"] is not None, item["starts_at"] or 0, str(item["id"]))
