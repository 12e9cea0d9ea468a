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
from shared.auth import Validity
from shared.clock import FixedClock
from shared.revocation import Revocations
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
def minted_tokens() -> bool:
    """Whether the module's tests sign their own tokens for people the cases service does not
    know, to test what a report shows to whom: then the reports service takes every account as
    valid, and no cases service runs. Tests of that check itself (test_revocation, and those
    with the world's real accounts that want it) override this with False: then the reports
    service asks the real cases service, as in production."""
    return True


@pytest.fixture
def reports(
    db_kind: str,
    reports_databases: DatabaseFactory,
    stream_name: str,
    clock: FixedClock,
    minted_tokens: bool,
    request: pytest.FixtureRequest,
) -> Iterator[Container]:
    cases_url = "" if minted_tokens else request.getfixturevalue("cases_server").url
    c = reports_container(db_kind, reports_databases, stream_name, clock, cases_url)
    if minted_tokens:
        c.revocations = Revocations(c.redis, source=lambda _user_id: Validity(active=True))
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
