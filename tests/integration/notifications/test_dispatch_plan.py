"""The dispatcher's two queries read their partial indexes on SQLite, never the whole table
(issue 15): `status IN (?, ?)` with bound parameters kept the stale-rows query off its index (a
full scan and a sort of every planned row). Each query is captured as the Store sends it, with its
parameters, and SQLite's EXPLAIN QUERY PLAN of exactly that must search the partial index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from services.notifications.adapters.store import Store
from shared.crypto import Cipher, new_key
from shared.db import make_engine, session_factory

NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
def engine(notifications_databases) -> Iterator[Engine]:
    engine = make_engine(notifications_databases.make("sqlite"))
    yield engine
    engine.dispose()


def _plans(engine: Engine, call: Any) -> list[str]:
    """The query plan of every SELECT `call(store)` sends, with the parameters it sent."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with session_factory(engine)() as session:
            call(Store(session, Cipher([new_key()])))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert sent, "the store sent no query"
    plans = []
    with engine.connect() as conn:
        for statement, parameters in sent:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append(" | ".join(str(row[-1]) for row in rows))
    return plans


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (lambda store: store.due_ids(NOW, 500), "ix_planned_notifications_due"),
        (
            lambda store: store.stale_ids(NOW - timedelta(minutes=5), 500),
            "ix_planned_notifications_inflight",
        ),
    ],
    ids=["due", "stale"],
)
def test_the_dispatch_queries_search_their_partial_index(engine, query, index):
    (plan,) = _plans(engine, query)
    assert f"USING INDEX {index}" in plan, plan
    assert "SCAN planned_notifications" not in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # the index gives the order, no sort of every row
