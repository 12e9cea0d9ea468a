"""The transactional outbox: events become rows in the same transaction as the change.

The outbox is also the service's event log: rows are kept after publishing, in `seq` order, and
other services replay them through `GET /api/v1/events`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.domain.events import Event
from shared.events import Envelope, Subject
from shared.logging import current_request_id

SYSTEM = "system"

# Who is acting in this context (the signed-in user of a request): (user id, role). Unset for
# scheduled tasks, whose events are the system's.
acting: ContextVar[tuple[UUID, str] | None] = ContextVar("acting", default=None)

APPEND = insert(orm.outbox)  # built once: each row's values come with its execution (issue 15)


@contextmanager
def acting_as(user_id: UUID, role: str) -> Iterator[None]:
    """Events written inside are recorded as caused by this user (the timeline's "door ...")."""
    token = acting.set((user_id, role))
    try:
        yield
    finally:
        acting.reset(token)


def to_envelope(event: Event, occurred_at: datetime, request_id: str | None = None) -> Envelope:
    """Wrap a domain event in the shared envelope (validated by the catalog's schema on dump)."""
    return Envelope(
        id=uuid4(),
        type=event.type,
        version=1,
        occurred_at=occurred_at,
        partnership_id=event.partnership_id,
        school_id=event.school_id,
        subject=Subject(event.subject_kind, event.subject_id),
        data=event.payload(),
        request_id=request_id,
    )


def write(session: Session, new_events: Sequence[Event], now: datetime) -> None:
    """Insert one outbox row per event, in the order they were recorded; each carries the id of
    the HTTP request being served, if any (shared.logging), for the logs downstream, and who
    caused it (`acting`), for the case timeline only."""
    rows = []
    request_id = current_request_id()
    actor_id, actor_role = acting.get() or (None, SYSTEM)
    for event in new_events:
        envelope = to_envelope(event, now, request_id)
        rows.append(
            {
                "id": envelope.id,
                "type": envelope.type,
                "version": envelope.version,
                "occurred_at": now,
                "partnership_id": envelope.partnership_id,
                "school_id": envelope.school_id,
                "subject_kind": envelope.subject.kind,
                "subject_id": envelope.subject.id,
                "case_id": event.case_id_or_none,
                "envelope": envelope.to_json(),
                "request_id": request_id,
                "actor_id": actor_id,
                "actor_role": actor_role,
            }
        )
    for row in rows:  # one by one so seq follows the recorded order on every database
        session.execute(APPEND, row)


def unpublished(session: Session, limit: int) -> list[Any]:
    """The oldest unpublished rows (one relay at a time holds the lease, see relay.py): what the
    relay sends and logs, no more (each column costs its conversion, 1,000 rows a batch)."""
    query = (
        select(
            orm.outbox.c.seq,
            orm.outbox.c.id,
            orm.outbox.c.envelope,
            orm.outbox.c.request_id,
        )
        .where(orm.outbox.c.published_at.is_(None))
        .order_by(orm.outbox.c.seq)
        .limit(limit)
    )
    return list(session.execute(query).all())  # fetched at once, not row by row


def mark_published(session: Session, seqs: Sequence[int], now: datetime) -> None:
    """Mark rows as published, the whole batch in one UPDATE (on PostgreSQL with the sequence
    numbers as one array parameter, `seq = ANY(:seqs)`, not one bound parameter per row)."""
    seq = orm.outbox.c.seq
    if session.get_bind().dialect.name == "postgresql":
        condition = seq == bindparam("seqs", list(seqs), type_=ARRAY(BigInteger)).any_()
    else:
        condition = seq.in_(seqs)
    session.execute(update(orm.outbox).where(condition).values(published_at=now))
