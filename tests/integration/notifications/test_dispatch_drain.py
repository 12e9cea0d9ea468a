"""Due rows drain as fast as the workers take them, not one batch per beat interval (issue 15).

A real Celery worker (solo pool) on the real broker runs the dispatch task once, as beat would;
the batch is smaller than the number of due rows, and no second beat comes: the dispatcher must
come back by itself for the rest. Every row is sent once (the webhook receiver counts them)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from services.notifications import tasks
from services.notifications.worker import celery
from tests.integration.notifications.helpers import rows
from tests.support.celery_worker import finished, worker_on_own_queue
from tests.support.due_rows import plan_due_webhooks
from tests.support.processes import wait_until

DUE = 7
BATCH = 3


@pytest.fixture
def small_batches(notifications):
    """The notifications container with a dispatch batch smaller than the due rows."""
    settings = dataclasses.replace(notifications.settings, dispatch_batch=BATCH)
    return dataclasses.replace(notifications, settings=settings)


def test_one_beat_drains_every_due_row_once_batch_after_batch(
    small_batches, clock, webhook, redis_client
):
    n = small_batches
    plan_due_webhooks(n.engine, n.sessions, n.cipher, webhook.apprise_url(), DUE, clock.now())

    with (
        worker_on_own_queue(celery, tasks, n, redis_client, "drain"),
        finished("notifications.deliver_notifications") as parts,
        finished("notifications.dispatch_due") as dispatched,
    ):
        tasks.dispatch_due.delay()  # one beat, and no other
        wait_until(lambda: sum(map(len, parts)) >= DUE, timeout=60, message="every row delivered")
        wait_until(lambda: sum(dispatched) >= DUE, timeout=10, message="the dispatch runs")
        chain = tasks.chain_key()  # of the test's own queue

    assert [status for part in parts for status in part] == ["sent"] * DUE
    assert dispatched[:3] == [BATCH, BATCH, DUE - 2 * BATCH]  # full batches call for one more
    assert {r["status"] for r in rows(n)} == {"sent"}
    assert len(webhook.wait_for(DUE)) == DUE and len(webhook.requests) == DUE  # none twice
    assert not redis_client.exists(chain)  # the chain ended with the due rows


def test_while_a_chain_drains_the_beat_leaves_the_rows_to_it(
    small_batches, clock, webhook, redis_client
):
    """Beat keeps firing during a long drain: its runs must not start a chain each (the broker
    would fill with the whole peak); the chain's mark expires if the chain itself is lost."""
    n = small_batches
    plan_due_webhooks(n.engine, n.sessions, n.cipher, webhook.apprise_url(), DUE, clock.now())
    queue, previous = celery.conf.task_default_queue, tasks._worker.current
    celery.conf.task_default_queue = f"test-chain-{uuid.uuid4().hex}"  # a key of this test's own
    key = tasks.chain_key()
    redis_client.set(key, "1", ex=60)
    tasks.use_container(n)
    try:
        assert tasks.dispatch_due() == 0  # a beat's run, called as the worker would
    finally:
        tasks.use_container(previous)
        celery.conf.task_default_queue = queue
        redis_client.delete(key)
    assert {r["status"] for r in rows(n)} == {"planned"}
