"""The SQLAlchemy unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from services.cases.adapters import audit, outbox
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
        # The audit row of the request this unit of work writes for, appended in the write's
        # own transaction at its (first) commit: one commit, and the row exists exactly when
        # the write does, even if the process dies before it answers (issue 15).
        self.audit_row: Callable[[], dict[str, Any]] | None = None
        self.audited: dict[str, Any] | None = None  # the row, once committed with the write

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
        row = self.audit_row() if self.audit_row is not None else None
        if row is not None:
            self.session.execute(audit.APPEND, row)
        self.session.commit()
        if row is not None:
            self.audit_row, self.audited = None, row

    def rollback(self) -> None:
        self.session.rollback()
