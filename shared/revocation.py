"""Disabled accounts and revoked tokens, told to every service, surviving a Redis data loss.

The durable truth lives in the cases database, which owns accounts: a user's `active` flag and
`tokens_valid_after`, the instant before which their tokens are refused (set when the account is
disabled, and kept when it is re-enabled, so a token issued before the disable stays dead; the
user logs in again). The cases service reads its own table on every request.

Notifications and reports cannot read cases' tables. They ask the cases service
(`GET /api/v1/internal/users/{id}/validity`, with their service token) and cache the answer in
the shared Redis for a minute. The cache is only a cache: when Redis loses its data (a restart
without persistence) the next request asks cases again, so a disabled account stays refused.
The cases service writes the cache through when it disables or enables an account, so the
change counts at once everywhere; answers fetched by the other services only fill a missing
entry (SET NX), so a stale answer never overwrites the one cases wrote. When neither the cache
nor the cases service answers, a person's token is refused (503): fail closed.

The same "valid after" idea protects a guardian's preference links (`links_valid_after`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

import redis

from shared.auth import Principal, Role, Validity
from shared.clock import Clock
from shared.errors import ServiceUnavailable, Unauthorized
from shared.service_http import ServiceClient

log = logging.getLogger(__name__)

PREFIX = "auth:validity:"
CACHE_SECONDS = 60
USER_PATH = "/api/v1/internal/users/{id}/validity"
GUARDIAN_LINKS_PATH = "/api/v1/internal/guardians/{id}/validity"


class ValidityUnavailable(Exception):
    """Neither the cache nor the cases service could say whether an account is valid."""


# Where an account's validity comes from on a cache miss: None for no such account;
# ValidityUnavailable when the source cannot answer now.
Source = Callable[[UUID], Validity | None]


class Revocations:
    """The validity of person accounts, cached in Redis in front of a durable source."""

    def __init__(
        self,
        client: redis.Redis,
        source: Source | None = None,
        cache_seconds: int = CACHE_SECONDS,
        prefix: str = PREFIX,
    ) -> None:
        self._redis = client
        self._source = source
        self._ttl = cache_seconds
        self._prefix = prefix

    def remember(self, user_id: UUID, validity: Validity) -> None:
        """Write an account's validity through to the cache (the cases service, on a disable or
        enable; raises when Redis is unreachable, so the caller can refuse the change)."""
        self._redis.set(self._key(user_id), validity.to_json(), ex=self._ttl)

    def validity(self, user_id: UUID) -> Validity | None:
        """The account's validity: from the cache, else from the source (and cached)."""
        key = self._key(user_id)
        try:
            cached = self._redis.get(key)
        except redis.RedisError as err:
            log.warning("validity cache unreachable (%s); asking the source", type(err).__name__)
            cached = None
        if cached is not None:
            return Validity.from_json(str(cached))
        if self._source is None:
            raise ValidityUnavailable("no cached validity and no source to ask")
        validity = self._source(user_id)
        raw = validity.to_json() if validity else json.dumps(None)
        try:
            self._redis.set(key, raw, ex=self._ttl, nx=True)
        except redis.RedisError:
            pass  # the answer counts for this request; the next one asks again
        return validity

    def check(self, principal: Principal) -> None:
        """A `check_principal` hook for install_auth: 401 for a disabled account or a token
        issued before its "valid after" instant; 503 when that cannot be known now."""
        if principal.role is Role.SERVICE:
            return
        try:
            validity = self.validity(principal.user_id)
        except ValidityUnavailable as err:
            raise ServiceUnavailable(
                "Whether this account is still valid cannot be checked now; try again shortly."
            ) from err
        if validity is None or not validity.accepts(principal.issued_at):
            raise Unauthorized("The account is disabled or the token was revoked; log in again.")

    def _key(self, user_id: UUID) -> str:
        return f"{self._prefix}{user_id}"


class CasesValidity(ServiceClient):
    """The durable source for notifications and reports: an internal endpoint of the cases
    service (an account's tokens, or a guardian's preference links), asked with this service's
    own short-lived token."""

    def __init__(
        self,
        base_url: str,
        jwt_secret: str,
        clock: Clock,
        name: str,
        path: str = USER_PATH,
        timeout: float = 5.0,
    ) -> None:
        super().__init__(
            base_url, jwt_secret, clock, caller=name, upstream="cases", timeout=timeout
        )
        self.path = path

    def __call__(self, subject_id: UUID) -> Validity | None:
        """The validity; None when the account or guardian does not exist (any more)."""
        if not self.base_url:
            raise ValidityUnavailable("CASES_URL is not set")
        response = self.get(self.path.format(id=subject_id), ValidityUnavailable)
        if response is None:
            return None
        body = response.json()
        after = body.get("valid_after")
        return Validity(bool(body["active"]), datetime.fromisoformat(after) if after else None)
