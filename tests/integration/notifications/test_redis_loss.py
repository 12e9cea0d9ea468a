"""Redis restarted without its data (no AOF): what it held is not lost. The consumer catches up
from the cases event log (`GET /api/v1/events?after=`) when it starts and when its stream or group
vanished, idempotent by event id, from a durable cursor; it survives NOGROUP; it writes a heartbeat
that /health/ready reads.

Every Redis here is one of the test's own (tests/support/redis_servers.py), never the machine's.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from services.notifications import __main__ as cli
from services.notifications.adapters import orm
from services.notifications.app import create_app
from shared.streams import heartbeat_key, redis_client
from tests.integration.notifications.helpers import outbox_envelopes, rows
from tests.integration.notifications.test_consumer import expected_intervention_rows
from tests.support.api_flows import open_case, start_intervention
from tests.support.processes import wait_until
from tests.support.redis_loss import (
    ConsumerThread,
    outbox_ids,
    processed_ids,
    relay_all,
)


@pytest.fixture
def lossy(notifications, own_redis):
    """The notifications container on the test's own Redis."""
    notifications.redis.close()
    notifications.redis = redis_client(own_redis.url)
    return notifications


def running(container) -> ConsumerThread:
    return ConsumerThread(cli.consumer(container, block_ms=50, recover_retry_seconds=0.2))


def processed(c) -> set:
    return processed_ids(c.engine, orm.processed_events)


def planned_per_event(c) -> Counter:
    return Counter(r["event_id"] for r in rows(c))


def test_events_lost_with_redis_are_caught_up_when_the_consumer_starts(
    container, lossy, own_redis, world, stream_name
):
    case = open_case(world)
    start_intervention(world, case["id"])
    published = relay_all(container, own_redis.url, stream_name)
    assert published == len(outbox_ids(container)) >= 10  # the world, the case, the intervention
    assert lossy.redis.xlen(stream_name) == published  # published, not consumed yet

    own_redis.restart()  # without persistence: the stream and its events are gone
    assert lossy.redis.exists(stream_name) == 0

    live = running(lossy)
    try:
        wait_until(lambda: processed(lossy) == outbox_ids(container), timeout=30)
    finally:
        live.close()
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
    live = running(lossy)
    try:
        relay_all(container, own_redis.url, stream_name)
        wait_until(lambda: processed(lossy) == outbox_ids(container), timeout=30)

        case = open_case(world)
        start_intervention(world, case["id"])
        relay_all(container, own_redis.url, stream_name)
        lossy.redis.delete(stream_name)  # lost before the consumer read it: NOGROUP next
        wait_until(lambda: processed(lossy) == outbox_ids(container), timeout=30)
        assert live.thread.is_alive()

        own_redis.restart()  # and a restart under a running consumer
        start_intervention(world, case["id"], evaluate_by="2026-11-09")
        relay_all(container, own_redis.url, stream_name)
        wait_until(lambda: processed(lossy) == outbox_ids(container), timeout=30)
        assert live.thread.is_alive()
        # Its next loop writes the heartbeat the restart took away (not before: a loop may
        # still be waiting on the read it began when the events came in).
        heartbeat = heartbeat_key(stream_name, "notifications")
        wait_until(lambda: lossy.redis.exists(heartbeat), timeout=30, message="a heartbeat")
    finally:
        live.close()
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
