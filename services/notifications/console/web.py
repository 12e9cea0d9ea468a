"""The console's plumbing: its blueprint, the session, log-in state, CSRF, language and error
pages.

Authorization is the API's: the session holds the bearer token the cases service issued at log-in;
every request verifies it with `shared.auth.verify_token` and the service's own principal check
(disabled accounts), sets `g.principal` as the API's authentication does, and the views call the
API modules' scoping helpers with it. Sessions live in Redis (`shared.sessions`): the cookie holds
only a random id, and a refused token, a disabled account or a log-out ends the session at once.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from services.notifications.bootstrap import Container
from services.notifications.console import catalogue
from shared.auth import STAFF_ROLES, InvalidToken, Principal, Role, verify_token
from shared.clock import AMSTERDAM
from shared.errors import AppError, Unauthorized
from shared.sessions import RedisSessionInterface, end_session
from shared.web import DEPENDENCY_ERRORS, log_dependency_down

log = logging.getLogger(__name__)

PREFIX = "/console"
# Who may log in: the partnership's and the schools' staff. Each page then asks the API, which
# decides what the role sees (a teacher: the evaluations of their own pupils).
CONSOLE_ROLES = frozenset({Role.ADMIN, *STAFF_ROLES})
# Reached without logging in: the log-in page, the stylesheet, a guardian's signed link.
SESSION_PREFIX = "console-session:"
# A session record outlives its token by this much, so "your session expired" can still be said.
SESSION_MARGIN_SECONDS = 300
PUBLIC_ENDPOINTS = frozenset(
    {"console.login", "console.static", "console.preferences", "console.home"}
)

blp = Blueprint(
    "console",
    __name__,
    url_prefix=PREFIX,
    template_folder="templates",
    static_folder="static",
)


def install(app: Flask, check_principal: Callable[[Principal], None] | None = None) -> None:
    """Serve the console under /console/ with server-side sessions in Redis and an HttpOnly,
    SameSite=Lax cookie that holds only the session id."""
    c: Container = app.extensions["notifications"]
    settings = c.settings
    app.secret_key = settings.console_key  # flash messages and anything else Flask signs
    app.session_interface = RedisSessionInterface(
        c.redis, settings.token_ttl_seconds + SESSION_MARGIN_SECONDS, prefix=SESSION_PREFIX
    )
    app.config.update(
        SESSION_COOKIE_NAME="console_session",
        SESSION_COOKIE_PATH=PREFIX,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console_secure_cookie,
    )
    app.extensions["console_check_principal"] = check_principal
    app.register_blueprint(blp)


def container() -> Container:
    """The service's container (store, clock, settings, cases client)."""
    return current_app.extensions["notifications"]


def lang() -> str:
    """The language of this page: ?lang= (remembered in the session), else Dutch."""
    return catalogue.language_of(session.get("lang"))


def t(key: str, **values: object) -> str:
    """A text of the catalogue in the page's language."""
    return catalogue.text(key, lang(), **values)


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def current_principal() -> Principal | None:
    """The logged-in user of this request, if any."""
    return g.get("principal")


class CsrfFailure(Exception):
    """A form arrived without the session's CSRF token."""


class LoginRequired(Exception):
    """No valid session: go to the log-in page."""


@blp.before_request
def _before() -> Response | None:
    wanted = request.args.get("lang")
    if wanted in catalogue.LANGUAGES:
        session["lang"] = wanted
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            raise CsrfFailure()
    _authenticate()
    return None


def _authenticate() -> None:
    """Verify the session's token as the API verifies a bearer token."""
    token = session.get("token")
    if token:
        c = container()
        try:
            p = verify_token(token, c.settings.jwt_secret, c.clock.now())
            check = current_app.extensions.get("console_check_principal")
            if check is not None:
                check(p)
            g.principal = p
            return
        except (InvalidToken, Unauthorized):
            end_session_keeping_language()
            if request.endpoint not in PUBLIC_ENDPOINTS:
                flash(t("login.expired"), "info")
    if request.endpoint not in PUBLIC_ENDPOINTS:
        raise LoginRequired()


def end_session_keeping_language() -> None:
    """End the session at once (its record in Redis goes); the page's language stays, in a new
    session of its own."""
    language = session.get("lang")
    end_session(session)
    if language:
        session["lang"] = language


def render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Render a console page."""
    return render_template(f"console/{template}", **context), status


def local_time(value: datetime | None) -> str:
    """An instant as Dutch local time, '15-10-2026 10:00'."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def language_switch_url() -> str:
    """This page in the other language."""
    other = "en" if lang() == "nl" else "nl"
    args = {k: v for k, v in request.args.items(multi=True) if k != "lang"}
    query = urlencode([*args.items(), ("lang", other)])
    return f"{request.path}?{query}"


@blp.app_template_filter("local")
def _local_filter(value: datetime | None) -> str:
    return local_time(value)


@blp.context_processor
def _context() -> dict[str, Any]:
    language = lang()
    return {
        "lang": language,
        "t": t,
        "csrf_token": csrf_token,
        "principal": current_principal(),
        "language_switch_url": language_switch_url,
        "Role": Role,
        "web_url": container().settings.web_url,
    }


# A path inside the console with its query: URL characters only (RFC 3986), so no CR/LF that
# would split the Location header, no backslash a browser reads as a slash, no scheme or host.
_SAFE_NEXT = re.compile(rf"{PREFIX}/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")


def safe_next(target: str | None) -> str | None:
    """A place inside the console to return to; nothing else (no open redirects)."""
    if target and _SAFE_NEXT.fullmatch(target):
        return target
    return None


# -- errors: pages, not JSON, inside the console ---------------------------------------------------

_ERROR_TEXTS = {
    "not_found": "error.not_found",
    "forbidden": "error.forbidden",
    "invalid_link": "error.invalid_link",
    "service_unavailable": "error.unavailable",  # e.g. cases cannot say whether a token holds
}


@blp.errorhandler(LoginRequired)
def _login_required(_err: LoginRequired) -> Response:
    target = request.full_path if request.method == "GET" else None
    args: dict[str, Any] = {"next": target.rstrip("?")} if target else {}
    return redirect(url_for("console.login", **args))


@blp.errorhandler(CsrfFailure)
def _csrf_failure(_err: CsrfFailure) -> tuple[str, int]:
    return render("error.html", 400, message=t("error.csrf"))


@blp.errorhandler(AppError)
def _app_error(err: AppError) -> Any:
    if isinstance(err, Unauthorized):  # an API refused the token: disabled, or revoked
        end_session_keeping_language()
        return redirect(url_for("console.login"))
    key = _ERROR_TEXTS.get(err.code)
    message = t(key) if key else catalogue.message(err.message, lang())
    return render("error.html", err.status, message=message)


@blp.errorhandler(HTTPException)
def _http_error(err: HTTPException) -> tuple[str, int]:
    status = err.code or 500
    message = t("error.not_found") if status == 404 else (err.description or err.name)
    return render("error.html", status, message=message)


def _dependency_down(err: Exception) -> tuple[str, int]:
    log_dependency_down(err)
    return render("error.html", 503, message=t("error.unavailable"))


for _error in DEPENDENCY_ERRORS:  # before the catch-all below: blueprint handlers come first
    blp.register_error_handler(_error, _dependency_down)


@blp.errorhandler(Exception)
def _unexpected(err: Exception) -> tuple[str, int]:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render("error.html", 500, message=t("error.internal"))
