"""What every view of the cases API needs: the container, the caller, today, a read session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import current_app, g, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from services.cases.adapters.unit_of_work import SqlAlchemyUnitOfWork
from services.cases.bootstrap import Container
from shared.auth import Principal
from shared.clock import local_today
from shared.errors import EditedElsewhere
from shared.web import principal


def container() -> Container:
    return current_app.extensions["cases"]


def uow() -> SqlAlchemyUnitOfWork:
    """A fresh unit of work for a write; with the request's If-Match, it refuses to change a case
    (or plan) that is no longer at that version (412 edited_elsewhere, nothing written)."""
    unit = container().uow()
    unit.expect_version(if_match_version())
    return unit


# -- optimistic concurrency: a case and its plans answer with an ETag, the case's version --------

ETAG_PREFIX = "case-v"


def etag(version: int) -> str:
    return f'"{ETAG_PREFIX}{version}"'


def if_match_version(
    prefix: str = ETAG_PREFIX, thing: str = "case", loaded: str = "case or plan"
) -> int | None:
    """The version the request's If-Match names (an ETag `"<prefix><n>"`); None without one (or
    `*`): no precondition. Anything else is refused as naming no version of the `thing`."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    number = value.removeprefix(prefix)
    if not value.startswith(prefix) or not number.isdigit():
        raise EditedElsewhere(
            f"If-Match does not name a version of this {thing}; load it again.",
            errors={"If-Match": [f"Use the ETag of the {loaded} you loaded."]},
        )
    return int(number)


def remember_version(version: int) -> None:
    """The case version the response shows; `add_etag` puts it in the ETag header."""
    g.case_version = version


def add_etag(response: Response) -> Response:
    """After a request: the ETag of the case or plan the (successful) response shows."""
    version = g.get("case_version")
    if version is not None and response.status_code < 300:
        response.headers["ETag"] = etag(version)
    return response


def actor() -> Principal:
    return principal()


def today() -> date:
    return local_today(container().clock)


@contextmanager
def read_session() -> Iterator[Session]:
    """The request's session for queries. It stays open until the response is serialised (lazy
    attributes load then) and is ended when the request ends (`close_read_session`); nothing is
    ever written through it."""
    if "read_session" not in g:
        g.read_session = container().read_sessions()
    yield g.read_session


def close_read_session(_exc: BaseException | None = None) -> None:
    """Teardown: release the request's read session.

    Its transaction only read, so it ends with COMMIT, which for a read is the same as ROLLBACK
    and costs the same round trip, but keeps the driver's prepared statements: psycopg forgets
    them all on every ROLLBACK, so each read's queries were parsed and planned by PostgreSQL
    anew (issue 15). A session with changes to flush (none should have any), or a transaction
    that cannot commit (a failed request), is rolled back as before."""
    session = g.pop("read_session", None)
    if session is None:
        return
    try:
        if _exc is None and session.in_transaction() and not _pending(session):
            session.commit()
    except Exception:  # noqa: BLE001,S110  (the read is over: close() rolls back, as before)
        pass
    finally:
        session.close()


def _pending(session: Session) -> bool:
    """Whether the session holds changes a commit would write."""
    return bool(session.new or session.dirty or session.deleted)
