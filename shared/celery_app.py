"""A Celery app configured the way DESIGN.md §6 asks, for any service."""

from __future__ import annotations

from typing import Any

from celery import Celery


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
