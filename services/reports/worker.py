"""The reports service's Celery app and beat schedule (`celery -A services.reports.worker:celery`),
and the worker's container. The worker's settings are read here, and only here: the broker at
import (no database or secrets needed), the service's settings when the first task runs. The
tasks module imports this one, never the other way round: a worker imports it through `include`
when it starts."""

from __future__ import annotations

import os

from celery import Celery

from services.reports.bootstrap import Container, bootstrap
from services.reports.config import ReportsSettings, ReportsWorkerSettings
from shared.celery_app import WorkerContainer, make_celery

# Hourly is plenty: a period is compiled once, the first run after it ended.
COMPILE_EVERY_SECONDS = 3600.0


def create_celery(settings: ReportsWorkerSettings) -> Celery:
    """The Celery app on the broker these settings name."""
    app = make_celery(
        "reports",
        settings.redis_url,
        beat_schedule={
            "compile-periodic-reports": {
                "task": "reports.compile_due",
                "schedule": COMPILE_EVERY_SECONDS,
            },
        },
        include=["services.reports.tasks"],
    )
    # Compiling every school's periods after a long outage may take a while.
    app.conf.update(task_soft_time_limit=600, task_time_limit=660)
    return app


celery = create_celery(ReportsWorkerSettings.from_env(os.environ))
worker_container: WorkerContainer[Container] = WorkerContainer(
    lambda: bootstrap(ReportsSettings.from_env(os.environ))
)
