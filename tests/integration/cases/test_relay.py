"""The outbox relay against a real database (SQLite and PostgreSQL) and a real Redis.

In process: `relay_once` publishes every outbox row once and in order, also after a crash between
XADD and marking the row. As real processes (`python -m services.cases relay`): a relay killed with
SIGKILL while events are being committed loses and duplicates nothing once a new one starts; a
second relay waits for the lease; SIGTERM stops a relay cleanly; an unreachable Redis is retried.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import func, select

from services.cases.adapters import orm
from services.cases.adapters.relay import relay_once
from services.cases.bootstrap import Container
from services.cases.config import CasesSettings
from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h
from shared.auth import Principal
from shared.clock import FixedClock, utc_iso
from shared.events import Envelope
from shared.streams import ENVELOPE_FIELD, StreamPublisher, redis_client
from tests.conftest import NOW
from tests.support.processes import (
    ProcessGroup,
    ServiceProcess,
    service_env,
    wait_for_log,
    wait_until,
)
from tests.support.redis_servers import RedisServer

PASSWORD = "correct-horse-battery-staple"


# -- helpers -----------------------------------------------------------------------------------


class School:
    """A partnership (one `partnership.registered` event) with one school (one
    `school.registered`) and its coordinator; `enrol` commits one event per pupil."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.partnership_id = h.create_partnership(
            c.CreatePartnership("SWV Relay", "admin@relay.test", "Beheer", PASSWORD),
            container.uow(),
        )
        admin = self._principal("admin@relay.test")
        self.school_id = h.create_school(
            c.CreateSchool(self.partnership_id, "OBS De Relay", "noord"), container.uow(), admin
        )
        h.create_user(
            c.CreateUser("coordinator", "ib@relay.test", "IB", PASSWORD, self.school_id),
            container.uow(),
            admin,
        )
        self.coordinator = self._principal("ib@relay.test")
        self.enrolled = 0

    def _principal(self, email: str) -> Principal:
        with self.container.uow() as uow:
            user = uow.repo.user_by_email(email)
            assert user is not None
            return h.principal_of(user, uow)

    def enrol(self, count: int = 1) -> None:
        """Register `count` pupils, one transaction (and one `pupil.enrolled` event) each."""
        for _ in range(count):
            self.enrolled += 1
            h.register_pupil(
                c.RegisterPupil(
                    school_id=self.school_id,
                    given_name="Kind",
                    family_name=f"Nummer {self.enrolled}",
                    date_of_birth=date(2018, 3, 1),
                    group="groep 3",
                    enrolled_on=date(2024, 8, 26),
                    pupil_number=f"R-{self.enrolled}",
                    guardians=[{"name": "Ouder", "email": None, "phone": None, "language": "nl"}],
                ),
                self.container.uow(),
                self.coordinator,
            )


def outbox_rows(container: Container) -> list[Any]:
    """Every outbox row (seq, id, envelope, published_at), in seq order."""
    o = orm.outbox.c
    with container.sessions() as session:
        query = select(o.seq, o.id, o.envelope, o.published_at).order_by(o.seq)
        return list(session.execute(query))


def unpublished_count(container: Container) -> int:
    with container.sessions() as session:
        query = select(func.count()).where(orm.outbox.c.published_at.is_(None))
        return int(session.execute(query).scalar_one())


def stream_envelopes(client: redis.Redis, stream: str) -> list[Envelope]:
    """Every envelope on the stream, oldest first; each entry must hold just the envelope."""
    envelopes = []
    for _entry_id, fields in client.xrange(stream):
        assert set(fields) == {ENVELOPE_FIELD}
        envelopes.append(Envelope.from_json(fields[ENVELOPE_FIELD]))
    return envelopes


def assert_stream_matches_outbox(client: redis.Redis, stream: str, container: Container) -> None:
    """The stream holds every outbox event exactly once, in seq order, and every row is marked."""
    rows = outbox_rows(container)
    published = [e.id for e in stream_envelopes(client, stream)]
    assert len(published) == len(set(published)), "an event was published twice"
    assert published == [row.id for row in rows]
    assert all(row.published_at is not None for row in rows)


def lease_key(stream: str) -> str:
    return f"{{{stream}}}:relay-lease"


# -- relay_once in process ---------------------------------------------------------------------


def test_relay_once_publishes_every_row_once_in_order(
    container: Container, clock: FixedClock, redis_client: redis.Redis, stream_name: str
) -> None:
    school = School(container)
    school.enrol(5)
    rows = outbox_rows(container)
    assert len(rows) == 7 and all(row.published_at is None for row in rows)
    publisher = StreamPublisher(container.redis, stream_name)

    # Small batches: order must hold across them too.
    published = [relay_once(container.sessions, publisher, clock, batch_size=2) for _ in range(4)]

    assert published == [2, 2, 2, 1]
    envelopes = stream_envelopes(redis_client, stream_name)
    assert [e.id for e in envelopes] == [row.id for row in rows]
    assert [e.to_json() for e in envelopes] == [row.envelope for row in rows]
    assert [e.type for e in envelopes] == (
        ["partnership.registered", "school.registered"] + ["pupil.enrolled"] * 5
    )
    assert {(e.partnership_id, e.school_id) for e in envelopes} == {
        (school.partnership_id, None),
        (school.partnership_id, school.school_id),
    }
    # SQLite hands timezone-aware columns back naive (in UTC).
    marked = {row.published_at.replace(tzinfo=UTC) for row in outbox_rows(container)}
    assert marked == {clock.now()}

    assert relay_once(container.sessions, publisher, clock) == 0
    assert redis_client.xlen(stream_name) == 7


def test_a_crash_after_xadd_before_marking_publishes_nothing_twice(
    container: Container, clock: FixedClock, redis_client: redis.Redis, stream_name: str
) -> None:
    school = School(container)
    school.enrol(4)
    rows = outbox_rows(container)
    publisher = StreamPublisher(container.redis, stream_name)
    # The relay's crash window: XADD went through, the transaction marking the rows did not.
    for row in rows[:3]:
        assert publisher.publish(str(row.id), row.envelope) is not None
    assert unpublished_count(container) == 6  # the partnership's, the school's and four pupils'

    assert relay_once(container.sessions, publisher, clock) == 6

    assert_stream_matches_outbox(redis_client, stream_name, container)
    assert publisher.publish(str(rows[0].id), rows[0].envelope) is None


def test_a_batch_goes_to_redis_in_one_round_trip(
    container: Container, clock: FixedClock, tmp_path: Path
) -> None:
    """One script call per batch, not one EVALSHA per event (issue 15): counted by a Redis of
    the test's own, whose command statistics nobody else touches."""
    School(container).enrol(5)
    server = RedisServer(workdir=tmp_path).start()
    try:
        client = redis_client(server.url)
        publisher = StreamPublisher(client, "relay-round-trips")
        assert relay_once(container.sessions, publisher, clock, batch_size=2) == 2  # loads it
        client.config_resetstat()

        assert relay_once(container.sessions, publisher, clock) == 5

        stats = client.info("commandstats")
        assert stats["cmdstat_evalsha"]["calls"] == 1
        assert "cmdstat_eval" not in stats  # (the XADDs inside the script count too)
        assert [e.id for e in stream_envelopes(client, "relay-round-trips")] == [
            row.id for row in outbox_rows(container)
        ]
        client.close()
    finally:
        server.stop()


def test_a_failed_xadd_leaves_the_event_to_be_published_later(
    container: Container, clock: FixedClock, redis_client: redis.Redis, stream_name: str
) -> None:
    school = School(container)
    school.enrol(2)
    publisher = StreamPublisher(container.redis, stream_name)
    # Redis refuses the XADD (here: the key is not a stream; in production e.g. out of memory).
    redis_client.set(stream_name, "not a stream")
    with pytest.raises(redis.ResponseError):
        relay_once(container.sessions, publisher, clock)
    assert unpublished_count(container) == 4  # the partnership's, the school's and two pupils'

    redis_client.delete(stream_name)
    assert relay_once(container.sessions, publisher, clock) == 4

    assert_stream_matches_outbox(redis_client, stream_name, container)


# -- the relay as a real process ---------------------------------------------------------------


@pytest.fixture
def processes(tmp_path: Path, stream_name: str) -> Iterator[ProcessGroup]:
    """Processes of this test; stopped before the stream's keys are deleted. The logs are
    printed into the captured output, which pytest shows when the test fails."""
    group = ProcessGroup(tmp_path / "logs")
    yield group
    group.stop_all()
    print(group.report())


@pytest.fixture
def relay_env(cases_settings: CasesSettings, tmp_path: Path) -> dict[str, str]:
    clock_file = tmp_path / "clock"
    clock_file.write_text(utc_iso(NOW), encoding="utf-8")
    return service_env(
        {
            "CASES_DATABASE_URL": cases_settings.database_url,
            "REDIS_URL": cases_settings.redis_url,
            "JWT_SECRET": cases_settings.jwt_secret,
            "EVENT_STREAM": cases_settings.event_stream,
            "CASES_RELAY_POLL_SECONDS": "0.05",
            "CLOCK_FILE": str(clock_file),
            "LOG_LEVEL": "INFO",
        }
    )


def start_relay(processes: ProcessGroup, env: dict[str, str]) -> ServiceProcess:
    relay = processes.python_module("relay", "services.cases", ["relay"], env)
    wait_for_log(relay, "relay started", timeout=20)
    return relay


def wait_all_published(container: Container, timeout: float = 20.0) -> None:
    wait_until(
        lambda: unpublished_count(container) == 0,
        timeout=timeout,
        message="every outbox row to be published",
    )


def test_killing_the_relay_between_commit_and_publish_then_restarting_publishes_every_event_once(
    container: Container,
    redis_client: redis.Redis,
    stream_name: str,
    processes: ProcessGroup,
    relay_env: dict[str, str],
) -> None:
    school = School(container)
    first = start_relay(processes, relay_env)
    school.enrol(1)
    wait_all_published(container)  # the relay runs and holds the lease

    for i in range(200):
        school.enrol(1)
        if i == 99:
            # Mid-way: once the relay has published some of this loop's events, kill it with no
            # chance to finish its batch, release its lease or close its transaction.
            wait_until(lambda: redis_client.xlen(stream_name) > 1, message="the relay to publish")
            assert first.kill() == -signal.SIGKILL
            assert redis_client.exists(lease_key(stream_name)), "a dead relay keeps its lease"
            stream_length_at_kill = redis_client.xlen(stream_name)
            marked = len(outbox_rows(container)) - unpublished_count(container)
            print(
                f"relay killed: {stream_length_at_kill} entries on the stream, {marked} rows marked"
            )

    # 100 events were committed while no relay ran.
    assert redis_client.xlen(stream_name) == stream_length_at_kill
    assert unpublished_count(container) >= 100
    # The dead relay's lease runs out after its TTL (15 s); a standby relay waiting that out is
    # tested below. Here Redis's clock is moved on instead of the test waiting for it.
    redis_client.delete(lease_key(stream_name))

    second = start_relay(processes, relay_env)
    wait_all_published(container)

    assert len(outbox_rows(container)) == 203  # the partnership's, the school's, 201 pupils'
    assert_stream_matches_outbox(redis_client, stream_name, container)
    second.signal(signal.SIGTERM)
    assert second.wait(timeout=5) == 0


def assert_nothing_published_for(container: Container, seconds: float, expected: int) -> None:
    """Watch for `seconds` that `expected` rows stay unpublished (absence cannot be awaited)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert unpublished_count(container) == expected
        time.sleep(0.05)


# The lease lives in Redis, so the database does not matter here; PostgreSQL, because freezing a
# relay that holds SQLite's single write lock would block the test's own commits.
@pytest.mark.parametrize("db_kind", ["postgres"])
def test_a_second_relay_waits_while_the_first_holds_the_lease_and_sigterm_stops_cleanly(
    container: Container,
    redis_client: redis.Redis,
    stream_name: str,
    processes: ProcessGroup,
    relay_env: dict[str, str],
) -> None:
    school = School(container)
    first = start_relay(processes, relay_env)
    school.enrol(1)
    wait_all_published(container)
    standby = start_relay(processes, relay_env)

    first.signal(signal.SIGSTOP)  # alive and holding the lease, but publishing nothing
    try:
        school.enrol(3)
        # The standby polls the lease every 0.2 s; in 1 s it would have published had it not
        # respected the lease.
        assert_nothing_published_for(container, seconds=1.0, expected=3)
    finally:
        first.signal(signal.SIGCONT)
    wait_all_published(container)

    started = time.monotonic()
    first.signal(signal.SIGTERM)
    assert first.wait(timeout=5) == 0
    assert time.monotonic() - started < 3
    # A clean stop releases the lease, so the standby takes over at once, not after the TTL.
    school.enrol(2)
    wait_all_published(container, timeout=5)
    assert standby.running

    standby.signal(signal.SIGTERM)
    assert standby.wait(timeout=5) == 0
    assert not redis_client.exists(lease_key(stream_name))
    assert_stream_matches_outbox(redis_client, stream_name, container)
    assert "relay stopping on signal 15" in first.log()


@pytest.mark.parametrize("db_kind", ["postgres"])
def test_a_standby_relay_takes_over_when_the_lease_of_a_killed_relay_expires(
    container: Container,
    redis_client: redis.Redis,
    stream_name: str,
    processes: ProcessGroup,
    relay_env: dict[str, str],
) -> None:
    school = School(container)
    first = start_relay(processes, relay_env)
    school.enrol(1)
    wait_all_published(container)
    standby = start_relay(processes, relay_env)

    first.kill()
    school.enrol(3)
    ttl_ms = redis_client.pttl(lease_key(stream_name))
    assert 0 < ttl_ms <= 15000

    wait_all_published(container, timeout=ttl_ms / 1000 + 10)
    assert_stream_matches_outbox(redis_client, stream_name, container)
    standby.signal(signal.SIGTERM)
    assert standby.wait(timeout=5) == 0


def test_relay_keeps_retrying_while_redis_is_unreachable(
    container: Container, processes: ProcessGroup, relay_env: dict[str, str]
) -> None:
    school = School(container)
    school.enrol(3)

    relay = start_relay(processes, {**relay_env, "REDIS_URL": "redis://127.0.0.1:1/0"})
    wait_for_log(relay, "retrying", count=3, timeout=15)

    assert relay.running
    assert unpublished_count(container) == 5  # the partnership's, the school's, three pupils'
    relay.signal(signal.SIGTERM)
    assert relay.wait(timeout=5) == 0
    assert unpublished_count(container) == 5
