"""What every read model shares: a page of results, the caller's scope, chunked IN lists and
the days of a period as instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from shared.auth import PARTNERSHIP_ROLES, Principal, Role
from shared.clock import AMSTERDAM


@dataclass(frozen=True)
class Page:
    """One page of a list, and how many items the whole list has."""

    items: list[Any]
    page: int
    page_size: int
    total: int


def scope(query: Select, principal: Principal, table: Any) -> Select:
    """Limit a query on a table with partnership_id/school_id/pupil_id (or the pupils table) to
    the caller's scope: a guardian's children, a teacher's assigned pupils of their school."""
    if principal.role is Role.SERVICE:
        return query
    query = query.where(table.c.partnership_id == principal.partnership_id)
    if principal.role in PARTNERSHIP_ROLES:
        return query
    pupil_col = table.c.id if table is orm.pupils else table.c.pupil_id
    if principal.role is Role.GUARDIAN:
        return query.where(pupil_col.in_(principal.pupil_ids))
    query = query.where(table.c.school_id.in_(principal.school_ids))
    if principal.role is Role.TEACHER:  # only the pupils they are assigned to
        query = query.where(pupil_col.in_(principal.pupil_ids))
    return query


def paginate(session: Session, query: Select, page: int, page_size: int) -> Page:
    """Run one page of a query and count the whole."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = list(session.execute(query.limit(page_size).offset((page - 1) * page_size)).scalars())
    return Page(items, page, page_size, total)


def chunks(values: list[Any], size: int) -> list[list[Any]]:
    """`values` in lists of at most `size`, for IN (...) lists of bounded length."""
    return [values[n : n + size] for n in range(0, len(values), size)]


def local_days(start: date, end: date) -> tuple[datetime, datetime]:
    """The days from `start` to `end` in Amsterdam as instants: the first one's midnight and the
    midnight after the last (exclusive)."""
    return (
        datetime.combine(start, time(0), AMSTERDAM),
        datetime.combine(end + timedelta(days=1), time(0), AMSTERDAM),
    )
