"""Helpers of the tests that lose Redis's data on a Redis of their own (redis_servers.py): a
consumer's real loop in a thread, the relay run to the end, and the ids each side holds."""

from __future__ import annotations

import threading
from uuid import UUID

from sqlalchemy import Engine, Table, select

from services.cases.adapters import orm as cases_orm
from services.cases.adapters.relay import relay_once
from services.cases.bootstrap import Container as CasesContainer
from shared.streams import StreamConsumer, StreamPublisher, redis_client


class ConsumerThread:
    """A consumer's real loop (StreamConsumer.run) in a thread, until `close()`."""

    def __init__(self, consumer: StreamConsumer) -> None:
        self.stop = threading.Event()
        self.consumer = consumer
        self.thread = threading.Thread(target=consumer.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def relay_all(cases: CasesContainer, url: str, stream: str) -> int:
    """The cases relay publishing every unpublished outbox row to the stream of the Redis at
    `url`; returns how many."""
    publisher = StreamPublisher(redis_client(url), stream)
    published = 0
    while count := relay_once(cases.sessions, publisher, cases.clock):
        published += count
    return published


def outbox_ids(cases: CasesContainer) -> set[UUID]:
    """The event ids of the cases outbox: what the event log holds."""
    with cases.engine.connect() as conn:
        return set(conn.execute(select(cases_orm.outbox.c.id)).scalars())


def processed_ids(engine: Engine, table: Table) -> set[UUID]:
    """The event ids a consumer's processed-events table holds."""
    with engine.connect() as conn:
        return set(conn.execute(select(table.c.event_id)).scalars())
