"""Integration fixtures of the reports service: its read model migrated on SQLite and PostgreSQL
(one fresh database per test), Redis (one stream per test) and, where a test needs the producer,
the cases service of tests/integration/conftest.py served over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.reports.app import create_app
from services.reports.bootstrap import Container, bootstrap
from services.reports.config import ReportsSettings
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET, REDIS_URL, ROOT
from tests.support.cases_server import CasesServer
from tests.support.databases import DatabaseFactory

MIGRATIONS = ROOT / "services" / "reports" / "migrations"


@pytest.fixture(scope="session")
def reports_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(MIGRATIONS, tmp_path_factory.mktemp("reports-db"))
    yield factory
    factory.drop_all()


def reports_container(
    db_kind: str,
    databases: DatabaseFactory,
    stream: str,
    clock: FixedClock,
    cases_url: str = "",
    redis_url: str = REDIS_URL,
) -> Container:
    settings = ReportsSettings(
        database_url=databases.make(db_kind),
        redis_url=redis_url,
        jwt_secret=JWT_SECRET,
        event_stream=stream,
        cases_url=cases_url,
    )
    return bootstrap(settings, clock=clock)


@pytest.fixture
def reports(
    db_kind: str,
    reports_databases: DatabaseFactory,
    stream_name: str,
    clock: FixedClock,
    cases_server: CasesServer,
) -> Iterator[Container]:
    """The reports service; it asks the cases service whether a person's token is valid."""
    c = reports_container(db_kind, reports_databases, stream_name, clock, cases_server.url)
    yield c
    c.engine.dispose()
    c.redis.close()


@pytest.fixture
def reports_client(reports: Container) -> FlaskClient:
    return create_app(container=reports).test_client()


@pytest.fixture
def cases_server(app: Flask) -> Iterator[CasesServer]:
    server = CasesServer(app).start()
    yield server
    server.stop()
