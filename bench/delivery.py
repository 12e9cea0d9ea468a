"""Benchmark: webhook notifications delivered per second (issue 15), the project's real Celery
worker (the Procfile's command, prefork with N pool processes) beside bare Apprise json:// from N
processes, both to the same local receiver (tests/support/webhook.py), in the same run.

The project's figure starts when one dispatch task is queued (as one beat would) with every row
due, and stops when the last row is recorded as sent: the dispatcher's batches, the broker, the
claim, the send and its commit all count. The worker is started and ready before the clock runs.

    .venv/bin/python -m bench.delivery             # 1, 2 and 4 processes, 1,000 rows each
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import apprise
from celery import Celery
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bench.common import database_url, drop_databases, kinds
from bench.table import Row, interleaved, render, row
from services.notifications.__main__ import HOLIDAYS
from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from services.notifications.domain.holidays import parse_rijksoverheid
from shared.crypto import Cipher, new_key
from shared.db import make_engine, session_factory
from shared.migrations import upgrade
from tests.support.due_rows import plan_due_webhooks
from tests.support.processes import PYTHON, ROOT, service_env
from tests.support.redis_servers import RedisServer
from tests.support.webhook import WebhookReceiver

MIGRATIONS = ROOT / "services" / "notifications" / "migrations"
QUEUE = "bench-delivery"


def load_holidays(sessions: sessionmaker, cipher: Cipher) -> None:
    """The shipped school holidays, loaded as the service's `migrate` command loads them: every
    delivery re-checks its send time against them."""
    years = parse_rijksoverheid(json.loads(HOLIDAYS.read_text(encoding="utf-8")))
    with sessions() as session:
        store = Store(session, cipher)
        for school_year, holidays in years.items():
            store.replace_holidays(school_year, holidays)
        store.commit()


def _bare_sender(args: tuple[str, int]) -> int:
    """One process of the bare baseline: `count` json:// notifications, unthrottled."""
    url, count = args
    for i in range(count):
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        plugin.request_rate_per_sec = 0
        assert plugin.notify(body=f"Bericht {i}", title="Nieuwe melding")
    return count


class Deliveries:
    """One database, broker, receiver and worker (of `processes` pool processes)."""

    def __init__(
        self, kind: str, folder: Path, processes: int, mail_url: str = "mailto://127.0.0.1:9"
    ) -> None:
        self.folder = folder
        self.processes = processes
        self.hook = WebhookReceiver().start()
        self.redis = RedisServer(workdir=folder).start()
        url = database_url(kind, str(folder), "delivery")
        self.engine = make_engine(url)
        upgrade(MIGRATIONS, self.engine)
        key = new_key()
        self.cipher = Cipher.from_setting(key)
        self.sessions = session_factory(self.engine)
        load_holidays(self.sessions, self.cipher)  # as `migrate` does in production
        env = {
            "NOTIFICATIONS_DATABASE_URL": url,
            "REDIS_URL": self.redis.url,
            "JWT_SECRET": "bench-secret-bench-secret-bench-secret",
            "CASES_URL": "http://127.0.0.1:9",  # never asked: the rows carry everything
            "NOTIFICATIONS_ENCRYPTION_KEY": key,
            "NOTIFICATIONS_MAIL_URL": mail_url,
            "NOTIFICATIONS_QUEUE": QUEUE,
            "LOG_LEVEL": "WARNING",
        }
        self.celery = Celery("bench", broker=self.redis.url)
        args = [PYTHON, "-m", "celery", "-A", "services.notifications.worker:celery", "worker"]
        args += ["-Q", QUEUE, "--concurrency", str(processes), "--loglevel", "WARNING"]
        args += ["-n", f"bench-{uuid.uuid4().hex[:8]}@%h"]
        with open(folder / f"worker-{processes}.log", "ab") as log:
            self.worker = subprocess.Popen(
                args,
                env=service_env(env),
                cwd=ROOT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self._ready()

    def _ready(self) -> None:
        deadline = time.monotonic() + 60
        while not self.celery.control.ping(timeout=0.5):
            if time.monotonic() > deadline or self.worker.poll() is not None:
                raise RuntimeError(f"the worker did not start; see {self.folder}")

    def unsent(self) -> int:
        table = orm.planned_notifications
        with self.engine.connect() as conn:
            query = select(func.count()).where(table.c.status != "sent")
            return int(conn.execute(query).scalar_one())

    def project(self, count: int, plan: Callable[[int, datetime], object] | None = None) -> float:
        """Rows per second from one dispatch to the last row sent; `plan` writes `count` due
        rows (by default: webhook messages to the receiver)."""
        now = datetime.now(UTC)
        if plan is None:
            plan_due_webhooks(
                self.engine, self.sessions, self.cipher, self.hook.apprise_url(), count, now
            )
        else:
            plan(count, now)
        started = time.perf_counter()
        self.celery.send_task("notifications.dispatch_due", queue=QUEUE)
        deadline = time.monotonic() + 600
        while self.unsent():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.unsent()} rows left unsent; see {self.folder}")
            time.sleep(0.05)
        return count / (time.perf_counter() - started)

    def bare(self, count: int) -> float:
        url = self.hook.apprise_url()
        share = [(url, count // self.processes)] * self.processes
        # spawn, not fork: a fork of this threaded process (receiver, broker client) can hang
        with multiprocessing.get_context("spawn").Pool(self.processes) as pool:
            pool.map(_bare_sender, [(url, 1)] * self.processes)  # started before the clock runs
            started = time.perf_counter()
            sent = sum(pool.map(_bare_sender, share))
            return sent / (time.perf_counter() - started)

    def close(self) -> None:
        os.killpg(self.worker.pid, signal.SIGTERM)
        self.worker.wait(timeout=60)
        self.redis.stop()
        self.hook.stop()
        self.engine.dispose()


def delivery_row(kind: str, processes: int, count: int, rounds: int) -> Row:
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as folder:
        bench = Deliveries(kind, Path(folder), processes)
        try:
            ours, base = interleaved(
                lambda: bench.project(count), lambda: bench.bare(count), rounds
            )
        finally:
            bench.close()
    metric = f"webhook delivery, {processes} worker process{'es' * (processes > 1)} ({kind})"
    return row(metric, "msgs/s", ours, base, 0.6, "higher")


def rows(quick: bool) -> list[Row]:
    count, rounds = (300, 1) if quick else (400, 2)
    processes = (1, 2) if quick else (1, 2, 4)
    found = []
    try:
        for kind in kinds(quick):
            found += [delivery_row(kind, p, count, rounds) for p in processes]
    finally:
        drop_databases()
    return found


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
