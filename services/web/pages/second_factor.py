"""The second factor (TOTP) in the web log-in: the code step when the account has one (or a
recovery code), enrolling an authenticator app when the partnership requires it and the account
has none, and enrolling from the account page. The cases service holds the secret and checks
every code; the page only shows what it answers (the secret and its QR code once, the recovery
codes once). Between the steps the session (server-side, in Redis) keeps the e-mail address and
the password, encrypted with a key derived from WEB_SESSION_SECRET, for at most ten minutes, so
nobody types them twice; they go at the next step."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from flask import redirect, request, session, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.clients.cases import enrol_second_factor
from services.web.pages.common import container, current_user, render, to_login
from services.web.pages.staff_session import ask_cases, blp, refusal, start_session, web_token
from shared.crypto import Cipher

PENDING = "pending_log_in"
PENDING_FOR = timedelta(minutes=10)
CODE_NEEDED = "second_factor_required"
CODE_INVALID = "second_factor_invalid"
ENROL_NEEDED = "second_factor_enrolment_required"
SECOND_STEPS = frozenset({CODE_NEEDED, CODE_INVALID, ENROL_NEEDED})
SEALED = frozenset({"password", "secret", "otpauth_uri"})


def _now() -> datetime:
    return container().clock.now()


def _cipher() -> Cipher:
    """Fernet with a key of its own, derived from the session secret: a copy of Redis does not
    show a password typed a moment ago."""
    digest = hashlib.sha256(f"{container().settings.session_secret}:pending-log-in".encode())
    return Cipher([base64.urlsafe_b64encode(digest.digest()).decode()])


def _keep(**pending: Any) -> None:
    sealed = {k: _cipher().encrypt(v) if k in SEALED and v else v for k, v in pending.items()}
    session[PENDING] = {**sealed, "until": (_now() + PENDING_FOR).isoformat()}


def _pending() -> dict[str, Any] | None:
    """The log-in in progress, unless it is too old (then it is forgotten)."""
    pending = session.get(PENDING)
    if not pending or datetime.fromisoformat(pending["until"]) < _now():
        session.pop(PENDING, None)
        return None
    try:
        return {k: _cipher().decrypt(v) if k in SEALED and v else v for k, v in pending.items()}
    except ValueError:  # the session secret changed meanwhile
        session.pop(PENDING, None)
        return None


def second_step(code: str, email: str, password: str, next_url: str | None) -> Any:
    """After a right password: ask for the code, or start enrolling an authenticator app."""
    if code == ENROL_NEEDED:
        return _start_enrolment(email, password, next_url, "login")
    _keep(email=email, password=password, next_url=next_url)
    return redirect(url_for("auth.code"))


def _start_enrolment(email: str, password: str, next_url: str | None, origin: str) -> Any:
    c = container()
    try:
        secret = enrol_second_factor(
            c.http, c.settings.cases_url, email, password, web_token(), request.remote_addr or "-"
        )
    except ApiError as err:
        if err.code == "second_factor_enabled":
            return render("account/account.html", 409, already=True, errors={})
        message, status = refusal(err)
        if origin == "account":
            return render("account/account.html", status, errors={"password": [message]})
        return render(
            "login.html", status, email=email, next_url=next_url, errors={"email": [message]}
        )
    _keep(email=email, password=password, next_url=next_url, origin=origin, **secret)
    return redirect(url_for("auth.enrol"))


@blp.route("/inloggen/code", methods=["GET", "POST"])
def code() -> Any:
    """The second step: the code of the authenticator app, or a recovery code."""
    pending = _pending()
    if pending is None:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render("account/code.html", errors={})
    given = "".join(request.form.get("code", "").split())
    if not given:
        return render("account/code.html", 422, errors={"code": [_("Vul de code in.")]})
    try:
        body = ask_cases(pending["email"], pending["password"], given)
    except ApiError as err:
        if err.code in (CODE_NEEDED, CODE_INVALID):
            message = _("De code klopt niet. Gebruik de nieuwste code uit de app.")
            return render("account/code.html", 401, errors={"code": [message]})
        session.pop(PENDING, None)
        message, status = refusal(err)
        errors = {"email": [message]}
        return render("login.html", status, email=pending["email"], next_url=None, errors=errors)
    session.pop(PENDING, None)
    return start_session(body, pending["email"], pending.get("next_url"), second_factor=True)


def qr_image(uri: str) -> str:
    """The otpauth URI as a QR code, an SVG data URI (no image library, nothing external)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _enrol_page(pending: dict[str, Any], status: int = 200, errors: Any = None) -> Any:
    return render(
        "account/enrol.html",
        status,
        secret=pending["secret"],
        qr=qr_image(pending["otpauth_uri"]),
        errors=errors or {},
    )


@blp.route("/inloggen/koppelen", methods=["GET", "POST"])
def enrol() -> Any:
    """Link an authenticator app: its QR code and key, confirmed with the first code; that
    log-in answers the recovery codes, shown once."""
    pending = _pending()
    if pending is None or "secret" not in pending:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return _enrol_page(pending)
    given = "".join(request.form.get("code", "").split())
    if not given:
        return _enrol_page(pending, 422, {"code": [_("Vul de code uit de app in.")]})
    try:
        body = ask_cases(pending["email"], pending["password"], given)
    except ApiError as err:
        if err.code in (CODE_NEEDED, CODE_INVALID, ENROL_NEEDED):
            message = _("De code klopt niet. Gebruik de nieuwste code uit de app.")
            return _enrol_page(pending, 401, {"code": [message]})
        session.pop(PENDING, None)
        message, status = refusal(err)
        return render("account/account.html", status, errors={"password": [message]})
    session.pop(PENDING, None)
    if pending.get("origin") != "account":
        return start_session(body, pending["email"], pending.get("next_url"), second_factor=True)
    session.update(token=body["access_token"], second_factor=True)  # the same user, confirmed
    codes = body.get("recovery_codes") or []
    return render("account/recovery_codes.html", codes=codes, next_url=url_for("auth.account"))


@blp.route("/account", methods=["GET", "POST"])
def account() -> Any:
    """The user's account: set up the second factor (their password first)."""
    if current_user() is None:
        return to_login()
    if request.method == "GET":
        return render("account/account.html", active="account", errors={})
    password = request.form.get("password", "")
    if not password:
        errors = {"password": [_("Vul uw wachtwoord in.")]}
        return render("account/account.html", 422, active="account", errors=errors)
    return _start_enrolment(session.get("email", ""), password, None, "account")
