"""Settings of the notifications service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.config import Settings, read_secret, require


@dataclass(frozen=True, kw_only=True)
class NotificationsSettings(Settings):
    """Where cases answers, how mail and SMS leave, and the delivery knobs."""

    cases_url: str
    encryption_key: str
    mail_url: str = ""  # Apprise mailto URL of the default mail transport, without `to=`
    sms_url: str = ""  # Apprise URL template with {phone}, e.g. an SMS gateway
    public_url: str = "http://127.0.0.1:8002"
    reports_url: str = ""  # where schools fetch reports named in report.ready messages
    consumer_group: str = "notifications"
    consumer_name: str = "notifications-1"
    max_attempts: int = 12  # with the backoff below: about four hours of outage, nothing lost
    retry_base_seconds: int = 30
    dispatch_batch: int = 500
    stale_after_seconds: int = 300
    apprise_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NotificationsSettings:
        """Read NOTIFICATIONS_* variables plus the common ones."""
        return cls(
            **cls.common_from_env(env, "NOTIFICATIONS"),  # type: ignore[arg-type]
            cases_url=require(env, "CASES_URL").rstrip("/"),
            encryption_key=read_secret(env, "NOTIFICATIONS_ENCRYPTION_KEY"),
            # It may hold the SMTP password: a secret, also readable from a file.
            mail_url=read_secret(env, "NOTIFICATIONS_MAIL_URL"),
            sms_url=env.get("NOTIFICATIONS_SMS_URL", ""),
            public_url=env.get("NOTIFICATIONS_PUBLIC_URL", "http://127.0.0.1:8002").rstrip("/"),
            reports_url=env.get("REPORTS_PUBLIC_URL", "").rstrip("/"),
            consumer_group=env.get("NOTIFICATIONS_CONSUMER_GROUP", "notifications"),
            consumer_name=env.get("NOTIFICATIONS_CONSUMER_NAME", "notifications-1"),
            max_attempts=int(env.get("NOTIFICATIONS_MAX_ATTEMPTS", "12")),
            retry_base_seconds=int(env.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "30")),
            stale_after_seconds=int(env.get("NOTIFICATIONS_STALE_AFTER_SECONDS", "300")),
        )
