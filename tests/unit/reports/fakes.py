"""In-memory stand-ins for the reports service's own interfaces (FactStore, EventLog), with the
merge rules of adapters/store.py written out in Python."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from services.reports.domain.read_model import Merge, Upsert
from shared.events import Envelope


def merged(rule: Merge, row: dict[str, Any], column: str, new: Any) -> Any:
    old = row.get(column)
    if rule is Merge.KEEP:
        return new if old is None else old
    if rule is Merge.EARLIEST:
        return new if old is None or new < old else old
    if rule is Merge.UNLESS_HELD:
        return old if row.get("held_on") is not None else new
    return new


class FakeDatabase:
    """Committed facts by table and key, and the processed event ids."""

    def __init__(self) -> None:
        self.facts: dict[str, dict[UUID, dict[str, Any]]] = {}
        self.processed: set[UUID] = set()
        self.commits = 0

    @contextmanager
    def store(self) -> Iterator[FakeStore]:
        """One transaction: changes are seen by others only after commit."""
        yield FakeStore(self)

    def rows(self, fact: str) -> dict[UUID, dict[str, Any]]:
        return self.facts.get(fact, {})


class FakeStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.facts = copy.deepcopy(db.facts)
        self.processed = set(db.processed)

    def claim(self, event_id: UUID, event_type: str, now: datetime) -> bool:
        if event_id in self.processed:
            return False
        self.processed.add(event_id)
        return True

    def apply(self, change: Upsert) -> None:
        table = self.facts.setdefault(change.fact.value, {})
        row = table.get(change.key)
        if row is None:
            table[change.key] = dict(change.values)
            return
        updates = {c: merged(change.rule(c), row, c, v) for c, v in change.values.items()}
        row.update(updates)

    def claim_many(self, events: list[tuple[UUID, str]], now: datetime) -> set[UUID]:
        return {event_id for event_id, kind in events if self.claim(event_id, kind, now)}

    def apply_many(self, changes: list[Upsert]) -> None:
        for change in changes:
            self.apply(change)

    def truncate(self) -> None:
        self.facts = {}
        self.processed = set()

    def commit(self) -> None:
        self.db.facts = copy.deepcopy(self.facts)
        self.db.processed = set(self.processed)
        self.db.commits += 1


class FakeEventLog:
    """An event log served in pages of envelopes."""

    def __init__(self, envelopes: list[Envelope]) -> None:
        self.envelopes = envelopes

    def pages(self, after: int, limit: int) -> Iterator[list[Envelope]]:
        for i in range(after, len(self.envelopes), limit):
            yield self.envelopes[i : i + limit]
