"""The notifications service's Celery app and beat schedule
(`celery -A services.notifications.worker:celery`), and the worker's container. The worker's
settings are read here, and only here: the broker, queue and intervals at import (no database or
secrets needed), the service's settings when the first task runs. The tasks module imports this
one, never the other way round: a worker imports it through `include` when it starts."""

from __future__ import annotations

import os

from celery import Celery

from services.notifications.bootstrap import Container, bootstrap
from services.notifications.config import NotificationsSettings, NotificationsWorkerSettings
from shared.celery_app import WorkerContainer, make_celery


def create_celery(settings: NotificationsWorkerSettings) -> Celery:
    """The Celery app with the queue and beat schedule these settings ask for."""
    app = make_celery(
        "notifications",
        settings.redis_url,
        beat_schedule={
            "dispatch-due-notifications": {
                "task": "notifications.dispatch_due",
                "schedule": settings.dispatch_seconds,
            },
            "scrub-delivery-log": {
                "task": "notifications.scrub_delivery_log",
                "schedule": settings.retention_interval_seconds,
            },
        },
        include=["services.notifications.tasks"],
    )
    app.conf.update(
        task_soft_time_limit=30,
        task_time_limit=45,
        # One queue per deployment (tests and demos on a shared Redis each take their own).
        task_default_queue=settings.queue,
    )
    return app


celery = create_celery(NotificationsWorkerSettings.from_env(os.environ))
worker_container: WorkerContainer[Container] = WorkerContainer(
    lambda: bootstrap(NotificationsSettings.from_env(os.environ))
)
