"""The development plan (OPP) as a guided form, and the plan's page: its parts, its state, the
parents' consent and the steps still to take. Scenarios and evaluation dates are rows; "add
another" is a submit button that shows the form again with one row more (no JavaScript)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.cases import Case
from services.web.clients.plans import Destinations, Plan, PlansClient, Referral
from services.web.pages.common import (
    cases,
    container,
    current_language,
    current_user,
    plan_document,
    render,
)
from services.web.pages.school.access import changes_cases, refused
from services.web.pages.school.blueprint import blp
from services.web.pages.school.forms import Errors, check_dates, read, submit
from services.web.pages.school.plan_labels import plan_context
from shared.clock import local_today

PLAN_FIELDS = (
    "exit_destination",
    "hindering_factors",
    "supporting_factors",
    "action_plan",
    "deviations",
    "agreed_end_date",
    "created_on",
)
SCENARIO_FIELDS = ("expected_effect", "review_by")
MAX_ROWS = 10


def plans() -> PlansClient:
    """The development plans of the cases API as the signed-in user."""
    return PlansClient(cases().api)


def destinations() -> Destinations:
    """The exit and referral destinations of the signed-in user's partnership."""
    user = current_user()
    assert user is not None and user.partnership_id is not None
    return plans().destinations(user.partnership_id)


def not_found() -> Any:
    return render(
        "error.html",
        404,
        title=_("Niet gevonden"),
        text=_("Deze pagina bestaat niet of is niet voor u."),
    )


def find_plan(case_id: UUID, plan_id: UUID) -> tuple[Case, Plan, list[Referral]] | None:
    """The case, its plan `plan_id` and the case's referrals; None when the plan is not on it."""
    found = cases().case(case_id)
    plan = next((p for p in found.plans if p.id == plan_id), None)
    return (found, plan, list(found.referrals)) if plan else None


def today() -> str:
    return local_today(container().clock).isoformat()


# -- the rows of the form ---------------------------------------------------------------------


def _count(prefix: str, default: int) -> int:
    """How many rows the submitted form had (one more when the user asked for another)."""
    found = [k for k in request.form if k.startswith(f"{prefix}-")]
    indexes = {int(k.split("-")[1]) for k in found if k.split("-")[1].isdigit()}
    count = max(indexes) + 1 if indexes else default
    if request.form.get("action") == f"add_{prefix}":
        count += 1
    return min(max(count, 1), MAX_ROWS)


def _scenario_rows(count: int) -> list[dict[str, str]]:
    return [
        {n: request.form.get(f"scenarios-{i}-{n}", "").strip() for n in SCENARIO_FIELDS}
        for i in range(count)
    ]


def _date_rows(count: int) -> list[str]:
    return [request.form.get(f"evaluation_dates-{i}", "").strip() for i in range(count)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _plan_errors(
    values: dict[str, str], scenarios: list[dict[str, str]], dates: list[str]
) -> Errors:
    """What is missing or not a date, before asking the API."""
    errors: Errors = {}
    if not values["exit_destination"]:
        errors["exit_destination"] = [_("Kies een uitstroombestemming.")]
    for name, text in (
        ("hindering_factors", _("Noem ten minste één belemmerende factor.")),
        ("supporting_factors", _("Noem ten minste één bevorderende factor.")),
        ("action_plan", _("Beschrijf het handelingsdeel.")),
    ):
        if not values[name]:
            errors[name] = [text]
    check_dates(values, ("agreed_end_date", "created_on"), errors)
    filled = [i for i, s in enumerate(scenarios) if s["expected_effect"] or s["review_by"]]
    if not filled:
        errors["scenarios-0-expected_effect"] = [_("Beschrijf ten minste één scenario.")]
    for i in filled:
        if not scenarios[i]["expected_effect"]:
            errors[f"scenarios-{i}-expected_effect"] = [_("Beschrijf het verwachte effect.")]
        row = {f"scenarios-{i}-review_by": scenarios[i]["review_by"]}
        check_dates(row, tuple(row), errors)
    kept = [i for i, d in enumerate(dates) if d]
    if not kept:
        errors["evaluation_dates-0"] = [_("Vul ten minste één evaluatiedatum in.")]
    for i in kept:
        row = {f"evaluation_dates-{i}": dates[i]}
        check_dates(row, tuple(row), errors)
    return errors


def _placer(scenario_rows: list[int], date_rows: list[int]) -> Any:
    """The form field of an API error path; rows the user left empty were not sent."""

    def row(rows: list[int], part: str | None) -> int:
        index = int(part) if part and part.isdigit() else 0
        return rows[index] if index < len(rows) else 0

    def place(path: str) -> str:
        parts = path.split(".")
        if parts[0] == "scenarios":
            name = parts[2] if len(parts) > 2 else "expected_effect"
            return f"scenarios-{row(scenario_rows, parts[1] if len(parts) > 1 else None)}-{name}"
        if parts[0] == "evaluation_dates":
            return f"evaluation_dates-{row(date_rows, parts[1] if len(parts) > 1 else None)}"
        return parts[0]

    return place


@blp.route("/trajecten/<uuid:case_id>/opp/nieuw", methods=["GET", "POST"])
def create_plan(case_id: UUID) -> Any:
    """Draft the OPP: exit destination, factors, action plan, scenarios, end and evaluation
    dates. The API's refusals appear at the field they concern."""
    client = cases()
    found = client.case(case_id)
    if not changes_cases():
        return refused()
    errors: Errors = {}
    if request.method == "GET":
        values = {name: "" for name in PLAN_FIELDS} | {"created_on": today()}
        scenarios = [dict.fromkeys(SCENARIO_FIELDS, "") for _row in range(2)]
        dates = ["", ""]
    else:
        values = read(PLAN_FIELDS)
        scenarios = _scenario_rows(_count("scenarios", 2))
        dates = _date_rows(_count("evaluation_dates", 2))
        if request.form.get("action", "save") == "save":
            errors = _plan_errors(values, scenarios, dates)
            if not errors:
                errors, created = _send_plan(case_id, values, scenarios, dates)
                if not errors:
                    flash(_("Het OPP is opgesteld."), "success")
                    return redirect(url_for("school.plan", case_id=case_id, plan_id=created))
    return render(
        "school/plan_form.html",
        422 if errors else 200,
        case=found,
        pupil=client.pupil(found.pupil_id),
        destinations=[(d.code, d.label(current_language())) for d in destinations().exit],
        values=values,
        scenarios=scenarios,
        dates=dates,
        errors=errors,
        field_labels=_field_labels(len(scenarios), len(dates)),
        max_rows=MAX_ROWS,
    )


def _send_plan(
    case_id: UUID, values: dict[str, str], scenarios: list[dict[str, str]], dates: list[str]
) -> tuple[Errors, UUID | None]:
    scenario_rows = [i for i, s in enumerate(scenarios) if s["expected_effect"] or s["review_by"]]
    date_rows = [i for i, d in enumerate(dates) if d]
    body = {
        **values,
        "hindering_factors": _lines(values["hindering_factors"]),
        "supporting_factors": _lines(values["supporting_factors"]),
        "deviations": values["deviations"] or None,
        "scenarios": [scenarios[i] for i in scenario_rows],
        "evaluation_dates": [dates[i] for i in date_rows],
    }
    created: list[UUID] = []
    errors = submit(
        lambda: created.append(plans().create(case_id, body).id),
        _placer(scenario_rows, date_rows),
    )
    return errors, created[0] if created else None


def _field_labels(scenarios: int, dates: int) -> dict[str, str]:
    """Every field by name, so the error summary links to each."""
    labels = {
        "exit_destination": _("Uitstroombestemming"),
        "hindering_factors": _("Belemmerende factoren"),
        "supporting_factors": _("Bevorderende factoren"),
        "action_plan": _("Handelingsdeel"),
        "deviations": _("Afwijkingen van het onderwijsprogramma"),
        "agreed_end_date": _("Afgesproken einddatum"),
        "created_on": _("Datum van het OPP"),
    }
    for i in range(scenarios):
        labels[f"scenarios-{i}-expected_effect"] = _("Verwacht effect")
        labels[f"scenarios-{i}-review_by"] = _("Zichtbaar uiterlijk op")
    for i in range(dates):
        labels[f"evaluation_dates-{i}"] = _("Evaluatiedatum %(num)d", num=i + 1)
    return labels


# -- the plan's page ----------------------------------------------------------------------------


@blp.get("/trajecten/<uuid:case_id>/opp/<uuid:plan_id>")
def plan(case_id: UUID, plan_id: UUID) -> Any:
    """The plan: its parts, its state, the parents' consent, its evaluations and what is next."""
    found = find_plan(case_id, plan_id)
    if found is None:
        return not_found()
    case, item, referrals = found
    pupil = cases().pupil(case.pupil_id)
    return render(
        "school/plan.html",
        case=case,
        plan=item,
        referrals=[r for r in referrals if r.plan_id == item.id],
        pupil=pupil,
        who=_names({str(g.id): g.name for g in pupil.guardians}),
        **plan_context(destinations()),
    )


@blp.get("/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/opp.pdf")
def plan_pdf(case_id: UUID, plan_id: UUID) -> Any:
    """The plan as a document (PDF) to download."""
    if find_plan(case_id, plan_id) is None:
        return not_found()
    return plan_document(plan_id)


def _names(names: dict[str, str]) -> Any:
    """Guardians' names for their ids (the ones no longer on record left out)."""
    return lambda ids: ", ".join(names[str(i)] for i in ids if i and str(i) in names)
