"""Settings from environment variables: one frozen object per service, built once at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def read_secret(env: Mapping[str, str], name: str) -> str:
    """Read a secret from NAME or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    if env.get(f"{name}_FILE"):
        return Path(env[f"{name}_FILE"]).read_text(encoding="utf-8").strip()
    value = env.get(name, "")
    if not value:
        raise ConfigError(f"{name} (or {name}_FILE) must be set")
    return value


def require(env: Mapping[str, str], name: str) -> str:
    """Return a required variable or fail at start-up with its name."""
    value = env.get(name, "")
    if not value:
        raise ConfigError(f"{name} must be set")
    return value


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What every service needs; services subclass it with their own fields."""

    database_url: str
    redis_url: str
    jwt_secret: str
    event_stream: str = "events"
    token_ttl_seconds: int = 3600
    log_level: str = "INFO"
    log_format: str = "text"  # "json" in production: one JSON object per line
    metrics_token: str | None = None  # when set, GET /metrics needs it as a bearer token
    clock_file: str | None = None  # tests and demos only: see shared.clock.FileClock
    # Reverse proxies in front of the service whose X-Forwarded-For/-Proto are believed (0: none;
    # the client address is then the connection's).
    trusted_proxy_hops: int = 0
    # The largest request body read, refused with 413 before it is parsed or the caller is
    # authenticated (an endpoint may allow more: the imports' files).
    max_body_bytes: int = 1024 * 1024
    # /health/ready fails when the service's stream consumer wrote no heartbeat for this long
    # (it died or hangs); 0: not checked (a service without a consumer, or tests of the web app).
    consumer_max_silence_seconds: int = 0
    # Events the stream consumer reads, handles in one transaction and acknowledges at once
    # (a service may choose another default: the reports consumer takes 500).
    consumer_batch: int = 200

    @classmethod
    def common_from_env(cls, env: Mapping[str, str], prefix: str) -> dict[str, object]:
        """The common fields, reading `<PREFIX>_DATABASE_URL` for the service's own database."""
        return {
            "database_url": require(env, f"{prefix}_DATABASE_URL"),
            "redis_url": env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "jwt_secret": read_secret(env, "JWT_SECRET"),
            "event_stream": env.get("EVENT_STREAM", "events"),
            "token_ttl_seconds": int(env.get("TOKEN_TTL_SECONDS", "3600")),
            "log_level": env.get("LOG_LEVEL", "INFO"),
            "log_format": env.get("LOG_FORMAT", "text").lower(),
            "metrics_token": env.get(f"{prefix}_METRICS_TOKEN") or None,
            "clock_file": env.get("CLOCK_FILE") or None,
            "trusted_proxy_hops": int(env.get("TRUSTED_PROXY_HOPS", "0")),
            "max_body_bytes": int(env.get("MAX_BODY_BYTES", str(1024 * 1024))),
            "consumer_max_silence_seconds": int(
                env.get(f"{prefix}_CONSUMER_MAX_SILENCE_SECONDS", "0")
            ),
            "consumer_batch": _consumer_batch(
                env, f"{prefix}_CONSUMER_BATCH", cls.__dataclass_fields__["consumer_batch"].default
            ),
        }


MAX_CONSUMER_BATCH = 500  # the cases service answers at most this many audiences in one call


def _consumer_batch(env: Mapping[str, str], name: str, default: object) -> int:
    """<PREFIX>_CONSUMER_BATCH: 1 to MAX_CONSUMER_BATCH events per batch (the service's
    `consumer_batch` by default)."""
    raw = env.get(name, str(default))
    if not raw.strip().isdigit() or not 1 <= int(raw) <= MAX_CONSUMER_BATCH:
        raise ConfigError(f"{name} must be a whole number from 1 to {MAX_CONSUMER_BATCH}")
    return int(raw)
