"""Idempotency by event id (the processed-events table) and the cursor of the catch-up from the
cases event log (shared.event_log.CursorStore)."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert

from services.notifications.adapters import orm
from services.notifications.adapters.store.base import StoreBase
from shared.db import LogCursors
from shared.prepared import prepared


class SqlProcessedEvents(StoreBase):
    @cached_property
    def _cursors(self) -> LogCursors:
        return LogCursors(self.session, orm.event_log_cursors, orm.processed_events)

    def mark_processed(self, event_id: UUID, event_type: str, now: datetime) -> bool:
        """Record the event as processed; False when it already was (by another consumer too:
        on PostgreSQL the second waits for the first one's commit and then gets False)."""
        result = self.session.execute(
            self._dialect_insert()(orm.processed_events)
            .values(event_id=event_id, event_type=event_type, processed_at=now)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .execution_options(preserve_rowcount=True)  # psycopg: INSERT rowcount is -1
        )
        return (result.rowcount or 0) > 0  # type: ignore[attr-defined]  # a CursorResult

    def mark_processed_many(self, events: list[tuple[UUID, str]], now: datetime) -> None:
        """Mark a batch's events processed in one executemany (a prepared statement)."""
        if events:
            dialect = self.session.get_bind().dialect
            statement = prepared(dialect, "notifications processed_events", _mark_processed)
            statement.execute_many(
                self.session,
                [
                    {"event_id": event_id, "event_type": event_type, "processed_at": now}
                    for event_id, event_type in events
                ],
            )

    def processed_among(self, event_ids: list[UUID]) -> set[UUID]:
        return self._cursors.processed_among(event_ids)

    def log_cursor(self, name: str) -> int:
        return self._cursors.log_cursor(name)

    def set_log_cursor(self, name: str, seq: int, now: datetime) -> None:
        self._cursors.set_log_cursor(name, seq, now)


def _mark_processed() -> tuple[Any, list[str]]:
    keys = ["event_id", "event_type", "processed_at"]
    return insert(orm.processed_events).values({k: bindparam(k) for k in keys}), keys
