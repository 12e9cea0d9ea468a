"""The notifications Celery worker as operators run it, observed from outside: a real worker
process (prefork, two pool processes) on the real Redis broker (a queue of this test alone), the
real PostgreSQL database and a real SMTP server that wants a password, with LOG_FORMAT=json,
METRICS_PORT and PROMETHEUS_MULTIPROC_DIR set (docs/OPERATIONS.md, Metrics and Logs).

Rows are planned the way production plans them (cases API -> outbox -> relay -> stream ->
notifications consumer); the worker's clock is a clock file at the tests' fixed instant and is
moved by writing it. One guardian's address is refused by the SMTP server, so the counters show
sent, failed and (after the clock passes the retry moment) dead. The SMTP server holds the first
message until a second one arrives, so both pool processes are certain to deliver: the worker's
/metrics must add up both processes' counters. Finally SIGTERM stops the worker cleanly.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from celery import Celery
from flask import Flask
from prometheus_client.multiprocess import MultiProcessCollector

from services.notifications.bootstrap import Container, bootstrap
from services.notifications.config import NotificationsSettings
from shared.clock import FixedClock, utc_iso
from shared.crypto import new_key
from tests.conftest import JWT_SECRET, NOW, REDIS_URL, ROOT
from tests.integration.notifications.helpers import Pipeline, rows
from tests.support.api_flows import call_ok, intervention_body, open_case
from tests.support.cases_server import AppServer
from tests.support.databases import DatabaseFactory
from tests.support.mail import SENDER, free_port
from tests.support.processes import (
    PYTHON,
    ProcessGroup,
    ServiceProcess,
    service_env,
    wait_until,
)

SMTP_USER = "swv-mailer"
SMTP_PASSWORD = "smtp-Wachtwoord-9c1f7e"  # must never reach a log line
REFUSED = "parent.a2@test.nl"  # the SMTP server refuses this guardian's address
PUPILS = {"a1": "coordinator_a1", "a1_other": "coordinator_a1", "a2": "coordinator_a2"}
DELIVER = "notifications.deliver_notifications"  # a few due rows: a part each
DISPATCH = "notifications.dispatch_due"
HANDLERS_LOGGER = "services.notifications.service_layer.handlers"


# -- an SMTP server with a login, a refused address and a gate ----------------------------------


class GatedSmtp:
    """aiosmtpd handler: accepts the test's login only, refuses REFUSED at RCPT, keeps the other
    messages, and holds the first message until a second one is under way (or GATE_SECONDS)."""

    GATE_SECONDS = 10.0

    def __init__(self) -> None:
        self.received: list[tuple[str, ...]] = []
        self.logins: list[tuple[str, str]] = []
        self._arrived = 0
        self._second = asyncio.Event()

    def authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == (SMTP_USER, SMTP_PASSWORD))

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self._arrived += 1
        if self._arrived >= 2:
            self._second.set()
        else:
            try:
                await asyncio.wait_for(self._second.wait(), self.GATE_SECONDS)
            except TimeoutError:
                pass  # the assertions on the pool processes below will say what went wrong
        self.received.append(tuple(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[GatedSmtp, str]]:
    """The gated SMTP server and the Apprise mail URL (with the login) aimed at it."""
    handler, port = GatedSmtp(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=handler.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    url = f"mailto://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{port}?from={SENDER}&mode=insecure"
    yield handler, url
    controller.stop()


# -- the notifications service around the worker ------------------------------------------------


@pytest.fixture
def db_kind() -> str:
    return "postgres"  # the worker's pool processes write concurrently: the production database


@pytest.fixture(scope="module")
def notifications_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    migrations = ROOT / "services" / "notifications" / "migrations"
    factory = DatabaseFactory(migrations, tmp_path_factory.mktemp("notifications-db"))
    yield factory
    factory.drop_all()


@pytest.fixture
def cases_server(app: Flask) -> Iterator[AppServer]:
    server = AppServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def notifications(
    notifications_databases: DatabaseFactory,
    stream_name: str,
    cases_server: AppServer,
    smtp: tuple[GatedSmtp, str],
    clock: FixedClock,
) -> Iterator[Container]:
    settings = NotificationsSettings(
        database_url=notifications_databases.make("postgres"),
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        event_stream=stream_name,
        cases_url=cases_server.url,
        encryption_key=new_key(),
        mail_url=smtp[1],
        max_attempts=2,
        retry_base_seconds=30,
    )
    c = bootstrap(settings, clock=clock)
    yield c
    c.directory.http.close()
    c.engine.dispose()
    c.redis.close()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path / "logs")
    yield group
    group.stop_all()
    print(group.report())  # shown when the test fails


class WorkerProcess(ServiceProcess):
    """A process whose stderr (where the log records go) is kept apart from its stdout."""

    @property
    def stderr_path(self) -> Path:
        return self.log_path.with_suffix(".stderr")

    def start(self) -> WorkerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as out, open(self.stderr_path, "ab") as err:
            self.popen = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        return self

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log(self) -> str:
        return f"--- stdout\n{super().log()}\n--- stderr\n{self.stderr()}"


@pytest.fixture
def worker_env(
    notifications: Container, tmp_path: Path, redis_client: redis.Redis
) -> Iterator[dict[str, str]]:
    s = notifications.settings
    clock_file = tmp_path / "clock"
    clock_file.write_text(utc_iso(NOW), encoding="utf-8")
    multiproc = tmp_path / "metrics"
    multiproc.mkdir()
    queue = f"test-observability-{uuid.uuid4().hex}"
    yield service_env(
        {
            "NOTIFICATIONS_DATABASE_URL": s.database_url,
            "REDIS_URL": REDIS_URL,
            "JWT_SECRET": JWT_SECRET,
            "EVENT_STREAM": s.event_stream,
            "CASES_URL": s.cases_url,
            "NOTIFICATIONS_ENCRYPTION_KEY": s.encryption_key,
            "NOTIFICATIONS_MAIL_URL": s.mail_url,
            "NOTIFICATIONS_MAX_ATTEMPTS": str(s.max_attempts),
            "NOTIFICATIONS_RETRY_BASE_SECONDS": str(s.retry_base_seconds),
            "NOTIFICATIONS_QUEUE": queue,
            "CLOCK_FILE": str(clock_file),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "METRICS_PORT": str(free_port()),
            "METRICS_ADDR": "127.0.0.1",
            "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        }
    )
    keys = list(redis_client.scan_iter(match=f"*{queue}*"))
    if keys:
        redis_client.delete(*keys)


def start_worker(processes: ProcessGroup, env: dict[str, str]) -> WorkerProcess:
    args = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "services.notifications.worker:celery",
        "worker",
        "-Q",
        env["NOTIFICATIONS_QUEUE"],
        "--pool",
        "prefork",
        "--concurrency",
        "2",
        "-O",
        "fair",
        "--hostname",
        f"observability-{uuid.uuid4().hex[:8]}@%h",
        "--loglevel",
        "INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
    ]
    log_path = processes.workdir / "notifications-worker.log"
    worker = WorkerProcess("notifications-worker", args, env, log_path).start()
    processes.processes.append(worker)
    return worker


def send_task(env: dict[str, str], name: str) -> None:
    """Queue a task by name on the worker's queue, as beat would."""
    sender = Celery("observability-test", broker=REDIS_URL)
    try:
        sender.send_task(name, queue=env["NOTIFICATIONS_QUEUE"])
    finally:
        sender.close()


# -- reading what the worker shows --------------------------------------------------------------


def scrape(env: dict[str, str]) -> str:
    response = requests.get(f"http://127.0.0.1:{env['METRICS_PORT']}/metrics", timeout=5)
    assert response.status_code == 200
    return response.text


def value(text: str, name: str, **labels: str) -> float:
    """One sample of an exposition (labels in prometheus_client's sorted order); 0 if absent."""
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    line = re.search(rf"^{re.escape(name)}\{{{re.escape(inner)}\}} (\S+)$", text, re.MULTILINE)
    return float(line.group(1)) if line else 0.0


def per_process(multiproc_dir: str, name: str, **labels: str) -> dict[int, float]:
    """One counter's value in each pool process's own file (counter_<pid>.db)."""
    out: dict[int, float] = {}
    for path in Path(multiproc_dir).glob("counter_*.db"):
        pid = int(path.stem.split("_")[1])
        for family in MultiProcessCollector.merge([str(path)]):
            for s in family.samples:
                if s.name == name and s.labels == labels:
                    out[pid] = out.get(pid, 0.0) + s.value
    return out


def json_records(text: str) -> list[dict[str, Any]]:
    """Every non-empty stderr line as a JSON object (a line that is not JSON fails the test)."""
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise AssertionError(f"not a JSON log line: {line!r}") from None
        assert isinstance(record, dict), line
        records.append(record)
    return records


# -- the test -----------------------------------------------------------------------------------


def plan_messages(world: Any, pipeline: Pipeline) -> dict[str, str]:
    """Start an intervention for three pupils, each request with its own X-Request-ID; relay and
    consume the events. Returns the request id per pupil."""
    request_ids = {}
    for pupil, coordinator in PUPILS.items():
        case = open_case(world, pupil, who=coordinator)
        request_ids[pupil] = f"req-{pupil}-{uuid.uuid4().hex[:8]}"
        call_ok(
            world,
            coordinator,
            "POST",
            f"/api/v1/cases/{case['id']}/interventions",
            201,
            json=intervention_body(),
            headers={"X-Request-ID": request_ids[pupil]},
        )
    pipeline.run()
    return request_ids


def test_the_worker_logs_json_and_its_metrics_port_adds_up_the_pool(
    container, world, notifications, smtp, worker_env, processes, stream_name
) -> None:
    handler, _ = smtp
    plan_messages(world, Pipeline(container, notifications, stream_name))
    due = [r for r in rows(notifications, status="planned") if r["send_at"] <= NOW]
    refused = [r for r in due if r["address"] == REFUSED]
    accepted = [r for r in due if r["address"] != REFUSED]
    assert len(refused) == 1 and len(accepted) >= 2, [(r["kind"], r["address"]) for r in due]
    assert all(r["request_id"] for r in due)

    worker = start_worker(processes, worker_env)
    wait_until(
        lambda: not worker.running or " ready." in worker.stderr(),
        timeout=30,
        message="the worker ready",
    )
    assert worker.running, worker.log()

    # Round 1 (the fixed instant): every due row is delivered; the refused one fails.
    send_task(worker_env, DISPATCH)

    def settled() -> bool:
        now = {r["id"]: (r["status"], r["attempts"]) for r in rows(notifications)}
        return all(now[r["id"]][0] == "sent" for r in accepted) and now[refused[0]["id"]] == (
            "planned",  # a retry is planned
            1,
        )

    wait_until(settled, timeout=30, message="the due rows delivered, the refused one retried")
    assert sorted(handler.received) == sorted((r["address"],) for r in accepted)
    assert set(handler.logins) == {(SMTP_USER, SMTP_PASSWORD)}
    deliveries = len(due)

    def metrics_show(sent: int, failed: int, dead: int, delivered: int, dispatched: int) -> str:
        text = scrape(worker_env)
        shown = (
            value(text, "notifications_total", status="sent"),
            value(text, "notifications_total", status="failed"),
            value(text, "notifications_total", status="dead"),
            value(text, "celery_tasks_total", task=DELIVER, state="SUCCESS"),
            value(text, "celery_tasks_total", task=DISPATCH, state="SUCCESS"),
        )
        return text if shown == (sent, failed, dead, delivered, dispatched) else ""

    wait_until(
        lambda: metrics_show(len(accepted), 1, 0, deliveries, 1),
        timeout=10,
        message="the worker's /metrics to count round 1",
    )

    # Round 2, past the retry moment: the refused row's second attempt is its last (dead).
    retry_at = rows(notifications, id=refused[0]["id"])[0]["send_at"]
    Path(worker_env["CLOCK_FILE"]).write_text(
        utc_iso(retry_at + timedelta(seconds=1)), encoding="utf-8"
    )
    send_task(worker_env, DISPATCH)
    wait_until(
        lambda: rows(notifications, id=refused[0]["id"])[0]["status"] == "dead",
        timeout=30,
        message="the refused row dead",
    )
    text = wait_until(
        lambda: metrics_show(len(accepted), 1, 1, deliveries + 1, 2),
        timeout=10,
        message="the worker's /metrics to count round 2",
    )
    assert "celery_task_duration_seconds_count" in text

    # Both pool processes delivered, and the port showed the sum of their own counters.
    multiproc = worker_env["PROMETHEUS_MULTIPROC_DIR"]
    sent_by_pid = per_process(multiproc, "notifications_total", status="sent")
    tasks_by_pid = per_process(multiproc, "celery_tasks_total", task=DELIVER, state="SUCCESS")
    assert len([v for v in sent_by_pid.values() if v]) >= 2, sent_by_pid
    assert sum(sent_by_pid.values()) == len(accepted)
    assert sum(tasks_by_pid.values()) == deliveries + 1
    assert worker.pid not in sent_by_pid  # the main process serves; the pool delivers

    # SIGTERM: a warm shutdown, exit status 0.
    worker.signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0, worker.log()

    # The logs: every stderr line is a JSON record of the notifications service ...
    everything = worker.stderr()
    records = json_records(everything)
    assert records, worker.log()
    for record in records:
        assert {"timestamp", "level", "logger", "message", "service"} <= set(record), record
        assert record["service"] == "notifications", record
        assert record["level"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, record
    assert not [r for r in records if r["level"] in {"ERROR", "CRITICAL"}], worker.log()
    # ... with Celery's own lines among them (through the setup_logging signal) ...
    loggers = {r["logger"] for r in records}
    assert any(name.startswith("celery") for name in loggers), loggers
    # ... a delivery line per attempt, with the event id and the request id of its row ...
    delivery = [
        r for r in records if r["logger"] == HANDLERS_LOGGER and r["message"].startswith("notif")
    ]
    assert len(delivery) == deliveries + 1, delivery
    for r in due:
        lines = [d for d in delivery if d["message"].startswith(f"notification {r['id']}:")]
        assert lines, r["id"]
        for line in lines:
            assert line["event_id"] == str(r["event_id"]), line
            assert line["request_id"] == r["request_id"], line
    # ... and never the SMTP password (nor on stdout).
    assert SMTP_PASSWORD not in everything
    assert SMTP_PASSWORD not in worker.log()
