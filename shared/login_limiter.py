"""Failed log-ins counted in Redis, in fixed windows: per e-mail address and client address (a
guessed password), and per client address over all e-mail addresses (one password tried on many
accounts). Over a limit the token endpoint answers 429 until the window ends. Unknown and known
addresses are counted alike, so a limit tells nothing about which accounts exist; keys are hashed,
so Redis holds no e-mail or client addresses."""

from __future__ import annotations

import hashlib

import redis

from shared.errors import AppError

# The header in which the web front end (a service, with its own service token) names the browser
# that logs in through it; anyone else's is ignored.
LOGIN_CLIENT_HEADER = "X-Login-Client"


class TooManyAttempts(AppError):
    """Too many failed log-ins (429)."""

    status = 429
    code = "too_many_requests"


class LoginLimiter:
    """A fixed window of `limit` failures in `window_seconds`, per key (parts joined)."""

    def __init__(
        self,
        client: redis.Redis,
        namespace: str,
        limit: int = 10,
        window_seconds: int = 900,
        name: str = "login-failures",
    ) -> None:
        self.client = client
        self.namespace = namespace
        self.limit = limit
        self.window = window_seconds
        self.name = name

    def _key(self, *parts: str) -> str:
        joined = "|".join(p.strip().lower() for p in parts)
        return f"{{{self.namespace}}}:{self.name}:{hashlib.sha256(joined.encode()).hexdigest()}"

    def check(self, *parts: str) -> None:
        """Refuse while the failures of this window reached the limit."""
        if int(self.client.get(self._key(*parts)) or 0) >= self.limit:
            raise TooManyAttempts("Too many failed attempts; try again in a quarter of an hour.")

    def failed(self, *parts: str) -> None:
        """Count one failure; the first of a window starts its expiry.

        SET ... NX EX creates the counter with the window's expiry only when it does not exist,
        and INCR keeps that expiry: one transaction that works on Redis 6.2 and 7.x (EXPIRE ...
        NX needs 7.0, and on 6.2 it made the whole transaction fail)."""
        key = self._key(*parts)
        with self.client.pipeline() as pipe:
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            pipe.execute()


class LoginLimits:
    """Both limits of a token endpoint: per (e-mail, client) and per client."""

    def __init__(
        self, client: redis.Redis, namespace: str, per_account: int = 10, per_client: int = 50
    ) -> None:
        self.by_account = LoginLimiter(client, namespace, per_account)
        self.by_client = LoginLimiter(client, namespace, per_client, name="login-failures-client")

    def check(self, email: str, remote: str) -> None:
        self.by_account.check(email, remote)
        self.by_client.check(remote)

    def failed(self, email: str, remote: str) -> None:
        self.by_account.failed(email, remote)
        self.by_client.failed(remote)
