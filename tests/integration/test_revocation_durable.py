"""A disabled account stays disabled in every service after Redis loses its data (issue 11).

The durable truth is the account's row in the cases database (`active`, `tokens_valid_after`);
Redis only caches it for notifications and reports (shared.revocation). The three services run
here on a Redis of the test's own, which is restarted without persistence (every key gone), as
a Redis restart without AOF or RDB would do in production.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.cases.config import CasesSettings
from services.notifications.app import create_app as notifications_app
from services.notifications.bootstrap import bootstrap as notifications_bootstrap
from services.reports.app import create_app as reports_app
from tests.conftest import JWT_SECRET
from tests.integration.notifications.conftest import (  # noqa: F401  (fixtures)
    cases_server,
    mail_server,
    notifications_databases,
    notifications_settings,
)
from tests.integration.reports.conftest import (  # noqa: F401  (fixtures)
    reports_container,
    reports_databases,
)
from tests.support.databases import DatabaseFactory
from tests.support.redis_servers import RedisServer
from tests.support.world import PASSWORD, World


@pytest.fixture
def cases_settings(
    db_kind: str, cases_databases: DatabaseFactory, stream_name: str, own_redis: RedisServer
) -> CasesSettings:
    return CasesSettings(
        database_url=cases_databases.make(db_kind),
        redis_url=own_redis.url,
        jwt_secret=JWT_SECRET,
        event_stream=stream_name,
    )


@dataclasses.dataclass
class Services:
    world: World
    notifications: FlaskClient
    reports: FlaskClient

    def answers(self, who: str) -> dict[str, int]:
        """The status of one read in each service with `who`'s token (a delivery log and a
        report: the guardians' addresses and a school's figures)."""
        token = self.world.tokens[who]
        headers = {"Authorization": f"Bearer {token}"}
        report = f"/api/v1/reports/schools/{self.world.school_a1}?start=2026-08-01&end=2026-10-31"
        return {
            "cases": self.world.call(who, "GET", "/api/v1/pupils").status_code,
            "notifications": self.notifications.get(
                "/api/v1/deliveries/", headers=headers
            ).status_code,
            "reports": self.reports.get(report, headers=headers).status_code,
        }


@pytest.fixture
def services(
    world: World,
    notifications_settings: Any,  # noqa: F811
    reports_databases: DatabaseFactory,  # noqa: F811
    cases_server: Any,  # noqa: F811
    db_kind: str,
    stream_name: str,
    clock: Any,
    own_redis: RedisServer,
) -> Iterator[Services]:
    n_settings = dataclasses.replace(notifications_settings, redis_url=own_redis.url)
    notifications = notifications_bootstrap(n_settings, clock=clock)
    reports = reports_container(
        db_kind, reports_databases, stream_name, clock, cases_server.url, own_redis.url
    )
    yield Services(
        world,
        notifications_app(container=notifications).test_client(),
        reports_app(container=reports).test_client(),
    )
    for container in (notifications, reports):
        container.engine.dispose()
        container.redis.close()


ALL = {"cases": 200, "notifications": 200, "reports": 200}
REFUSED = {"cases": 401, "notifications": 401, "reports": 401}


def _log_in(world: World, who: str) -> None:
    login = world.client.post(
        "/api/v1/auth/token", json={"email": f"{who}@test.nl", "password": PASSWORD}
    )
    assert login.status_code == 200, login.json
    world.tokens[who] = login.json["access_token"]


def test_a_disabled_coordinator_stays_refused_everywhere_after_redis_loses_its_data(
    services: Services, own_redis: RedisServer, clock: Any
) -> None:
    world = services.world
    coordinator = world.users["coordinator_a1"]
    assert services.answers("coordinator_a1") == ALL

    clock.advance(timedelta(minutes=10))
    disabled = world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/disable")
    assert disabled.status_code == 200, disabled.json
    assert services.answers("coordinator_a1") == REFUSED

    own_redis.restart()  # no persistence: every revocation marker and cached answer is gone
    with own_redis.client() as client:
        assert client.dbsize() == 0
    assert services.answers("coordinator_a1") == REFUSED
    assert services.answers("director_a1") == ALL  # everyone else is unaffected

    # Re-enabled: the token issued before the disable stays dead, also after another loss.
    clock.advance(timedelta(minutes=1))
    enabled = world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/enable")
    assert enabled.status_code == 200, enabled.json
    assert services.answers("coordinator_a1") == REFUSED
    own_redis.restart()
    assert services.answers("coordinator_a1") == REFUSED
    clock.advance(timedelta(seconds=1))
    _log_in(world, "coordinator_a1")  # the user logs in again
    assert services.answers("coordinator_a1") == ALL


def test_without_the_cache_and_the_cases_service_a_persons_token_is_refused(
    services: Services,
    own_redis: RedisServer,
    cases_server: Any,  # noqa: F811
) -> None:
    """Fail closed: when neither Redis's cache nor the cases service can say whether an account
    is valid, notifications and reports refuse a person's token (503), and accept it again
    once cases answers."""
    own_redis.restart()
    cases_server.stop()
    try:
        answers = services.answers("director_a1")
    finally:
        cases_server.start()
    assert answers["notifications"] == 503 and answers["reports"] == 503
    assert services.answers("director_a1") == ALL
