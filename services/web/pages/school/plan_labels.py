"""The words for a development plan's codes (states, decisions, destinations) in the user's
language, and its consent state as a sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.plans import Destinations, Plan
from services.web.pages.common import current_language
from services.web.pages.school.labels import DECISIONS
from shared.clock import AMSTERDAM

PLAN_STATUSES = {
    "draft": _l("concept"),
    "awaiting_consent": _l("wacht op instemming van de ouders"),
    "declined": _l("ouders stemmen niet in"),
    "active": _l("loopt"),
    "closed": _l("afgesloten"),
}
EVALUATION_STATUSES = {
    "scheduled": _l("gepland"),
    "held": _l("gehouden"),
    "cancelled": _l("vervallen"),
}
CONSENT_DECISIONS = {"agreed": _l("ouders stemmen in"), "declined": _l("ouders stemmen niet in")}
MEETING_MINUTES = (30, 45, 60, 90)


def _day(value: Any) -> str:
    return format_date(value, "d MMMM yyyy") if value else ""


def consent_state(plan: Plan) -> str:
    """Where the parents' consent to the current action plan stands, as one sentence."""
    version = plan.action_plan_version
    if plan.consented_version == version:
        agreed = [c for c in plan.consents if c.action_plan_version == version]
        day = _day(agreed[-1].recorded_on) if agreed else ""
        return _(
            "De ouders stemmen in met het handelingsdeel (versie %(version)s, %(day)s).",
            version=version,
            day=day,
        )
    if plan.consent_requested_on:
        return _(
            "Instemming gevraagd op %(day)s; nog geen antwoord.",
            day=_day(plan.consent_requested_on),
        )
    answers = [c for c in plan.consents if c.action_plan_version == version]
    if answers and answers[-1].decision == "declined":
        return _(
            "De ouders stemmen niet in met het handelingsdeel (%(day)s).",
            day=_day(answers[-1].recorded_on),
        )
    return _("Nog niet gevraagd.")


def plan_context(destinations: Destinations) -> dict[str, Any]:
    """What the plan's templates use to name its codes."""
    language = current_language()
    exits = {d.code: d.label(language) for d in destinations.exit}
    referrals = {d.code: d.label(language) for d in destinations.referral}
    return {
        "exit_name": lambda code: exits.get(code, code),
        "referral_name": lambda code: referrals.get(code, code),
        "plan_statuses": PLAN_STATUSES,
        "evaluation_statuses": EVALUATION_STATUSES,
        "decisions": DECISIONS,
        "consent_state": consent_state,
        "amsterdam": AMSTERDAM,
    }


def case_plans_context(referrals: bool, destinations: Callable[[], Destinations]) -> dict[str, Any]:
    """What the case page's OPP and referral part uses (the destinations only when referred)."""
    if not referrals:
        return {"plan_statuses": PLAN_STATUSES, "referral_name": lambda code: code}
    return plan_context(destinations())
