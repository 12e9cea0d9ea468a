"""Integration fixtures of the notifications service.

Everything is real: the notifications database (SQLite and PostgreSQL, migrated), Redis (one stream
per test), the cases service answering HTTP on 127.0.0.1 in a thread (its audience endpoint is what
the notifications service asks), an SMTP server (aiosmtpd) and a webhook receiver. Time is the
FixedClock of tests.conftest, shared by both services.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.cases.bootstrap import Container as CasesContainer
from services.notifications.app import create_app
from services.notifications.bootstrap import Container, bootstrap
from services.notifications.config import NotificationsSettings
from services.notifications.domain.holidays import parse_rijksoverheid
from services.reports.app import create_app as create_reports_app
from services.reports.bootstrap import Container as ReportsContainer
from shared.clock import FixedClock
from shared.crypto import new_key
from tests.conftest import JWT_SECRET, REDIS_URL, ROOT
from tests.integration.notifications.helpers import MAX_ATTEMPTS, CasesServer, Pipeline
from tests.integration.notifications.web_pages import web_browser
from tests.integration.reports.conftest import MIGRATIONS as REPORTS_MIGRATIONS
from tests.integration.reports.conftest import reports_container
from tests.integration.web.conftest import Browser
from tests.support.cases_server import AppServer
from tests.support.databases import DatabaseFactory
from tests.support.mail import MailServer
from tests.support.webhook import WebhookReceiver

MIGRATIONS = ROOT / "services" / "notifications" / "migrations"
HOLIDAYS = ROOT / "services" / "notifications" / "data" / "schoolvakanties.json"


@pytest.fixture(scope="session")
def notifications_databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(MIGRATIONS, tmp_path_factory.mktemp("notifications-db"))
    yield factory
    factory.drop_all()


@pytest.fixture
def cases_server(app: Flask) -> Iterator[CasesServer]:
    server = CasesServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def notifications_settings(
    db_kind: str,
    notifications_databases: DatabaseFactory,
    stream_name: str,
    cases_server: CasesServer,
    mail_server: MailServer,
) -> NotificationsSettings:
    return NotificationsSettings(
        database_url=notifications_databases.make(db_kind),
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        event_stream=stream_name,
        cases_url=cases_server.url,
        encryption_key=new_key(),
        mail_url=mail_server.apprise_url(),
        max_attempts=MAX_ATTEMPTS,
        retry_base_seconds=30,
        apprise_timeout_seconds=5.0,
    )


@pytest.fixture
def notifications(
    notifications_settings: NotificationsSettings, clock: FixedClock
) -> Iterator[Container]:
    c = bootstrap(notifications_settings, clock=clock)
    years = parse_rijksoverheid(json.loads(HOLIDAYS.read_text(encoding="utf-8")))
    with c.store() as store:
        for school_year, holidays in years.items():
            store.replace_holidays(school_year, holidays)
        store.commit()
    yield c
    c.sender.mail.close_idle(everything=True)
    c.directory.http.close()
    c.engine.dispose()
    c.redis.close()


@pytest.fixture
def notifications_client(notifications: Container) -> FlaskClient:
    return create_app(container=notifications).test_client()


@pytest.fixture
def pipeline(container: CasesContainer, notifications: Container, stream_name: str) -> Pipeline:
    return Pipeline(container, notifications, stream_name)


# -- the reports service over HTTP, for the tests where notifications asks it ---------------------


@pytest.fixture(scope="session")
def reports_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(REPORTS_MIGRATIONS, tmp_path_factory.mktemp("reports-db"))
    yield factory
    factory.drop_all()


@pytest.fixture
def reports(
    db_kind: str,
    reports_databases: DatabaseFactory,
    stream_name: str,
    clock: FixedClock,
    cases_server: CasesServer,
) -> Iterator[ReportsContainer]:
    """The reports service on the same stream and clock as the other two (it asks the cases
    service whether a person's token is valid)."""
    c = reports_container(db_kind, reports_databases, stream_name, clock, cases_server.url)
    yield c
    c.engine.dispose()
    c.redis.close()


@pytest.fixture
def reports_server(reports: ReportsContainer) -> Iterator[AppServer]:
    server = AppServer(create_reports_app(container=reports)).start()
    yield server
    server.stop()


# -- the web front end's pages that were the console (tests/integration/notifications/web_pages.py)


@pytest.fixture
def notifications_server(notifications: Container) -> Iterator[AppServer]:
    server = AppServer(create_app(container=notifications)).start()
    yield server
    server.stop()


@pytest.fixture
def web(clock, cases_server, notifications_server) -> Iterator[Browser]:
    """The web app with the cases and notifications APIs (no reports service)."""
    yield from web_browser(clock, cases_server.url, notifications_server.url)


@pytest.fixture
def web_with_reports(
    clock, cases_server, notifications_server, reports_server
) -> Iterator[Browser]:
    """The web app with the cases, notifications and reports APIs."""
    yield from web_browser(clock, cases_server.url, notifications_server.url, reports_server.url)
