"""Celery tasks of the cases service."""

from __future__ import annotations

import logging
from datetime import timedelta

from services.cases.bootstrap import Container
from services.cases.service_layer import retention, scheduling
from services.cases.worker import celery
from services.cases.worker import worker_container as _worker
from shared.streams import trim_acknowledged

log = logging.getLogger(__name__)


def container() -> Container:
    """The worker's container, built on first use (not at import)."""
    return _worker.get()


def use_container(c: Container | None) -> None:
    """Let tests hand the worker their own container (database, clock)."""
    _worker.use(c)


@celery.task(name="cases.emit_scheduled_notices")
def emit_scheduled_notices() -> int:
    """Emit evaluation approaching/overdue and expiring events; safe to run any number of times."""
    emitted = scheduling.emit_scheduled_notices(container().uow())
    log.info("scheduled notices emitted: %d", emitted)
    return emitted


@celery.task(name="cases.anonymise_due")
def anonymise_due() -> int:
    """Anonymise pupils whose retention period has passed (rule 9); safe to run repeatedly."""
    done = retention.anonymise_due(container().uow(), container().document_storage)
    log.info("pupils anonymised: %d", done)
    return done


@celery.task(name="cases.trim_event_stream")
def trim_event_stream() -> int:
    """Trim the event stream of what every consumer group has acknowledged, keeping the last
    CASES_STREAM_KEEP_HOURS; safe to run any number of times."""
    c = container()
    keep_since = c.clock.now() - timedelta(hours=c.settings.stream_keep_hours)
    trimmed = trim_acknowledged(c.redis, c.settings.event_stream, keep_since)
    log.info("event stream entries trimmed: %d", trimmed)
    return trimmed
