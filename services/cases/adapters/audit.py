"""The audit trail: who read or changed a pupil's data, when and from where (append-only).

Rows are appended through their own engine (`audit_engine`), one autocommitted INSERT each: one
round trip, no BEGIN/COMMIT pair. With `commit="async"` (CASES_AUDIT_COMMIT, the default) that
commit does not wait for the disk: SQLite's `synchronous=NORMAL` in WAL mode and PostgreSQL's
`synchronous_commit=off`. The row is committed in the database before the response leaves, so a
crash of the service process (kill -9 of a gunicorn worker) loses nothing; only a crash of the
machine itself (power, kernel) may lose the last fraction of a second of rows (PostgreSQL: at most
3 × wal_writer_delay, 600 ms by default). `commit="sync"` waits for the fsync on every row, as
before (see docs/OPERATIONS.md, "The audit trail's commit").
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import make_url

from services.cases.adapters import orm
from shared.db import drop_closed_on_checkout

A = orm.audit_log.c
COMMITS = ("async", "sync")
APPEND = insert(orm.audit_log)  # built once: the columns come with each row's values


def audit_engine(url: str, commit: str = "async") -> Engine:
    """An autocommit engine for appending audit rows; `commit` says whether it waits for disk."""
    if commit not in COMMITS:
        raise ValueError(f"audit commit must be one of {COMMITS}, not {commit!r}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, isolation_level="AUTOCOMMIT")
        synchronous = "NORMAL" if commit == "async" else "FULL"

        def pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # each statement commits by itself
            cur = dbapi_conn.cursor()
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", f"synchronous={synchronous}"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        event.listen(engine, "connect", pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    options = "-c synchronous_commit=" + ("off" if commit == "async" else "on")
    return drop_closed_on_checkout(
        create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"options": options})
    )


def record(engine: Engine, **row: Any) -> None:
    """Append one row, committed on its own (the audit engine autocommits), after the request's
    own work and before its response is sent."""
    with engine.connect() as conn:
        conn.execute(APPEND, row)


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
