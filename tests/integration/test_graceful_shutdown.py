"""Graceful shutdown of the long-running processes, as real processes against the real Redis:
a consumer stopped with SIGTERM while it works finishes and acknowledges its batch, exits 0 and
leaves nothing pending; after a restart every event has been processed exactly once. The relay
stopped with SIGTERM exits 0 and releases its lease."""

from __future__ import annotations

import json
import signal
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, func, select

from services.reports.adapters import orm as reports_orm
from shared.events import Envelope, Subject
from shared.streams import ENVELOPE_FIELD
from tests.conftest import JWT_SECRET, REDIS_URL, ROOT
from tests.support.databases import DatabaseFactory
from tests.support.processes import ProcessGroup, ServiceProcess, service_env, wait_until

EVENTS = 1500
GROUP = "reports"


@pytest.fixture
def processes(tmp_path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path / "logs")
    yield group
    group.stop_all()
    print(group.report())  # shown when the test fails


@pytest.fixture
def reports_db(tmp_path) -> Iterator[str]:
    factory = DatabaseFactory(ROOT / "services" / "reports" / "migrations", tmp_path / "db")
    yield factory.make("sqlite")
    factory.drop_all()


def enrolled() -> Envelope:
    pupil_id = uuid.uuid4()
    return Envelope(
        id=uuid.uuid4(),
        type="pupil.enrolled",
        version=1,
        occurred_at=datetime(2026, 10, 15, 8, 0, tzinfo=UTC),
        partnership_id=uuid.UUID(int=1),
        school_id=uuid.UUID(int=2),
        subject=Subject("pupil", pupil_id),
        data={"pupil_id": pupil_id, "enrolled_on": date(2026, 9, 1)},
        request_id=f"req-{uuid.uuid4().hex[:8]}",
    )


def handled_lines(process: ServiceProcess) -> list[dict]:
    """The consumer's JSON log lines about handled events."""
    out = []
    for line in process.log().splitlines():
        if line.startswith("{") and '"result"' in line:
            record = json.loads(line)
            if record.get("logger") == "shared.streams":
                out.append(record)
    return out


def test_a_consumer_stopped_mid_stream_finishes_its_batch_and_loses_nothing(
    redis_client, stream_name, reports_db, processes
) -> None:
    env = service_env(
        {
            "REPORTS_DATABASE_URL": reports_db,
            "JWT_SECRET": JWT_SECRET,
            "REDIS_URL": REDIS_URL,
            "EVENT_STREAM": stream_name,
            "REPORTS_CONSUMER_GROUP": GROUP,
            "REPORTS_CONSUMER_NAME": "reports-1",
            "LOG_FORMAT": "json",
        }
    )
    envelopes = [enrolled() for _ in range(EVENTS)]
    pipe = redis_client.pipeline()
    for envelope in envelopes:
        pipe.xadd(stream_name, {ENVELOPE_FIELD: envelope.to_json()})
    pipe.execute()

    first = processes.python_module("reports-consumer", "services.reports", ["consume"], env)
    wait_until(lambda: handled_lines(first), timeout=30, message="the first event handled")
    first.signal(signal.SIGTERM)
    assert first.wait(timeout=30) == 0
    assert "stopping on signal" in first.log()
    done_first = handled_lines(first)
    assert 0 < len(done_first) < EVENTS, "the consumer was not stopped while it worked"
    # The batch in hand was finished and acknowledged: nothing of it waits for a reclaim.
    assert redis_client.xpending(stream_name, GROUP)["pending"] == 0

    second = processes.python_module("reports-consumer", "services.reports", ["consume"], env)
    engine = create_engine(reports_db)
    try:

        def processed() -> int:
            with engine.connect() as conn:
                table = reports_orm.processed_events
                return conn.execute(select(func.count()).select_from(table)).scalar_one()

        wait_until(lambda: processed() == EVENTS, timeout=60, message="every event processed")
    finally:
        engine.dispose()
    second.signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0

    lines = done_first + handled_lines(second)
    results = Counter(line["result"] for line in lines)
    assert results == {"processed": EVENTS}  # no duplicates, nothing failed
    by_event = Counter(line["event_id"] for line in lines)
    assert set(by_event) == {str(e.id) for e in envelopes}
    assert set(by_event.values()) == {1}  # each exactly once
    # Every line carries the request id of its event (JSON logs, the envelope's request_id).
    wanted = {str(e.id): e.request_id for e in envelopes}
    assert all(line["request_id"] == wanted[line["event_id"]] for line in lines)
    assert all(line["service"] == "reports" for line in lines)
    assert redis_client.xpending(stream_name, GROUP)["pending"] == 0


def test_the_relay_stops_on_sigterm_and_gives_its_lease_back(
    redis_client, stream_name, cases_databases, processes
) -> None:
    env = service_env(
        {
            "CASES_DATABASE_URL": cases_databases.make("sqlite"),
            "JWT_SECRET": JWT_SECRET,
            "REDIS_URL": REDIS_URL,
            "EVENT_STREAM": stream_name,
            "LOG_FORMAT": "json",
        }
    )
    lease = f"{{{stream_name}}}:relay-lease"
    relay = processes.python_module("cases-relay", "services.cases", ["relay"], env)
    wait_until(lambda: redis_client.exists(lease), timeout=30, message="the relay's lease")
    relay.signal(signal.SIGTERM)
    assert relay.wait(timeout=30) == 0
    assert not redis_client.exists(lease)  # a standby relay takes over at once
    assert '"message": "relay stopping on signal 15"' in relay.log()
