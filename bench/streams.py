"""Benchmarks of the event path (issue 15), each beside bare redis-py in the same run:

- the relay, outbox -> stream (`relay_once` in batches of the relay's default size until the
  outbox is empty), against pipelined XADD of the same envelopes in batches of that size;
- the notifications consumer (`python -m services.notifications consume`'s StreamConsumer and
  handler) over events no policy reacts to, against batched XREADGROUP + XACK of the same entries.

    .venv/bin/python -m bench.streams            # SQLite (and PostgreSQL, see bench/common.py)
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import redis
from sqlalchemy import insert

from bench.common import database_url, envelope, kinds, scratch
from bench.table import Row, interleaved, rate, render, row
from services.cases.adapters import orm as cases_orm
from services.cases.adapters.relay import relay_once
from services.cases.config import CasesSettings
from services.notifications.__main__ import consumer as notifications_consumer
from services.notifications.bootstrap import bootstrap
from services.notifications.config import NotificationsSettings
from shared.clock import SystemClock
from shared.crypto import new_key
from shared.db import make_engine, session_factory
from shared.migrations import upgrade
from shared.streams import ENVELOPE_FIELD, StreamConsumer, StreamPublisher

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"
BATCH = CasesSettings.relay_batch_size  # the relay's default batch, and the bare pipeline's
PARTNERSHIP, SCHOOL = uuid.UUID(int=151), uuid.UUID(int=152)


def _envelopes(count: int) -> list[tuple[str, str]]:
    events = [envelope(PARTNERSHIP, SCHOOL) for _ in range(count)]
    return [(str(e.id), e.to_json()) for e in events]


def _forget(client: redis.Redis, prefix: str) -> None:
    """Delete the benchmark's own keys (never anything else on the shared Redis)."""
    keys = list(client.scan_iter(match=f"*{prefix}*", count=5000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


# -- the relay ------------------------------------------------------------------------------------


def relay_row(kind: str, folder: str, events: int, rounds: int, batch: int = BATCH) -> Row:
    engine = make_engine(database_url(kind, folder, "relay"))
    upgrade(ROOT / "services" / "cases" / "migrations", engine)
    sessions = session_factory(engine)
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    prefix = f"bench-relay-{uuid.uuid4().hex}"
    clock = SystemClock()

    def project() -> float:
        stream = f"{prefix}-{uuid.uuid4().hex[:6]}"
        now = datetime.now(UTC)
        with engine.begin() as conn:
            conn.execute(
                insert(cases_orm.outbox),
                [
                    {
                        "id": uuid.UUID(event_id),
                        "type": "development_plan.consent_recorded",
                        "version": 1,
                        "occurred_at": now,
                        "partnership_id": PARTNERSHIP,
                        "school_id": SCHOOL,
                        "subject_kind": "development_plan",
                        "subject_id": uuid.uuid4(),
                        "envelope": body,
                    }
                    for event_id, body in _envelopes(events)
                ],
            )
        publisher = StreamPublisher(client, stream)

        def drain() -> None:
            while relay_once(sessions, publisher, clock, batch):
                pass

        return rate(events, drain)

    def bare() -> float:
        stream = f"{prefix}-bare-{uuid.uuid4().hex[:6]}"
        bodies = [body for _, body in _envelopes(events)]

        def xadd() -> None:
            for start in range(0, events, batch):
                pipe = client.pipeline(transaction=False)
                for body in bodies[start : start + batch]:
                    pipe.xadd(stream, {ENVELOPE_FIELD: body})
                pipe.execute()

        return rate(events, xadd)

    try:
        ours, base = interleaved(project, bare, rounds)
    finally:
        _forget(client, prefix)
        client.close()
        engine.dispose()
    return row(f"relay outbox→stream ({kind})", "events/s", ours, base, 0.3, "higher")


# -- the notifications consumer ------------------------------------------------------------------


def consumer_vs_bare(
    prefix: str, events: int, rounds: int, make_runner: Callable[[], StreamConsumer]
) -> tuple[float, float]:
    """A service's stream consumer (from `make_runner`) over `events` entries, against batched
    XREADGROUP + XACK of the same entries, interleaved over `rounds`: both in events/s. Each
    round fills streams of its own under `prefix`; the keys are deleted after."""
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)

    def fill() -> str:
        stream = f"{prefix}-{uuid.uuid4().hex[:6]}"
        items = _envelopes(events)
        for start in range(0, events, 1000):
            pipe = client.pipeline(transaction=False)
            for _, body in items[start : start + 1000]:
                pipe.xadd(stream, {ENVELOPE_FIELD: body})
            pipe.execute()
        return stream

    def project() -> float:
        stream = fill()
        runner = make_runner()
        runner.stream, runner.dead_letter = stream, f"{stream}:dead"
        runner.ensure_group()

        def drain() -> None:
            handled = 0
            while handled < events:
                handled += runner.run_once()

        return rate(events, drain)

    def bare() -> float:
        stream = fill()
        client.xgroup_create(stream, "bare", id="0")

        def read_and_ack() -> None:
            seen = 0
            while seen < events:
                reply = client.xreadgroup("bare", "c", {stream: ">"}, count=500)
                ids = [entry_id for _, entries in reply for entry_id, _ in entries]
                client.xack(stream, "bare", *ids)
                seen += len(ids)

        return rate(events, read_and_ack)

    try:
        return interleaved(project, bare, rounds)
    finally:
        _forget(client, prefix)
        client.close()


def consumer_row(kind: str, folder: str, events: int, rounds: int) -> Row:
    prefix = f"bench-consume-{uuid.uuid4().hex}"
    settings = NotificationsSettings(
        database_url=database_url(kind, folder, "consume"),
        redis_url=REDIS_URL,
        jwt_secret="bench-secret-bench-secret-bench-secret",
        event_stream=prefix,
        cases_url="http://127.0.0.1:9",  # never asked: no policy reacts to these events
        encryption_key=new_key(),
        mail_url="mailto://127.0.0.1:9",
    )
    c = bootstrap(settings)
    upgrade(ROOT / "services" / "notifications" / "migrations", c.engine)
    try:
        ours, base = consumer_vs_bare(
            prefix, events, rounds, lambda: notifications_consumer(c, block_ms=10)
        )
    finally:
        c.engine.dispose()
    metric = f"notifications consumer ({kind})"
    return row(metric, "events/s", ours, base, 0.1, "higher")


def rows(quick: bool) -> list[Row]:
    relay_events, consume_events = (2000, 500) if quick else (10_000, 1000)
    rounds = 1 if quick else 3
    found = []
    with scratch("bench-streams-") as folder:
        for kind in kinds(quick):
            found.append(relay_row(kind, folder, relay_events, rounds))
            found.append(consumer_row(kind, folder, consume_events, rounds))
    return found


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
