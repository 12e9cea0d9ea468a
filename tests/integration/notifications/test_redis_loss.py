"""Redis restarted without its data (no AOF): what it held is not lost. The consumer catches up
from the cases event log (`GET /api/v1/events?after=`) when it starts and when its stream or group
vanished, idempotent by event id, from a durable cursor; it survives NOGROUP; it writes a heartbeat
that /health/ready reads.

Every Redis here is one of the test's own (tests/support/redis_server.py), never the machine's.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.cases.adapters.relay import relay_once
from services.notifications import __main__ as cli
from services.notifications.adapters import orm
from services.notifications.app import create_app
from shared.streams import StreamPublisher, heartbeat_key, redis_client
from tests.integration.notifications.helpers import outbox_envelopes, rows
from tests.integration.notifications.test_consumer import expected_intervention_rows
from tests.support.api_flows import open_case, start_intervention
from tests.support.processes import wait_until
from tests.support.redis_server import OwnRedis


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def lossy(notifications, own_redis):
    """The notifications container on the test's own Redis."""
    notifications.redis.close()
    notifications.redis = redis_client(own_redis.url)
    return notifications


class Running:
    """The real consumer loop (StreamConsumer.run) in a thread, until stopped."""

    def __init__(self, container) -> None:
        self.stop = threading.Event()
        self.consumer = cli.consumer(container, block_ms=50, recover_retry_seconds=0.2)
        self.thread = threading.Thread(target=self.consumer.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def relay(cases, url: str, stream: str) -> int:
    """The cases relay publishing every unpublished outbox row to the stream at `url`."""
    publisher = StreamPublisher(redis_client(url), stream)
    published = 0
    while count := relay_once(cases.sessions, publisher, cases.clock):
        published += count
    return published


def processed_ids(c) -> set:
    with c.engine.connect() as conn:
        return set(conn.execute(select(orm.processed_events.c.event_id)).scalars())


def outbox_ids(cases) -> set:
    from services.cases.adapters import orm as cases_orm

    with cases.engine.connect() as conn:
        return set(conn.execute(select(cases_orm.outbox.c.id)).scalars())


def planned_per_event(c) -> Counter:
    return Counter(r["event_id"] for r in rows(c))


def test_events_lost_with_redis_are_caught_up_when_the_consumer_starts(
    container, lossy, own_redis, world, stream_name
):
    case = open_case(world)
    start_intervention(world, case["id"])
    published = relay(container, own_redis.url, stream_name)
    assert published == 10 == len(outbox_ids(container))
    assert lossy.redis.xlen(stream_name) == published  # published, not consumed yet

    own_redis.restart()  # without persistence: the stream and its events are gone
    assert lossy.redis.exists(stream_name) == 0

    running = Running(lossy)
    try:
        wait_until(lambda: processed_ids(lossy) == outbox_ids(container), timeout=30)
    finally:
        running.close()
    assert expected_intervention_rows(case["id"]) <= {
        (r["policy_key"], r["recipient_role"], r["address"], r["kind"], r["send_at"])
        for r in rows(lossy, case_id=case["id"])
    }
    planned = planned_per_event(lossy)
    # School A1's support profile: 4 reminders; the intervention: 3 messages; each once.
    assert sorted(planned.values()) == [3, 4]

    # On demand again: nothing handled or planned twice; the cursor stands at the end.
    done = cli.catch_up(lossy)
    assert (done.handled, done.failed) == (0, 0)
    assert planned_per_event(lossy) == planned
    with lossy.store() as store:
        assert store.log_cursor("cases") == done.cursor > 0


def test_the_consumer_survives_a_vanished_stream_and_catches_up(
    container, lossy, own_redis, world, stream_name
):
    running = Running(lossy)
    try:
        relay(container, own_redis.url, stream_name)
        wait_until(lambda: processed_ids(lossy) == outbox_ids(container), timeout=30)

        case = open_case(world)
        start_intervention(world, case["id"])
        relay(container, own_redis.url, stream_name)
        lossy.redis.delete(stream_name)  # lost before the consumer read it: NOGROUP next
        wait_until(lambda: processed_ids(lossy) == outbox_ids(container), timeout=30)
        assert running.thread.is_alive()

        own_redis.restart()  # and a restart under a running consumer
        start_intervention(world, case["id"], evaluate_by="2026-11-09")
        relay(container, own_redis.url, stream_name)
        wait_until(lambda: processed_ids(lossy) == outbox_ids(container), timeout=30)
        assert running.thread.is_alive()
        assert lossy.redis.exists(heartbeat_key(stream_name, "notifications"))
    finally:
        running.close()
    assert [e.id for e in outbox_envelopes(container, "intervention.started")]
    assert max(planned_per_event(lossy).values()) <= 4


def test_ready_says_when_the_consumer_is_not_consuming(lossy, clock, stream_name):
    from dataclasses import replace

    lossy.settings = replace(lossy.settings, consumer_max_silence_seconds=120)
    web = create_app(container=lossy).test_client()
    assert web.get("/health/ready").status_code == 503  # no heartbeat: never consumed

    consumer = cli.consumer(lossy)
    consumer.beat()
    ready = web.get("/health/ready")
    assert ready.status_code == 200 and ready.json["checks"]["consumer"] == "ok"

    clock.advance(timedelta(seconds=121))  # the consumer died: no loop wrote since
    silent = web.get("/health/ready")
    assert silent.status_code == 503
    assert silent.json["checks"]["consumer"] == "unavailable: ConsumerSilent"
