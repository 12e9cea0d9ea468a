"""Logging in and out: the cases service checks the password and issues the token (its
`POST /api/v1/auth/token`, with its limit on failed attempts); the session cookie keeps it."""

from __future__ import annotations

from typing import Any

import requests
from flask import flash, redirect, request, session, url_for
from werkzeug.wrappers import Response

from services.notifications.console.web import (
    CONSOLE_ROLES,
    LOG_ROLES,
    blp,
    container,
    current_principal,
    end_session_keeping_language,
    render,
    safe_next,
    t,
)
from shared.auth import InvalidToken, Role, verify_token
from shared.login_limiter import LOGIN_CLIENT_HEADER
from shared.sessions import end_session


def _start_page() -> str:
    p = current_principal()
    if p is not None and p.role is Role.ADMIN:
        return url_for("console.policies")
    if p is not None and p.role in LOG_ROLES:
        return url_for("console.deliveries")
    return url_for("console.evaluations")


@blp.get("/")
def home() -> Response:
    """The start page of the role, or the log-in page."""
    if current_principal() is None:
        return redirect(url_for("console.login"))
    return redirect(_start_page())


def _ask_cases(email: str, password: str) -> tuple[int, dict[str, Any]]:
    """The cases service's answer to a log-in: status and body (503 when it cannot be asked)."""
    directory = container().directory
    try:
        response = directory.http.post(
            f"{directory.base_url}/api/v1/auth/token",
            json={"email": email, "password": password},
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
        body = response.json()
    except ValueError:
        body = {}
    return response.status_code, body if isinstance(body, dict) else {}


@blp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The log-in form; on success the token goes into a fresh session."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_principal() is not None:
            return redirect(next_url or _start_page())
        return render("login.html", email="", next_url=next_url, error=None)
    email = request.form.get("email", "").strip()
    status, body = _ask_cases(email, request.form.get("password", ""))
    if status == 200 and "access_token" in body:
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
        return redirect(next_url or url_for("console.home"))
    error, shown = {401: ("failed", 401), 422: ("failed", 401), 429: ("too_many", 429)}.get(
        status, ("unavailable", 503)
    )
    return render("login.html", shown, email=email, next_url=next_url, error=error)


@blp.post("/logout")
def logout() -> Response:
    """End the session at once: its record in Redis is deleted, so the old cookie opens nothing."""
    end_session_keeping_language()
    flash(t("logout.done"), "info")
    return redirect(url_for("console.login"))
