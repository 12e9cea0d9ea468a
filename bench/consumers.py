"""Benchmarks of the reports side of the event path (issue 15):

- the reports consumer (`python -m services.reports consume`'s StreamConsumer and batch handler)
  against batched XREADGROUP + XACK of the same entries, in the same run;
- rebuild by replay (`services.reports.service_layer.rebuild`, one transaction per page) over
  the same envelopes served from memory in pages of `rebuild_page_size`: the projection's rate,
  against the issue's target of 10,000 events/s (the HTTP read of the cases event log is not in
  this figure).

    .venv/bin/python -m bench --only consumers
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from bench.common import database_url, envelope, kinds, scratch
from bench.streams import REDIS_URL, ROOT, consumer_vs_bare
from bench.table import Row, interleaved, rate, row
from services.reports.__main__ import consumer as reports_consumer
from services.reports.bootstrap import bootstrap
from services.reports.config import ReportsSettings
from services.reports.service_layer.rebuild import rebuild
from shared.events import Envelope
from shared.migrations import upgrade

REBUILD_TARGET = 10_000.0  # events/s, the goal for a rebuild by replay
PARTNERSHIP, SCHOOLS = uuid.UUID(int=161), [uuid.UUID(int=162 + i) for i in range(20)]


def _settings(kind: str, folder: str, prefix: str) -> ReportsSettings:
    return ReportsSettings(
        database_url=database_url(kind, folder, "reports"),
        redis_url=REDIS_URL,
        jwt_secret="bench-secret-bench-secret-bench-secret",
        event_stream=prefix,
    )


def consumer_row(kind: str, folder: str, events: int, rounds: int) -> Row:
    prefix = f"bench-reports-{uuid.uuid4().hex}"
    c = bootstrap(_settings(kind, folder, prefix))
    upgrade(ROOT / "services" / "reports" / "migrations", c.engine)
    try:
        ours, base = consumer_vs_bare(
            prefix, events, rounds, lambda: reports_consumer(c, block_ms=10, recover=None)
        )
    finally:
        c.engine.dispose()
    return row(f"reports consumer ({kind})", "events/s", ours, base, 0.2, "higher")


class MemoryLog:
    """The cases event log's pages, served from memory."""

    def __init__(self, envelopes: list[Envelope]) -> None:
        self.envelopes = envelopes

    def pages(self, after: int, limit: int) -> Iterator[list[Envelope]]:
        for start in range(after, len(self.envelopes), limit):
            yield self.envelopes[start : start + limit]


def rebuild_row(kind: str, folder: str, events: int, rounds: int) -> Row:
    c = bootstrap(_settings(kind, folder, f"bench-rebuild-{uuid.uuid4().hex}"))
    upgrade(ROOT / "services" / "reports" / "migrations", c.engine)
    log = MemoryLog([envelope(PARTNERSHIP, SCHOOLS[i % len(SCHOOLS)]) for i in range(events)])

    def project() -> float:
        return rate(events, lambda: rebuild(log, c.store, c.clock.now, 500))

    try:
        ours, _ = interleaved(project, lambda: REBUILD_TARGET, rounds)
    finally:
        c.engine.dispose()
    metric = f"reports rebuild by replay, projection ({kind}; baseline: the 10k/s target)"
    return row(metric, "events/s", ours, REBUILD_TARGET, 1.0, "higher")


def rows(quick: bool) -> list[Row]:
    consume_events, rebuild_events = (1000, 5000) if quick else (2000, 20_000)
    rounds = 1 if quick else 3
    found = []
    with scratch("bench-consumers-") as folder:
        for kind in kinds(quick):
            found.append(consumer_row(kind, folder, consume_events, rounds))
            found.append(rebuild_row(kind, folder, rebuild_events, rounds))
    return found
