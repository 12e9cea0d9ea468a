"""Persistence of the notifications service: policies, processed events, planned notifications
and their delivery attempts, guardians' preferences and holidays, one module per concern (each
implements its Protocol of service_layer.ports). One Store is one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from services.notifications.adapters.store.delivery import SqlDelivery
from services.notifications.adapters.store.events import SqlProcessedEvents
from services.notifications.adapters.store.guardians import SqlHolidays, SqlPreferences
from services.notifications.adapters.store.log import SqlDeliveryLog
from services.notifications.adapters.store.planning import SqlPlanning
from services.notifications.adapters.store.policies import SqlPolicies
from shared.crypto import Cipher


class Store(
    SqlProcessedEvents,
    SqlPolicies,
    SqlPlanning,
    SqlDelivery,
    SqlDeliveryLog,
    SqlPreferences,
    SqlHolidays,
):
    """Reads and writes of one transaction (service_layer.ports.NotificationStore)."""


class HeldStores:
    """Stores whose transactions, one after the other, share one connection and one session,
    held until `close`: for the rows of one part of a dispatch, whose claims and acceptances
    are small transactions for which a pool checkout (with PostgreSQL's ping) and a new session
    each cost more than the statements. A transaction that fails lets the connection go; the
    next one takes a fresh one from the pool."""

    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        self.engine, self.cipher = engine, cipher
        self._held: tuple[Connection, Session] | None = None

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        if self._held is None:
            connection = self.engine.connect()
            self._held = connection, Session(bind=connection, expire_on_commit=False)
        session = self._held[1]
        if session.in_transaction():  # never two at once: the second would join the first
            raise RuntimeError("a held store is already in a transaction")
        try:
            yield Store(session, self.cipher)
        except BaseException:
            self.close()
            raise
        session.rollback()  # what was not committed

    def close(self) -> None:
        if self._held is not None:
            connection, session = self._held
            self._held = None
            session.close()
            connection.close()


__all__ = ["HeldStores", "Store"]
