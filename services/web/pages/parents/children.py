"""A guardian's children, a child's trajectory in plain language, and consent online."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.clients.documents import DocumentsClient
from services.web.pages.common import cases, plan_document, render
from services.web.pages.parents.application import of_trajectories
from services.web.pages.parents.blueprint import blp
from services.web.pages.school.documents import stream
from services.web.pages.school.labels import DECISIONS


@blp.get("/")
def home() -> Any:
    """Their children (the token names them; the API returns no one else)."""
    return render("parents/children.html", children=cases().pupils(), active="parents")


def _child(pupil_id: UUID) -> Any:
    found = [p for p in cases().pupils() if p.id == pupil_id]
    if not found:
        abort(404)
    return found[0]


def _trajectories(pupil_id: UUID) -> list[dict[str, Any]]:
    client = cases()
    return [client.case_with_plans(c.id) for c in client.cases_of(pupil_id)]


@blp.get("/kinderen/<uuid:pupil_id>")
def child(pupil_id: UUID) -> Any:
    """A child's support: what runs now, the plan's parts for parents, dates and outcomes."""
    trajectories = _trajectories(pupil_id)
    docs = DocumentsClient(cases().api)
    return render(
        "parents/child.html",
        child=_child(pupil_id),
        trajectories=trajectories,
        applications=of_trajectories(trajectories),
        documents={t["id"]: docs.of_case(UUID(t["id"])) for t in trajectories},
        moment=_moment,
        decisions=DECISIONS,
        active="parents",
    )


@blp.post("/documenten/<uuid:document_id>/delen")
def share_document(document_id: UUID) -> Any:
    """The parent decides whether the partnership may see this document (AVG)."""
    shared = request.form.get("shared") == "yes"
    doc = DocumentsClient(cases().api).share(document_id, shared)
    flash(
        _("%(name)s is gedeeld met het samenwerkingsverband.", name=doc.filename)
        if shared
        else _("%(name)s is niet meer gedeeld met het samenwerkingsverband.", name=doc.filename),
        "success",
    )
    try:
        pupil_id = _child(UUID(request.form.get("pupil_id", ""))).id
    except ValueError:  # a tampered form: the decision stands, back to their children
        return redirect(url_for("parents.home"))
    anchor = f"documenten-{doc.case_id}"
    return redirect(url_for("parents.child", pupil_id=pupil_id, _anchor=anchor))


@blp.get("/documenten/<uuid:document_id>")
def download_document(document_id: UUID) -> Any:
    """A document of their own child, streamed from the cases API."""
    return stream(DocumentsClient(cases().api).download(document_id))


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@blp.route("/plannen/<uuid:plan_id>/instemming", methods=["GET", "POST"])
def consent(plan_id: UUID) -> Any:
    """The exact version of the action plan, and agree or decline (a reason is optional)."""
    client = cases()
    plan = client.plan(plan_id)
    if request.method == "GET":
        return render("parents/consent.html", plan=plan, errors={}, values={})
    decision = request.form.get("decision")
    values = {"decision": decision or "", "reason": request.form.get("reason", "").strip()}
    if decision not in ("agreed", "declined"):
        errors = {"decision": [_("Kies of u instemt of niet.")]}
        return render("parents/consent.html", 422, plan=plan, errors=errors, values=values)
    body = {"decision": decision, "content_hash": request.form.get("content_hash", "")}
    if decision == "declined" and values["reason"]:
        body["reason"] = values["reason"][:2000]
    try:
        client.answer_online(plan_id, body)
    except ApiError as err:
        if err.status == 409 and err.code == "already_agreed":  # the others are awaited
            flash(
                _("U hebt al ingestemd. De school wacht nog op het antwoord van de andere ouder."),
                "info",
            )
            return redirect(url_for("parents.child", pupil_id=_pupil_of(plan)))
        if err.status == 409:
            return render("parents/plan_changed.html", 409, plan=client.plan(plan_id))
        if err.status == 422:
            errors = {"decision": [_("Dit antwoord kon niet worden vastgelegd.")]}
            return render("parents/consent.html", 422, plan=plan, errors=errors, values=values)
        raise
    flash(_thanks(decision, client.plan(plan_id)), "success")
    return redirect(url_for("parents.child", pupil_id=_pupil_of(plan)))


def _thanks(decision: str, plan: dict[str, Any]) -> str:
    if decision != "agreed":
        return _("Uw antwoord is vastgelegd: u stemt niet in. De school neemt contact met u op.")
    if plan.get("consent_awaited_guardian_ids"):  # every parent with authority must agree
        return _(
            "Dank u wel. Uw instemming is vastgelegd. Het plan gaat in zodra ook de andere "
            "ouder met gezag heeft ingestemd."
        )
    return _("Dank u wel. Uw instemming is vastgelegd.")


def _pupil_of(plan: dict[str, Any]) -> UUID:
    return cases().case(UUID(plan["case_id"])).pupil_id


@blp.get("/plannen/<uuid:plan_id>/opp.pdf")
def plan_pdf(plan_id: UUID) -> Any:
    """Their child's plan as a document (PDF) to download, in their language."""
    return plan_document(plan_id)
