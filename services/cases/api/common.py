"""What every view of the cases API needs: the container, the caller, today, a read session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import current_app, g
from sqlalchemy.orm import Session

from services.cases.adapters.unit_of_work import SqlAlchemyUnitOfWork
from services.cases.bootstrap import Container
from shared.auth import Principal
from shared.clock import local_today
from shared.web import principal


def container() -> Container:
    return current_app.extensions["cases"]


def uow() -> SqlAlchemyUnitOfWork:
    """A fresh unit of work for a write."""
    return container().uow()


def actor() -> Principal:
    return principal()


def today() -> date:
    return local_today(container().clock)


@contextmanager
def read_session() -> Iterator[Session]:
    """The request's session for queries. It stays open until the response is serialised (lazy
    attributes load then) and is closed, never committed, when the request ends."""
    if "read_session" not in g:
        g.read_session = container().read_sessions()
    yield g.read_session


def close_read_session(_exc: BaseException | None = None) -> None:
    """Teardown: release the request's read session."""
    session = g.pop("read_session", None)
    if session is not None:
        session.close()
