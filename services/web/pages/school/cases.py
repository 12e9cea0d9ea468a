"""A case with its timeline, and the form that starts a basic intervention."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.clients.cases import CasesClient, Domain
from services.web.pages.common import cases, container, current_language, current_user, render
from services.web.pages.school import blp
from services.web.pages.school.api_messages import translate
from services.web.pages.school.timeline import sentences
from shared.clock import local_today


def _domains(client: CasesClient) -> list[Domain]:
    user = current_user()
    assert user is not None and user.partnership_id is not None
    return client.domains(user.partnership_id)


def _namer(domains: list[Domain]) -> Any:
    names = {d.code: d.label(current_language()) for d in domains}
    return lambda code: names.get(code, code)


@blp.get("/trajecten/<uuid:case_id>")
def case(case_id: UUID) -> Any:
    """A case: its pupil, interventions and its timeline as sentences."""
    client = cases()
    found = client.case(case_id)
    name = _namer(_domains(client))
    return render(
        "school/case.html",
        case=found,
        pupil=client.pupil(found.pupil_id),
        timeline=sentences(client.timeline(case_id), name),
        domain_name=name,
    )


# -- start a basic intervention --------------------------------------------------------------

FIELDS = ("domain", "goal", "starts_on", "evaluate_by")


def _parse_date(value: str) -> str | None:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def _read_form() -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form's values as typed, and what is missing or not a date (before asking the API)."""
    values = {f: request.form.get(f, "").strip() for f in FIELDS}
    errors: dict[str, list[str]] = {}
    if not values["domain"]:
        errors["domain"] = [_("Kies een domein.")]
    if not values["goal"]:
        errors["goal"] = [_("Beschrijf het doel van de interventie.")]
    for key in ("starts_on", "evaluate_by"):
        if not values[key]:
            errors[key] = [_("Vul een datum in.")]
        elif _parse_date(values[key]) is None:
            errors[key] = [_("Vul een geldige datum in, bijvoorbeeld 2026-11-30.")]
    return values, errors


def _max_weeks(client: CasesClient) -> int:
    """The partnership's maximum weeks of a short intervention (its settings, via the API)."""
    user = current_user()
    assert user is not None and user.partnership_id is not None
    return int(client.partnership_settings(user.partnership_id)["short_intervention_max_weeks"])


def _defaults(weeks: int) -> dict[str, str]:
    """Today, and the latest evaluation date the partnership allows."""
    today = local_today(container().clock)
    return {
        "domain": "",
        "goal": "",
        "starts_on": today.isoformat(),
        "evaluate_by": (today + timedelta(weeks=weeks)).isoformat(),
    }


@blp.route("/trajecten/<uuid:case_id>/interventies/nieuw", methods=["GET", "POST"])
def start_intervention(case_id: UUID) -> Any:
    """Start a basic intervention: domain by its label, goal, start and evaluation date."""
    client = cases()
    found = client.case(case_id)
    domains = [d for d in _domains(client) if d.level == "basic"]
    weeks = _max_weeks(client)
    values, errors = (_defaults(weeks), {}) if request.method == "GET" else _read_form()
    if request.method == "POST" and not errors:
        try:
            client.start_intervention(case_id, values)
        except ApiError as err:
            if err.status not in (409, 422):
                raise
            errors = {k: [translate(m) for m in v] for k, v in err.errors.items()}
            if not errors:
                errors = {"_form": [translate(err.message)]}
        else:
            flash(_("De interventie is gestart."), "success")
            return redirect(url_for("school.case", case_id=case_id))
    return render(
        "school/intervention_form.html",
        200 if not errors else 422,
        case=found,
        pupil=client.pupil(found.pupil_id),
        domains_options=[(d.code, d.label(current_language())) for d in domains],
        values=values,
        errors=errors,
        max_weeks=weeks,
    )
