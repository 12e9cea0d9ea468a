"""After PostgreSQL drops the service's connections (a restart, pg_terminate_backend), the next
request is answered as usual: the pool notices the closed connections when it hands them out and
connects anew, without a ping's round trip per request (shared.db.drop_closed_on_checkout,
issue 15)."""

from __future__ import annotations

import psycopg
import pytest

from shared import db
from tests.support.api_flows import intervention_body, open_case
from tests.support.databases import _pg_conninfo


@pytest.fixture
def db_kind() -> str:
    return "postgres"


def _drop_connections(url: str) -> int:
    """Terminate every other connection to the service's database, waiting until each is gone."""
    with psycopg.connect(_pg_conninfo(url), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def test_requests_after_the_database_dropped_the_connections_succeed(
    world, container, cases_settings
) -> None:
    case = open_case(world)
    path = f"/api/v1/cases/{case['id']}"
    assert world.call("coordinator_a1", "GET", path).status_code == 200
    assert _drop_connections(cases_settings.database_url) >= 2  # the read and audit connections
    assert world.call("coordinator_a1", "GET", path).status_code == 200
    assert _drop_connections(cases_settings.database_url) >= 2
    post = world.call("coordinator_a1", "POST", f"{path}/interventions", json=intervention_body())
    assert post.status_code == 201, post.json
    assert world.call("coordinator_a1", "GET", path).json["interventions"] == [post.json]


def test_a_request_sends_no_ping(world, container, monkeypatch) -> None:
    """No `SELECT 1` before the statements: the liveness check costs no round trip."""
    case = open_case(world)
    pings: list[object] = []
    engines = [container.engine, container.read_sessions.kw["bind"], container.audit_engine]
    for engine in engines:
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
    assert world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}").status_code == 200
    post = world.call(
        "coordinator_a1",
        "POST",
        f"/api/v1/cases/{case['id']}/interventions",
        json=intervention_body(),
    )
    assert post.status_code == 201
    assert pings == []


def test_a_connection_idle_for_long_is_pinged_when_handed_out(
    world, container, monkeypatch
) -> None:
    """What the socket cannot show (an address moved by a failover) a ping still finds, on a
    connection back in the pool for longer than PING_AFTER_IDLE_SECONDS."""
    case = open_case(world)
    pings: list[object] = []
    engines = [container.engine, container.read_sessions.kw["bind"], container.audit_engine]
    for engine in engines:
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", -1.0)  # every connection counts as idle
    assert world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}").status_code == 200
    assert len(pings) >= 2  # the read and the audit connections

    failed: list[object] = []

    def down_once(conn: object) -> bool:
        if not failed:
            failed.append(conn)
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return True

    for engine in engines:  # a failing ping: the pool connects anew and the request goes on
        monkeypatch.setattr(engine.dialect, "do_ping", down_once)
    assert world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}").status_code == 200
    assert len(failed) == 1
