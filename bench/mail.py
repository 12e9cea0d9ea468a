"""Benchmark: e-mails delivered per second (issue 15), the project's real Celery worker (the
Procfile's command: prefork, 2 pool processes) beside bare smtplib over one connection and Apprise
mailto:// unthrottled (a fresh plugin per message, as many processes as the worker), all to the
same local SMTP server (tests/support/mail.py) in the same run, interleaved.

The project's figure starts when one dispatch task is queued with every row due and stops when
the last row is recorded as sent (dispatch, broker, claim, the message built with the email
package, SMTP over the worker's pooled connection, the commits). The issue's goal is absolute,
50 e-mails/s on this machine: the first row has that target as its baseline (goal ratio 1), as
the rebuild row has its 10,000 events/s; the bare rows show how far the stack itself could go.
Each project round checks that the server received every message exactly once, and prints how
many SMTP connections the worker opened.

    .venv/bin/python -m bench --only mail
    .venv/bin/python -m bench.mail            # the same rows, printed only
    .venv/bin/python -m bench.mail --processes=4 --db=postgres
"""

from __future__ import annotations

import multiprocessing
import smtplib
import statistics
import sys
import tempfile
import uuid
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import apprise

from bench.common import drop_databases, kinds
from bench.delivery import Deliveries
from bench.table import Row, rate, render, row
from services.notifications.domain.transports import email_url
from tests.support.due_rows import plan_due_emails
from tests.support.mail import SENDER, MailServer

TARGET = 50.0  # e-mails per second on this machine (issue 15)
PROCESSES = 2  # the Procfile's --concurrency of the notifications worker


def _message(i: int, to: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"Nieuwe melding {i}"
    message["From"] = SENDER
    message["To"] = to
    message.set_content(f"Beste lezer,\n\nEr is een nieuwe melding ({i}).\n\nMet groet")
    return message


def bare_smtplib(host: str, port: int, count: int) -> float:
    """`count` messages over one connection, one recipient each (no RSET, no pool)."""
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        return rate(
            count,
            lambda: [smtp.send_message(_message(i, f"bare{i}@school.test")) for i in range(count)],
        )


def _apprise_sender(args: tuple[str, int, str]) -> int:
    """One process of the Apprise baseline: a fresh mailto:// plugin per message."""
    transport, count, tag = args
    for i in range(count):
        plugin = apprise.Apprise.instantiate(
            email_url(transport, f"ap{tag}{i}@school.test"), suppress_exceptions=True
        )
        plugin.request_rate_per_sec = 0
        assert plugin.notify(body=f"Er is een nieuwe melding ({i}).", title="Nieuwe melding")
    return count


class MailBench:
    def __init__(self, kind: str, folder: Path, processes: int) -> None:
        self.mail = MailServer().start()
        self.processes = processes
        self.deliveries = Deliveries(kind, folder, processes, mail_url=self.mail.apprise_url())
        self.pool = multiprocessing.get_context("spawn").Pool(processes)
        self.pool.map(_apprise_sender, [(self.mail.apprise_url(), 1, "warm")] * processes)

    def project(self, count: int) -> float:
        d = self.deliveries
        to = [f"ib{uuid.uuid4().hex[:10]}@school.test" for _ in range(count)]

        def plan(_count: int, now: datetime) -> None:
            plan_due_emails(d.engine, d.sessions, d.cipher, to, now)

        before = self.mail.connections
        figure = d.project(count, plan)
        copies = [len(self.mail.to(address)) for address in to]
        if set(copies) != {1}:
            raise RuntimeError(f"not every e-mail arrived exactly once: {sorted(set(copies))}")
        opened = self.mail.connections - before
        print(f"  project: {count} e-mails over {opened} SMTP connection(s)", file=sys.stderr)
        return figure

    def smtplib(self, count: int) -> float:
        return bare_smtplib(self.mail.host, self.mail.port, count)

    def apprise(self, count: int) -> float:
        share = count // self.processes
        run = uuid.uuid4().hex[:6]
        url = self.mail.apprise_url()
        args = [(url, share, f"{run}p{p}x") for p in range(self.processes)]
        return rate(share * self.processes, lambda: self.pool.map(_apprise_sender, args))

    def close(self) -> None:
        self.pool.terminate()
        self.deliveries.close()
        self.mail.stop()


def mail_rows(kind: str, count: int, rounds: int, processes: int = PROCESSES) -> list[Row]:
    """The three figures, interleaved (bare smtplib, Apprise, project) `rounds` times."""
    figures: dict[str, list[float]] = {"smtplib": [], "apprise": [], "project": []}
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as folder:
        bench = MailBench(kind, Path(folder), processes)
        try:
            for _ in range(rounds):
                figures["smtplib"].append(bench.smtplib(count))
                figures["apprise"].append(bench.apprise(count))
                figures["project"].append(bench.project(count))
        finally:
            bench.close()
    ours, bare, plugin = (statistics.median(figures[k]) for k in ("project", "smtplib", "apprise"))
    workers = f"{processes} worker processes"
    return [
        row(f"e-mail delivery, {workers} ({kind}; baseline: the 50/s target)", "msgs/s", ours,
            TARGET, 1.0, "higher"),
        row(f"e-mail delivery vs bare smtplib, one connection ({kind})", "msgs/s", ours, bare,
            None, "higher"),
        row(f"e-mail delivery vs Apprise mailto:// unthrottled, {processes} processes ({kind})",
            "msgs/s", ours, plugin, None, "higher"),
    ]  # fmt: skip


def rows(quick: bool, processes: int = PROCESSES, only: str | None = None) -> list[Row]:
    count, rounds = (150, 1) if quick else (600, 2)
    found: list[Row] = []
    try:
        for kind in kinds(quick):
            if only in (None, kind):
                found += mail_rows(kind, count, rounds, processes)
    finally:
        drop_databases()
    return found


if __name__ == "__main__":
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if "=" in a)
    workers = int(options.get("processes", PROCESSES))
    print(render(rows("--quick" in sys.argv, workers, options.get("db"))))
