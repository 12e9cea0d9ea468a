"""Benchmark: the dispatcher's query reads only due rows, so its cost must not grow with the
number of reminders planned for later dates (issue 3). Prints the time of one dispatch query
with 1,000 and with 100,000 rows planned for later, and their ratio (about 1 is the goal).

    .venv/bin/python -m bench.dispatch     # SQLite, and PostgreSQL as bench/common.py finds it
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.common import database_url, drop_databases, kinds
from bench.table import Row, render, row
from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from shared.crypto import Cipher, new_key
from shared.db import make_engine, session_factory
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parent.parent / "services" / "notifications" / "migrations"
NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
DUE = 200  # rows due now, the same in every round


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


def _measure(url: str, later: int) -> float:
    engine = make_engine(url)
    upgrade(MIGRATIONS, engine)
    with engine.begin() as conn:
        conn.execute(insert(orm.planned_notifications), _rows(DUE, 0, NOW - timedelta(days=1)))
        for start in range(0, later, 10_000):
            rows = _rows(min(10_000, later - start), DUE + start, NOW + timedelta(days=30))
            conn.execute(insert(orm.planned_notifications), rows)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE planned_notifications")
    sessions = session_factory(engine)
    timings = []
    for _ in range(30):
        with sessions() as session:
            started = time.perf_counter()
            ids = Store(session, Cipher([new_key()])).due_ids(NOW, 500)
            timings.append(time.perf_counter() - started)
        assert len(ids) == DUE
    engine.dispose()
    return statistics.median(timings)


def rows(quick: bool) -> list[Row]:
    """The due query with `later` rows planned for later dates beside it with 1,000."""
    later = 20_000 if quick else 100_000
    found = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            for kind in kinds(quick):
                small = _measure(database_url(kind, folder, "small"), 1_000)
                large = _measure(database_url(kind, folder, "large"), later)
                metric = f"dispatch due query, {later:,} vs 1,000 planned later ({kind})"
                found.append(row(metric, "ms", large * 1000, small * 1000, 1.5, "lower"))
        finally:
            drop_databases()
    return found


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
