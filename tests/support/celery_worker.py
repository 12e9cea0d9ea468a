"""A real Celery worker for integration tests: a solo-pool worker thread on the real Redis broker,
consuming a queue of the test alone, with the service's tasks running against the test's
container; and a recorder of what the worker's tasks returned."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from tests.conftest import REDIS_URL


@contextmanager
def worker_on_own_queue(
    celery: Celery, tasks_module: Any, container: Any, client: redis.Redis, prefix: str
) -> Iterator[str]:
    """Run a worker on a fresh queue (also where .delay() sends) until the block ends."""
    queue = f"test-{prefix}-{uuid.uuid4().hex}"
    saved = {key: celery.conf[key] for key in ("broker_url", "task_default_queue")}
    celery.conf.broker_url = REDIS_URL
    celery.conf.task_default_queue = queue
    previous = tasks_module._worker.current
    tasks_module.use_container(container)
    try:
        with start_worker(
            celery, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ):
            yield queue
    finally:
        tasks_module.use_container(previous)
        celery.conf.update(saved)
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)


@contextmanager
def finished(task_name: str) -> Iterator[list[Any]]:
    """The return values of one task as the worker finishes them, in order."""
    done: list[Any] = []

    def record(sender: Any = None, retval: Any = None, **_: Any) -> None:
        if sender is not None and sender.name == task_name:
            done.append(retval)

    task_postrun.connect(record, weak=False)
    try:
        yield done
    finally:
        task_postrun.disconnect(record)
