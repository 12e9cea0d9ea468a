"""The cases service's Celery app and beat schedule (`celery -A services.cases.worker:celery`).

Only the broker address and the beat interval are read here; the rest of the settings are read
when the first task runs, so importing this module needs no database or secrets.
"""

from __future__ import annotations

import os

from shared.celery_app import make_celery

celery = make_celery(
    "cases",
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    beat_schedule={
        "anonymise-due": {
            "task": "cases.anonymise_due",
            "schedule": float(os.environ.get("CASES_RETENTION_INTERVAL_SECONDS", "86400")),
        },
        "emit-scheduled-notices": {
            "task": "cases.emit_scheduled_notices",
            "schedule": float(os.environ.get("CASES_NOTICES_INTERVAL_SECONDS", "300")),
        },
    },
)

import services.cases.tasks  # noqa: E402,F401  (registers the tasks)
