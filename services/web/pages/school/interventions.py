"""Starting a basic intervention and recording how it went (its evaluation)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.cases import CasesClient, Domain
from services.web.pages.common import cases, container, current_language, current_user, render
from services.web.pages.school.access import changes_cases, evaluates, refused
from services.web.pages.school.blueprint import blp
from services.web.pages.school.forms import Errors, check_dates, read, submit
from services.web.pages.school.labels import OUTCOMES
from shared.auth import Role
from shared.clock import local_today

START_FIELDS = ("domain", "goal", "starts_on", "evaluate_by")
OUTSIDE_CONFIRMED = "outside_confirmed"  # the domain the user chose knowing the SOP lacks it
EVALUATION_FIELDS = ("outcome", "evaluated_on", "note")


def _max_weeks(client: CasesClient) -> int:
    """The partnership's maximum weeks of a short intervention (its settings, via the API)."""
    user = current_user()
    assert user is not None and user.partnership_id is not None
    return int(client.partnership_settings(user.partnership_id)["short_intervention_max_weeks"])


def _today() -> str:
    return local_today(container().clock).isoformat()


def _start_errors(values: dict[str, str]) -> Errors:
    """What is missing or not a date, before asking the API."""
    errors: Errors = {}
    if not values["domain"]:
        errors["domain"] = [_("Kies een domein.")]
    if not values["goal"]:
        errors["goal"] = [_("Beschrijf het doel van de interventie.")]
    check_dates(values, ("starts_on", "evaluate_by"), errors)
    return errors


@blp.route("/trajecten/<uuid:case_id>/interventies/nieuw", methods=["GET", "POST"])
def start_intervention(case_id: UUID) -> Any:
    """Start a basic intervention: domain by its label, goal, start and evaluation date; the
    evaluation date defaults to the latest the partnership allows. A domain the school's SOP
    does not offer (the cases service says which) asks for a confirmation before saving."""
    client = cases()
    found = client.case(case_id)
    if not changes_cases():
        return refused()
    weeks = _max_weeks(client)
    errors: Errors = {}
    outside = None
    if request.method == "GET":
        today = local_today(container().clock)
        later = (today + timedelta(weeks=weeks)).isoformat()
        values = {"domain": "", "goal": "", "starts_on": today.isoformat(), "evaluate_by": later}
        domains = _basic_domains(client, found.school_id, values["starts_on"])
    else:
        values = read(START_FIELDS)
        errors = _start_errors(values)
        domains = _basic_domains(client, found.school_id, None if errors else values["starts_on"])
        chosen = next((d for d in domains if d.code == values["domain"]), None)
        confirmed = request.form.get(OUTSIDE_CONFIRMED) == values["domain"]
        if not errors and chosen is not None and chosen.in_support_profile is False:
            outside = None if confirmed else chosen
        if not errors and outside is None:
            errors = submit(lambda: client.start_intervention(case_id, values))
            if not errors:
                flash(_("De interventie is gestart."), "success")
                return redirect(url_for("school.case", case_id=case_id))
    return render(
        "school/intervention_form.html",
        422 if errors else 200,
        case=found,
        pupil=client.pupil(found.pupil_id),
        domains_options=[(d.code, _domain_option(d)) for d in domains],
        values=values,
        errors=errors,
        max_weeks=weeks,
        outside=outside.label(current_language()) if outside else None,
    )


def _basic_domains(client: CasesClient, school_id: UUID, on: str | None) -> list[Domain]:
    user = current_user()
    assert user is not None and user.partnership_id is not None
    domains = client.domains(user.partnership_id, school_id=school_id, on=on)
    return [d for d in domains if d.level == "basic"]


def _domain_option(domain: Domain) -> str:
    text = domain.label(current_language())
    if domain.in_support_profile is False:
        return _("%(domain)s (niet in het SOP van de school)", domain=text)
    return text


@blp.route(
    "/trajecten/<uuid:case_id>/interventies/<uuid:intervention_id>/evalueren",
    methods=["GET", "POST"],
)
def evaluate_intervention(case_id: UUID, intervention_id: UUID) -> Any:
    """Record how an intervention went: its effect, the day, a note (optional)."""
    client = cases()
    found = client.case(case_id)
    item = next((i for i in found.interventions if i.id == intervention_id), None)
    if item is None:
        return render(
            "error.html",
            404,
            title=_("Niet gevonden"),
            text=_("Deze pagina bestaat niet of is niet voor u."),
        )
    if not evaluates(item):
        return refused()
    if request.method == "GET":
        values, errors = {"outcome": "", "evaluated_on": _today(), "note": ""}, {}
    else:
        values = read(EVALUATION_FIELDS)
        errors = {} if values["outcome"] in OUTCOMES else {"outcome": [_("Kies hoe het ging.")]}
        check_dates(values, ("evaluated_on",), errors)
        body = {**values, "note": values["note"] or None}
        errors = errors or submit(lambda: client.evaluate_intervention(intervention_id, body))
        if not errors:
            flash(_("De evaluatie is vastgelegd."), "success")
            return redirect(_after_evaluation(case_id))
    user = current_user()
    assert user is not None and user.partnership_id is not None
    names = {d.code: d.label(current_language()) for d in client.domains(user.partnership_id)}
    return render(
        "school/evaluation_form.html",
        422 if errors else 200,
        case=found,
        item=item,
        domain=names.get(item.domain, item.domain),
        pupil=client.pupil(found.pupil_id),
        values=values,
        errors=errors,
    )


def _after_evaluation(case_id: UUID) -> str:
    """A teacher goes back to their own start page, the coordinator to the case."""
    user = current_user()
    if user is not None and user.role is Role.TEACHER:
        return url_for("school.teacher_home")
    return url_for("school.case", case_id=case_id)
