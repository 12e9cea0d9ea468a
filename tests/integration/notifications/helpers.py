"""Helpers of the notifications integration tests: the cases app over real HTTP, the event
pipeline (relay + consumer) driven step by step, and readers of the notifications database."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Uuid, select

from services.cases.adapters.relay import relay_once
from services.cases.bootstrap import Container as CasesContainer
from services.notifications.__main__ import handle_batch
from services.notifications.adapters import orm
from services.notifications.bootstrap import Container
from services.notifications.service_layer import batch
from shared.events import Envelope
from shared.streams import StreamConsumer, StreamPublisher
from tests.support.cases_server import CasesServer  # noqa: F401  (re-exported)

MAX_ATTEMPTS = 3  # the fixture's setting: a failing message is dead after three attempts


class Pipeline:
    """The way events travel in production, driven step by step: the cases relay publishes the
    outbox to the Redis Stream; the notifications consumer (its own group) plans rows, a batch
    read at a time (its production batch handler)."""

    def __init__(self, cases: CasesContainer, notifications: Container, stream: str) -> None:
        self.cases = cases
        self.notifications = notifications
        self.stream = stream
        self.publisher = StreamPublisher(cases.redis, stream)
        self.consumer = StreamConsumer(
            notifications.redis,
            stream,
            notifications.settings.consumer_group,
            "test-consumer",
            self.handle,
            handle_batch=lambda envelopes: handle_batch(notifications, envelopes),
            claim_idle_ms=0,  # reclaim failed entries on the next round, not after a minute
            block_ms=10,
        )
        self.consumer.ensure_group()

    def handle(self, envelope: Envelope) -> None:
        n = self.notifications
        batch.handle_event(envelope, n.store, n.directory, n.clock.now())

    def relay(self) -> int:
        published = 0
        while count := relay_once(self.cases.sessions, self.publisher, self.cases.clock):
            published += count
        return published

    def consume(self) -> int:
        handled = 0
        while count := self.consumer.run_once():
            handled += count
        return handled

    def run(self) -> int:
        """Relay everything committed so far and consume it; returns how many were handled."""
        self.relay()
        return self.consume()

    def pending(self) -> int:
        return int(self.cases.redis.xpending(self.stream, self.consumer.group)["pending"])


# -- reading the notifications database ----------------------------------------------------------


def rows(c: Container, **where: Any) -> list[dict[str, Any]]:
    """Planned notifications matching column=value filters, by send time and recipient."""
    table = orm.planned_notifications
    query = select(table).order_by(table.c.send_at, table.c.recipient_role, table.c.kind)
    for column, value in where.items():
        if isinstance(value, str) and isinstance(getattr(table.c, column).type, Uuid):
            value = UUID(value)
        query = query.where(getattr(table.c, column) == value)
    with c.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def attempts(c: Container, notification_id: UUID) -> list[dict[str, Any]]:
    table = orm.delivery_attempts
    query = select(table).where(table.c.notification_id == notification_id).order_by(table.c.id)
    with c.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def outbox_envelopes(cases: CasesContainer, event_type: str) -> list[Envelope]:
    """The envelopes of one type in the cases outbox, in the order they were recorded."""
    from services.cases.adapters import orm as cases_orm

    table = cases_orm.outbox
    query = select(table.c.envelope).where(table.c.type == event_type).order_by(table.c.seq)
    with cases.engine.connect() as conn:
        return [Envelope.from_json(raw) for raw in conn.execute(query).scalars()]
