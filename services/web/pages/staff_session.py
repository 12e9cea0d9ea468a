"""The staff's log-in blueprint (`auth`) and what its password step (auth) and its second-factor
steps (second_factor) share: asking the cases service for a token, and starting the session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.clients.cases import log_in
from services.web.pages.common import container, render
from shared.auth import STAFF_ROLES, InvalidToken, Role, service_token, verify_token

WEB_ROLES = frozenset({Role.ADMIN, *STAFF_ROLES})  # parents get their own pages later

blp = Blueprint("auth", __name__)


def web_token() -> str:
    """The web app's short service token, next to the browser's address (X-Login-Client)."""
    c = container()
    return service_token("web", c.settings.jwt_secret, c.clock.now(), timedelta(minutes=5))


def ask_cases(email: str, password: str, code: str | None = None) -> dict[str, Any]:
    """The cases token endpoint's answer for these credentials (ApiError on a refusal)."""
    c = container()
    browser = request.remote_addr or "-"
    return log_in(c.http, c.settings.cases_url, email, password, web_token(), browser, code)


def refusal(err: ApiError) -> tuple[str, int]:
    """What the log-in page says when the cases service refuses, and the status it answers."""
    message = {
        401: _("Het e-mailadres of het wachtwoord klopt niet."),
        422: _("Het e-mailadres of het wachtwoord klopt niet."),
        429: _("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."),
    }.get(err.status, _("Inloggen lukt nu niet. Probeer het later opnieuw."))
    return message, err.status if err.status in (401, 429) else 503


def _for_staff(token: str) -> bool:
    """Whether the token is a staff member's or an administrator's (not a parent's)."""
    c = container()
    try:
        return verify_token(token, c.settings.jwt_secret, c.clock.now()).role in WEB_ROLES
    except InvalidToken:
        return False


def start_session(
    body: dict[str, Any], email: str, next_url: str | None, second_factor: bool = False
) -> Any:
    """A fresh session with the token (none for a parent's account); with recovery codes (the
    log-in that confirmed a second factor) they are shown once before going on."""
    if not _for_staff(body["access_token"]):
        errors = {
            "email": [
                _("Deze pagina's zijn voor medewerkers van scholen en het samenwerkingsverband.")
            ]
        }
        return render("login.html", 403, email=email, next_url=next_url, errors=errors)
    language = session.get("lang")
    session.clear()
    session.update(
        token=body["access_token"], lang=language or "nl", email=email, second_factor=second_factor
    )
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    target = next_url or url_for("school.home")
    if body.get("recovery_codes"):
        return render("account/recovery_codes.html", codes=body["recovery_codes"], next_url=target)
    return redirect(target)
