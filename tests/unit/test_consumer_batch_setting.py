"""<SERVICE>_CONSUMER_BATCH: how many events a consumer reads, handles in one transaction and
acknowledges at once (issue 15); 1 to 500, anything else fails at start-up with its name."""

from __future__ import annotations

import pytest

from services.notifications.config import NotificationsSettings
from services.reports.__main__ import consumer
from services.reports.bootstrap import bootstrap
from services.reports.config import ReportsSettings
from shared.config import ConfigError


def env(tmp_path, **extra: str) -> dict[str, str]:
    return {
        "REPORTS_DATABASE_URL": f"sqlite:///{tmp_path / 'reports.db'}",
        "JWT_SECRET": "j" * 32,
        **extra,
    }


def test_the_default_batch_reaches_the_consumer(tmp_path):
    settings = ReportsSettings.from_env(env(tmp_path))
    assert settings.consumer_batch == 500  # the reports consumer's own default
    assert consumer(bootstrap(settings)).batch == 500
    notifications = {**env(tmp_path), "NOTIFICATIONS_DATABASE_URL": "sqlite:///x.db"}
    assert (
        NotificationsSettings.common_from_env(notifications, "NOTIFICATIONS")["consumer_batch"]
        == 200
    )
    chosen = ReportsSettings.from_env(env(tmp_path, REPORTS_CONSUMER_BATCH="37"))
    runner = consumer(bootstrap(chosen))
    assert runner.batch == 37 and runner.handle_batch is not None


@pytest.mark.parametrize("value", ["0", "501", "-3", "ten", ""])
def test_a_batch_outside_1_to_500_fails_with_its_name(tmp_path, value):
    with pytest.raises(ConfigError, match="REPORTS_CONSUMER_BATCH"):
        ReportsSettings.from_env(env(tmp_path, REPORTS_CONSUMER_BATCH=value))
