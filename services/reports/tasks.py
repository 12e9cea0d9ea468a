"""Celery tasks of the reports service."""

from __future__ import annotations

import logging

from services.reports.bootstrap import Container
from services.reports.service_layer import periodic
from services.reports.worker import celery
from services.reports.worker import worker_container as _worker
from shared.clock import local_today

log = logging.getLogger(__name__)


def container() -> Container:
    """The worker's container, built on first use (not at import)."""
    return _worker.get()


def use_container(c: Container | None) -> None:
    """Let tests hand the worker their own container (database, clock)."""
    _worker.use(c)


@celery.task(name="reports.compile_due")
def compile_due() -> int:
    """Compile every school's periods that ended and are not compiled yet, then announce them
    (also those an earlier run compiled but could not announce). Safe to run any number of
    times."""
    c = container()
    added = periodic.compile_due(
        c.store, c.reader, c.settings.periodic_kinds, local_today(c.clock), c.clock.now()
    )
    announced = periodic.publish_ready(c.store, c.publisher(), c.clock.now())
    log.info("periodic reports compiled: %d, announced: %d", len(added), announced)
    return len(added)
