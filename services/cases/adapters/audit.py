"""The audit trail: who read or changed a pupil's data, when and from where (append-only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Engine, func, insert, select

from services.cases.adapters import orm

A = orm.audit_log.c


def record(engine: Engine, **row: Any) -> None:
    """Append one row in its own short transaction (after the request's own work)."""
    with engine.begin() as conn:
        conn.execute(insert(orm.audit_log).values(**row))


def query(
    engine: Engine,
    partnership_id: UUID,
    filters: dict[str, Any],
    page: int,
    page_size: int,
) -> tuple[list[dict[str, Any]], int]:
    """One partnership's rows, newest first, filtered by period, user, resource and action."""
    q = select(orm.audit_log).where(A.partnership_id == partnership_id)
    if filters.get("start") is not None:
        q = q.where(A.at >= filters["start"])
    if filters.get("end") is not None:
        q = q.where(A.at < filters["end"])
    for key in ("user_id", "resource_id", "action"):
        if filters.get(key) is not None:
            q = q.where(getattr(A, key) == filters[key])
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(
            q.order_by(A.seq.desc()).limit(page_size).offset((page - 1) * page_size)
        ).mappings()
        return [dict(r) for r in rows], total


def first_uuid(values: dict[str, Any]) -> UUID | None:
    """The id a request's path names (case, plan, pupil, ...), if any."""
    for value in values.values():
        if isinstance(value, UUID):
            return value
    return None
