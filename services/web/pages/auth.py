"""Logging in and out and choosing the language. The cases service checks the password (its token
endpoint, with its limits on failed attempts); the token stays server-side in the session."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.clients.base import ApiError
from services.web.pages.common import STAFF_LANGUAGES, current_user, end_session, render, safe_next
from services.web.pages.second_factor import SECOND_STEPS, second_step
from services.web.pages.staff_session import ask_cases, blp, refusal, start_session


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
        body = ask_cases(email, password)
    except ApiError as err:
        if err.code in SECOND_STEPS:  # the account has a second factor, or must get one
            return second_step(err.code, email, password, next_url)
        message, status = refusal(err)
        errors = {"email": [message]}
        return render("login.html", status, email=email, next_url=next_url, errors=errors)
    return start_session(body, email, next_url)


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
