"""The DUO (ROD) export of development plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.domain.school import School
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound

PUPIL_NUMBER_MISSING = "leerlingnummer ontbreekt"
PUPIL_ANONYMISED = "leerling geanonimiseerd (bewaartermijn verstreken)"


@dataclass(frozen=True)
class RodRow:
    """One development plan as a school registers it with DUO (ROD): its start and end dates by
    the school's own pupil number. No names, birth dates or free text."""

    pupil_number: str | None
    plan_id: UUID
    start_date: date
    end_date: date | None
    start_in_period: bool
    end_in_period: bool
    problems: list[str]


def rod_school(session: Session, principal: Principal, school_id: UUID) -> School:
    """The school whose export the caller may read: its coordinator or director, or an
    administrator of its partnership. Another partnership's (or no) school is 404, like every
    school path; anyone else of the same partnership is refused with 403."""
    school = session.get(School, school_id)
    if school is None or principal.partnership_id != school.partnership_id:
        raise NotFound("No such school.")
    school_staff = principal.role in (Role.COORDINATOR, Role.DIRECTOR) and principal.sees_school(
        school.partnership_id, school.id
    )
    if not (principal.administers(school.partnership_id) or school_staff):
        raise Forbidden(
            "Only the school's coordinator or director, or the partnership's administrator, "
            "exports development plans for DUO."
        )
    return school


def rod_export(session: Session, school_id: UUID, start: date, end: date) -> list[RodRow]:
    """Development plans of a school whose start or end falls in [start, end] (both inclusive).

    A plan starts when it took effect: the day the parents' consent activated it (`activated_on`,
    rule 4; later fresh consents keep the first date). It ends on the day it was closed
    (`closed_on`: back to basic support, a referral, or its case closed); a running plan has no
    end yet. A plan that never took effect (a draft, declined, or closed before consent) was
    never in force, so there is nothing to register: it is left out. A plan running through the
    whole period is left out too: nothing about it changes in the period.

    The number is the pupil's number in the school's own administration, the key DUO knows the
    pupil by. Without one the row is still listed, with a problem, so the school can add the
    number before registering. A pupil anonymised after the retention period (rule 9) has lost
    the number; such a plan is listed (only when its dates fall in the period, which for an
    anonymised pupil means a look back years ago) with both problems, for completeness: it is
    out of scope of registration by then.
    """
    p, c, u = orm.development_plans.c, orm.cases.c, orm.pupils.c
    starts_in = and_(p.activated_on >= start, p.activated_on <= end)
    ends_in = and_(p.closed_on.is_not(None), p.closed_on >= start, p.closed_on <= end)
    query = (
        select(u.pupil_number, u.anonymised_on, p.id, p.activated_on, p.closed_on)
        .join_from(orm.development_plans, orm.cases, p.case_id == c.id)
        .join(orm.pupils, c.pupil_id == u.id)
        .where(c.school_id == school_id, p.activated_on.is_not(None), or_(starts_in, ends_in))
        .order_by(p.activated_on, p.id)
    )
    rows = []
    for number, anonymised_on, plan_id, started, ended in session.execute(query):
        problems = [] if number else [PUPIL_NUMBER_MISSING]
        if anonymised_on is not None:
            problems.append(PUPIL_ANONYMISED)
        rows.append(
            RodRow(
                pupil_number=number or None,
                plan_id=plan_id,
                start_date=started,
                end_date=ended,
                start_in_period=start <= started <= end,
                end_in_period=ended is not None and start <= ended <= end,
                problems=problems,
            )
        )
    return rows
