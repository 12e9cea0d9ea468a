"""Celery tasks of the notifications service. Tasks take ids and reload fresh state; delays live in
database rows (`send_at`), never in Celery countdowns."""

from __future__ import annotations

import logging
import time
from uuid import UUID

from celery.exceptions import SoftTimeLimitExceeded

from services.notifications.bootstrap import Container
from services.notifications.service_layer import handlers
from services.notifications.service_layer.ports import StoreFactory
from services.notifications.worker import celery
from services.notifications.worker import worker_container as _worker
from shared import metrics

log = logging.getLogger(__name__)


def container() -> Container:
    """The worker's container, built on first use (not at import)."""
    return _worker.get()


def use_container(c: Container | None) -> None:
    """Let tests hand the worker their own container (database, clock)."""
    _worker.use(c)


def chain_key() -> str:
    """The Redis key that says a dispatch chain is draining this deployment's queue."""
    return f"notifications:dispatch-chain:{celery.conf.task_default_queue}"


@celery.task(name="notifications.dispatch_due")
def dispatch_due(follow_up: bool = False) -> int:
    """Queue a delivery task for every due notification (and for stale in-flight ones).

    A full batch means more rows may be due: the task queues itself again (`follow_up`), behind
    the batch it just queued, so the next batch is claimed as soon as the workers have taken this
    one. Due rows drain as fast as the workers deliver (more worker processes, more throughput),
    with no cap per beat interval and no flood of the whole peak into the broker. While such a
    chain runs, beat's own runs leave the work to it (one chain, not one more per beat); if the
    chain is lost, its mark expires after `stale_after_seconds` and beat takes over again.
    """
    c = container()
    key = chain_key()
    if not follow_up and c.redis.exists(key):
        return 0
    batch = c.settings.dispatch_batch
    ids = handlers.due_for_dispatch(c.store, c.clock.now(), batch, c.settings.stale_after_seconds)
    for part in handlers.delivery_parts(ids, c.settings.delivery_chunk):  # after the commit
        deliver_notifications.delay([str(notification_id) for notification_id in part])
    if len(ids) >= batch:
        c.redis.set(key, "1", ex=c.settings.stale_after_seconds)
        dispatch_due.delay(follow_up=True)
    elif follow_up:
        c.redis.delete(key)
    return len(ids)


# A part stops taking rows after this long and hands the rest on as a task of its own: with one
# send at most its timeouts, a part stays within the task's time limits (30 s soft, 45 s hard)
# however slow a transport is. A part of 25 webhooks or e-mails takes well under a second.
PART_SECONDS = 5.0


@celery.task(name="notifications.deliver_notifications", max_retries=0)
def deliver_notifications(notification_ids: list[str]) -> list[str]:
    """Deliver a part of a dispatch, one row after the other, each exactly as
    `deliver_notification` does: claimed and re-checked just before its own send, recorded right
    after it. A part saves the broker and the task's set-up per row; a worker lost mid-part gives
    the whole part back, and the rows already sent or claimed are skipped (their claims hold).
    Only the part's last row waits for the disk, and flushes the others' commits with its own
    (`handlers.deliver`); a part past `PART_SECONDS` makes the row it is at its last and hands
    the rest on as a task of its own."""
    c = container()
    started = time.monotonic()
    statuses: list[str] = []
    reads = handlers.PartReads()
    with c.held_stores() as stores:  # one connection for the part's small transactions
        for position, notification_id in enumerate(notification_ids):
            rest = notification_ids[position + 1 :]
            last = not rest or time.monotonic() - started > PART_SECONDS
            try:
                statuses.append(_deliver(c, notification_id, reads, last, stores))
            except SoftTimeLimitExceeded:
                raise
            except Exception:  # one row's failure is its own: it waits for the stale sweep
                log.exception("delivering notification %s failed", notification_id)
                statuses.append("error")
            if last:
                if rest:
                    deliver_notifications.delay(rest)
                break
    return statuses


@celery.task(name="notifications.deliver_notification", max_retries=0)
def deliver_notification(notification_id: str) -> str:
    """Deliver one notification; retries are planned as rows with a later send_at. (Dispatch
    queues parts; this one stays for the tasks queued before they came, and for the crash bench.)"""
    return _deliver(container(), notification_id)


def _deliver(
    c: Container,
    notification_id: str,
    reads: handlers.PartReads | None = None,
    durable: bool = True,
    stores: StoreFactory | None = None,
) -> str:
    status = handlers.deliver(
        UUID(notification_id),
        stores or c.store,
        c.sender,
        c.rules,
        c.clock.now,
        c.reports,
        meetings=c.directory,
        consents=c.directory,
        interventions=c.directory,
        reads=reads,
        durable=durable,
    )
    metrics.NOTIFICATIONS.labels("failed" if status == "planned" else status).inc()
    return status


@celery.task(name="notifications.scrub_delivery_log")
def scrub_delivery_log() -> int:
    """Scrub addresses from finished notifications past the log's retention; safe to repeat."""
    c = container()
    done = handlers.scrub_delivery_log(c.store, c.clock.now(), c.settings.log_retention_days)
    log.info("delivery log rows scrubbed: %d", done)
    return done
