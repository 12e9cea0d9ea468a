"""A Celery app configured the way DESIGN.md §6 asks, for any service.

Shutdown: SIGTERM is Celery's warm shutdown (the worker takes no new tasks and finishes the
running ones, within the hard time limit). With `task_acks_late` a task is acknowledged only
when it returns, and `task_reject_on_worker_lost` gives a task back to the queue when its pool
process dies (SIGKILL, out of memory), so a stopped or crashed worker loses nothing; the tasks
are idempotent (they reload the row and check its status), so a redelivery is harmless.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from celery import Celery, signals

from shared import metrics
from shared.logging import configure_from_env

T = TypeVar("T")
_APP = {"name": "celery"}
_STARTED: dict[str, float] = {}


def make_celery(
    name: str,
    redis_url: str,
    beat_schedule: dict[str, Any] | None = None,
    include: list[str] | None = None,
) -> Celery:
    """Celery on Redis: late acks, prefetch 1, results ignored, time limits, JSON only.

    `include` names the tasks modules a worker imports when it starts; the tasks modules import
    the app, never the other way round (no import cycle)."""
    _APP["name"] = name
    app = Celery(name, broker=redis_url, include=include or [])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_soft_time_limit=60,
        task_time_limit=90,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
        task_default_queue=name,
        beat_schedule=beat_schedule or {},
        timezone="Europe/Amsterdam",
        enable_utc=True,
        worker_hijack_root_logger=False,
    )
    return app


@signals.setup_logging.connect(weak=False)
def _setup_logging(loglevel: Any = None, **_: Any) -> None:
    """Workers and beat log like every other process (LOG_FORMAT, LOG_LEVEL, secrets masked);
    connecting this receiver also keeps Celery from installing its own handlers."""
    env = dict(os.environ)
    if "LOG_LEVEL" not in env and isinstance(loglevel, str | int):
        env["LOG_LEVEL"] = logging.getLevelName(loglevel) if isinstance(loglevel, int) else loglevel
    configure_from_env(_APP["name"], env, only_if_unconfigured=True)  # tests keep theirs


@signals.celeryd_init.connect(weak=False)
def _setup_logging_early(options: dict[str, Any] | None = None, **_: Any) -> None:
    """A worker warns before Celery sets up logging (running as root: a SecurityWarning);
    setting up at `celeryd_init` makes that a JSON line too. setup_logging sets up again."""
    _setup_logging(loglevel=(options or {}).get("loglevel"))


@signals.worker_init.connect(weak=False)
def _serve_metrics(**_: Any) -> None:
    """The worker's main process serves the metrics of its pool on METRICS_PORT (set
    PROMETHEUS_MULTIPROC_DIR too: the pool processes write their values there)."""
    metrics.serve_from_env(os.environ)


@signals.worker_process_shutdown.connect(weak=False)
def _pool_process_gone(pid: int | None = None, **_: Any) -> None:
    metrics.process_exited(pid or os.getpid())


@signals.task_prerun.connect(weak=False)
def _task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _STARTED[task_id] = time.perf_counter()


@signals.task_postrun.connect(weak=False)
def _task_finished(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    name = getattr(task, "name", None) or "unknown"
    started = _STARTED.pop(task_id or "", None)
    if started is not None:
        metrics.CELERY_TASK_DURATION.labels(name).observe(time.perf_counter() - started)
    metrics.CELERY_TASKS.labels(name, state or "unknown").inc()


class WorkerContainer(Generic[T]):
    """A worker process's container, built on first use (not at import, so importing the tasks
    needs no database or secrets); tests hand in their own."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self.current: T | None = None

    def get(self) -> T:
        """The container, built now if this is the first task."""
        if self.current is None:
            self.current = self._build()
        return self.current

    def use(self, container: T | None) -> None:
        """Use this container from now on (None: build again on next use)."""
        self.current = container
