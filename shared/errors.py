"""Errors the domain raises; the web layer turns each into the JSON error body of DESIGN.md §5."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def flat_messages(value: Any) -> list[str]:
    """Every message in a nested error structure (lists, or dicts per index or field)."""
    if isinstance(value, Mapping):
        return [m for v in value.values() for m in flat_messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in flat_messages(v)]
    return [str(value)]


class AppError(Exception):
    """An expected failure with a machine-readable code, a sentence and per-field messages."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.errors = {k: list(v) for k, v in (errors or {}).items()}


class RuleViolation(AppError):
    """The input breaks a rule of the domain (422)."""

    status = 422
    code = "rule_violation"


class StateConflict(AppError):
    """The request does not fit the current state (409)."""

    status = 409
    code = "state_conflict"


class EditedElsewhere(AppError):
    """The caller's If-Match names a state someone else has since changed (412); nothing written."""

    status = 412
    code = "edited_elsewhere"


class NotFound(AppError):
    """The object does not exist, or is outside the caller's scope (404, never telling which)."""

    status = 404
    code = "not_found"


class Forbidden(AppError):
    """The caller may see the object but not do this to it (403)."""

    status = 403
    code = "forbidden"


class Unauthorized(AppError):
    """No valid credentials (401)."""

    status = 401
    code = "unauthorized"


class ServiceUnavailable(AppError):
    """A service this request needs does not answer now (503); nothing was changed."""

    status = 503
    code = "service_unavailable"


class Problems:
    """Collects every problem of one request so they are reported together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        """Record a problem with one field."""
        self.errors.setdefault(field, []).append(message)

    def check(self, ok: bool, field: str, message: str) -> None:
        """Record a problem unless `ok`."""
        if not ok:
            self.add(field, message)

    def raise_if_any(self, message: str = "The request breaks one or more rules.") -> None:
        """Raise a RuleViolation listing everything found."""
        if self.errors:
            raise RuleViolation(message, errors=self.errors)
