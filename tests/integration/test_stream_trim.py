"""The event stream does not grow for ever: beat's `cases.trim_event_stream` removes what every
consumer group has acknowledged and is older than CASES_STREAM_KEEP_HOURS, and nothing a group
still has to read or may retry (its pending entries) — on each supported Redis (7.x, 6.2)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import redis

from services.cases import tasks
from services.cases.bootstrap import Container
from shared.streams import redis_client, trim_acknowledged

LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)  # keep_since before every entry: no age bound
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)  # every entry older than that


@pytest.fixture
def client(any_redis_url: str) -> Iterator[redis.Redis]:
    c = redis_client(any_redis_url)
    yield c
    c.close()


@pytest.fixture
def stream(client: redis.Redis) -> Iterator[str]:
    """A stream of ten entries with the ids 1-0 to 10-0, deleted afterwards."""
    name = f"test-trim-{uuid.uuid4().hex}"
    for i in range(1, 11):
        client.xadd(name, {"n": str(i)}, id=f"{i}-0")
    yield name
    client.delete(name)


def ids(client: redis.Redis, stream: str) -> list[int]:
    return [int(entry_id.split("-")[0]) for entry_id, _ in client.xrange(stream)]


def read(client: redis.Redis, stream: str, group: str, count: int, ack: int) -> None:
    """The group reads `count` entries and acknowledges the first `ack` of them."""
    reply = client.xreadgroup(group, "c", {stream: ">"}, count=count)
    entries = [entry_id for _, batch in reply for entry_id, _ in batch]
    if ack:
        client.xack(stream, group, *entries[:ack])


def test_the_slowest_group_and_its_pending_entries_stay(client, stream) -> None:
    client.xgroup_create(stream, "fast", id="0")
    client.xgroup_create(stream, "slow", id="0")
    read(client, stream, "fast", count=10, ack=10)
    read(client, stream, "slow", count=6, ack=3)  # 4, 5 and 6 pending: they may be retried

    assert trim_acknowledged(client, stream, FAR_AHEAD) == 3
    assert ids(client, stream) == [4, 5, 6, 7, 8, 9, 10]
    assert trim_acknowledged(client, stream, FAR_AHEAD) == 0  # again: nothing more

    pending = client.xreadgroup("slow", "c", {stream: "0"}, count=10)  # its own pending ones
    assert [e for _, batch in pending for e, _ in batch] == ["4-0", "5-0", "6-0"]
    client.xack(stream, "slow", "4-0", "5-0", "6-0")
    assert trim_acknowledged(client, stream, FAR_AHEAD) == 3
    assert ids(client, stream) == [7, 8, 9, 10]  # 7 on: handed to nobody in "slow" yet


def test_a_group_that_has_read_nothing_keeps_the_whole_stream(client, stream) -> None:
    client.xgroup_create(stream, "done", id="0")
    read(client, stream, "done", count=10, ack=10)
    client.xgroup_create(stream, "new", id="0")

    assert trim_acknowledged(client, stream, FAR_AHEAD) == 0
    assert len(ids(client, stream)) == 10


def test_acknowledged_entries_younger_than_the_keep_time_stay(client, stream) -> None:
    client.xgroup_create(stream, "g", id="0")
    read(client, stream, "g", count=10, ack=10)

    assert trim_acknowledged(client, stream, LONG_AGO) == 0
    keep_since = datetime.fromtimestamp(0.008, UTC)  # entries 8-0 and on are that young
    assert trim_acknowledged(client, stream, keep_since) == 7
    assert ids(client, stream) == [8, 9, 10]


def test_no_stream_no_trim(client) -> None:
    assert trim_acknowledged(client, f"test-trim-{uuid.uuid4().hex}", FAR_AHEAD) == 0


def test_beat_task_trims_the_services_stream_by_its_settings(container: Container) -> None:
    """The task reads the stream's name and the keep time from the cases settings and the time
    from the service's clock (the tests' 15 October 2026)."""
    stream, c = container.settings.event_stream, container.redis
    now_ms = int(container.clock.now().timestamp() * 1000)
    old, young = now_ms - 25 * 3_600_000, now_ms - 23 * 3_600_000  # the default keeps 24 hours
    for ms in (old, old + 1, young):
        c.xadd(stream, {"n": "1"}, id=f"{ms}-0")
    c.xgroup_create(stream, "notifications", id="0")
    read(c, stream, "notifications", count=3, ack=3)
    tasks.use_container(container)
    try:
        assert tasks.trim_event_stream() == 2
        assert ids(c, stream) == [young]
        container.settings = replace(container.settings, stream_keep_hours=0)
        assert tasks.trim_event_stream() == 1  # read and acknowledged: it may go now
        assert ids(c, stream) == []
    finally:
        tasks.use_container(None)
        c.delete(stream)
