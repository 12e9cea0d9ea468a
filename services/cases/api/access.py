"""Who may call the cases API with a valid token: the service-token policy and the person check.

`install_auth` (shared.web) verifies the bearer token; `still_active` is its `check_principal`:
a service token reads only what it needs, a person's token counts only while the account is
active and the token was issued after the last sign-out everywhere (issue 15)."""

from __future__ import annotations

import dataclasses

from flask import request
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.repositories import SqlAlchemyRepository
from services.cases.api.common import container, read_session
from services.cases.domain.school import token_validity
from shared.auth import Principal, Role
from shared.errors import Forbidden, Unauthorized

# Whether a person's token still counts: two columns, not the whole user (issue 15).
USER_CHECK = select(
    orm.users.c.active, orm.users.c.tokens_valid_after, orm.users.c.sessions_valid_after
).where(orm.users.c.id == bindparam("user_id"))

# What a service token may read: the audience of a message, the event log, a pupil's case ids.
SERVICE_PATHS = ("/api/v1/internal/", "/api/v1/events")
SERVICE_EXACT = ("/api/v1/cases",)
# The one thing a service (the web front end) may write: guardians' sign-in links (issue 13).
SERVICE_WRITES = ("/api/v1/auth/guardian-link", "/api/v1/auth/guardian-session")
# Reads too large for a query string, asked by POST (the notifications consumer's batch).
SERVICE_READ_POSTS = ("/api/v1/internal/audiences",)


def still_active(principal: Principal) -> Principal | None:
    """Refuse a token that no longer counts; a teacher's principal gets their pupils of now."""
    if principal.role is Role.SERVICE:
        check_service_request()
        return None
    if request.method in ("GET", "HEAD"):  # the request's read session (one snapshot, kept)
        with read_session() as session:
            return _check_person(session.connection(), principal)
    # A write's check reads outside the write's transaction, so the view sees what the write
    # commits: one autocommitted SELECT (the audit engine's connection), no BEGIN and
    # ROLLBACK round trips around it (issue 15).
    with container().audit_engine.connect() as conn:
        return _check_person(conn, principal)


def _check_person(conn: Connection, principal: Principal) -> Principal | None:
    user = conn.execute(USER_CHECK, {"user_id": principal.user_id}).first()
    if user is None or not user.active:
        raise Unauthorized("The account is disabled.")
    validity = token_validity(user.active, user.tokens_valid_after, user.sessions_valid_after)
    if not validity.accepts(principal.issued_at):
        raise Unauthorized("The token was issued before the account was disabled.")
    if principal.role is Role.TEACHER:  # the pupils they are assigned to now
        with Session(bind=conn) as session:
            assigned = SqlAlchemyRepository(session).assigned_pupils(principal.user_id)
        return dataclasses.replace(principal, pupil_ids=frozenset(assigned))
    return None


def check_service_request() -> None:
    """Other services read what they need and nothing else: least privilege for a credential
    that is not a person's."""
    allowed = request.path.startswith(SERVICE_PATHS) or request.path in SERVICE_EXACT
    if request.method == "POST" and request.path in SERVICE_WRITES + SERVICE_READ_POSTS:
        return
    if request.method != "GET" or not allowed:
        raise Forbidden("Service accounts only read the internal endpoints.")
