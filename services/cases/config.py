"""Settings of the cases service."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from shared.config import Settings, read_secret
from shared.web_links import DEFAULT_WEB_URL, web_url_from_env


@dataclass(frozen=True, kw_only=True)
class CasesSettings(Settings):
    """Cases adds the relay's batch size and poll interval and the beat interval."""

    relay_batch_size: int = 1000
    relay_poll_seconds: float = 0.5
    notices_interval_seconds: int = 300
    public_url: str = ""  # the address users reach the service at (calendar feed links)
    web_url: str = DEFAULT_WEB_URL  # WEB_PUBLIC_URL: feed entries link to the web front end
    # Failed log-ins per client address in 15 minutes, over all e-mail addresses (password
    # spraying); a school's staff behind one address stays far below it.
    login_failures_per_client: int = 50
    # Fernet keys (comma-separated, newest first) that encrypt the staff's TOTP secrets at rest;
    # empty: they are stored unencrypted (see docs/SECURITY.md).
    encryption_key: str = ""
    # Issue 13: a guardian's sign-in link lives this long (single use), and the session it
    # opens (the guardian's bearer token) this long.
    guardian_link_seconds: int = 20 * 60
    guardian_session_seconds: int = 2 * 3600
    # Sign-in link requests per hour: per e-mail address, and per client (browser) address.
    guardian_links_per_address: int = 5
    guardian_links_per_client: int = 30
    # Issue 14: where documents' bytes live (`local`: a folder; `s3`: an S3-compatible bucket)
    # and the largest file accepted.
    document_storage: str = "local"
    document_dir: str = ""  # empty: `documents/` beside a SQLite database, else var/documents
    document_max_bytes: int = 10 * 1024 * 1024
    s3_endpoint: str = ""
    s3_bucket: str = "cases-documents"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_region: str = ""
    # Issue 15: "async" (default): an audit row's commit does not wait for the disk (it survives a
    # crash of the service, not a power loss of the database machine); "sync": it waits.
    audit_commit: str = "async"
    # Acknowledged events stay on the stream at least this long (for a look with XRANGE) before
    # beat trims them.
    stream_keep_hours: int = 24

    def __post_init__(self) -> None:
        if self.document_storage not in ("local", "s3"):
            raise ValueError("CASES_DOCUMENT_STORAGE is `local` or `s3`.")
        if self.document_storage == "s3" and not (
            self.s3_endpoint and self.s3_access_key and self.s3_secret_key
        ):
            raise ValueError(
                "CASES_DOCUMENT_STORAGE=s3 needs CASES_S3_ENDPOINT, CASES_S3_ACCESS_KEY and "
                "CASES_S3_SECRET_KEY."
            )

    @property
    def document_folder(self) -> str:
        """The local store's folder: the setting, or under the service's data folder."""
        if self.document_dir:
            return self.document_dir
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            return os.path.join(
                os.path.dirname(self.database_url[len("sqlite:///") :]), "documents"
            )
        return os.path.join("var", "documents")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CasesSettings:
        """Read CASES_DATABASE_URL, REDIS_URL, JWT_SECRET and the optional knobs."""
        return cls(
            **cls.common_from_env(env, "CASES"),  # type: ignore[arg-type]
            relay_batch_size=int(env.get("CASES_RELAY_BATCH_SIZE", "1000")),
            relay_poll_seconds=float(env.get("CASES_RELAY_POLL_SECONDS", "0.5")),
            notices_interval_seconds=int(env.get("CASES_NOTICES_INTERVAL_SECONDS", "300")),
            public_url=env.get("CASES_PUBLIC_URL", "").rstrip("/"),
            web_url=web_url_from_env(env),
            login_failures_per_client=int(env.get("CASES_LOGIN_FAILURES_PER_CLIENT", "50")),
            encryption_key=_optional_secret(env, "CASES_ENCRYPTION_KEY"),
            guardian_link_seconds=int(env.get("CASES_GUARDIAN_LINK_SECONDS", str(20 * 60))),
            guardian_session_seconds=int(env.get("CASES_GUARDIAN_SESSION_SECONDS", str(2 * 3600))),
            guardian_links_per_address=int(env.get("CASES_GUARDIAN_LINKS_PER_ADDRESS", "5")),
            guardian_links_per_client=int(env.get("CASES_GUARDIAN_LINKS_PER_CLIENT", "30")),
            document_storage=env.get("CASES_DOCUMENT_STORAGE", "local"),
            document_dir=env.get("CASES_DOCUMENT_DIR", ""),
            document_max_bytes=int(env.get("CASES_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024))),
            s3_endpoint=env.get("CASES_S3_ENDPOINT", ""),
            s3_bucket=env.get("CASES_S3_BUCKET", "cases-documents"),
            s3_access_key=env.get("CASES_S3_ACCESS_KEY", ""),
            s3_secret_key=_optional_secret(env, "CASES_S3_SECRET_KEY"),
            s3_region=env.get("CASES_S3_REGION", ""),
            audit_commit=env.get("CASES_AUDIT_COMMIT", "async").strip().lower(),
            stream_keep_hours=int(env.get("CASES_STREAM_KEEP_HOURS", "24")),
        )


def _optional_secret(env: Mapping[str, str], name: str) -> str:
    """A secret from NAME or the file NAME_FILE names; empty when neither is set."""
    if env.get(f"{name}_FILE") or env.get(name):
        return read_secret(env, name)
    return ""


@dataclass(frozen=True, kw_only=True)
class CasesWorkerSettings:
    """What the cases worker and beat need before any task runs: the broker and the beat
    intervals (no database or secrets, so importing `services.cases.worker` needs neither)."""

    redis_url: str = "redis://127.0.0.1:6379/0"
    retention_interval_seconds: float = 86400.0
    notices_interval_seconds: float = 300.0
    # How often beat trims the event stream of what every consumer group has acknowledged.
    stream_trim_interval_seconds: float = 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CasesWorkerSettings:
        """Read REDIS_URL, CASES_RETENTION_INTERVAL_SECONDS, CASES_NOTICES_INTERVAL_SECONDS and
        CASES_STREAM_TRIM_INTERVAL_SECONDS."""
        return cls(
            redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            retention_interval_seconds=float(env.get("CASES_RETENTION_INTERVAL_SECONDS", "86400")),
            notices_interval_seconds=float(env.get("CASES_NOTICES_INTERVAL_SECONDS", "300")),
            stream_trim_interval_seconds=float(
                env.get("CASES_STREAM_TRIM_INTERVAL_SECONDS", "3600")
            ),
        )
