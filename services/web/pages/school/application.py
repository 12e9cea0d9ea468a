"""The school's side of the TLV application (issue 14), a task list on a referred case: the
coordinator chooses the documents (seeing whether the parents shared each with the partnership),
records the parents' view and their answer from paper, and submits; the director signs it off.
Each step is one small form; the cases API judges every save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.applications import Application, ApplicationsClient
from services.web.clients.cases import Case, Pupil
from services.web.clients.documents import DocumentsClient
from services.web.clients.plans import Referral
from services.web.pages.common import cases, current_user, render
from services.web.pages.school.access import changes_cases, refused
from services.web.pages.school.blueprint import blp
from services.web.pages.school.forms import Errors, check_dates, read, submit
from services.web.pages.school.plan_labels import CONSENT_DECISIONS, plan_context
from services.web.pages.school.plans import destinations, not_found, today
from shared.auth import Role

APP = "/trajecten/<uuid:case_id>/verwijzingen/<uuid:referral_id>/aanvraag"


def applications() -> ApplicationsClient:
    """The TLV applications of the cases API as the signed-in user."""
    return ApplicationsClient(cases().api)


def signs_off() -> bool:
    """Whether the signed-in user signs applications off (the school's director)."""
    user = current_user()
    return user is not None and user.role is Role.DIRECTOR


def _referral(case_id: UUID, referral_id: UUID) -> tuple[Case, Referral] | None:
    found = cases().case(case_id)
    referral = next((r for r in found.referrals if r.id == referral_id), None)
    return (found, referral) if referral else None


def _guardians(pupil: Pupil) -> list[tuple[str, str]]:
    return [(str(g.id), g.name) for g in pupil.guardians if g.id]


@blp.get(APP)
def application(case_id: UUID, referral_id: UUID) -> Any:
    """The application as a task list: what is done, what is next, who does it."""
    user = current_user()
    if user is not None and user.role in (Role.CONSULTANT, Role.ADMIN):  # the partnership's page
        return redirect(url_for("partnership.application", referral_id=referral_id))
    if user is None or user.role not in (Role.COORDINATOR, Role.DIRECTOR):
        return not_found()  # a teacher does not read applications (the API's rule)
    found = _referral(case_id, referral_id)
    if found is None:
        return not_found()
    case, referral = found
    pupil = cases().pupil(case.pupil_id)
    item = applications().get(referral_id)
    guardians = dict(_guardians(pupil))
    return render(
        "school/application.html",
        case=case,
        referral=referral,
        application=item,
        pupil=pupil,
        who=lambda ids: ", ".join(guardians.get(str(i), "") for i in ids if str(i) in guardians),
        may_sign=signs_off(),
        **plan_context(destinations()),
    )


@blp.post(f"{APP}/starten")
def start_application(case_id: UUID, referral_id: UUID) -> Any:
    """Start the application on the referral (the coordinator)."""
    if _referral(case_id, referral_id) is None:
        return not_found()
    if not changes_cases():
        return refused()
    if applications().get(referral_id) is None:
        applications().start(referral_id)
    return redirect(url_for("school.application", case_id=case_id, referral_id=referral_id))


# -- the steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One form of the application: its fields, the dates among them, what must be filled, who
    may, and the API call its save makes."""

    template: str
    fields: tuple[str, ...]
    send: Callable[[UUID, dict[str, str]], Application]
    done: Any
    dates: tuple[str, ...] = ()
    required: dict[str, Any] = field(default_factory=dict)
    director: bool = False  # the director's step; every other is the coordinator's
    check: Callable[[Application, dict[str, str]], Errors] | None = None
    defaults: Callable[[Application], dict[str, str]] | None = None


def _allowed(step: Step) -> bool:
    return signs_off() if step.director else changes_cases()


def _refusal(step: Step) -> Any:
    if not step.director:
        return refused()
    return render(
        "error.html",
        403,
        title=_("Geen toegang"),
        text=_("Dit kan alleen de directeur van de school doen."),
    )


def _values(step: Step, item: Application) -> dict[str, str]:
    values = {name: "" for name in step.fields} | {name: today() for name in step.dates}
    return values | (step.defaults(item) if step.defaults else {})


def _run(case_id: UUID, referral_id: UUID, step: Step, **context: Any) -> Any:
    """Show the step's form; on a good POST call the API and go back to the task list."""
    found = _referral(case_id, referral_id)
    if found is None:
        return not_found()
    if not _allowed(step):
        return _refusal(step)
    case, referral = found
    pupil = cases().pupil(case.pupil_id)
    context.setdefault("guardian_options", _guardians(pupil))
    item = applications().get(referral_id)  # read last: its ETag goes with the form
    if item is None:
        return not_found()
    back = url_for("school.application", case_id=case_id, referral_id=referral_id)
    if not item.is_draft:
        return redirect(back)
    errors: Errors = {}
    if request.method == "GET":
        values = _values(step, item)
    else:
        values = read(step.fields) | {
            name: ",".join(request.form.getlist(name)) for name in ("document_ids", "guardian_ids")
        }
        errors = {n: [str(m)] for n, m in step.required.items() if not values.get(n)}
        check_dates(values, tuple(n for n in step.dates if n not in errors), errors)
        if not errors and step.check:
            errors = step.check(item, values)
        errors = errors or submit(lambda: step.send(referral_id, values), _field)
        if not errors:
            flash(str(step.done), "success")
            return redirect(back)
    return render(
        step.template,
        422 if errors else 200,
        case=case,
        referral=referral,
        application=item,
        pupil=pupil,
        values=values,
        errors=errors,
        back=back,
        **context,
    )


def _field(path: str) -> str:
    return path.split(".")[0]


def _ids(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


DOCUMENTS = Step(
    template="school/application_documents.html",
    fields=("motivation",),
    send=lambda rid, v: applications().change(
        rid, {"document_ids": _ids(v["document_ids"]), "motivation": v["motivation"] or None}
    ),
    done=_l("De documenten bij de aanvraag zijn bewaard."),
    defaults=lambda item: {
        "document_ids": ",".join(str(d.id) for d in item.documents),
        "motivation": item.motivation or "",
    },
)
PARENTS_VIEW = Step(
    template="school/application_parents_view.html",
    fields=("text",),
    send=lambda rid, v: applications().step(rid, "parents-view", {"text": v["text"]}),
    done=_l("De zienswijze van de ouders is vastgelegd."),
    required={"text": _l("Schrijf op wat de ouders vinden.")},
    defaults=lambda item: {"text": item.parents_view.text if item.parents_view else ""},
)
AGREEMENT = Step(
    template="school/application_agreement.html",
    fields=("decision", "recorded_on"),
    dates=("recorded_on",),
    send=lambda rid, v: applications().step(
        rid,
        "parents-agreement",
        {
            "decision": v["decision"],
            "recorded_on": v["recorded_on"],
            "guardian_ids": _ids(v["guardian_ids"]),
        },
    ),
    done=_l("Het antwoord van de ouders is vastgelegd."),
    required={
        "decision": _l("Kies wat de ouders hebben geantwoord."),
        "guardian_ids": _l("Kies welke ouder of verzorger heeft getekend."),
    },
)
SIGN_OFF = Step(
    template="school/application_sign_off.html",
    fields=("signed_on",),
    dates=("signed_on",),
    send=lambda rid, v: applications().step(rid, "sign-off", {"signed_on": v["signed_on"]}),
    done=_l("U hebt de aanvraag ondertekend."),
    director=True,
)


def _submit_check(item: Application, values: dict[str, str]) -> Errors:
    """Without the parents' agreement the coordinator says so on purpose (a ticked box)."""
    if item.agreement_status != "agreed" and not values["without_parents"]:
        return {
            "without_parents": [
                _("Vink aan dat u de aanvraag indient zonder instemming van de ouders.")
            ]
        }
    return {}


SUBMIT = Step(
    template="school/application_submit.html",
    fields=("submitted_on", "without_parents"),
    dates=("submitted_on",),
    send=lambda rid, v: applications().step(rid, "submit", {"submitted_on": v["submitted_on"]}),
    done=_l("De aanvraag is ingediend bij het samenwerkingsverband."),
    check=_submit_check,
)


@blp.route(f"{APP}/documenten", methods=["GET", "POST"])
def application_documents(case_id: UUID, referral_id: UUID) -> Any:
    """Choose the case's documents the application carries, and the school's motivation."""
    docs = DocumentsClient(cases().api).of_case(case_id) if changes_cases() else []
    return _run(case_id, referral_id, DOCUMENTS, case_documents=docs)


@blp.route(f"{APP}/zienswijze", methods=["GET", "POST"])
def application_parents_view(case_id: UUID, referral_id: UUID) -> Any:
    """Record the parents' view (zienswijze) as the school heard or received it."""
    return _run(case_id, referral_id, PARENTS_VIEW)


@blp.route(f"{APP}/instemming", methods=["GET", "POST"])
def application_agreement(case_id: UUID, referral_id: UUID) -> Any:
    """The parents' answer received on paper: agreed or declined, the day, who signed."""
    return _run(case_id, referral_id, AGREEMENT, consent_options=list(CONSENT_DECISIONS.items()))


@blp.route(f"{APP}/ondertekenen", methods=["GET", "POST"])
def application_sign_off(case_id: UUID, referral_id: UUID) -> Any:
    """The director signs the application off."""
    return _run(case_id, referral_id, SIGN_OFF)


@blp.route(f"{APP}/indienen", methods=["GET", "POST"])
def application_submit(case_id: UUID, referral_id: UUID) -> Any:
    """Submit the application to the partnership (a clear warning without the parents)."""
    return _run(case_id, referral_id, SUBMIT)


# -- the director's list ------------------------------------------------------------------------


@blp.get("/school/aanvragen")
def director_applications() -> Any:
    """The school's TLV applications (the coordinator's and the director's): those in
    preparation, with whether the director signed off, and those awaiting the decision."""
    user = current_user()
    if user is None or user.role not in (Role.COORDINATOR, Role.DIRECTOR):
        return not_found()
    # The API lists the director's own school only.
    drafts = applications().listing(status="draft", page_size=100)
    sent = applications().listing(status="submitted", page_size=100)
    return render(
        "school/director_applications.html", active="applications", drafts=drafts, sent=sent
    )
