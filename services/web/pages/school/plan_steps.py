"""The steps of a development plan, one small form each: the consultation with the parents
(OOGO), the pupil's view, asking consent, consent received on paper, planning the evaluation
meeting, the evaluation with its decision, and the referral's admission statement (TLV)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.plans import Plan
from services.web.pages.common import cases, current_language, render
from services.web.pages.school.access import changes_cases, refused
from services.web.pages.school.application import applications
from services.web.pages.school.blueprint import blp
from services.web.pages.school.forms import Errors, check_dates, read, submit
from services.web.pages.school.plan_labels import CONSENT_DECISIONS, MEETING_MINUTES, plan_context
from services.web.pages.school.plans import destinations, find_plan, not_found, plans, today
from services.web.pages.templating import day
from shared.clock import AMSTERDAM

Body = Callable[[dict[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class Step:
    """One form of the plan: its fields, which are dates, which must be filled, the API call."""

    template: str
    fields: tuple[str, ...]
    dates: tuple[str, ...]
    required: dict[str, Any]
    body: Body
    send: Callable[[Plan, dict[str, Any]], None]
    done: Any
    defaults: dict[str, str] = field(default_factory=dict)
    place: Callable[[str], str] | None = None
    check: Callable[[dict[str, str]], Errors] | None = None  # before asking the API


def _ignore(_result: object) -> None:
    """The API's answer is not needed: the page goes back to the plan."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _first_part(path: str) -> str:
    return path.split(".")[0]


def _run(case_id: UUID, plan_id: UUID, step: Step, **context: Any) -> Any:
    """Show the step's form; on a good POST call the API and go back to the plan."""
    found = find_plan(case_id, plan_id)
    if found is None:
        return not_found()
    if not changes_cases():
        return refused()
    case, plan, _referrals = found
    errors: Errors = {}
    if request.method == "GET":
        values = {name: "" for name in step.fields} | {n: today() for n in step.dates}
        values |= step.defaults
    else:
        values = read(step.fields)
        values["guardian_ids"] = ",".join(request.form.getlist("guardian_ids"))
        errors = {n: [str(m)] for n, m in step.required.items() if not values.get(n)}
        check_dates(values, tuple(n for n in step.dates if n not in errors), errors)
        if not errors and step.check:
            errors = step.check(values)
        if not errors:
            body = step.body(values)
            errors = submit(lambda: step.send(plan, body), step.place or _first_part)
        if not errors:
            flash(str(step.done), "success")
            return redirect(url_for("school.plan", case_id=case_id, plan_id=plan_id))
    return render(
        step.template,
        422 if errors else 200,
        case=case,
        plan=plan,
        pupil=cases().pupil(case.pupil_id),
        values=values,
        errors=errors,
        **plan_context(destinations()),
        **context,
    )


def _post(path: str) -> Callable[[Plan, dict[str, Any]], None]:
    def send(plan: Plan, body: dict[str, Any]) -> None:
        plans().step(plan.id, path, body)

    return send


CONSULTATION = Step(
    template="school/plan_consultation.html",
    fields=("held_on", "participants"),
    dates=("held_on",),
    required={"participants": _l("Noem wie er bij het overleg waren.")},
    body=lambda v: {"held_on": v["held_on"], "participants": _lines(v["participants"])},
    send=_post("consultation"),
    done=_l("Het OOGO is vastgelegd."),
)
PUPIL_VIEW = Step(
    template="school/plan_pupil_view.html",
    fields=("heard_on", "summary"),
    dates=("heard_on",),
    required={},
    body=lambda v: {"heard_on": v["heard_on"], "summary": v["summary"] or None},
    send=_post("pupil-view"),
    done=_l("Vastgelegd dat de leerling is gehoord."),
)
CONSENT_REQUEST = Step(
    template="school/plan_consent_request.html",
    fields=("requested_on",),
    dates=("requested_on",),
    required={},
    body=lambda v: {"requested_on": v["requested_on"]},
    send=_post("consent-request"),
    done=_l("De instemming is gevraagd."),
)
CONSENT = Step(
    template="school/plan_consent.html",
    fields=("decision", "recorded_on"),
    dates=("recorded_on",),
    required={
        "decision": _l("Kies wat de ouders hebben geantwoord."),
        "guardian_ids": _l("Kies welke ouder of verzorger heeft getekend."),
    },
    body=lambda v: {
        "decision": v["decision"],
        "recorded_on": v["recorded_on"],
        "guardian_ids": v["guardian_ids"].split(","),
    },
    send=_post("consent"),
    done=_l("Het antwoord van de ouders is vastgelegd."),
)


@blp.route("/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/oogo", methods=["GET", "POST"])
def plan_consultation(case_id: UUID, plan_id: UUID) -> Any:
    """The consultation with the parents (OOGO): the day and who took part."""
    return _run(case_id, plan_id, CONSULTATION)


@blp.route("/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/leerling-gehoord", methods=["GET", "POST"])
def plan_pupil_view(case_id: UUID, plan_id: UUID) -> Any:
    """The pupil was heard (hoorrecht): the day and what the pupil said (optional)."""
    return _run(case_id, plan_id, PUPIL_VIEW)


@blp.route(
    "/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/instemming-vragen", methods=["GET", "POST"]
)
def plan_consent_request(case_id: UUID, plan_id: UUID) -> Any:
    """Ask the parents to consent to the action plan."""
    return _run(case_id, plan_id, CONSENT_REQUEST)


@blp.route("/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/instemming", methods=["GET", "POST"])
def plan_consent(case_id: UUID, plan_id: UUID) -> Any:
    """The parents' answer received on paper: agreed or declined, the day, who signed."""
    found = cases().case(case_id)
    guardians = [g for g in cases().pupil(found.pupil_id).guardians if g.id]
    step = replace(CONSENT, defaults={"guardian_ids": ",".join(str(g.id) for g in guardians)})
    return _run(
        case_id,
        plan_id,
        step,
        guardian_options=[(str(g.id), g.name) for g in guardians],
        consent_options=list(CONSENT_DECISIONS.items()),
    )


# -- the evaluation meeting ---------------------------------------------------------------------


def _meeting_body(values: dict[str, str]) -> dict[str, Any]:
    day = datetime.fromisoformat(values["meeting_on"]).date()
    starts = datetime.combine(day, time.fromisoformat(values["starts_at"]), AMSTERDAM)
    return {
        "starts_at": starts.isoformat(),
        "duration_minutes": int(values["duration_minutes"]),
        "location": values["location"] or None,
        "video_url": values["video_url"] or None,
    }


def _meeting_errors(values: dict[str, str]) -> Errors:
    errors: Errors = {}
    try:
        time.fromisoformat(values["starts_at"])
    except ValueError:
        errors["starts_at"] = [_("Vul een tijd in, bijvoorbeeld 15:30.")]
    if values["duration_minutes"] not in {str(m) for m in MEETING_MINUTES}:
        errors["duration_minutes"] = [_("Kies hoe lang het gesprek duurt.")]
    return errors


@blp.route(
    "/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/evaluaties/<uuid:evaluation_id>/gesprek",
    methods=["GET", "POST"],
)
def plan_meeting(case_id: UUID, plan_id: UUID, evaluation_id: UUID) -> Any:
    """Plan the evaluation meeting: day and time, how long, where (a place or a video link)."""
    found = find_plan(case_id, plan_id)
    evaluation = found[1].evaluation(evaluation_id) if found else None
    if found is None or evaluation is None:
        return not_found()
    due = evaluation.due_on.isoformat() if evaluation.due_on else today()
    step = Step(
        template="school/plan_meeting.html",
        fields=("meeting_on", "starts_at", "duration_minutes", "location", "video_url"),
        dates=("meeting_on",),
        required={"starts_at": _l("Vul een tijd in, bijvoorbeeld 15:30.")},
        body=_meeting_body,
        send=lambda plan, body: _ignore(plans().plan_meeting(plan.id, evaluation_id, body)),
        done=_l("Het evaluatiegesprek is gepland."),
        defaults={"meeting_on": due, "starts_at": "15:00", "duration_minutes": "45"},
        place=lambda path: "meeting_on" if path == "starts_at" else _first_part(path),
        check=_meeting_errors,
    )
    return _run(
        case_id,
        plan_id,
        step,
        evaluation=evaluation,
        minutes=[(str(m), _("%(num)d minuten", num=m)) for m in MEETING_MINUTES],
    )


# -- the evaluation with its decision -------------------------------------------------------------


def _evaluation_body(values: dict[str, str]) -> dict[str, Any]:
    decision = values["decision"]
    return {
        "evaluation_id": values["evaluation_id"] or None,
        "held_on": values["held_on"],
        "decision": decision,
        "note": values["note"] or None,
        "next_evaluation_on": values["next_evaluation_on"] if decision == "continue" else None,
        "referral_destination": values["referral_destination"] if decision == "refer" else None,
    }


EVALUATION = Step(
    template="school/plan_evaluation.html",
    fields=(
        "evaluation_id",
        "held_on",
        "decision",
        "next_evaluation_on",
        "referral_destination",
        "note",
    ),
    dates=("held_on",),
    required={"decision": _l("Kies wat u met de ouders hebt besloten.")},
    body=_evaluation_body,
    send=lambda plan, body: plans().evaluate(plan.id, body),
    done=_l("De evaluatie van het OPP is vastgelegd."),
    check=lambda values: _evaluation_errors(values),
)


@blp.route("/trajecten/<uuid:case_id>/opp/<uuid:plan_id>/evalueren", methods=["GET", "POST"])
def plan_evaluation(case_id: UUID, plan_id: UUID) -> Any:
    """Evaluate the plan with the parents: continue (with the next date), back to basic
    support, or refer (with the destination)."""
    found = find_plan(case_id, plan_id)
    if found is None:
        return not_found()
    if not changes_cases():
        return refused()
    if found[1].status != "active":
        return redirect(url_for("school.plan", case_id=case_id, plan_id=plan_id))
    scheduled = found[1].scheduled
    step = replace(
        EVALUATION, defaults={"evaluation_id": str(scheduled[0].id) if scheduled else ""}
    )
    return _run(case_id, plan_id, step, **_evaluation_context(found[1]))


def _evaluation_errors(values: dict[str, str]) -> Errors:
    errors: Errors = {}
    if values["decision"] == "continue":
        check_dates(values, ("next_evaluation_on",), errors)
    if values["decision"] == "refer" and not values["referral_destination"]:
        errors["referral_destination"] = [_("Kies waarheen de leerling wordt verwezen.")]
    return errors


def _evaluation_context(plan: Plan) -> dict[str, Any]:
    language = current_language()
    return {
        "scheduled": plan.scheduled,
        "evaluation_options": [
            (str(e.id), _("Evaluatie van %(day)s", day=day(e.due_on))) for e in plan.scheduled
        ],
        "referral_options": [(d.code, d.label(language)) for d in destinations().referral],
    }


# -- the referral's admission statement (TLV) ------------------------------------------------------


@blp.route("/trajecten/<uuid:case_id>/verwijzingen/<uuid:referral_id>/tlv", methods=["GET", "POST"])
def admission_statement(case_id: UUID, referral_id: UUID) -> Any:
    """Record the admission statement (TLV) granted on a referral: valid from, valid until."""
    found = cases().case(case_id)
    referral = next((r for r in found.referrals if r.id == referral_id), None)
    if referral is None:
        return not_found()
    if not changes_cases():
        return refused()
    if applications().get(referral_id) is not None:  # the partnership's decision records it
        return redirect(url_for("school.application", case_id=case_id, referral_id=referral_id))
    errors: Errors = {}
    if request.method == "GET":
        values = {"valid_from": today(), "valid_until": ""}
    else:
        values = read(("valid_from", "valid_until"))
        check_dates(values, ("valid_from", "valid_until"), errors)
        errors = errors or submit(
            lambda: plans().record_admission_statement(referral_id, values), _first_part
        )
        if not errors:
            flash(_("De toelaatbaarheidsverklaring is vastgelegd."), "success")
            return redirect(url_for("school.case", case_id=case_id))
    return render(
        "school/admission_statement_form.html",
        422 if errors else 200,
        case=found,
        referral=referral,
        pupil=cases().pupil(found.pupil_id),
        values=values,
        errors=errors,
        **plan_context(destinations()),
    )
