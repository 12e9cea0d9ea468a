"""Bearer tokens (JWT, HS256), password hashing (argon2) and the one authorization model.

A token says who the user is, their role and their scope (partnership, schools, and for a guardian
their own children). Services verify it with the shared key; the cases service, which owns users,
also checks on each request that the user is still active.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from uuid import UUID

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ISSUER = "passend-onderwijs"
ALGORITHM = "HS256"


class Role(StrEnum):
    """Who a user is: partnership-wide, school-bound, a parent, or another service."""

    ADMIN = "admin"
    CONSULTANT = "consultant"
    DIRECTOR = "director"
    COORDINATOR = "coordinator"
    TEACHER = "teacher"
    GUARDIAN = "guardian"
    SERVICE = "service"


PARTNERSHIP_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT})
SCHOOL_ROLES = frozenset({Role.DIRECTOR, Role.COORDINATOR, Role.TEACHER})
STAFF_ROLES = frozenset({Role.CONSULTANT, Role.DIRECTOR, Role.COORDINATOR, Role.TEACHER})


class InvalidToken(Exception):
    """The token is missing, expired, tampered with or not ours."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller and the scope they may see. `pupil_ids`: a guardian's own
    children, or the pupils a teacher is assigned to (the cases service works a teacher's out
    again on every request, so a changed assignment counts at once)."""

    user_id: UUID
    role: Role
    partnership_id: UUID | None
    school_ids: frozenset[UUID] = field(default_factory=frozenset)
    pupil_ids: frozenset[UUID] = field(default_factory=frozenset)
    # When the token was issued (its `iat`); tokens issued before an account's "valid after"
    # instant are refused (shared.revocation). Not part of who the caller is.
    issued_at: datetime | None = field(default=None, compare=False)

    def sees_partnership(self, partnership_id: UUID) -> bool:
        """Whether anything of this partnership may be visible at all."""
        return self.role is Role.SERVICE or self.partnership_id == partnership_id

    def sees_school(self, partnership_id: UUID, school_id: UUID | None) -> bool:
        """Whether school-level data (not a single pupil's) of this school is visible."""
        if not self.sees_partnership(partnership_id):
            return False
        if self.role in PARTNERSHIP_ROLES or self.role is Role.SERVICE:
            return True
        return self.role in SCHOOL_ROLES and school_id in self.school_ids

    def sees_pupil(self, partnership_id: UUID, school_id: UUID, pupil_id: UUID) -> bool:
        """Whether a pupil's record is visible: partnership staff, the school's coordinator and
        director, a teacher only for the pupils they are assigned to, a guardian only for their
        own child (`pupil_ids` holds a teacher's assigned pupils and a guardian's children)."""
        if self.role is Role.GUARDIAN:
            return self.sees_partnership(partnership_id) and pupil_id in self.pupil_ids
        if self.role is Role.TEACHER and pupil_id not in self.pupil_ids:
            return False
        return self.sees_school(partnership_id, school_id)

    def writes_pupil(self, partnership_id: UUID, school_id: UUID) -> bool:
        """Whether the caller may change a pupil's support data: the school's coordinator."""
        return self.role is Role.COORDINATOR and self.sees_school(partnership_id, school_id)

    def administers(self, partnership_id: UUID) -> bool:
        """Whether the caller administers this partnership."""
        return self.role is Role.ADMIN and self.partnership_id == partnership_id


@dataclass(frozen=True)
class Validity:
    """Whether an account's tokens are accepted: active, and issued after `valid_after`."""

    active: bool
    valid_after: datetime | None = None

    def accepts(self, issued_at: datetime | None) -> bool:
        """A token issued at `issued_at` (whole seconds, as in a JWT) is accepted only when
        issued after the instant: a token of the same second as a disable is refused too."""
        if not self.active:
            return False
        if self.valid_after is None:
            return True
        return issued_at is not None and issued_at > self.valid_after

    def to_json(self) -> str:
        after = self.valid_after.isoformat() if self.valid_after else None
        return json.dumps({"active": self.active, "valid_after": after})

    @classmethod
    def from_json(cls, raw: str) -> Validity | None:
        body = json.loads(raw)
        if body is None:  # no such user
            return None
        after = body.get("valid_after")
        return cls(bool(body["active"]), datetime.fromisoformat(after) if after else None)


def issue_token(
    principal: Principal, secret: str, now: datetime, ttl: timedelta = timedelta(hours=1)
) -> str:
    """Sign a token for a principal, valid from `now` for `ttl`."""
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": str(principal.user_id),
        "role": principal.role.value,
        "pid": str(principal.partnership_id) if principal.partnership_id else None,
        "sch": sorted(str(s) for s in principal.school_ids),
        "pup": sorted(str(p) for p in principal.pupil_ids),
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(claims, signing_keys(secret)[0], algorithm=ALGORITHM)


def signing_keys(secret: str) -> list[str]:
    """The keys in a JWT_SECRET setting: comma-separated, the first signs and all verify.

    Rotation (docs/SECURITY.md): put a new key in front ("new,old") on every service, and
    remove the old one once the longest-lived token signed with it has expired."""
    keys = [key.strip() for key in secret.split(",") if key.strip()]
    if not keys:
        raise ValueError("JWT_SECRET holds no key.")
    return keys


def service_token(name: str, secret: str, now: datetime, ttl: timedelta) -> str:
    """A token for another service (role `service`, no partnership: it sees all), named so logs
    and audits can tell services apart."""
    principal = Principal(
        user_id=uuid.uuid5(uuid.NAMESPACE_URL, f"service:{name}"),
        role=Role.SERVICE,
        partnership_id=None,
    )
    return issue_token(principal, secret, now, ttl)


def verify_token(token: str, secret: str, now: datetime) -> Principal:
    """Check signature, issuer and expiry against `now`; return the principal."""
    principal, expires = _verified(token, secret)
    if expires <= now.timestamp():
        raise InvalidToken("token expired")
    return principal


@lru_cache(maxsize=4096)
def _verified(token: str, secret: str) -> tuple[Principal, int]:
    """The principal a token names and when it expires, once its signature and issuer are checked.
    A token is checked once per process and then remembered (a token's bytes name its claims,
    and the check is a tenth of a request's time): expiry is compared with the clock on every
    use, and revoking or disabling an account is checked apart from the token. A token that
    fails raises, and is not remembered."""
    claims: dict[str, Any] | None = None
    error: Exception = InvalidToken("no key")
    for key in signing_keys(secret):
        try:
            claims = _decode(token, key)
            break
        except jwt.InvalidSignatureError as err:
            error = err
        except (jwt.PyJWTError, ValueError, TypeError) as err:
            raise InvalidToken(str(err)) from err
    if claims is None:
        raise InvalidToken(str(error)) from error
    try:
        principal = Principal(
            user_id=UUID(claims["sub"]),
            role=Role(claims["role"]),
            partnership_id=UUID(claims["pid"]) if claims.get("pid") else None,
            school_ids=_uuids(claims.get("sch", [])),
            pupil_ids=_uuids(claims.get("pup", [])),
            issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
        )
        return principal, int(claims["exp"])
    except (KeyError, ValueError, TypeError, OverflowError, OSError) as err:
        raise InvalidToken(str(err)) from err


def _decode(token: str, key: str) -> dict[str, Any]:
    return dict(
        jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            # Expiry is checked against the clock the caller gives, not the machine's; the issue
            # time is not checked (PyJWT would compare it with the machine's clock).
            options={
                "require": ["exp", "iat", "sub", "iss"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    )


def _uuids(values: Iterable[str]) -> frozenset[UUID]:
    return frozenset(UUID(v) for v in values)


_hasher = PasswordHasher()
# A hash verified when the user does not exist, so unknown e-mails take as long as wrong passwords.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def configure_password_hashing(time_cost: int, memory_cost: int) -> None:
    """Change the argon2 cost (tests use a cheap one; production keeps argon2's defaults)."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)
    _DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return _hasher.hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """Verify a password in constant-ish time, also when there is no user (hash None)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
