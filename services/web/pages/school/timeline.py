"""A case's timeline as sentences ("12 okt: interventie Leesproblemen en dyslexie gestart"),
never event codes. Events carry ids and codes only; names of domains come from the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from services.web.clients.cases import TimelineEntry
from services.web.pages.school.labels import (
    ADVISER_ROLES,
    CATEGORIES,
    CLOSE_REASONS,
    DECISIONS,
    LEVELS,
    OUTCOMES,
    SCHOOL_TYPES,
    label,
)
from shared.clock import AMSTERDAM


@dataclass(frozen=True)
class Sentence:
    day: date
    text: str
    by: str | None = None  # who did it: a staff member's name, "ouder/verzorger", "het systeem"


def _day(value: Any) -> str:
    return format_date(date.fromisoformat(str(value)), "d MMMM yyyy") if value else ""


Writer = Callable[[dict[str, Any], Callable[[str], str]], str]


def _started(d: dict[str, Any], domain: Callable[[str], str]) -> str:
    return _(
        "Interventie %(domain)s gestart (%(level)s), evaluatie uiterlijk %(by)s.",
        domain=domain(d.get("domain", "")),
        level=label(LEVELS, d.get("level")),
        by=_day(d.get("evaluate_by")),
    )


def _submitted(d: dict[str, Any], _dom: Callable[[str], str]) -> str:
    text = _(
        "Aanvraag TLV ingediend bij het samenwerkingsverband; besluit uiterlijk %(by)s.",
        by=_day(d.get("decide_by")),
    )
    if d.get("parents_agreed") is False:
        text += " " + _("Zonder instemming van de ouders.")
    return text


def _advice(d: dict[str, Any], _dom: Callable[[str], str]) -> str:
    text = _(
        "Deskundigenadvies vastgelegd (%(role)s).", role=label(ADVISER_ROLES, d.get("adviser_role"))
    )
    if d.get("complete"):
        text += " " + _("Beide adviezen zijn binnen; de aanvraag is klaar voor het besluit.")
    return text


def _decided(d: dict[str, Any], _dom: Callable[[str], str]) -> str:
    if d.get("decision") != "granted":
        return _("Het samenwerkingsverband heeft de TLV afgewezen.")
    kind = label(SCHOOL_TYPES, d.get("school_type"))
    if d.get("category"):
        kind = _(
            "%(type)s, categorie %(category)s",
            type=kind,
            category=label(CATEGORIES, d.get("category")),
        )
    return _(
        "TLV toegekend: %(type)s, geldig van %(start)s tot en met %(end)s.",
        type=kind,
        start=_day(d.get("valid_from")),
        end=_day(d.get("valid_until")),
    )


WRITERS: dict[str, Writer] = {
    "case.opened": lambda d, _dom: (
        _("Traject geopend (%(level)s).", level=label(LEVELS, d.get("level")))
        + (
            " " + _("OPP uiterlijk %(by)s.", by=_day(d["plan_due_by"]))
            if d.get("plan_due_by")
            else ""
        )
    ),
    "case.level_changed": lambda d, _dom: _(
        "Ondersteuning gewijzigd naar %(level)s.", level=label(LEVELS, d.get("to_level"))
    ),
    "case.closed": lambda d, _dom: _(
        "Traject afgesloten: %(reason)s.", reason=label(CLOSE_REASONS, d.get("reason"))
    ),
    "intervention.started": _started,
    "intervention.outside_support_profile": lambda d, dom: _(
        "Let op: %(domain)s staat niet in het schoolondersteuningsprofiel.",
        domain=dom(d.get("domain", "")),
    ),
    "intervention.evaluated": lambda d, dom: _(
        "Interventie %(domain)s geëvalueerd: %(outcome)s.",
        domain=dom(d.get("domain", "")),
        outcome=label(OUTCOMES, d.get("outcome")),
    ),
    "intervention.evaluation_approaching": lambda d, _dom: _(
        "Herinnering: de evaluatie van een interventie is op %(by)s.", by=_day(d.get("evaluate_by"))
    ),
    "intervention.evaluation_overdue": lambda d, _dom: _(
        "De evaluatie van een interventie is te laat (was %(by)s).", by=_day(d.get("evaluate_by"))
    ),
    "document.attached": lambda d, _dom: _("Document toegevoegd."),
    "document.removed": lambda d, _dom: _("Document verwijderd."),
    "document.sharing_decided": lambda d, _dom: (
        _("De ouders delen een document met het samenwerkingsverband.")
        if d.get("shared")
        else _("De ouders delen een document niet met het samenwerkingsverband.")
    ),
    "development_plan.created": lambda d, _dom: _("OPP opgesteld."),
    "development_plan.consultation_recorded": lambda d, _dom: _("OOGO met de ouders gehouden."),
    "development_plan.pupil_view_recorded": lambda d, _dom: _("De leerling is gehoord."),
    "development_plan.action_plan_changed": lambda d, _dom: _("Handelingsdeel gewijzigd."),
    "development_plan.consent_requested": lambda d, _dom: _("Instemming gevraagd aan de ouders."),
    "development_plan.consent_recorded": lambda d, _dom: (
        _("Instemming van de ouders vastgelegd.")
        if d.get("decision") == "agreed"
        else _("De ouders stemmen niet in met het handelingsdeel.")
    ),
    "development_plan.activated": lambda d, _dom: _("OPP gaat in."),
    "development_plan.evaluation_scheduled": lambda d, _dom: _(
        "Evaluatie van het OPP gepland op %(on)s.", on=_day(d.get("due_on"))
    ),
    "development_plan.evaluation_rescheduled": lambda d, _dom: _(
        "Evaluatie van het OPP verzet naar %(on)s.", on=_day(d.get("due_on"))
    ),
    "development_plan.evaluated": lambda d, _dom: _(
        "OPP geëvalueerd met de ouders: %(decision)s.",
        decision=label(DECISIONS, d.get("decision")),
    ),
    "development_plan.meeting_planned": lambda d, _dom: _("Evaluatiegesprek gepland."),
    "development_plan.meeting_moved": lambda d, _dom: _("Evaluatiegesprek verzet."),
    "development_plan.meeting_cancelled": lambda d, _dom: _("Evaluatiegesprek afgezegd."),
    "development_plan.closed": lambda d, _dom: _("OPP afgesloten."),
    "referral.requested": lambda d, _dom: _("Verwijzing aangevraagd."),
    "referral.admission_statement_recorded": lambda d, _dom: _(
        "Toelaatbaarheidsverklaring geldig van %(start)s tot %(end)s.",
        start=_day(d.get("valid_from")),
        end=_day(d.get("valid_until")),
    ),
    "referral.submitted": _submitted,
    "referral.advice_recorded": _advice,
    "referral.decided": _decided,
}


# The day a thing happened, as recorded (a case opened on 1 September but entered in October
# happened on 1 September); otherwise the day it was written down, in Amsterdam.
DAY_FIELDS = (
    "opened_on",
    "starts_on",
    "evaluated_on",
    "closed_on",
    "changed_on",
    "created_on",
    "held_on",
    "heard_on",
    "requested_on",
    "recorded_on",
    "activated_on",
    "decided_on",  # before submitted_on: a decision carries both
    "submitted_on",
)


def _occurred(entry: TimelineEntry) -> date:
    for name in DAY_FIELDS:
        if entry.data.get(name):
            return date.fromisoformat(str(entry.data[name]))
    return datetime.fromisoformat(entry.occurred_at).astimezone(AMSTERDAM).date()


def actor_name(entry: TimelineEntry) -> str | None:
    """Who caused an entry, in the user's language; None when the API does not know."""
    actor = entry.actor or {}
    kind = actor.get("kind")
    if kind == "guardian":
        return _("ouder/verzorger")
    if kind == "system":
        return _("het systeem")
    return actor.get("name") if kind == "staff" else None


def sentences(
    entries: list[TimelineEntry],
    domain: Callable[[str], str],
    intervention_domains: dict[str, str] | None = None,
) -> list[Sentence]:
    """Every entry as a sentence, by the day it happened (a plain sentence for an event type
    this page has no words for yet, never its code). Events about an intervention that carry
    only its id are told with its domain, from `intervention_domains` (id -> domain code)."""
    known = intervention_domains or {}
    out = []
    for entry in entries:
        data = entry.data
        if "domain" not in data and str(data.get("intervention_id")) in known:
            data = {**data, "domain": known[str(data["intervention_id"])]}
        writer = WRITERS.get(entry.type)
        text = writer(data, domain) if writer else _("Er is iets vastgelegd in het traject.")
        out.append(Sentence(_occurred(entry), text, actor_name(entry)))
    return sorted(out, key=lambda s: s.day)  # stable: same-day entries keep their order
