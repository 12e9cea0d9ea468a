"""The dispatcher's sweep on SQLite reads its partial indexes (issue 15): the stale in-flight
rows through ix_planned_notifications_inflight and the due rows through
ix_planned_notifications_due, never a scan of the whole table and a sort. Checked with EXPLAIN
QUERY PLAN of the very statements the store executes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from services.notifications.adapters.store import Store
from shared.crypto import Cipher, new_key
from shared.db import make_engine
from tests.conftest import ROOT
from tests.support.databases import DatabaseFactory

NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    factory = DatabaseFactory(ROOT / "services" / "notifications" / "migrations", tmp_path)
    yield factory.make("sqlite")
    factory.drop_all()


@pytest.mark.parametrize(
    ("method", "index"),
    [
        ("stale_ids", "ix_planned_notifications_inflight"),
        ("due_ids", "ix_planned_notifications_due"),
    ],
)
def test_the_sweep_reads_its_partial_index(sqlite_url: str, method: str, index: str) -> None:
    engine = make_engine(sqlite_url)
    seen: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, sql, params, *_args) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with Session(engine) as session:
            assert getattr(Store(session, Cipher([new_key()])), method)(NOW, 100) == []
            event.remove(engine, "before_cursor_execute", capture)
            ((sql, params),) = seen
            plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            steps = [row[3] for row in plan]
    finally:
        engine.dispose()
    assert any(index in step for step in steps), steps
    assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in steps), steps
