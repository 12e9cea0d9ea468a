"""Dispatch queues its due rows in parts, one task a part (issue 15): the broker and a task's set-up
are paid per part, while each row is still claimed and re-checked just before its own send and
recorded right after it, as a task of one row was. A row cancelled while its part runs is not
sent; a part given back by a lost worker sends nothing twice; a part that runs long hands its rest
on as a task of its own. Real database (SQLite and PostgreSQL), webhook receiver and broker."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event, update

from services.notifications import tasks
from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from services.notifications.adapters.store.base import RELAXED_COMMIT
from services.notifications.bootstrap import Container
from services.notifications.service_layer import handlers
from services.notifications.worker import celery
from tests.integration.notifications.helpers import rows
from tests.support.celery_worker import finished, worker_on_own_queue
from tests.support.due_rows import plan_due_webhooks
from tests.support.processes import PYTHON, ROOT, wait_until


@contextmanager
def as_worker(container: Container) -> Iterator[None]:
    """Run the tasks in this process against the test's container, as a worker would."""
    previous = tasks._worker.current
    tasks.use_container(container)
    try:
        yield
    finally:
        tasks.use_container(previous)


def dispatched(n: Container, clock: Any, webhook: Any, count: int) -> list[str]:
    """`count` due webhook rows, marked queued by the dispatcher; their ids in order."""
    plan_due_webhooks(n.engine, n.sessions, n.cipher, webhook.apprise_url(), count, clock.now())
    ids = handlers.due_for_dispatch(n.store, clock.now(), count, n.settings.stale_after_seconds)
    return [str(i) for i in ids]


def test_a_part_sends_each_row_once_and_a_part_given_back_sends_nothing_again(
    notifications, clock, webhook
):
    ids = dispatched(notifications, clock, webhook, 5)
    with as_worker(notifications):
        assert tasks.deliver_notifications(ids) == ["sent"] * 5
        # The worker died before the ack: the broker gives the part back; every claim holds.
        assert tasks.deliver_notifications(ids) == ["skipped"] * 5
    assert {r["status"] for r in rows(notifications)} == {"sent"}
    assert len(webhook.wait_for(5)) == 5 and len(webhook.requests) == 5


class CancelAfterFirstSend:
    """The real sender; right after its first send, the last row of the part is cancelled (as an
    evaluation recorded meanwhile cancels its reminder: planned or queued rows only)."""

    def __init__(self, container: Container, cancel_id: str) -> None:
        self.sender, self.container = container.sender, container
        self.cancel_id, self.sends = cancel_id, 0

    def send(self, *args: Any, **kwargs: Any) -> Any:
        result = self.sender.send(*args, **kwargs)
        self.sends += 1
        if self.sends == 1:
            table = orm.planned_notifications
            with self.container.engine.begin() as conn:
                conn.execute(
                    update(table)
                    .where(
                        table.c.id == UUID(self.cancel_id),
                        table.c.status.in_(("planned", "queued")),
                    )
                    .values(status="cancelled")
                )
        return result


def test_a_row_cancelled_while_its_part_runs_is_not_sent(notifications, clock, webhook):
    ids = dispatched(notifications, clock, webhook, 3)
    sender = CancelAfterFirstSend(notifications, ids[2])
    with as_worker(dataclasses.replace(notifications, sender=sender)):  # type: ignore[arg-type]
        assert tasks.deliver_notifications(ids) == ["sent", "sent", "skipped"]
    assert sender.sends == 2
    assert len(webhook.wait_for(2)) == 2 and len(webhook.requests) == 2
    by_id = {str(r["id"]): r["status"] for r in rows(notifications)}
    assert [by_id[i] for i in ids] == ["sent", "sent", "cancelled"]


def test_a_part_past_its_time_hands_the_rest_on_to_a_task_of_its_own(
    notifications, clock, webhook, redis_client, monkeypatch
):
    ids = dispatched(notifications, clock, webhook, 3)
    monkeypatch.setattr(tasks, "PART_SECONDS", -1.0)  # past its time after every row
    with (
        worker_on_own_queue(celery, tasks, notifications, redis_client, "parts"),
        finished("notifications.deliver_notifications") as parts,
    ):
        tasks.deliver_notifications.delay(ids)
        wait_until(lambda: len(parts) >= 3, timeout=60, message="three parts of one row each")
    assert parts == [["sent"], ["sent"], ["sent"]]
    assert len(webhook.wait_for(3)) == 3 and len(webhook.requests) == 3


def test_dispatch_queues_its_rows_in_parts_of_the_setting(
    notifications, clock, webhook, monkeypatch
):
    """The container's setting is what dispatch uses: 60 due rows, parts of at most 7."""
    n = dataclasses.replace(
        notifications, settings=dataclasses.replace(notifications.settings, delivery_chunk=7)
    )
    plan_due_webhooks(n.engine, n.sessions, n.cipher, webhook.apprise_url(), 60, clock.now())
    queued: list[list[str]] = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", queued.append)
    monkeypatch.setitem(celery.conf, "task_default_queue", f"test-parts-{uuid.uuid4().hex}")
    with as_worker(n):
        assert tasks.dispatch_due() == 60
    assert [len(p) for p in queued] == [7] * 8 + [4]
    assert len({i for p in queued for i in p}) == 60


def test_only_the_last_row_of_a_part_waits_for_the_disk(notifications, clock, webhook, db_kind):
    """The claims and acceptances of a part's rows are committed without waiting for the disk
    (seen at once, kept through a crash of the worker): on PostgreSQL without their WAL flush, on
    SQLite at synchronous NORMAL. The last row's claim and acceptance are committed in full and
    flush the others with them; so is every other transaction."""
    ids = dispatched(notifications, clock, webhook, 3)
    transactions: list[list[str]] = [[]]
    levels: list[int] = []  # SQLite's synchronous level at each commit (2 = FULL, 1 = NORMAL)

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        transactions[-1].append(" ".join(sql.split()))

    def commit(conn: Any) -> None:
        if db_kind == "sqlite":
            levels.append(conn.connection.execute("PRAGMA synchronous").fetchone()[0])
        transactions.append([])

    engine = notifications.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        with as_worker(notifications):
            assert tasks.deliver_notifications(ids) == ["sent"] * 3
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
    transactions.pop()  # the one begun after the last commit
    assert len(transactions) == 6  # a claim and an acceptance per row, nothing else
    if db_kind == "postgres":
        relaxed = [RELAXED_COMMIT in t for t in transactions]
    else:
        relaxed = [level == 1 for level in levels]
    assert relaxed == [True, True, True, True, False, False]


class FailsFirst:
    """The real sender, except that its first send raises (a bug, a lost database connection)."""

    def __init__(self, container: Container) -> None:
        self.sender, self.sends = container.sender, 0

    def send(self, *args: Any, **kwargs: Any) -> Any:
        self.sends += 1
        if self.sends == 1:
            raise RuntimeError("the first send breaks")
        return self.sender.send(*args, **kwargs)


def test_a_row_that_breaks_leaves_the_rest_of_its_part_to_be_sent(notifications, clock, webhook):
    """The broken row stays claimed for the stale sweep to queue again; the others go out."""
    ids = dispatched(notifications, clock, webhook, 3)
    with as_worker(dataclasses.replace(notifications, sender=FailsFirst(notifications))):  # type: ignore[arg-type]
        assert tasks.deliver_notifications(ids) == ["error", "sent", "sent"]
    assert len(webhook.wait_for(2)) == 2 and len(webhook.requests) == 2
    by_id = {str(r["id"]): r["status"] for r in rows(notifications)}
    assert [by_id[i] for i in ids] == ["sending", "sent", "sent"]


# A worker that commits a relaxed acceptance and dies at once (SIGKILL, no cleanup of any kind).
KILLED_AFTER_RELAXED_COMMIT = """
import os, signal, sys
from datetime import UTC, datetime
from uuid import UUID
from services.notifications.adapters.store import Store
from shared.crypto import Cipher
from shared.db import make_engine, session_factory
url, key, row_id = sys.argv[1:]
with session_factory(make_engine(url))() as session:
    store = Store(session, Cipher.from_setting(key))
    store.relax()
    store.mark_accepted([UUID(row_id)], datetime.now(UTC))
    store.commit()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_relaxed_commit_survives_the_worker_killed_right_after_it(notifications, clock, webhook):
    """What the rows of a part rely on: a relaxed acceptance is in the database, for every other
    connection, even when its worker is killed the moment its commit returned."""
    ids = dispatched(notifications, clock, webhook, 1)
    with notifications.store() as store:  # claimed, as a delivery does before its send
        claimed = store.claim(UUID(ids[0]), clock.now(), clock.now())
        store.commit()
    assert claimed is not None
    settings = notifications.settings
    args = [settings.database_url, settings.encryption_key, ids[0]]
    died = subprocess.run(
        [PYTHON, "-c", KILLED_AFTER_RELAXED_COMMIT, *args], cwd=ROOT, check=False, timeout=60
    )
    assert died.returncode == -signal.SIGKILL
    assert [r["status"] for r in rows(notifications)] == ["sent"]


def test_a_parts_stores_share_one_session_one_transaction_at_a_time(notifications):
    """A part's transactions go one after the other over one held session; a second one opened
    inside the first is refused (it would silently join it), and a failed one lets the held
    session go, so the next transaction starts on a fresh one."""
    with notifications.held_stores() as stores:
        with stores() as first:
            held = first.session
            first.calendar()
        with stores() as second:
            assert second.session is held
            second.calendar()
            with pytest.raises(RuntimeError, match="already in a transaction"), stores():
                pass
        with pytest.raises(ValueError), stores() as failing:
            assert failing.session is held
            failing.calendar()
            raise ValueError("a statement failed")
        with stores() as fresh:
            assert fresh.session is not held
            fresh.calendar()


def test_a_part_reads_its_policy_once_and_the_next_part_sees_it_disabled(
    notifications, clock, webhook, monkeypatch
):
    """The policy (window, texts, enabled) is read once per part, like the holidays; a policy
    disabled meanwhile stops the rows of the next part (cancelled at send time)."""
    ids = dispatched(notifications, clock, webhook, 4)
    read = Store.policies
    reads: list[str | None] = []

    def counted(store: Store, partnership_id: UUID, key: str | None = None) -> Any:
        reads.append(key)
        return read(store, partnership_id, key)

    monkeypatch.setattr(Store, "policies", counted)
    with as_worker(notifications):
        assert tasks.deliver_notifications(ids[:2]) == ["sent", "sent"]
    assert len(reads) == 1
    with notifications.engine.begin() as conn:
        conn.execute(update(orm.policies).values(enabled=False))
    with as_worker(notifications):
        assert tasks.deliver_notifications(ids[2:]) == ["cancelled", "cancelled"]
    assert len(reads) == 2
    by_id = {str(r["id"]): (r["status"], r["last_error"]) for r in rows(notifications)}
    assert [by_id[i] for i in ids[2:]] == [("cancelled", "policy disabled")] * 2
    assert len(webhook.wait_for(2)) == 2 and len(webhook.requests) == 2
