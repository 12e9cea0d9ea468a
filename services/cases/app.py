"""The cases service's Flask app factory."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy import bindparam, select, text

from services.cases.adapters import audit as audit_trail
from services.cases.adapters import orm, outbox
from services.cases.adapters.repositories import SqlAlchemyRepository
from services.cases.api import (
    admin,
    audit,
    auth,
    calendar,
    cases,
    documents,
    events,
    imports,
    internal,
    legal,
    plans,
    pupils,
    rod,
    tlv,
)
from services.cases.api.common import add_etag, close_read_session, read_session
from services.cases.bootstrap import Container, bootstrap
from services.cases.config import CasesSettings
from services.cases.domain.school import token_validity
from shared.auth import Principal, Role
from shared.errors import Forbidden, Unauthorized
from shared.web import install_api, install_auth, install_health, install_operations

AUDITED = tuple(
    f"/api/v1/{part}"
    for part in (
        "pupils",
        "cases",
        "interventions",
        "development-plans",
        "referrals",
        "evaluations",
        "documents",
        "applications",
        "internal/audience",
        "internal/scheduled",
        "internal/meetings",
        "schools/",
    )
)

DESCRIPTION = (
    "Support trajectories of a samenwerkingsverband passend onderwijs: support profiles, pupils, "
    "cases with basic and extra support, development plans (OPP) with the parents' consent, "
    "evaluations and referrals. Every change is an event in the outbox (`GET /api/v1/events`)."
)


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


def create_app(settings: CasesSettings | None = None, container: Container | None = None) -> Flask:
    """Build the app; settings come from the environment unless given."""
    if container is None:
        container = bootstrap(settings or CasesSettings.from_env(os.environ))
    app = Flask(__name__)
    app.extensions["cases"] = container
    api = install_api(
        app, "Cases service", DESCRIPTION, max_body_bytes=container.settings.max_body_bytes
    )
    for module in (auth, admin, pupils, cases, plans, events, internal, audit, imports, rod):
        api.register_blueprint(module.blp)
    api.register_blueprint(calendar.blp)
    api.register_blueprint(legal.blp)
    api.register_blueprint(documents.blp)
    api.register_blueprint(tlv.blp)

    def _session_for_check() -> Any:
        """A read's check uses the request's read session (one snapshot, one connection, kept
        for the view); a write's uses its own, so the view sees what the write commits."""
        if request.method in ("GET", "HEAD"):
            return read_session()
        return container.read_sessions()

    def still_active(principal: Principal) -> Principal | None:
        if principal.role is Role.SERVICE:
            # Other services read what they need and nothing else: least privilege for a
            # credential that is not a person's.
            allowed = request.path.startswith(SERVICE_PATHS) or request.path in SERVICE_EXACT
            if request.method == "POST" and request.path in SERVICE_WRITES + SERVICE_READ_POSTS:
                return None
            if request.method != "GET" or not allowed:
                raise Forbidden("Service accounts only read the internal endpoints.")
            return None
        with _session_for_check() as session:
            user = session.execute(USER_CHECK, {"user_id": principal.user_id}).first()
            if user is None or not user.active:
                raise Unauthorized("The account is disabled.")
            validity = token_validity(
                user.active, user.tokens_valid_after, user.sessions_valid_after
            )
            if not validity.accepts(principal.issued_at):
                raise Unauthorized("The token was issued before the account was disabled.")
            if principal.role is Role.TEACHER:  # the pupils they are assigned to now
                assigned = SqlAlchemyRepository(session).assigned_pupils(principal.user_id)
                return dataclasses.replace(principal, pupil_ids=frozenset(assigned))
        return None

    app.teardown_request(close_read_session)
    app.after_request(add_etag)  # a case or plan answers with its version (If-Match)
    install_auth(
        app,
        container.settings.jwt_secret,
        container.clock,
        still_active,
        # Calendar feeds carry a secret URL; enrolling a second factor takes the password.
        public_prefixes=("/api/v1/calendar/", "/api/v1/auth/second-factor/enrolment"),
    )

    @app.before_request
    def _acting() -> None:
        """Events this request writes name its user (the timeline's "door ..."); a service's
        (the web asking a guardian's sign-in link) are the system's."""
        principal = g.get("principal")
        if principal is not None and principal.role is not Role.SERVICE:
            g.acting = outbox.acting.set((principal.user_id, principal.role.value))

    @app.teardown_request
    def _done_acting(_exc: BaseException | None) -> None:
        if "acting" in g:
            outbox.acting.reset(g.pop("acting"))

    @app.after_request
    def _audit(response: Response) -> Response:
        """Every read and write of pupil data: who, what, when, from where (issue 5)."""
        principal = g.get("principal")
        if principal is None or not request.path.startswith(AUDITED):
            return response
        close_read_session()  # the response is serialised: release the reading connection first
        rule = request.url_rule.rule if request.url_rule else request.path
        audit_trail.record(
            container.audit_engine,
            at=container.clock.now(),
            partnership_id=principal.partnership_id,
            user_id=principal.user_id,
            role=principal.role.value,
            action="read"
            if request.method in ("GET", "HEAD") or request.path in SERVICE_READ_POSTS
            else "write",
            method=request.method,
            endpoint=rule[:200],
            resource_id=audit_trail.first_uuid(request.view_args or {}),
            status=response.status_code,
            ip=(request.remote_addr or "")[:45] or None,
        )
        return response

    def database() -> None:
        with container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    install_health(app, {"database": database, "redis": container.redis.ping})
    install_operations(app, "cases", container.settings)
    return app
