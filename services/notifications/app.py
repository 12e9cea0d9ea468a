"""The notifications service's Flask app factory."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import text

from services.notifications.api import deliveries, old_links, policies, preferences
from services.notifications.bootstrap import Container, bootstrap
from services.notifications.config import NotificationsSettings
from shared.streams import consumer_checks
from shared.web import install_api, install_auth, install_health, install_operations

DESCRIPTION = (
    "Notification policies of a partnership, the planned reminders they produce and the "
    "delivery log. Messages go out through Apprise (e-mail, SMS, Teams, Slack, webhooks)."
)


def create_app(
    settings: NotificationsSettings | None = None, container: Container | None = None
) -> Flask:
    """Build the app; settings come from the environment unless given."""
    if container is None:
        container = bootstrap(settings or NotificationsSettings.from_env(os.environ))
    app = Flask(__name__)
    app.extensions["notifications"] = container
    api = install_api(
        app, "Notifications service", DESCRIPTION, max_body_bytes=container.settings.max_body_bytes
    )
    for module in (policies, deliveries, preferences):
        api.register_blueprint(module.blp)
    # The preference links carry their own signed token instead of a bearer token; the old
    # console's addresses only redirect to the web front end (old_links).
    install_auth(
        app,
        container.settings.jwt_secret,
        container.clock,
        container.revocations.check,
        public_prefixes=("/api/v1/preferences/", old_links.PREFIX),
    )
    app.register_blueprint(old_links.blp)

    def database() -> None:
        with container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    group = container.settings.consumer_group
    consumer = consumer_checks(container.settings, container.redis, group, container.clock.now)
    install_health(app, {"database": database, "redis": container.redis.ping, **consumer})
    install_operations(app, "notifications", container.settings)
    return app
