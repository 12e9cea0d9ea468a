"""The one place that picks the real adapters of the reports service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from services.reports.adapters.queries import SqlFactReader
from services.reports.adapters.store import Store
from services.reports.config import ReportsSettings
from shared.clock import Clock, clock_for
from shared.db import make_engine, session_factory
from shared.event_log import CasesEventLog
from shared.revocation import CasesValidity, Revocations
from shared.streams import StreamPublisher, redis_client


@dataclass
class Container:
    """Everything a process of the reports service needs, built once."""

    settings: ReportsSettings
    engine: Engine
    sessions: sessionmaker
    clock: Clock
    redis: redis.Redis

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session rolled back (all it did not commit) and closed when the block ends."""
        session = self.sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """One write transaction; rolled back unless committed."""
        with self._session() as session:
            yield Store(session)

    @contextmanager
    def reader(self) -> Iterator[SqlFactReader]:
        """One read-only session for a report's queries."""
        with self._session() as session:
            yield SqlFactReader(session)

    @cached_property
    def revocations(self) -> Revocations:
        """Whether a person's token is still valid: asked of the cases service, cached in the
        shared Redis (shared.revocation)."""
        source = CasesValidity(
            self.settings.cases_url, self.settings.jwt_secret, self.clock, "reports"
        )
        return Revocations(self.redis, source)

    def publisher(self) -> StreamPublisher:
        """Where `report.ready` goes: the shared event stream."""
        return StreamPublisher(self.redis, self.settings.event_stream)

    def event_log(self) -> CasesEventLog:
        """The cases service's event log, for a rebuild (CASES_URL must be set)."""
        return CasesEventLog(self.settings.cases_url, self.settings.jwt_secret, self.clock)


def bootstrap(settings: ReportsSettings, clock: Clock | None = None) -> Container:
    """Connect to the database and Redis."""
    engine = make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or clock_for(settings.clock_file),
        redis=redis_client(settings.redis_url),
    )
