"""Logging in and out: the cases service checks the password and the second factor and issues
the token (its `POST /api/v1/auth/token`, with its limit on failed attempts); the server-side
session keeps it (shared.sessions), the cookie only the session's id."""

from __future__ import annotations

from typing import Any

import requests
from flask import flash, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from services.notifications.console.web import (
    CONSOLE_ROLES,
    blp,
    container,
    current_principal,
    end_session_keeping_language,
    render,
    safe_next,
    t,
)
from shared.auth import InvalidToken, verify_token
from shared.login_limiter import LOGIN_CLIENT_HEADER
from shared.sessions import end_session


def _start_page() -> str:
    return url_for("console.home")


@blp.get("/")
def home() -> Any:
    """For a signed-in user: where the pages went (the web front end's /beheer/...), or the
    log-in page."""
    if current_principal() is None:
        return redirect(url_for("console.login"))
    return render("moved.html")


def _ask_cases(path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The cases service's answer to a log-in step: status and body (503 when it cannot be
    asked)."""
    directory = container().directory
    try:
        response = directory.http.post(
            f"{directory.base_url}/api/v1/auth/{path}",
            json=body,
            # The browser's address, so the cases service limits failures per person, not per
            # console (the service token makes it believe the header).
            headers={
                "Authorization": f"Bearer {directory.service_token()}",
                LOGIN_CLIENT_HEADER: request.remote_addr or "-",
            },
            timeout=directory.timeout,
        )
    except requests.RequestException:
        return 503, {}
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return response.status_code, answer if isinstance(answer, dict) else {}


# Pages that show a secret (the TOTP key, the recovery codes) are kept in no cache.
NO_STORE = {"Cache-Control": "no-store"}
# The cases service's 401 codes for the second factor: what the page asks for next.
_CODE_ERRORS = {"second_factor_required": "code_needed", "second_factor_invalid": "code_invalid"}


@blp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The log-in form; it asks for the second factor's code when the account has one, and for
    enrolment when the partnership requires one. On success the token goes into a fresh
    session."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_principal() is not None:
            return redirect(next_url or _start_page())
        return render("login.html", email="", next_url=next_url, error=None)
    email = request.form.get("email", "").strip()
    credentials = {"email": email, "password": request.form.get("password", "")}
    code = request.form.get("code", "").strip()
    status, body = _ask_cases("token", {**credentials, **({"code": code} if code else {})})
    if status == 200 and "access_token" in body:
        return _logged_in(body, email, next_url)
    if status == 401 and body.get("code") == "second_factor_enrolment_required":
        return _enrol(credentials, next_url)
    if status == 401 and body.get("code") in _CODE_ERRORS:
        error = _CODE_ERRORS[body["code"]]
        return render(
            "login.html", 401, email=email, next_url=next_url, error=error, need_code=True
        )
    error, shown = {401: ("failed", 401), 422: ("failed", 401), 429: ("too_many", 429)}.get(
        status, ("unavailable", 503)
    )
    return render("login.html", shown, email=email, next_url=next_url, error=error)


def _logged_in(body: dict[str, Any], email: str, next_url: str | None) -> Any:
    """Start the session with the token; show the recovery codes once when this log-in
    confirmed a second factor."""
    c = container()
    try:
        p = verify_token(body["access_token"], c.settings.jwt_secret, c.clock.now())
    except InvalidToken:
        p = None
    if p is None or p.role not in CONSOLE_ROLES:
        return render("login.html", 403, email=email, next_url=next_url, error="not_for_role")
    language = session.get("lang")
    end_session(session)  # a new session id at log-in: no fixation of an earlier one
    session.update(token=body["access_token"], lang=language or "nl")
    if body.get("recovery_codes"):
        g.principal = p
        target = next_url or url_for("console.home")
        page = render("recovery_codes.html", codes=body["recovery_codes"], next_url=target)
        return (*page, NO_STORE)
    return redirect(next_url or url_for("console.home"))


def _enrol(credentials: dict[str, str], next_url: str | None) -> Any:
    """The partnership requires a second factor this account has not set up: a new secret from
    cases, shown once, and a form to confirm it with the first code."""
    status, body = _ask_cases("second-factor/enrolment", credentials)
    if status != 201:
        error = "too_many" if status == 429 else "unavailable"
        return render(
            "login.html", status, email=credentials["email"], next_url=next_url, error=error
        )
    page = render(
        "enrol.html",
        email=credentials["email"],
        next_url=next_url,
        secret=body.get("secret", ""),
        otpauth_uri=body.get("otpauth_uri", ""),
        error=None,
    )
    return (*page, NO_STORE)


@blp.post("/logout")
def logout() -> Response:
    """End the session at once: its record in Redis is deleted, so the old cookie opens nothing."""
    end_session_keeping_language()
    flash(t("logout.done"), "info")
    return redirect(url_for("console.login"))


@blp.get("/preferences/<string:token>")
def preferences(token: str) -> Response:
    """A guardian's settings moved to the web front end's parents' pages (issue 13): the link in
    messages sent before still opens them there; a link that is not valid (any more) is a 404
    here already."""
    from services.notifications.api.preferences import claims
    from services.notifications.service_layer.handlers import preferences_page

    claims(token)
    return redirect(preferences_page(container().settings.web_url, token), code=308)
