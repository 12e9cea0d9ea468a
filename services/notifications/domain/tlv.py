"""The TLV application's messages (issue 14): who reads which version, and what each may say.

- `referral.submitted` carries the partnership's deadline (`decide_by`): a reminder policy on it
  reminds before the date, tells the same people once the date has passed (`overdue`) and, with
  an escalation, tells others later; `referral.decided` cancels what is still pending.
- `referral.advice_recorded` notifies only once both advices are in (`complete`): the application
  is then ready for the decision.
- `referral.decided`: staff read the decision; guardians read their own version, which says a
  decision was taken, links to the letter on the parents' pages (behind sign-in) and names the way
  to object - never the decision itself (granted or refused, type, category, dates).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.events import Envelope
from shared.web_links import decision_path

SUBMITTED = "referral.submitted"
ADVICE_RECORDED = "referral.advice_recorded"
DECIDED = "referral.decided"
# The guardians' version of the decision's message (its own template key, own texts possible).
PARENTS_SUFFIX = ".parents"
PARENTS_TEMPLATE = DECIDED + PARENTS_SUFFIX
# Events whose guardians read their own version: the event type -> that version's template key.
GUARDIAN_VERSIONS = {DECIDED: PARENTS_TEMPLATE}
# Events whose staff messages link to the application's page (their context has the referral).
STAFF_LINKED = (SUBMITTED, ADVICE_RECORDED, DECIDED)
# What staff read about a decision and guardians and group channels never get.
DECISION_CODES = ("decision", "school_type", "category")
DECISION_DATES = ("valid_from", "valid_until")
CONTACT_VARIABLES = ("contact_name", "contact_email", "contact_phone")
# What the guardians' version has besides the common variables: the letter's page (at send time)
# and the school's contact (the pupil's coordinator, else the school's, when it was planned).
PARENTS_VARIABLES = ("decision_url", *CONTACT_VARIABLES)


def _deadline_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The pending rows of an application's deadline (not its admission statement's end date)."""
    return [
        {"subject_kind": "referral", "subject_id": data["referral_id"], "event_type": SUBMITTED}
    ]


# What the TLV events cancel (part of service_layer.handlers.CANCELS): the decision meets the
# deadline of its application (its reminders, overdue notice and escalation go no more); an
# application submitted again sets a new one.
CANCELS = {SUBMITTED: _deadline_of, DECIDED: _deadline_of}


def notifies(envelope: Envelope) -> bool:
    """Whether an event is news at all: an advice only once the application is complete."""
    return envelope.type != ADVICE_RECORDED or bool(envelope.data.get("complete"))


def template_for(template: str, recipient_kind: str) -> str:
    """The template key a recipient reads: guardians get their own version of a decision."""
    if template == DECIDED and recipient_kind == "guardian":
        return PARENTS_TEMPLATE
    return template


def hidden(event_type: str, recipient_kind: str | None) -> tuple[str, ...]:
    """Payload dates a guardian or a group channel (None) must not get in the message's context:
    a decision's validity tells whether it was granted."""
    if event_type == DECIDED and recipient_kind != "user":
        return DECISION_DATES
    return ()


def context(
    envelope: Envelope, contact: dict[str, Any], recipient_kind: str | None
) -> dict[str, Any]:
    """The TLV events' part of a message's context: whether the parents agreed (for staff and
    the reminders), the decision's codes for staff, the referral and contact for guardians. Staff
    get the referral's id too: their link opens the application's page (shared.web_links), not
    the case's; the admission statement's messages leave it out and keep the case page."""
    data = envelope.data
    if envelope.type == DECIDED and recipient_kind == "guardian":
        return {"referral_id": str(data["referral_id"]), **contact}
    found: dict[str, Any] = {}
    if envelope.type == SUBMITTED or (envelope.type == DECIDED and recipient_kind is not None):
        found["parents_agreed"] = bool(data["parents_agreed"])
    if envelope.type == DECIDED and recipient_kind is not None:
        found |= {key: data.get(key) for key in DECISION_CODES}
    if envelope.type in STAFF_LINKED and recipient_kind == "user":
        found["referral_id"] = str(data["referral_id"])
    return found


def variables(template: str) -> frozenset[str]:
    """The TLV-specific variables of a template key (besides the common ones and the dates)."""
    if template == PARENTS_TEMPLATE:
        return frozenset({"pupil", *PARENTS_VARIABLES})
    event_type = template.split(".lead")[0].split(".overdue")[0].split(".escalation")[0]
    if event_type == SUBMITTED:
        return frozenset({"parents_agreed"})
    if template == DECIDED:
        return frozenset({"parents_agreed", *DECISION_CODES})
    return frozenset()


def decision_url(web_url: str, context: dict[str, Any]) -> str | None:
    """The parents' page with the decision letter (the guardian signs in to read it)."""
    referral_id = context.get("referral_id")
    if not web_url or not referral_id:
        return None
    return f"{web_url.rstrip('/')}{decision_path(UUID(str(referral_id)))}"
