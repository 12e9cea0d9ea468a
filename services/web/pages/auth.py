"""Logging in and out and choosing the language. The cases service checks the password (its token
endpoint, with its limits on failed attempts); the token stays server-side in the session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.clients.base import ApiError
from services.web.clients.cases import log_in
from services.web.pages.common import (
    STAFF_LANGUAGES,
    container,
    current_user,
    end_session,
    render,
    safe_next,
)
from shared.auth import STAFF_ROLES, InvalidToken, Role, service_token, verify_token

WEB_ROLES = frozenset({Role.ADMIN, *STAFF_ROLES})  # parents get their own pages later

blp = Blueprint("auth", __name__)


def _ask_cases(email: str, password: str) -> dict[str, Any]:
    c = container()
    token = service_token("web", c.settings.jwt_secret, c.clock.now(), timedelta(minutes=5))
    return log_in(c.http, c.settings.cases_url, email, password, token, request.remote_addr or "-")


def _for_staff(token: str) -> bool:
    """Whether the token is a staff member's or an administrator's (not a parent's)."""
    c = container()
    try:
        return verify_token(token, c.settings.jwt_secret, c.clock.now()).role in WEB_ROLES
    except InvalidToken:
        return False


@blp.route("/inloggen", methods=["GET", "POST"])
def login() -> Any:
    """The log-in form; on success a fresh session holds the user's token."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(next_url or url_for("school.home"))
        return render("login.html", email="", next_url=next_url, errors={})
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    errors = {}
    if not email:
        errors["email"] = [_("Vul uw e-mailadres in.")]
    if not password:
        errors["password"] = [_("Vul uw wachtwoord in.")]
    if errors:
        return render("login.html", 422, email=email, next_url=next_url, errors=errors)
    try:
        body = _ask_cases(email, password)
    except ApiError as err:
        message = {
            401: _("Het e-mailadres of het wachtwoord klopt niet."),
            422: _("Het e-mailadres of het wachtwoord klopt niet."),
            429: _("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."),
        }.get(err.status, _("Inloggen lukt nu niet. Probeer het later opnieuw."))
        status = err.status if err.status in (401, 429) else 503
        errors = {"email": [message]}
        return render("login.html", status, email=email, next_url=next_url, errors=errors)
    if not _for_staff(body["access_token"]):
        errors = {
            "email": [
                _("Deze pagina's zijn voor medewerkers van scholen en het samenwerkingsverband.")
            ]
        }
        return render("login.html", 403, email=email, next_url=next_url, errors=errors)
    language = session.get("lang")
    session.clear()
    session.update(token=body["access_token"], lang=language or "nl")
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    return redirect(next_url or url_for("school.home"))


@blp.post("/uitloggen")
def logout() -> Response:
    """End the session at once (its Redis entry is deleted)."""
    end_session()
    return redirect(url_for("auth.login", uitgelogd=1))


@blp.post("/taal")
def language() -> Response:
    """Switch between Dutch and English (the staff's languages; parents have their own switch,
    `parents.language`); back to the page the user was on."""
    chosen = request.form.get("lang")
    if chosen in STAFF_LANGUAGES:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next")) or url_for("school.home"))
