"""The reports service's Flask app factory."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import text

from services.reports.api import reports, schedules
from services.reports.bootstrap import Container, bootstrap
from services.reports.config import ReportsSettings
from shared.streams import consumer_checks
from shared.web import install_api, install_auth, install_health, install_operations

DESCRIPTION = (
    "Outcome reports of a partnership's support: interventions and their effect, development "
    "plans (OPP), the parents' consent, plan evaluations and referrals, per school and period. "
    "Built from the cases service's events; counts of 1 to 4 read '<5' outside the school."
)


def create_app(
    settings: ReportsSettings | None = None, container: Container | None = None
) -> Flask:
    """Build the app; settings come from the environment unless given."""
    if container is None:
        container = bootstrap(settings or ReportsSettings.from_env(os.environ))
    app = Flask(__name__)
    app.extensions["reports"] = container
    api = install_api(
        app, "Reports service", DESCRIPTION, max_body_bytes=container.settings.max_body_bytes
    )
    api.register_blueprint(reports.blp)
    api.register_blueprint(schedules.blp)
    install_auth(app, container.settings.jwt_secret, container.clock, container.revocations.check)

    def database() -> None:
        with container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def redis() -> None:
        container.redis.ping()

    group = container.settings.consumer_group
    consumer = consumer_checks(container.settings, container.redis, group, container.clock.now)
    install_health(app, {"database": database, "redis": redis, **consumer})
    install_operations(app, "reports", container.settings)
    return app
