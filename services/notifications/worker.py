"""The notifications service's Celery app and beat schedule
(`celery -A services.notifications.worker:celery`). Only the broker and the dispatch interval are
read at import; the rest when the first task runs."""

from __future__ import annotations

import os

from shared.celery_app import make_celery

celery = make_celery(
    "notifications",
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    beat_schedule={
        "dispatch-due-notifications": {
            "task": "notifications.dispatch_due",
            "schedule": float(os.environ.get("NOTIFICATIONS_DISPATCH_SECONDS", "15")),
        },
        "scrub-delivery-log": {
            "task": "notifications.scrub_delivery_log",
            "schedule": float(os.environ.get("NOTIFICATIONS_RETENTION_INTERVAL_SECONDS", "86400")),
        },
    },
)
celery.conf.update(
    task_soft_time_limit=30,
    task_time_limit=45,
    # One queue per deployment (tests and demos on a shared Redis each take their own).
    task_default_queue=os.environ.get("NOTIFICATIONS_QUEUE", "notifications"),
)

import services.notifications.tasks  # noqa: E402,F401  (registers the tasks)
