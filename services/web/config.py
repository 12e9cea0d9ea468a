"""The web front end's settings: where the services are, Redis for sessions, the session secret."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.config import ConfigError, read_secret, require


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false")


def _positive(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigError(f"{name} must be a positive whole number")
    return number


@dataclass(frozen=True, kw_only=True)
class WebSettings:
    """Built once in create_app() (or by a test directly); nothing else reads the environment."""

    cases_url: str
    notifications_url: str
    reports_url: str
    redis_url: str
    # Checks the users' tokens (role and school for the navigation) and signs the short service
    # token next to which the cases service believes the browser's address at log-in.
    jwt_secret: str
    session_secret: str  # signs nothing users hold but the CSRF token; rotating it logs all out
    secure_cookie: bool = False
    session_lifetime_seconds: int = 8 * 3600
    log_level: str = "INFO"
    log_format: str = "text"
    metrics_token: str | None = None
    trusted_proxy_hops: int = 0
    clock_file: str | None = None  # tests and demos only: see shared.clock.FileClock
    session_key_prefix: str = "web:session:"  # Redis keys of the sessions (tests: their own)
    # The largest document the upload form takes: the cases service's CASES_DOCUMENT_MAX_BYTES.
    document_max_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebSettings:
        """Read WEB_* and the shared variables; a missing required one fails at start-up."""
        cases_url = require(env, "CASES_URL").rstrip("/")
        return cls(
            cases_url=cases_url,
            notifications_url=env.get("NOTIFICATIONS_URL", "").rstrip("/"),
            reports_url=env.get("REPORTS_URL", "").rstrip("/"),
            redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            jwt_secret=read_secret(env, "JWT_SECRET"),
            session_secret=read_secret(env, "WEB_SESSION_SECRET"),
            secure_cookie=_flag(env.get("WEB_SECURE_COOKIE", "false"), "WEB_SECURE_COOKIE"),
            session_lifetime_seconds=_positive(
                env.get("WEB_SESSION_LIFETIME_SECONDS", str(8 * 3600)),
                "WEB_SESSION_LIFETIME_SECONDS",
            ),
            log_level=env.get("LOG_LEVEL", "INFO"),
            log_format=env.get("LOG_FORMAT", "text").lower(),
            metrics_token=env.get("WEB_METRICS_TOKEN") or None,
            trusted_proxy_hops=int(env.get("TRUSTED_PROXY_HOPS", "0")),
            clock_file=env.get("CLOCK_FILE") or None,
            document_max_bytes=_positive(
                env.get("CASES_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)),
                "CASES_DOCUMENT_MAX_BYTES",
            ),
        )
