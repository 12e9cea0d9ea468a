"""Re-check at send time (DESIGN.md §6) that a consent request still asks something: the parents
may have answered that version of the action plan, or a newer version may have replaced it, since
the request was planned. The cases service knows; it is asked just before the message goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

CONSENT_REQUESTED = "development_plan.consent_requested"
ANSWERED = "consent already answered"  # why a stale request was cancelled


@dataclass(frozen=True)
class ConsentState:
    """A plan's current action plan version and the versions the parents answered."""

    action_plan_version: int
    answered_versions: frozenset[int]


class ConsentUnavailable(Exception):
    """The cases service cannot tell now (down, 5xx): the delivery is tried again."""


class ConsentSource(Protocol):
    def consent_state(self, plan_id: UUID) -> ConsentState | None: ...


def request_is_stale(row: dict[str, Any], source: ConsentSource | None) -> bool:
    """Whether a planned consent request asks about a version already answered or replaced (or
    a plan that is gone). Other messages, and rows planned before the version was kept: False."""
    version = row["context"].get("action_plan_version")
    if source is None or row["event_type"] != CONSENT_REQUESTED or version is None:
        return False
    if row["plan_id"] is None:
        return False
    state = source.consent_state(row["plan_id"])
    if state is None:
        return True
    return version in state.answered_versions or version != state.action_plan_version
