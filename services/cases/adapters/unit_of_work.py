"""The SQLAlchemy unit of work."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from services.cases.adapters import outbox
from services.cases.adapters.document_repository import SqlAlchemyDocuments
from services.cases.adapters.repositories import (
    SqlAlchemyCaseRepository,
    SqlAlchemyNotices,
    SqlAlchemyRepository,
    SqlAlchemyRetention,
)
from services.cases.adapters.tlv_repository import SqlAlchemyApplications
from services.cases.domain.events import Event
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.clock import Clock


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    """One session and transaction per use case."""

    session: Session

    def __init__(self, session_factory: sessionmaker, clock: Clock) -> None:
        self.session_factory = session_factory
        self.clock = clock

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        super().__enter__()
        self.session = self.session_factory()
        self.cases = SqlAlchemyCaseRepository(self.session)
        self.repo = SqlAlchemyRepository(self.session)
        self.notices = SqlAlchemyNotices(self.session, self.clock)
        self.retention = SqlAlchemyRetention(self.session)
        self.documents = SqlAlchemyDocuments(self.session)
        self.applications = SqlAlchemyApplications(self.session)
        return self

    def __exit__(self, *args: object) -> None:
        super().__exit__(*args)
        self.session.close()

    def _write_outbox(self, new_events: list[Event]) -> None:
        self.session.flush()  # aggregate rows first, so a failing constraint stops the events too
        outbox.write(self.session, new_events, self.clock.now())

    def _commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
