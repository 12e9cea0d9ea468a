"""A Celery app configured the way DESIGN.md §6 asks, for any service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from celery import Celery

T = TypeVar("T")


def make_celery(name: str, redis_url: str, beat_schedule: dict[str, Any] | None = None) -> Celery:
    """Celery on Redis: late acks, prefetch 1, results ignored, time limits, JSON only."""
    app = Celery(name, broker=redis_url)
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
