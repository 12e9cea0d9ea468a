"""The cases service's Flask app factory."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import text

from services.cases.api import (
    access,
    admin,
    audit,
    audit_hooks,
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
from services.cases.api.common import add_etag, close_read_session
from services.cases.bootstrap import Container, bootstrap
from services.cases.config import CasesSettings
from shared.web import install_api, install_auth, install_health, install_operations

DESCRIPTION = (
    "Support trajectories of a samenwerkingsverband passend onderwijs: support profiles, pupils, "
    "cases with basic and extra support, development plans (OPP) with the parents' consent, "
    "evaluations and referrals. Every change is an event in the outbox (`GET /api/v1/events`)."
)


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

    app.teardown_request(close_read_session)
    app.after_request(add_etag)  # a case or plan answers with its version (If-Match)
    install_auth(
        app,
        container.settings.jwt_secret,
        container.clock,
        access.still_active,
        # Calendar feeds carry a secret URL; enrolling a second factor takes the password.
        public_prefixes=("/api/v1/calendar/", "/api/v1/auth/second-factor/enrolment"),
    )

    # Hooks run in this order (after_request and teardown ones in reverse): the audit record is
    # written (its read session released first) before the ETag is set.
    app.before_request(audit_hooks.start_acting)
    app.teardown_request(audit_hooks.stop_acting)
    app.after_request(audit_hooks.record_audit)

    def database() -> None:
        with container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    install_health(app, {"database": database, "redis": container.redis.ping})
    install_operations(app, "cases", container.settings)
    return app
