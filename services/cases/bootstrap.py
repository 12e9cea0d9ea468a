"""The one place that picks the real adapters of the cases service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from services.cases.adapters import orm
from services.cases.adapters.audit import audit_engine
from services.cases.adapters.document_storage import LocalFileStorage, S3Storage
from services.cases.adapters.unit_of_work import SqlAlchemyUnitOfWork
from services.cases.config import CasesSettings
from services.cases.service_layer.documents import DocumentStorage
from shared.clock import Clock, clock_for
from shared.crypto import SecretBox
from shared.db import make_engine, session_factory
from shared.revocation import Revocations
from shared.streams import redis_client


@dataclass
class Container:
    """Everything a process of the cases service needs, built once."""

    settings: CasesSettings
    engine: Engine
    sessions: sessionmaker
    read_sessions: sessionmaker  # for queries: on SQLite they never take the write lock
    clock: Clock
    redis: redis.Redis
    audit_engine: Engine  # appends audit rows, autocommitted (adapters/audit.py)
    _documents: DocumentStorage | None = None

    def uow(self) -> SqlAlchemyUnitOfWork:
        """A fresh unit of work."""
        return SqlAlchemyUnitOfWork(self.sessions, self.clock)

    def close(self) -> None:
        """Release the database connections and the Redis client."""
        self.engine.dispose()
        self.read_sessions.kw["bind"].dispose()
        self.audit_engine.dispose()
        self.redis.close()

    @property
    def revocations(self) -> Revocations:
        """The accounts' validity cache shared with the other services (shared.revocation);
        this service writes it through and reads its own table for itself."""
        return Revocations(self.redis)

    @property
    def secret_box(self) -> SecretBox:
        """How the staff's TOTP secrets are kept at rest (encrypted when a key is set)."""
        return SecretBox.from_setting(self.settings.encryption_key)

    @property
    def document_storage(self) -> DocumentStorage:
        """The document store the settings name (built on first use, then kept)."""
        if self._documents is None:
            s = self.settings
            if s.document_storage == "s3":
                self._documents = S3Storage(
                    s.s3_endpoint, s.s3_bucket, s.s3_access_key, s.s3_secret_key, s.s3_region
                )
            else:
                self._documents = LocalFileStorage(s.document_folder)
        return self._documents

    @property
    def uow_factory(self) -> Callable[[], SqlAlchemyUnitOfWork]:
        return self.uow


def bootstrap(settings: CasesSettings, clock: Clock | None = None) -> Container:
    """Map the domain, connect to the database and Redis."""
    orm.start_mappers()
    engine = make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        read_sessions=session_factory(make_engine(settings.database_url, read_only=True)),
        clock=clock or clock_for(settings.clock_file),
        redis=redis_client(settings.redis_url),
        audit_engine=audit_engine(settings.database_url, settings.audit_commit),
    )
