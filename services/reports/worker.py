"""The reports service's Celery app and beat schedule (`celery -A services.reports.worker:celery`).
Only the broker is read at import; the rest when the first task runs."""

from __future__ import annotations

import os

from shared.celery_app import make_celery

# Hourly is plenty: a period is compiled once, the first run after it ended.
COMPILE_EVERY_SECONDS = 3600.0

celery = make_celery(
    "reports",
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    beat_schedule={
        "compile-periodic-reports": {
            "task": "reports.compile_due",
            "schedule": COMPILE_EVERY_SECONDS,
        },
    },
)
# Compiling every school's periods after a long outage may take a while.
celery.conf.update(task_soft_time_limit=600, task_time_limit=660)

import services.reports.tasks  # noqa: E402,F401  (registers the tasks)
