"""The second factor at log-in: a TOTP app (RFC 6238, via pyotp) and one-time recovery codes.

Staff enrol by asking for a secret (shown once, as an otpauth:// URI for the app) and confirm it
with a first code at their next log-in; from then on the token endpoint wants a code with the
password. A partnership may require it of all its staff (`staff_second_factor_required`); staff
who have not enrolled then get no token until they do. A code is accepted once: the time step it
belongs to is remembered, so a code seen over someone's shoulder cannot be replayed. Recovery
codes are stored as hashes and each works once. Time comes from the caller (the injected clock).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import pyotp

from shared.auth import Role
from shared.errors import Unauthorized

ISSUER = "Passend onderwijs"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone's clock a step off still works
RECOVERY_CODES = 10
# Who may (and, when the partnership says so, must) use a second factor: every staff role.
SECOND_FACTOR_ROLES = frozenset(
    {Role.ADMIN, Role.CONSULTANT, Role.DIRECTOR, Role.COORDINATOR, Role.TEACHER}
)


class SecretBox(Protocol):
    """How a TOTP secret is kept at rest (shared.crypto.SecretBox: encrypted when a key is set)."""

    def seal(self, plain: str) -> str: ...

    def open(self, stored: str) -> str: ...


@dataclass
class SecondFactor:
    """A user's second-factor state, as stored on the account."""

    secret: str | None = None  # sealed by a SecretBox
    enabled: bool = False
    last_step: int | None = None
    recovery_code_hashes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Enrolment:
    """A new secret, to be shown once: as text and as the URI an authenticator app reads."""

    secret: str
    otpauth_uri: str


class SecondFactorRequired(Unauthorized):
    code = "second_factor_required"


class SecondFactorInvalid(Unauthorized):
    code = "second_factor_invalid"


class SecondFactorEnrolmentRequired(Unauthorized):
    code = "second_factor_enrolment_required"


def required_for(role: str, partnership_requires: bool) -> bool:
    """Whether this role must show a second factor under the partnership's setting."""
    return partnership_requires and Role(role) in SECOND_FACTOR_ROLES


def start_enrolment(state: SecondFactor, email: str, box: SecretBox) -> Enrolment:
    """A fresh secret, pending until a first code confirms it (replaces an earlier pending one)."""
    secret = pyotp.random_base32()
    state.secret = box.seal(secret)
    state.enabled = False
    state.last_step = None
    state.recovery_code_hashes = []
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=email, issuer_name=ISSUER)
    return Enrolment(secret=secret, otpauth_uri=uri)


def check_at_log_in(
    state: SecondFactor,
    required: bool,
    code: str | None,
    now: datetime,
    box: SecretBox,
) -> list[str]:
    """Check the second factor of a log-in whose password was right; raise a 401 when it is
    missing or wrong. Returns the recovery codes made when this log-in confirmed an enrolment
    (to show once), else an empty list. Changes `state` (step used, code spent, enabled)."""
    if state.secret is None or (not state.enabled and not code):
        if required:
            raise SecondFactorEnrolmentRequired(
                "This account needs a second factor: enrol an authenticator app first."
            )
        return []
    if not code:
        raise SecondFactorRequired("Enter the code from your authenticator app.")
    step = matching_step(box.open(state.secret), code, now, state.last_step)
    if step is not None:
        state.last_step = step
        if state.enabled:
            return []
        state.enabled = True
        codes = new_recovery_codes()
        state.recovery_code_hashes = [hash_recovery_code(c) for c in codes]
        return codes
    if state.enabled and spend_recovery_code(state, code):
        return []
    raise SecondFactorInvalid("The code is wrong or was already used.")


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step whose code this is (now, or one step either side), if not used before."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Random one-time codes, 'abcde-fghij' (50 bits each)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
        for _ in range(count)
    ]


def hash_recovery_code(code: str) -> str:
    """What is stored of a recovery code (random enough that a plain hash suffices)."""
    normal = code.strip().lower().replace(" ", "").replace("-", "")
    return hashlib.sha256(normal.encode()).hexdigest()


def spend_recovery_code(state: SecondFactor, code: str) -> bool:
    """Use up a recovery code; False when it is not one of the account's unused codes."""
    digest = hash_recovery_code(code)
    for stored in state.recovery_code_hashes:
        if hmac.compare_digest(stored, digest):
            state.recovery_code_hashes = [h for h in state.recovery_code_hashes if h != stored]
            return True
    return False


def disable(state: SecondFactor) -> None:
    """Remove the second factor (an administrator's act, e.g. for a lost phone)."""
    state.secret = None
    state.enabled = False
    state.last_step = None
    state.recovery_code_hashes = []
