"""The cases service's Celery app and beat schedule (`celery -A services.cases.worker:celery`),
and the worker's container. The worker's settings are read here, and only here: the broker and
intervals at import (no database or secrets needed), the service's settings when the first task
runs. The tasks module imports this one, never the other way round: a worker imports it through
`include` when it starts."""

from __future__ import annotations

import os

from celery import Celery

from services.cases.bootstrap import Container, bootstrap
from services.cases.config import CasesSettings, CasesWorkerSettings
from shared.celery_app import WorkerContainer, make_celery


def create_celery(settings: CasesWorkerSettings) -> Celery:
    """The Celery app with the beat schedule these settings ask for."""
    return make_celery(
        "cases",
        settings.redis_url,
        beat_schedule={
            "anonymise-due": {
                "task": "cases.anonymise_due",
                "schedule": settings.retention_interval_seconds,
            },
            "emit-scheduled-notices": {
                "task": "cases.emit_scheduled_notices",
                "schedule": settings.notices_interval_seconds,
            },
            "trim-event-stream": {
                "task": "cases.trim_event_stream",
                "schedule": settings.stream_trim_interval_seconds,
            },
        },
        include=["services.cases.tasks"],
    )


celery = create_celery(CasesWorkerSettings.from_env(os.environ))
worker_container: WorkerContainer[Container] = WorkerContainer(
    lambda: bootstrap(CasesSettings.from_env(os.environ))
)
