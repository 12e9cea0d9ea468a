"""Projecting events into the read model: idempotent by event id, the facts and the processed
mark written in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol
from uuid import UUID

from services.reports.domain.read_model import Upsert, changes_for
from shared.events import Envelope


class FactStore(Protocol):
    """One transaction on the read model."""

    def claim(self, event_id: UUID, event_type: str, now: datetime) -> bool: ...

    def apply(self, change: Upsert) -> None: ...

    def claim_many(self, events: list[tuple[UUID, str]], now: datetime) -> set[UUID]: ...

    def apply_many(self, changes: list[Upsert]) -> None: ...

    def truncate(self) -> None: ...

    def commit(self) -> None: ...


StoreFactory = Callable[[], AbstractContextManager[FactStore]]


def project_into(store: FactStore, envelope: Envelope, now: datetime) -> bool:
    """Apply one event inside the caller's transaction; False when it was seen before."""
    if not store.claim(envelope.id, envelope.type, now):
        return False
    for change in changes_for(envelope):
        store.apply(change)
    return True


def project(envelope: Envelope, stores: StoreFactory, now: datetime) -> bool:
    """Apply one event in a transaction of its own (the stream consumer's handler)."""
    with stores() as store:
        applied = project_into(store, envelope, now)
        if applied:
            store.commit()
    return applied


def project_many(store: FactStore, envelopes: Iterable[Envelope], now: datetime) -> list[bool]:
    """Apply a batch inside the caller's transaction, as project_into one by one would: the
    processed marks in one statement, the facts in as few as their order allows. Per event False
    when it was seen before (or earlier in the batch)."""
    batch = list(envelopes)
    new = store.claim_many(list({e.id: e.type for e in batch}.items()), now)
    outcomes, changes = [], []
    for envelope in batch:
        fresh = envelope.id in new
        outcomes.append(fresh)
        if fresh:
            new.discard(envelope.id)  # a repeat later in the batch is a duplicate
            changes += changes_for(envelope)
    store.apply_many(changes)
    return outcomes


def project_batch(envelopes: Iterable[Envelope], stores: StoreFactory, now: datetime) -> list[bool]:
    """Apply a batch in one transaction (the stream consumer's batch handler); per event False
    when it was seen before. Nothing of the batch is committed when one event fails."""
    with stores() as store:
        applied = project_many(store, envelopes, now)
        store.commit()
    return applied


def project_all(envelopes: Iterable[Envelope], store: FactStore, now: datetime) -> int:
    """Apply a batch inside the caller's transaction; returns how many were new."""
    return sum(project_many(store, envelopes, now))
