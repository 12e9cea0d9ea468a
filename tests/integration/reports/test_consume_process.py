"""`python -m services.reports consume` as a real process: it joins the "reports" group on the
event stream, projects what is published (a duplicate entry once), dead-letters an entry that is
no envelope, and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from services.reports.adapters import orm
from shared.streams import ENVELOPE_FIELD
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.support.processes import ProcessGroup, service_env, wait_until
from tests.unit.reports.test_projector import a_whole_plan


@pytest.fixture
def processes(tmp_path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop_all()
    print(group.report())  # shown when the test fails


def count(c, table) -> int:
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_the_consumer_process_projects_the_stream_and_stops_on_sigterm(
    reports, stream_name, processes
):
    env = service_env(
        {
            "REPORTS_DATABASE_URL": reports.settings.database_url,
            "JWT_SECRET": JWT_SECRET,
            "REDIS_URL": REDIS_URL,
            "EVENT_STREAM": stream_name,
            "REPORTS_CONSUMER_NAME": "reports-test",
        }
    )
    consumer = processes.python_module("reports-consumer", "services.reports", ["consume"], env)
    events = a_whole_plan().events
    for e in events:
        reports.redis.xadd(stream_name, {ENVELOPE_FIELD: e.to_json()})
    reports.redis.xadd(stream_name, {ENVELOPE_FIELD: events[0].to_json()})  # delivered twice
    reports.redis.xadd(stream_name, {ENVELOPE_FIELD: "not an envelope"})

    wait_until(
        lambda: (
            count(reports, orm.processed_events) == len(events)
            and reports.redis.xlen(f"{stream_name}:dead") == 1
        ),
        timeout=30,
        message="the consumer to handle every entry",
    )
    wait_until(
        lambda: reports.redis.xpending(stream_name, "reports")["pending"] == 0,
        timeout=10,
        message="every entry acknowledged",
    )
    assert count(reports, orm.development_plans) == 1
    assert count(reports, orm.referrals) == 1

    consumer.signal(signal.SIGTERM)
    assert consumer.wait(timeout=15) == 0
