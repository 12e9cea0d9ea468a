"""Notifications end to end: cases (gunicorn + relay) and notifications (consumer, Celery worker,
beat) as real processes on a real Redis, a real SMTP server on 127.0.0.1, and one clock file that
sets every process's time. Time moves by writing the clock file, never by sleeping."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from shared.clock import utc_iso
from shared.crypto import new_key
from shared.db import make_engine
from tests.conftest import REDIS_URL
from tests.e2e.conftest import CasesStack, Client
from tests.support.mail import MailServer
from tests.support.processes import (
    PYTHON,
    ProcessGroup,
    run_cli,
    service_env,
    wait_for_log,
    wait_until,
)

PASSWORD = "ib-wachtwoord-regenboog"
GUARDIAN = "ouder.mulder@voorbeeld.nl"
HOLIDAYS = {  # the shape of the Rijksoverheid open data; a holiday this test controls
    "content": [
        {
            "schoolyear": "2026-2027",
            "vacations": [
                {
                    "type": "Herfstvakantie",
                    "compulsorydates": "false",
                    "regions": [
                        {
                            "region": "noord",
                            "startdate": "2026-10-17T00:00:00.000Z",
                            "enddate": "2026-10-25T00:00:00.000Z",
                        }
                    ],
                }
            ],
        }
    ],
}


@dataclass
class Stack:
    cases: CasesStack
    mail: MailServer
    processes: ProcessGroup
    env: dict[str, str]

    def at(self, year: int, month: int, day: int, hour: int, minute: int = 0) -> None:
        """Set every process's clock to a UTC instant."""
        self.cases.set_time(utc_iso(datetime(year, month, day, hour, minute, tzinfo=UTC)))

    def pending_rows(self) -> int:
        """Rows still planned, queued or sending, read from the notifications database."""
        engine = make_engine(self.env["NOTIFICATIONS_DATABASE_URL"])
        try:
            with engine.connect() as conn:
                return conn.execute(
                    text(
                        "SELECT count(*) FROM planned_notifications "
                        "WHERE status IN ('planned', 'queued', 'sending')"
                    )
                ).scalar_one()
        finally:
            engine.dispose()

    def guardian_rows(self) -> list[tuple[str, str, str]]:
        """(kind, status, send_at as UTC ISO) of the guardian's rows, in send order."""
        engine = make_engine(self.env["NOTIFICATIONS_DATABASE_URL"])
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT kind, status, send_at FROM planned_notifications "
                        "WHERE address = :address ORDER BY send_at, created_at"
                    ),
                    {"address": GUARDIAN},
                )
                return [(k, st, str(at)[:19]) for k, st, at in rows]
        finally:
            engine.dispose()

    def attempts(self, outcome: str | None = None) -> int:
        """Delivery attempts logged for the guardian's messages (of one outcome, or all)."""
        engine = make_engine(self.env["NOTIFICATIONS_DATABASE_URL"])
        sql = (
            "SELECT count(*) FROM delivery_attempts a JOIN planned_notifications n "
            "ON n.id = a.notification_id WHERE n.address = :address"
        )
        if outcome:
            sql += " AND a.outcome = :outcome"
        try:
            with engine.connect() as conn:
                return conn.execute(
                    text(sql), {"address": GUARDIAN, "outcome": outcome}
                ).scalar_one()
        finally:
            engine.dispose()

    def settled(self) -> bool:
        """Every committed event is published and consumed: the relay's outbox is empty and the
        notifications group has read and acknowledged the whole stream."""
        engine = make_engine(self.cases.env["CASES_DATABASE_URL"])
        try:
            with engine.connect() as conn:
                unpublished = conn.execute(
                    text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                ).scalar_one()
        finally:
            engine.dispose()
        groups = {g["name"]: g for g in self.cases.redis.xinfo_groups(self.cases.stream)}
        group = groups.get("notifications")
        return (
            unpublished == 0 and group is not None and group["pending"] == 0 and (group["lag"] == 0)
        )

    def settle(self) -> None:
        """Wait until the events so far are consumed (the system is asynchronous)."""
        wait_until(self.settled, timeout=30, message="events consumed")

    def guardian_mail(self) -> list[str]:
        return [m.subject for m in self.mail.to(GUARDIAN)]

    def start_worker(self) -> None:
        self.processes.start(
            "notifications-worker",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "services.notifications.worker:celery",
                "worker",
                "-Q",
                self.env["NOTIFICATIONS_QUEUE"],
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            self.env,
        )


@pytest.fixture
def stack(
    cases_stack: CasesStack,
    processes: ProcessGroup,
    tmp_path: Path,
    notifications_extra_env: dict[str, str],
) -> Iterator[Stack]:
    mail = MailServer().start()
    env = service_env(
        {
            **{
                k: v
                for k, v in cases_stack.env.items()
                if k in ("REDIS_URL", "JWT_SECRET", "EVENT_STREAM", "CLOCK_FILE")
            },
            "NOTIFICATIONS_DATABASE_URL": f"sqlite:///{tmp_path / 'notifications.db'}",
            "CASES_URL": cases_stack.base_url,
            "NOTIFICATIONS_ENCRYPTION_KEY": new_key(),
            "NOTIFICATIONS_MAIL_URL": mail.apprise_url(),
            "NOTIFICATIONS_QUEUE": f"notifications-{secrets.token_hex(4)}",
            "NOTIFICATIONS_DISPATCH_SECONDS": "0.3",
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "60",
            "NOTIFICATIONS_STALE_AFTER_SECONDS": "120",
            "REDIS_URL": REDIS_URL,
            **notifications_extra_env,
        }
    )
    cli = [PYTHON, "-m", "services.notifications"]
    run_cli([*cli, "migrate"], env)
    holidays = tmp_path / "holidays.json"
    holidays.write_text(json.dumps(HOLIDAYS), encoding="utf-8")
    run_cli([*cli, "load-holidays", str(holidays)], env)
    consumer = processes.python_module(
        "notifications-consumer", "services.notifications", ["consume"], env
    )
    s = Stack(cases_stack, mail, processes, env)
    s.start_worker()
    processes.start(
        "notifications-beat",
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "services.notifications.worker:celery",
            "beat",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--loglevel",
            "INFO",
        ],
        env,
    )
    wait_for_log(processes.processes[-2], "ready", timeout=30)
    assert consumer.running
    yield s
    mail.stop()


def _story_until_plan(stack: Stack, evaluation_on: date) -> tuple[Client, dict, dict]:
    admin = stack.cases.admin()
    school = admin.post(
        "/api/v1/schools", {"name": "OBS De Regenboog", "region": "noord"}, expect=201
    )
    admin.post(
        "/api/v1/users",
        {
            "role": "coordinator",
            "email": "ib@regenboog.test",
            "name": "Fatima (IB)",
            "password": PASSWORD,
            "school_id": school["id"],
        },
        expect=201,
    )
    ib = stack.cases.client().login("ib@regenboog.test", PASSWORD)
    pupil = ib.post(
        "/api/v1/pupils",
        {
            "school_id": school["id"],
            "given_name": "Daan",
            "family_name": "Mulder",
            "date_of_birth": "2017-03-14",
            "group": "groep 4",
            "enrolled_on": "2021-08-23",
            "guardians": [{"name": "Eva Mulder", "email": GUARDIAN, "language": "nl"}],
        },
        expect=201,
    )
    case = ib.post(
        "/api/v1/cases", {"pupil_id": pupil["id"], "opened_on": "2026-09-01"}, expect=201
    )
    return ib, pupil, case


def _plan(ib: Client, case: dict, pupil: dict, evaluation_on: date) -> dict:
    plan = ib.post(
        f"/api/v1/cases/{case['id']}/development-plans",
        {
            "exit_destination": "vmbo_kb",
            "hindering_factors": ["Concentratie"],
            "supporting_factors": ["Betrokken ouders"],
            "action_plan": "Begeleiding in kleine groep.",
            "scenarios": [{"expected_effect": "Leest vlot", "review_by": "2027-01-15"}],
            "agreed_end_date": "2027-06-30",
            "evaluation_dates": [evaluation_on.isoformat()],
            "created_on": "2026-10-15",
        },
        expect=201,
    )
    return plan


def test_support_start_reaches_the_guardian_in_dutch_and_reminders_follow_the_plan(
    stack: Stack,
) -> None:
    stack.at(2026, 10, 15, 8)  # Thursday 10:00 in Amsterdam
    ib, pupil, case = _story_until_plan(stack, date(2026, 10, 29))
    ib.post(
        f"/api/v1/cases/{case['id']}/interventions",
        {
            "domain": "reading_dyslexia",
            "goal": "Leest AVI-E4 vlot.",
            "starts_on": "2026-10-15",
            "evaluate_by": "2026-12-10",
        },
        expect=201,
    )
    [started] = [m for m in stack.mail.wait_for(1, timeout=30) if GUARDIAN in m.rcpt_tos]
    assert started.subject == "Ondersteuning gestart voor Daan"
    assert "Beste Eva Mulder" in started.body and "15 oktober 2026" in started.body
    assert "Leesproblemen en dyslexie" in started.body and "/ouders/voorkeuren/" in started.body

    # A plan evaluated on Thursday 29 October: reminders 14, 3 and 0 days ahead.
    plan = _plan(ib, case, pupil, date(2026, 10, 29))
    wait_until(lambda: len(stack.guardian_mail()) == 2, timeout=30, message="lead-14 reminder")
    assert stack.guardian_mail()[1] == "Evaluatiegesprek op 29 oktober 2026"
    # The mail server has it; the worker marks the row sent a moment later.
    wait_until(
        lambda: [r[1] for r in stack.guardian_rows()[:2]] == ["sent", "sent"],
        timeout=30,
        message="rows marked sent",
    )
    # Exactly the configured reminders, at 08:00 in Amsterdam on their days (CET from 25 Oct).
    assert stack.guardian_rows() == [
        ("now", "sent", "2026-10-15 08:00:00"),
        ("lead:14", "sent", "2026-10-15 08:00:00"),
        ("lead:3", "planned", "2026-10-26 07:00:00"),
        ("lead:0", "planned", "2026-10-29 07:00:00"),
    ]
    stack.at(2026, 10, 26, 7, 1)  # Monday 08:01 local: the 3-day reminder
    wait_until(lambda: len(stack.guardian_mail()) == 3, timeout=30, message="lead-3 reminder")

    # Moved to Thursday 5 November: the 0-day reminder of the 29th is cancelled and moves along.
    ib = stack.cases.client().login("ib@regenboog.test", PASSWORD)  # tokens last an hour
    [evaluation] = ib.get(f"/api/v1/development-plans/{plan['id']}")["evaluations"]
    ib.call(
        "PATCH",
        f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation['id']}",
        json={"due_on": "2026-11-05"},
    )
    stack.settle()
    stack.at(2026, 10, 29, 7, 1)
    stack.at(2026, 11, 2, 7, 1)  # the new 3-day reminder, Monday 2 November
    wait_until(lambda: len(stack.guardian_mail()) == 4, timeout=30, message="moved reminder")
    assert stack.guardian_mail()[3] == "Evaluatiegesprek op 5 november 2026"
    # As above: the worker marks the row sent a moment after the mail server has it. The clock
    # jumps days ahead next, which would make a row still `sending` look stale and send it again.
    wait_until(
        lambda: "sending" not in [r[1] for r in stack.guardian_rows()],
        timeout=30,
        message="the moved reminder marked sent",
    )

    # The case closes: the 0-day reminder of 5 November never goes.
    ib = stack.cases.client().login("ib@regenboog.test", PASSWORD)
    ib.post(f"/api/v1/cases/{case['id']}/close", {"closed_on": "2026-11-02", "reason": "other"})
    stack.settle()
    stack.at(2026, 11, 5, 7, 1)
    stack.at(2026, 11, 5, 9, 0)
    stack.at(2026, 11, 12, 9, 0)
    # Every row of the closed case is settled: nothing is left that could still go out.
    wait_until(lambda: stack.pending_rows() == 0, timeout=30, message="nothing pending")
    assert len(stack.guardian_mail()) == 4


def test_holiday_and_quiet_hours_defer_messages(stack: Stack) -> None:
    stack.at(2026, 10, 15, 20, 30)  # Thursday 22:30 in Amsterdam: quiet hours
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 5))
    ib.post(
        f"/api/v1/cases/{case['id']}/interventions",
        {
            "domain": "reading_dyslexia",
            "goal": "Leest AVI-E4 vlot.",
            "starts_on": "2026-10-15",
            "evaluate_by": "2026-12-10",
        },
        expect=201,
    )
    _plan(ib, case, pupil, date(2026, 11, 5))  # the 14-day reminder falls on 22 October
    stack.settle()
    assert stack.guardian_rows() == [
        ("now", "planned", "2026-10-16 05:00:00"),  # after the quiet hours, 07:00 local
        ("lead:14", "planned", "2026-10-26 07:00:00"),  # after the herfstvakantie, 08:00 local
        ("lead:3", "planned", "2026-11-02 07:00:00"),
        ("lead:0", "planned", "2026-11-05 07:00:00"),
    ]
    assert stack.guardian_mail() == []
    stack.at(2026, 10, 16, 5, 1)  # 07:01 local: the start message goes
    wait_until(lambda: len(stack.guardian_mail()) == 1, timeout=30, message="deferred start")
    assert stack.guardian_mail() == ["Ondersteuning gestart voor Daan"]
    stack.at(2026, 10, 22, 7, 1)  # in the herfstvakantie of region noord: nothing
    stack.at(2026, 10, 26, 7, 1)  # the first school day after it, 08:01 local
    wait_until(lambda: len(stack.guardian_mail()) == 2, timeout=30, message="after holiday")
    assert stack.guardian_mail()[1] == "Evaluatiegesprek op 5 november 2026"


def _start_support(stack: Stack) -> None:
    ib, _pupil, case = _story_until_plan(stack, date(2026, 11, 5))
    ib.post(
        f"/api/v1/cases/{case['id']}/interventions",
        {
            "domain": "reading_dyslexia",
            "goal": "Leest AVI-E4 vlot.",
            "starts_on": "2026-10-15",
            "evaluate_by": "2026-12-10",
        },
        expect=201,
    )


def test_mail_server_down_for_an_hour_loses_nothing_and_sends_once(stack: Stack) -> None:
    stack.mail.stop()
    stack.at(2026, 10, 15, 8)
    _start_support(stack)
    wait_until(lambda: stack.attempts("failed") >= 1, timeout=30, message="a failed attempt")
    [(kind, status, retry_at)] = stack.guardian_rows()
    assert (kind, status) == ("now", "planned") and retry_at > "2026-10-15 08:00"  # backoff
    stack.at(2026, 10, 15, 8, 30)  # half an hour later: still down, another failed attempt
    wait_until(lambda: stack.attempts("failed") >= 2, timeout=30, message="second failure")
    stack.mail.start()
    stack.at(2026, 10, 15, 9, 30)  # an hour later the server is back
    wait_until(lambda: stack.guardian_rows()[0][1] == "sent", timeout=30, message="delivered")
    assert stack.guardian_mail() == ["Ondersteuning gestart voor Daan"]


class _HoldingHandler:
    """An SMTP handler that holds the first message until released, then refuses it (the
    connection of a killed worker is gone); later messages are accepted and kept."""

    def __init__(self) -> None:
        self.holding = threading.Event()
        self.release = threading.Event()
        self.accepted: list[str] = []
        self.first = True

    async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:
        if self.first:
            self.first = False
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "451 Requested action aborted: local error in processing"
        self.accepted.extend(envelope.rcpt_tos)  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


def test_worker_killed_mid_delivery_redelivers_without_a_second_copy(stack: Stack) -> None:
    handler = _HoldingHandler()
    stack.mail.stop()
    slow = Controller(handler, hostname="127.0.0.1", port=stack.mail.port)
    slow.start()
    try:
        stack.at(2026, 10, 15, 8)
        _start_support(stack)
        assert handler.holding.wait(30), "the worker never reached the SMTP server"
        [worker] = [p for p in stack.processes.processes if p.name == "notifications-worker"]
        worker.kill()  # SIGKILL in the middle of the SMTP conversation
        handler.release.set()
        assert stack.guardian_rows()[0][1] == "sending"
        stack.start_worker()
        stack.at(2026, 10, 15, 8, 5)  # past the stale limit: the dispatcher queues it again
        wait_until(
            lambda: stack.guardian_rows()[0][1] == "sent",
            timeout=60,
            message="redelivered after the crash",
        )
        assert handler.accepted == [GUARDIAN]  # one copy in the mailbox
        assert stack.attempts("interrupted") == 1 and stack.attempts("sent") == 1
    finally:
        slow.stop()
