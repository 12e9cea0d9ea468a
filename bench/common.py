"""What the benchmarks share: the databases they run on (SQLite in a temporary folder; PostgreSQL
too when BENCH_POSTGRES_URL or TEST_POSTGRES_URL, or else the tests' default, answers), and an
envelope."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from shared.events import Envelope, Subject

CREATED: list[str] = []
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"  # as the tests' (tests/support)


def postgres_admin_url() -> str | None:
    """The PostgreSQL to create benchmark databases in, if one is named and answers."""
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        _admin(url, "SELECT 1")
    except Exception:  # noqa: BLE001  (named but not answering: SQLite only)
        return None
    return url


def kinds(quick: bool = False) -> list[str]:
    """The databases to measure on (a quick run: SQLite only)."""
    return ["sqlite"] + (["postgres"] if not quick and postgres_admin_url() else [])


def _admin(url: str, sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(url)
    with psycopg.connect(
        host=admin.host,
        port=admin.port or 5432,
        user=admin.username or "postgres",
        dbname=admin.database,
        autocommit=True,
        connect_timeout=3,
    ) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def database_url(kind: str, folder: str, name: str) -> str:
    """A fresh, empty database of `kind` (dropped by `drop_databases` for PostgreSQL)."""
    if kind == "sqlite":
        return f"sqlite:///{folder}/{name}-{uuid.uuid4().hex[:8]}.db"
    from sqlalchemy.engine import make_url

    admin = postgres_admin_url()
    assert admin is not None
    db = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    _admin(admin, f'CREATE DATABASE "{db}"')
    CREATED.append(db)
    return make_url(admin).set(database=db).render_as_string(hide_password=False)


def drop_databases() -> None:
    admin = postgres_admin_url()
    while CREATED and admin:
        _admin(admin, f'DROP DATABASE IF EXISTS "{CREATED.pop()}" WITH (FORCE)')


@contextmanager
def scratch(prefix: str | None = None) -> Iterator[str]:
    """A temporary folder for the SQLite databases of `database_url`; the PostgreSQL databases
    it made are dropped when the block ends, however it ends."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        try:
            yield folder
        finally:
            drop_databases()


def envelope(partnership_id: uuid.UUID, school_id: uuid.UUID) -> Envelope:
    """A real event of about the usual size; no default policy reacts to it (no audience call)."""
    case_id, plan_id = uuid.uuid4(), uuid.uuid4()
    return Envelope(
        id=uuid.uuid4(),
        type="development_plan.consent_recorded",
        version=1,
        occurred_at=datetime(2026, 10, 15, 8, 0, tzinfo=UTC),
        partnership_id=partnership_id,
        school_id=school_id,
        subject=Subject("development_plan", plan_id),
        data={
            "case_id": case_id,
            "plan_id": plan_id,
            "action_plan_version": 2,
            "decision": "agreed",
            "recorded_on": date(2026, 9, 10),
            "requested_on": None,
        },
    )
