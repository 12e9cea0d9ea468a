"""Failed log-ins are counted per e-mail address and client address in Redis; after too many in
a window the token endpoint answers 429 until the window ends. Unknown and known addresses are
counted alike, so the limit tells nothing about which accounts exist."""

from __future__ import annotations

import hashlib

import redis

from shared.errors import AppError


class TooManyAttempts(AppError):
    """Too many failed log-ins (429)."""

    status = 429
    code = "too_many_requests"


class LoginLimiter:
    """A fixed window per (e-mail, client) of `limit` failures in `window_seconds`."""

    def __init__(
        self, client: redis.Redis, namespace: str, limit: int = 10, window_seconds: int = 900
    ) -> None:
        self.client = client
        self.namespace = namespace
        self.limit = limit
        self.window = window_seconds

    def _key(self, email: str, remote: str) -> str:
        # Hashed: no e-mail addresses in Redis keys.
        digest = hashlib.sha256(f"{email.strip().lower()}|{remote}".encode()).hexdigest()
        return f"{{{self.namespace}}}:login-failures:{digest}"

    def check(self, email: str, remote: str) -> None:
        """Refuse while the failures of this window reached the limit."""
        if int(self.client.get(self._key(email, remote)) or 0) >= self.limit:
            raise TooManyAttempts("Too many failed attempts; try again in a quarter of an hour.")

    def failed(self, email: str, remote: str) -> None:
        """Count one failure; the first of a window starts its expiry."""
        key = self._key(email, remote)
        with self.client.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, self.window, nx=True)
            pipe.execute()
