"""Re-check at send time (DESIGN.md §6) that a message still says something: a consent request
whose version of the action plan the parents answered (or a newer version replaced), and "support
started" for an intervention already evaluated or stopped, are not sent. The cases service knows;
it is asked just before the message goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from services.notifications.domain.notification import NotificationRow
from shared.web_links import consent_path

CONSENT_REQUESTED = "development_plan.consent_requested"
ANSWERED = "consent already answered"  # why a stale request was cancelled
INTERVENTION_STARTED = "intervention.started"
FINISHED = "intervention already finished"  # why a stale "support started" was cancelled


@dataclass(frozen=True)
class ConsentState:
    """A plan's current action plan version and the versions the parents answered; with what a
    consent request tells the parents (issue 13), read for the one message: the day the school
    hopes for an answer by, the school, its contact and the partnership."""

    action_plan_version: int
    answered_versions: frozenset[int]
    answer_by: date | None = None
    school_name: str | None = None
    partnership_name: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


class ConsentUnavailable(Exception):
    """The cases service cannot tell now (down, 5xx): the delivery is tried again."""


class ConsentSource(Protocol):
    def consent_state(self, plan_id: UUID) -> ConsentState | None: ...


class InterventionSource(Protocol):
    def intervention_status(self, intervention_id: UUID) -> str | None: ...


def request_is_stale(row: NotificationRow, source: ConsentSource | None) -> bool:
    """Whether a planned consent request asks about a version already answered or replaced (or
    a plan that is gone). Other messages, and rows planned before the version was kept: False."""
    version = row.context.get("action_plan_version")
    if source is None or row.event_type != CONSENT_REQUESTED or version is None:
        return False
    if row.plan_id is None:
        return False
    state = source.consent_state(row.plan_id)
    if state is None:
        return True
    return version in state.answered_versions or version != state.action_plan_version


def started_is_stale(row: NotificationRow, source: InterventionSource | None) -> bool:
    """Whether a planned "support started" message is about an intervention no longer running
    (evaluated, stopped or gone). Other messages, and rows planned before the intervention's id
    was kept: False. Raises ConsentUnavailable while the cases service cannot answer."""
    intervention_id = row.context.get("intervention_id")
    if source is None or row.event_type != INTERVENTION_STARTED or intervention_id is None:
        return False
    return source.intervention_status(UUID(intervention_id)) != "active"


def stale_reason(
    row: NotificationRow, consents: ConsentSource | None, interventions: InterventionSource | None
) -> str | None:
    """Why a message says nothing any more at send time (the reason its row is cancelled with),
    or None when it still does."""
    if request_is_stale(row, consents):
        return ANSWERED
    if started_is_stale(row, interventions):
        return FINISHED
    return None


def consent_request_details(
    row: NotificationRow, source: ConsentSource | None, web_url: str
) -> dict[str, Any]:
    """What a consent request to a guardian says besides its planned context (issue 13): the
    link to the plan's consent page on the parents' pages, and from the cases service now the
    day the school hopes for an answer by, the school's contact and the partnership's name.
    Empty for other messages. Raises ConsentUnavailable while the cases service cannot answer."""
    if row.event_type != CONSENT_REQUESTED or row.recipient_kind != "guardian":
        return {}
    if row.plan_id is None:
        return {}
    details: dict[str, Any] = {}
    if web_url:
        details["consent_url"] = f"{web_url.rstrip('/')}{consent_path(row.plan_id)}"
    state = source.consent_state(row.plan_id) if source is not None else None
    if state is None:
        return details
    details |= {
        "answer_by": state.answer_by.isoformat() if state.answer_by else None,
        "contact_name": state.contact_name,
        "contact_email": state.contact_email,
        "contact_phone": state.contact_phone,
        "partnership": state.partnership_name,
    }
    if state.school_name:
        details["school"] = state.school_name
    return details
