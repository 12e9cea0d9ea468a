"""The partnership's handling of TLV applications (issue 14): the consultant's list across
schools (state, school, decide-by date, the flag "zonder instemming ouders"), an application with
its plan, evaluations and the documents the parents shared (the API shows no other), the two
expert advices, the decision and its letter. The cases API judges every save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.applications import Application, ApplicationsClient
from services.web.pages.common import (
    cases,
    container,
    current_language,
    current_user,
    read_alongside,
    render,
)
from services.web.pages.partnership.blueprint import blp
from services.web.pages.partnership.overview import PAGE_SIZE, _page
from services.web.pages.school.forms import Errors, check_dates, read, submit
from services.web.pages.school.labels import (
    ADVISER_ROLES,
    APPLICATION_STATUSES,
    CATEGORIES,
    DECISIONS,
    SCHOOL_TYPES,
    TLV_DECISIONS,
)
from services.web.pages.school.plans import not_found
from shared.auth import Role
from shared.clock import local_today

ADVICE_FIELDS = ("adviser_role", "adviser_name", "conclusion", "recorded_on")
DECISION_FIELDS = ("decision", "decided_on", "school_type", "category", "valid_from", "valid_until")


def _client() -> ApplicationsClient:
    return ApplicationsClient(cases().api)


def decides() -> bool:
    """Whether the signed-in user handles applications (the partnership's consultant)."""
    user = current_user()
    return user is not None and user.role is Role.CONSULTANT


def _refused() -> Any:
    return render(
        "error.html",
        403,
        title=_("Geen toegang"),
        text=_("Dit kan alleen de consulent van het samenwerkingsverband doen."),
    )


def _today() -> date:
    return local_today(container().clock)


@blp.get("/aanvragen")
def applications() -> Any:
    """Every submitted application across schools, filtered by state and school."""
    client = cases()
    schools = client.schools()
    status = request.args.get("status", "")
    status = status if status in APPLICATION_STATUSES else ""
    school = request.args.get("school", "")
    school = school if school in {str(s.id) for s in schools} else ""
    page = _client().listing(status=status, school_id=school, page=_page(), page_size=PAGE_SIZE)
    return render(
        "partnership/applications.html",
        active="applications",
        page=page,
        chosen_status=status,
        school=school,
        schools=schools,
    )


def _context(item: Application) -> dict[str, Any]:
    # Read beside the page (without the ETag hook): the form's ETag stays the application's.
    pupil = read_alongside(lambda client: client.pupil(item.pupil_id))
    return {
        "application": item,
        "pupil": pupil.result(),
        "today": _today(),
        "decisions": DECISIONS,
    }


@blp.get("/aanvragen/<uuid:referral_id>")
def application(referral_id: UUID) -> Any:
    """The application: its state, plan and evaluations, the shared documents, the advices
    and the decision."""
    item = _client().get(referral_id)
    if item is None:
        return not_found()
    return render(
        "partnership/application.html",
        active="applications",
        may_decide=decides(),
        **_context(item),
    )


@dataclass(frozen=True)
class Step:
    """One of the consultant's forms on a submitted application: when it is open, its fields and
    their first values (from today), what is checked before the API, the API call, the template
    and what else it shows."""

    is_open: Callable[[Application], bool]
    fields: tuple[str, ...]
    start: Callable[[date], dict[str, str]]
    check: Callable[[dict[str, str]], Errors]
    path: str  # the API's step on the application
    body: Callable[[dict[str, str]], dict[str, Any]]
    done: Any
    template: str
    options: Callable[[Application], dict[str, Any]]


def _run(referral_id: UUID, step: Step) -> Any:
    """Show the step's form (only while it is open); on a good POST call the API and go back to
    the application."""
    if not decides():
        return _refused()
    item = _client().get(referral_id)
    if item is None:
        return not_found()
    back = url_for("partnership.application", referral_id=referral_id)
    if not step.is_open(item):
        return redirect(back)
    errors: Errors = {}
    if request.method == "GET":
        values = dict.fromkeys(step.fields, "") | step.start(_today())
    else:
        values = read(step.fields)
        errors = step.check(values)
        errors = errors or submit(
            lambda: _client().step(referral_id, step.path, step.body(values)), _field
        )
        if not errors:
            flash(str(step.done), "success")
            return redirect(back)
    return render(
        step.template,
        422 if errors else 200,
        values=values,
        errors=errors,
        back=back,
        **step.options(item),
        **_context(item),
    )


def _advice_errors(values: dict[str, str]) -> Errors:
    errors: Errors = {}
    for name, text in (
        ("adviser_role", _("Kies de rol van de adviseur.")),
        ("adviser_name", _("Vul de naam van de adviseur in.")),
        ("conclusion", _("Schrijf de conclusie van het advies.")),
    ):
        if not values[name]:
            errors[name] = [text]
    check_dates(values, ("recorded_on",), errors)
    return errors


ADVICE = Step(
    is_open=lambda item: item.awaits_advice,
    fields=ADVICE_FIELDS,
    start=lambda today: {"recorded_on": today.isoformat()},
    check=_advice_errors,
    path="advices",
    body=lambda values: values,
    done=_l("Het advies is vastgelegd."),
    template="partnership/application_advice.html",
    options=lambda item: {
        "role_options": list(ADVISER_ROLES.items()),
        "number": len(item.advices) + 1,
    },
)


@blp.route("/aanvragen/<uuid:referral_id>/advies", methods=["GET", "POST"])
def application_advice(referral_id: UUID) -> Any:
    """Record one of the two expert advices: the adviser's role and name, the conclusion."""
    return _run(referral_id, ADVICE)


def _decision_body(values: dict[str, str]) -> dict[str, Any]:
    granted = values["decision"] == "granted"
    so = values["school_type"] == "so"
    return {
        "decision": values["decision"],
        "decided_on": values["decided_on"],
        "school_type": values["school_type"] or None if granted else None,
        "category": values["category"] or None if granted and so else None,
        "valid_from": values["valid_from"] or None if granted else None,
        "valid_until": values["valid_until"] or None if granted else None,
    }


def _decision_errors(values: dict[str, str]) -> Errors:
    errors: Errors = {}
    if values["decision"] not in TLV_DECISIONS:
        errors["decision"] = [_("Kies het besluit.")]
    check_dates(values, ("decided_on",), errors)
    if values["decision"] == "granted":
        if values["school_type"] not in SCHOOL_TYPES:
            errors["school_type"] = [_("Kies het soort onderwijs.")]
        if values["school_type"] == "so" and values["category"] not in CATEGORIES:
            errors["category"] = [_("Kies de categorie (alleen bij speciaal onderwijs).")]
        check_dates(values, ("valid_from", "valid_until"), errors)
    return errors


def first_end(start: date) -> date:
    """A suggested end: the first 31 July at least one school year after `start` (the API
    judges the policy; this only fills the field)."""
    year_later = date(start.year + 1, start.month, min(start.day, 28)) - timedelta(days=1)
    end = date(year_later.year, 7, 31)
    return end if end >= year_later else date(year_later.year + 1, 7, 31)


DECISION = Step(
    is_open=lambda item: item.status == "ready_for_decision",
    fields=DECISION_FIELDS,
    start=lambda today: {
        "decided_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": first_end(today).isoformat(),
    },
    check=_decision_errors,
    path="decision",
    body=_decision_body,
    done=_l("Het besluit is vastgelegd."),
    template="partnership/application_decision.html",
    options=lambda _item: {
        "decision_options": list(TLV_DECISIONS.items()),
        "type_options": list(SCHOOL_TYPES.items()),
        "category_options": list(CATEGORIES.items()),
    },
)


@blp.route("/aanvragen/<uuid:referral_id>/besluit", methods=["GET", "POST"])
def application_decision(referral_id: UUID) -> Any:
    """The decision: granted (type, category only for so, valid from and until) or refused."""
    return _run(referral_id, DECISION)


@blp.get("/aanvragen/<uuid:referral_id>/besluitbrief.pdf")
def decision_letter(referral_id: UUID) -> Any:
    """The decision letter (PDF) in the page's language."""
    return letter(_client(), referral_id)


def letter(client: ApplicationsClient, referral_id: UUID) -> Response:
    """The letter from the cases API, passed on as a download under the API's file name."""
    content, kind, disposition = client.letter(referral_id, current_language())
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
    return Response(content, 200, headers, mimetype=kind)


def _field(path: str) -> str:
    return path.split(".")[0]
