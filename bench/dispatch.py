"""Benchmark: the dispatcher reads only due and stale rows, so its cost must not grow with the
number of reminders planned for later dates (issues 3 and 15). Prints the time of one whole sweep
(`handlers.due_for_dispatch`: due query + stale query + marking them queued + the commit) with
10,000 and with 1,000,000 rows planned for later (200,000 in a quick run), and their ratio
(goal ≤ 1.5).

    .venv/bin/python -m bench.dispatch     # SQLite, and PostgreSQL as bench/common.py finds it
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, update

from bench.common import database_url, kinds, scratch
from bench.table import Row, render, row
from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from services.notifications.service_layer import handlers
from shared.crypto import Cipher, new_key
from shared.db import make_engine, session_factory
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parent.parent / "services" / "notifications" / "migrations"
NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
DUE = 200  # rows due now, the same in every round
STALE = 50  # rows queued long ago whose task was lost, the same in every round
STALE_AFTER = 300


def _rows(count: int, start: int, send_at: datetime) -> list[dict]:
    partnership = uuid.UUID(int=1)
    return [
        {
            "id": uuid.uuid4(),
            "dedupe_key": f"bench|{start + i}",
            "partnership_id": partnership,
            "school_id": None,
            "case_id": None,
            "plan_id": None,
            "subject_kind": "event",
            "subject_id": uuid.uuid4(),
            "event_id": uuid.uuid4(),
            "event_type": "case.opened",
            "policy_key": "bench",
            "recipient_kind": "user",
            "recipient_id": str(i),
            "recipient_role": "coordinator",
            "channel": "email",
            "address": "x@example.nl",
            "language": "nl",
            "template": "case.opened",
            "kind": "now",
            "due_on": None,
            "send_at": send_at + timedelta(minutes=i % 1000),
            "critical": False,
            "context": {},
            "status": "planned",
            "attempts": 0,
            "status_changed_at": NOW,
            "created_at": NOW,
        }
        for i in range(count)
    ]


def _fill(engine, later: int) -> None:
    with engine.begin() as conn:
        conn.execute(insert(orm.planned_notifications), _rows(DUE, 0, NOW - timedelta(days=1)))
        stale = _rows(STALE, DUE, NOW - timedelta(days=1))
        for item in stale:
            item.update(status="queued", status_changed_at=NOW - timedelta(hours=1))
        conn.execute(insert(orm.planned_notifications), stale)
        for start in range(0, later, 10_000):
            rows = _rows(min(10_000, later - start), DUE + STALE + start, NOW + timedelta(days=30))
            conn.execute(insert(orm.planned_notifications), rows)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE planned_notifications")


def _measure(url: str, later: int) -> float:
    """The median time of one whole sweep; the swept rows are put back between rounds."""
    engine = make_engine(url)
    upgrade(MIGRATIONS, engine)
    _fill(engine, later)
    sessions = session_factory(engine)
    cipher = Cipher([new_key()])

    @contextmanager
    def stores() -> Iterator[Store]:
        with sessions() as session:
            yield Store(session, cipher)

    table, timings = orm.planned_notifications, []
    for _ in range(30):
        started = time.perf_counter()
        ids = handlers.due_for_dispatch(stores, NOW, 500, STALE_AFTER)
        timings.append(time.perf_counter() - started)
        assert len(ids) == DUE + STALE
        with engine.begin() as conn:  # back as they were, outside the clock
            conn.execute(
                update(table)
                .where(table.c.dedupe_key.in_([f"bench|{i}" for i in range(DUE)]))
                .values(status="planned", status_changed_at=NOW)
            )
            conn.execute(
                update(table)
                .where(table.c.status == "queued")
                .values(status_changed_at=NOW - timedelta(hours=1))
            )
    engine.dispose()
    return statistics.median(timings)


def rows(quick: bool) -> list[Row]:
    """The sweep with `later` rows planned for later dates beside it with 10,000."""
    later = 200_000 if quick else 1_000_000
    found = []
    with scratch() as folder:
        for kind in kinds(quick):
            small = _measure(database_url(kind, folder, "small"), 10_000)
            large = _measure(database_url(kind, folder, "large"), later)
            metric = f"dispatch sweep, {later:,} vs 10,000 planned later ({kind})"
            found.append(row(metric, "ms", large * 1000, small * 1000, 1.5, "lower"))
    return found


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
