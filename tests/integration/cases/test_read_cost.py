"""What one read of a case costs the database (issue 15), counted, never timed: the user check
and the case share one read session, the case with its interventions and referrals is one
SELECT, and the audit row is one autocommitted INSERT (no BEGIN/COMMIT on the main engine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event

from tests.support.api_flows import open_case, start_intervention


@contextmanager
def statements(**engines: Engine) -> Iterator[list[tuple[str, str]]]:
    """(engine name, first word of the SQL) of every statement and commit meanwhile."""
    seen: list[tuple[str, str]] = []
    hooks = []
    for name, engine in engines.items():

        def on_sql(_conn, _cursor, sql, *_args, name=name) -> None:
            seen.append((name, sql.split()[0].upper()))

        def on_commit(_conn, name=name) -> None:
            seen.append((name, "COMMIT"))

        event.listen(engine, "before_cursor_execute", on_sql)
        event.listen(engine, "commit", on_commit)
        hooks += [(engine, "before_cursor_execute", on_sql), (engine, "commit", on_commit)]
    try:
        yield seen
    finally:
        for hook in hooks:
            event.remove(*hook)


def test_a_get_of_one_case_is_two_selects_and_one_audit_insert(world, container) -> None:
    case = open_case(world)
    start_intervention(world, case["id"])
    engines = {
        "main": container.engine,
        "read": container.read_sessions.kw["bind"],
        "audit": container.audit_engine,
    }
    with statements(**engines) as seen:
        answer = world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}")
    assert answer.status_code == 200 and len(answer.json["interventions"]) == 1
    work = [s for s in seen if s[1] not in ("BEGIN",)]  # SQLite's explicit BEGIN of a read
    # The read ends with COMMIT (same round trip as ROLLBACK; keeps prepared statements).
    assert work == [("read", "SELECT"), ("read", "SELECT"), ("read", "COMMIT"), ("audit", "INSERT")]
    assert (
        world.call("admin_a", "GET", f"/api/v1/audit?resource_id={case['id']}&action=read").json[
            "total"
        ]
        == 1
    )


def test_reads_reuse_prepared_statements_on_postgresql(world, container, db_kind) -> None:
    """A read's transaction ends with COMMIT, not ROLLBACK, which made psycopg forget every
    prepared statement: a GET's queries were parsed and planned anew each time (issue 15)."""
    if db_kind != "postgres":
        pytest.skip("prepared statements of the PostgreSQL driver")
    case = open_case(world)
    for _ in range(8):  # psycopg prepares a query from its sixth execution on a connection
        assert world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}").status_code == 200
    read = container.read_sessions.kw["bind"]
    with read.connect() as conn:  # the pool's one connection, the reads' own
        prepared = conn.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars()
        statements_ = [s.lower() for s in prepared]
    assert any("from cases" in s for s in statements_), statements_
    assert any("from users" in s for s in statements_), statements_
