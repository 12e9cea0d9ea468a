"""Settings of the notifications service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.config import Settings, read_secret, require
from shared.web_links import DEFAULT_WEB_URL, web_url_from_env


@dataclass(frozen=True, kw_only=True)
class NotificationsSettings(Settings):
    """Where cases answers, how mail and SMS leave, and the delivery knobs."""

    cases_url: str
    encryption_key: str
    mail_url: str = ""  # Apprise mailto URL of the default mail transport, without `to=`
    # The ORGANIZER of meeting invitations, who receives the replies ("Naam <adres>" or an
    # address); empty: the mail transport's `from`.
    meeting_organizer: str = ""
    sms_url: str = ""  # Apprise URL template with {phone}, e.g. an SMS gateway
    public_url: str = "http://127.0.0.1:8002"
    reports_url: str = ""  # where schools fetch reports named in report.ready messages
    # WEB_PUBLIC_URL: messages link to its pages; a guardian's sign-in link lands there too.
    web_url: str = DEFAULT_WEB_URL
    # Where this service itself asks the reports API (PDFs attached to messages);
    # empty: `reports_url`.
    reports_api_url: str = ""
    consumer_group: str = "notifications"
    consumer_name: str = "notifications-1"
    max_attempts: int = 12  # with the backoff below: about four hours of outage, nothing lost
    retry_base_seconds: int = 30
    dispatch_batch: int = 500
    # Dispatched rows per delivery task (a part), each still claimed just before its send.
    delivery_chunk: int = 25
    stale_after_seconds: int = 300
    apprise_timeout_seconds: float = 10.0
    # SMTP connections a worker process keeps open per mail transport, and how long one may
    # stay unused before it is closed (servers drop idle ones after a few minutes).
    smtp_pool_size: int = 2
    smtp_idle_seconds: float = 30.0
    # Finished delivery rows keep their recipient's address this long, then it is scrubbed.
    log_retention_days: int = 400

    @property
    def reports_api_base(self) -> str:
        """The reports service's base URL for server-side calls: its internal address, if set,
        else its public one."""
        return (self.reports_api_url or self.reports_url).rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NotificationsSettings:
        """Read NOTIFICATIONS_* variables plus the common ones."""
        return cls(
            **cls.common_from_env(env, "NOTIFICATIONS"),  # type: ignore[arg-type]
            cases_url=require(env, "CASES_URL").rstrip("/"),
            encryption_key=read_secret(env, "NOTIFICATIONS_ENCRYPTION_KEY"),
            # It may hold the SMTP password: a secret, also readable from a file.
            mail_url=read_secret(env, "NOTIFICATIONS_MAIL_URL"),
            meeting_organizer=env.get("NOTIFICATIONS_MEETING_ORGANIZER", ""),
            sms_url=env.get("NOTIFICATIONS_SMS_URL", ""),
            public_url=env.get("NOTIFICATIONS_PUBLIC_URL", "http://127.0.0.1:8002").rstrip("/"),
            reports_url=env.get("REPORTS_PUBLIC_URL", "").rstrip("/"),
            web_url=web_url_from_env(env),
            reports_api_url=env.get("NOTIFICATIONS_REPORTS_API_URL", "").rstrip("/"),
            consumer_group=env.get("NOTIFICATIONS_CONSUMER_GROUP", "notifications"),
            consumer_name=env.get("NOTIFICATIONS_CONSUMER_NAME", "notifications-1"),
            max_attempts=int(env.get("NOTIFICATIONS_MAX_ATTEMPTS", "12")),
            retry_base_seconds=int(env.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "30")),
            stale_after_seconds=int(env.get("NOTIFICATIONS_STALE_AFTER_SECONDS", "300")),
            delivery_chunk=int(env.get("NOTIFICATIONS_DELIVERY_CHUNK", "25")),
            log_retention_days=int(env.get("NOTIFICATIONS_LOG_RETENTION_DAYS", "400")),
            smtp_pool_size=int(env.get("NOTIFICATIONS_SMTP_POOL_SIZE", "2")),
            smtp_idle_seconds=float(env.get("NOTIFICATIONS_SMTP_IDLE_SECONDS", "30")),
        )


@dataclass(frozen=True, kw_only=True)
class NotificationsWorkerSettings:
    """What the notifications worker and beat need before any task runs: the broker, the queue
    and the beat intervals (no database or secrets, so importing the worker module needs
    neither)."""

    redis_url: str = "redis://127.0.0.1:6379/0"
    queue: str = "notifications"  # one queue per deployment; the worker's -Q must name it
    dispatch_seconds: float = 15.0
    retention_interval_seconds: float = 86400.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NotificationsWorkerSettings:
        """Read REDIS_URL, NOTIFICATIONS_QUEUE, NOTIFICATIONS_DISPATCH_SECONDS and
        NOTIFICATIONS_RETENTION_INTERVAL_SECONDS."""
        return cls(
            redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            queue=env.get("NOTIFICATIONS_QUEUE", "notifications"),
            dispatch_seconds=float(env.get("NOTIFICATIONS_DISPATCH_SECONDS", "15")),
            retention_interval_seconds=float(
                env.get("NOTIFICATIONS_RETENTION_INTERVAL_SECONDS", "86400")
            ),
        )
