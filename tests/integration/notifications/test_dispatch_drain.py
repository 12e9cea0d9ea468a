"""Due rows drain as fast as the workers take them, not one batch per beat interval (issue 15).

A real Celery worker (solo pool) on the real broker runs the dispatch task once, as beat would;
the batch is smaller than the number of due rows, and no second beat comes: the dispatcher must
come back by itself for the rest. Every row is sent once (the webhook receiver counts them)."""

from __future__ import annotations

import dataclasses

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
        finished("notifications.deliver_notification") as delivered,
        finished("notifications.dispatch_due") as dispatched,
    ):
        tasks.dispatch_due.delay()  # one beat, and no other
        wait_until(lambda: len(delivered) >= DUE, timeout=60, message="every due row delivered")
        wait_until(lambda: sum(dispatched) >= DUE, timeout=10, message="the dispatch runs")

    assert delivered == ["sent"] * DUE
    assert dispatched[:3] == [BATCH, BATCH, DUE - 2 * BATCH]  # full batches call for one more
    assert {r["status"] for r in rows(n)} == {"sent"}
    assert len(webhook.wait_for(DUE)) == DUE and len(webhook.requests) == DUE  # none twice
