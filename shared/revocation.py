"""Disabled accounts, told to every service at once.

The cases service owns accounts and checks on each request that the user is still active. The
other services only verify the token's signature, so a disabled user's token would keep working
there until it expires. When an administrator disables an account, cases writes a revocation
marker to Redis, which every service shares; notifications and reports refuse the token while the
marker lives. The marker outlives every token issued before it (the token lifetime plus a
margin), after which an old token has expired anyway.
"""

from __future__ import annotations

from uuid import UUID

import redis

from shared.auth import Principal, Role
from shared.errors import Unauthorized

PREFIX = "auth:revoked:"
MARGIN_SECONDS = 300


class Revocations:
    """Revocation markers per user id, in Redis."""

    def __init__(self, client: redis.Redis, token_ttl_seconds: int, prefix: str = PREFIX) -> None:
        self._redis = client
        self._ttl = token_ttl_seconds + MARGIN_SECONDS
        self._prefix = prefix

    def revoke(self, user_id: UUID) -> None:
        """Refuse every token of this user issued so far (raises if Redis is unreachable)."""
        self._redis.set(self._key(user_id), "1", ex=self._ttl)

    def restore(self, user_id: UUID) -> None:
        """Accept the user's tokens again (a re-enabled account)."""
        self._redis.delete(self._key(user_id))

    def is_revoked(self, user_id: UUID) -> bool:
        return bool(self._redis.exists(self._key(user_id)))

    def check(self, principal: Principal) -> None:
        """A `check_principal` hook for install_auth: 401 for a revoked user's token."""
        if principal.role is not Role.SERVICE and self.is_revoked(principal.user_id):
            raise Unauthorized("The account is disabled.")

    def _key(self, user_id: UUID) -> str:
        return f"{self._prefix}{user_id}"
