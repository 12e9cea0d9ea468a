"""A child's TLV application on the parents' pages (issue 14): what the school asks the
partnership, the documents that go with it (and whether the partnership may see each), the
parents' view (zienswijze) written online, their agreement or not, and the decision letter."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.applications import Application, ApplicationsClient
from services.web.clients.base import ApiError
from services.web.pages.common import cases, current_language, render
from services.web.pages.parents.blueprint import blp
from services.web.pages.parents.writing import text_form


def _client() -> ApplicationsClient:
    return ApplicationsClient(cases().api)


def _application(referral_id: UUID) -> Application:
    item = _client().get(referral_id)  # None for anyone else's child, as for none at all
    if item is None:
        abort(404)
    return item


def _back(item: Application) -> str:
    return url_for("parents.application", referral_id=item.referral_id)


@blp.get("/aanvragen/<uuid:referral_id>")
def application(referral_id: UUID) -> Any:
    """The application in plain words, with what the parent can do now."""
    item = _application(referral_id)
    return render(
        "parents/application.html",
        application=item,
        child=cases().pupil(item.pupil_id),
        active="parents",
    )


@blp.route("/aanvragen/<uuid:referral_id>/zienswijze", methods=["GET", "POST"])
def application_view(referral_id: UUID) -> Any:
    """Write (or rewrite) the parents' view on the application."""
    item = _application(referral_id)
    if not item.is_draft:
        return redirect(_back(item))
    return text_form(
        "parents/application_view.html",
        item.parents_view.text if item.parents_view else "",
        lambda text: _client().step(referral_id, "parents-view", {"text": text}),
        lambda: _back(item),
        missing=_("Schrijf wat u van de aanvraag vindt."),
        too_late=_("Uw zienswijze kon niet worden bewaard: de aanvraag is al ingediend."),
        thanks=_("Dank u wel. Uw zienswijze staat nu bij de aanvraag."),
        application=item,
    )


@blp.route("/aanvragen/<uuid:referral_id>/instemming", methods=["GET", "POST"])
def application_agreement(referral_id: UUID) -> Any:
    """Agree with the application or not."""
    item = _application(referral_id)
    if not item.is_draft:
        return redirect(_back(item))
    if request.method == "GET":
        return render("parents/application_agreement.html", application=item, errors={}, value="")
    decision = request.form.get("decision", "")
    if decision not in ("agreed", "declined"):
        errors = {"decision": [_("Kies of u instemt of niet.")]}
        return render(
            "parents/application_agreement.html", 422, application=item, errors=errors, value=""
        )
    try:
        _client().step(referral_id, "parents-agreement", {"decision": decision})
    except ApiError as err:
        if err.status == 409 and err.code == "already_agreed":
            flash(_("U hebt al ingestemd. De school wacht nog op de andere ouder."), "info")
            return redirect(_back(item))
        if err.status not in (409, 422):
            raise
        errors = {"decision": [_("Dit antwoord kon niet worden vastgelegd.")]}
        return render(
            "parents/application_agreement.html",
            422,
            application=item,
            errors=errors,
            value=decision,
        )
    flash(
        _("Dank u wel. U stemt in met de aanvraag.")
        if decision == "agreed"
        else _("Uw antwoord is vastgelegd: u stemt niet in. De school neemt contact met u op."),
        "success",
    )
    return redirect(_back(item))


@blp.get("/aanvragen/<uuid:referral_id>/besluit.pdf")
def decision_letter(referral_id: UUID) -> Response:
    """The decision letter (PDF) in the page's language (any of the six), as the OPP."""
    content, kind, disposition = _client().letter(referral_id, current_language())
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
    return Response(content, 200, headers, mimetype=kind)


def of_trajectories(trajectories: list[dict[str, Any]]) -> dict[str, Application]:
    """The applications of the children's referrals, by referral id (none started: left out)."""
    client = _client()
    found = {}
    for case in trajectories:
        for referral in case.get("referrals") or ():
            item = client.get(UUID(referral["id"]))
            if item is not None:
                found[referral["id"]] = item
    return found
