"""Each service's Celery app is built from its worker settings (read from the environment in
worker.py alone): the broker, the beat intervals, the notifications queue, and the tasks module
the worker imports when it starts (`include`; the tasks import the app, not the reverse)."""

from __future__ import annotations

from services.cases import worker as cases_worker
from services.cases.config import CasesWorkerSettings
from services.notifications import worker as notifications_worker
from services.notifications.config import NotificationsWorkerSettings
from services.reports import worker as reports_worker
from services.reports.config import ReportsWorkerSettings

BROKER = "redis://127.0.0.1:6399/7"


def test_cases_worker_settings_drive_the_broker_and_the_beat() -> None:
    settings = CasesWorkerSettings.from_env(
        {
            "REDIS_URL": BROKER,
            "CASES_RETENTION_INTERVAL_SECONDS": "120",
            "CASES_NOTICES_INTERVAL_SECONDS": "30",
            "CASES_STREAM_TRIM_INTERVAL_SECONDS": "900",
        }
    )
    app = cases_worker.create_celery(settings)
    assert app.conf.broker_url == BROKER
    assert app.conf.beat_schedule["anonymise-due"]["schedule"] == 120.0
    assert app.conf.beat_schedule["emit-scheduled-notices"]["schedule"] == 30.0
    assert app.conf.beat_schedule["trim-event-stream"]["schedule"] == 900.0
    default = cases_worker.create_celery(CasesWorkerSettings.from_env({}))
    assert default.conf.beat_schedule["trim-event-stream"]["schedule"] == 3600.0
    assert list(app.conf.include) == ["services.cases.tasks"]


def test_notifications_worker_settings_drive_the_queue_and_the_beat() -> None:
    settings = NotificationsWorkerSettings.from_env(
        {
            "REDIS_URL": BROKER,
            "NOTIFICATIONS_QUEUE": "school-a",
            "NOTIFICATIONS_DISPATCH_SECONDS": "10",
            "NOTIFICATIONS_RETENTION_INTERVAL_SECONDS": "600",
        }
    )
    app = notifications_worker.create_celery(settings)
    assert app.conf.broker_url == BROKER
    assert app.conf.task_default_queue == "school-a"
    assert app.conf.beat_schedule["dispatch-due-notifications"]["schedule"] == 10.0
    assert app.conf.beat_schedule["scrub-delivery-log"]["schedule"] == 600.0
    assert list(app.conf.include) == ["services.notifications.tasks"]


def test_reports_worker_settings_and_defaults_without_any_environment() -> None:
    app = reports_worker.create_celery(ReportsWorkerSettings.from_env({}))
    assert app.conf.broker_url == "redis://127.0.0.1:6379/0"
    assert list(app.conf.include) == ["services.reports.tasks"]
    defaults = NotificationsWorkerSettings.from_env({})
    assert (defaults.queue, defaults.dispatch_seconds) == ("notifications", 15.0)
    assert CasesWorkerSettings.from_env({}).retention_interval_seconds == 86400.0


# What the notifications service cannot start without (its settings' required variables).
NOTIFICATIONS_ENV = {
    "NOTIFICATIONS_DATABASE_URL": "sqlite://",
    "CASES_URL": "http://cases",
    "NOTIFICATIONS_ENCRYPTION_KEY": "k",
    "NOTIFICATIONS_MAIL_URL": "mailto://mail.example:25?from=noreply@swv.test",
    "JWT_SECRET": "s",
}


def test_the_smtp_pool_settings_and_their_defaults() -> None:
    """OPERATIONS.md and .env.example name these defaults; bootstrap hands them to the pool
    (tests/integration/notifications/test_smtp_pool.py checks the container's pool)."""
    from services.notifications.config import NotificationsSettings

    env = NOTIFICATIONS_ENV
    defaults = NotificationsSettings.from_env(env)
    assert (defaults.smtp_pool_size, defaults.smtp_idle_seconds) == (2, 30.0)
    changed = NotificationsSettings.from_env(
        env | {"NOTIFICATIONS_SMTP_POOL_SIZE": "4", "NOTIFICATIONS_SMTP_IDLE_SECONDS": "12.5"}
    )
    assert (changed.smtp_pool_size, changed.smtp_idle_seconds) == (4, 12.5)


def test_dispatch_splits_its_rows_into_parts_of_the_delivery_chunk() -> None:
    """NOTIFICATIONS_DELIVERY_CHUNK (default 25) bounds a part; a small dispatch is still spread
    over up to 8 parts, so the worker processes share it (OPERATIONS.md)."""
    from uuid import UUID

    from services.notifications.config import NotificationsSettings
    from services.notifications.service_layer.handlers import delivery_parts

    env = NOTIFICATIONS_ENV
    assert NotificationsSettings.from_env(env).delivery_chunk == 25
    assert (
        NotificationsSettings.from_env(env | {"NOTIFICATIONS_DELIVERY_CHUNK": "7"}).delivery_chunk
        == 7
    )
    ids = [UUID(int=i) for i in range(500)]
    parts = delivery_parts(ids, 25)
    assert [len(p) for p in parts] == [25] * 20 and [i for p in parts for i in p] == ids
    assert [len(p) for p in delivery_parts(ids[:100], 25)] == [12] * 8 + [4]
    assert [len(p) for p in delivery_parts(ids[:5], 25)] == [1] * 5
    assert delivery_parts([], 25) == []
