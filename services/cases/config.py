"""Settings of the cases service."""

from __future__ import annotations

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
        )


def _optional_secret(env: Mapping[str, str], name: str) -> str:
    """A secret from NAME or the file NAME_FILE names; empty when neither is set."""
    if env.get(f"{name}_FILE") or env.get(name):
        return read_secret(env, name)
    return ""
