"""The partnership's settings as a form: the domain lists (their labels shown), the deadlines and
reminder horizons, the retention periods, the second factor for staff and whose consent counts
(one parent's, or every parent's with parental authority). The cases API checks
every value; its refusals appear at the field."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.pages.admin.blueprint import blp
from services.web.pages.admin.common import admin, partnership_id, send
from services.web.pages.common import render

DOMAIN_LISTS = ("basic_domains", "extra_domains")
# The numbers the API takes, with their label and hint (the unit).
NUMBERS = {
    "short_intervention_max_weeks": (
        _l("Uiterlijke evaluatie van een korte interventie"),
        _l("In weken na de start."),
    ),
    "evaluation_horizon_days": (
        _l("Herinnering voor een evaluatie"),
        _l("Zoveel dagen voor de datum verschijnt een evaluatie als 'binnenkort'."),
    ),
    "new_pupil_plan_weeks": (
        _l("Termijn voor het OPP van een nieuwe leerling"),
        _l("In weken na de inschrijving."),
    ),
    "plan_deadline_weeks": (
        _l("Termijn voor het OPP"),
        _l("In weken nadat extra ondersteuning nodig bleek."),
    ),
    "admission_statement_horizon_days": (
        _l("Herinnering voor een aflopende toelaatbaarheidsverklaring"),
        _l("In dagen voor de einddatum."),
    ),
    "support_profile_horizon_days": (
        _l("Herinnering voor het herzien van een SOP"),
        _l("In dagen voor de herziendatum."),
    ),
    "consent_answer_days": (
        _l("Termijn voor het antwoord op een instemmingsverzoek"),
        _l("In dagen na het verzoek; het bericht aan de ouders noemt de datum."),
    ),
    "tlv_decision_weeks": (
        _l("Termijn voor het besluit over een aanvraag TLV"),
        _l("In weken na het indienen; de consulenten krijgen een herinnering."),
    ),
    "retention_years": (
        _l("Bewaartermijn"),
        _l("In jaren nadat een leerling de school verliet."),
    ),
    "referral_retention_years": (
        _l("Bewaartermijn na een verwijzing"),
        _l("In jaren nadat een verwezen leerling de school verliet."),
    ),
}
SECOND_FACTOR = "staff_second_factor_required"
ORGANIZER = "meeting_organizer"  # an e-mail address, or none (the notifications service's own)
CONSENT_FROM = "consent_from"  # one guardian's agreement suffices, or all with parental authority


def _values_of(values: dict[str, Any]) -> dict[str, str]:
    shown = {name: str(values.get(name, "")) for name in NUMBERS}
    for name in DOMAIN_LISTS:
        shown[name] = "\n".join(values.get(name, ()))
    shown[SECOND_FACTOR] = "ja" if values.get(SECOND_FACTOR) else ""
    shown[ORGANIZER] = values.get(ORGANIZER) or ""
    shown[CONSENT_FROM] = values.get(CONSENT_FROM) or "one"
    return shown


def _typed() -> dict[str, str]:
    names = (*NUMBERS, *DOMAIN_LISTS, ORGANIZER)
    typed = {name: request.form.get(name, "").strip() for name in names}
    typed[SECOND_FACTOR] = "ja" if request.form.get(SECOND_FACTOR) == "ja" else ""
    typed[CONSENT_FROM] = "all" if request.form.get(CONSENT_FROM) == "all" else "one"
    return typed


def _changes(typed: dict[str, str]) -> dict[str, Any]:
    """The PATCH body: numbers as typed (the API says what is not a number), one code a line."""
    changes: dict[str, Any] = {name: typed[name] for name in NUMBERS}
    for name in DOMAIN_LISTS:
        changes[name] = [line.strip() for line in typed[name].splitlines() if line.strip()]
    changes[SECOND_FACTOR] = typed[SECOND_FACTOR] == "ja"
    changes[ORGANIZER] = typed[ORGANIZER] or None
    changes[CONSENT_FROM] = typed[CONSENT_FROM]
    return changes


@blp.route("/instellingen", methods=["GET", "POST"])
def settings() -> Any:
    """The partnership's settings."""
    client = admin()
    pid = partnership_id()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _typed()
        errors = send(lambda: client.update_settings(pid, _changes(values)))
        if not errors:
            flash(_("De instellingen zijn opgeslagen."), "success")
            return redirect(url_for("admin.settings"))
    current = client.settings(pid)
    if request.method == "GET":
        values = _values_of(current.values)
    return render(
        "admin/settings.html",
        422 if errors else 200,
        partnership=current,
        values=values,
        errors=errors,
        numbers=NUMBERS,
        number_labels={name: str(texts[0]) for name, texts in NUMBERS.items()},
    )
