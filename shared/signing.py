"""Signed, expiring tokens for links that need no account (a guardian's preference page, a
calendar feed). Each token names its purpose, so one kind of link never opens another."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jwt

from shared.auth import signing_keys

ALGORITHM = "HS256"


class BadSignature(Exception):
    """The link is tampered with, expired, or meant for something else."""


def sign(claims: dict[str, Any], secret: str, purpose: str, now: datetime, ttl: timedelta) -> str:
    """A compact signed token carrying `claims` for one purpose until now + ttl."""
    body = {
        **claims,
        "purpose": purpose,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(body, signing_keys(secret)[0], algorithm=ALGORITHM)


def unsign(token: str, secret: str, purpose: str, now: datetime) -> dict[str, Any]:
    """The claims of a valid token for this purpose; BadSignature otherwise."""
    claims: dict[str, Any] | None = None
    for key in signing_keys(secret):  # a rotated secret: the old key still opens old links
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                options={"require": ["exp", "purpose"], "verify_exp": False, "verify_iat": False},
            )
            break
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as err:
            raise BadSignature(str(err)) from err
    if claims is None:
        raise BadSignature("signature does not match any key")
    if claims.get("purpose") != purpose:
        raise BadSignature("token made for another purpose")
    if int(claims["exp"]) <= now.timestamp():
        raise BadSignature("link expired")
    return claims
