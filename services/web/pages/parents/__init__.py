"""The parents' pages (issue 13): sign in by an e-mailed link, their children, a child's
trajectory in plain language, and consent to the action plan online. Phone first, Dutch by
default. A guardian's session holds their own token (their children only) and nothing else."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, request, session, url_for
from werkzeug.wrappers import Response

from services.web.pages.common import current_user, safe_next
from shared.auth import Role

blp = Blueprint("parents", __name__, url_prefix="/ouders")

PUBLIC = (
    "parents.sign_in",
    "parents.link",
    "parents.link_refused",
    "parents.language",
    "parents.preferences",
)


@blp.app_template_filter("todate")
def todate(value: str | None) -> date | None:
    """An ISO date from the API's JSON as a date (for `day()`)."""
    return date.fromisoformat(value) if value else None


LANDING = "parents_next"  # in the (server-side) session: the page to land on after sign-in


def remember_landing() -> None:
    """Keep the parents' page asked for (a GET, such as the consent page a consent request links
    to) in the session, to land there once the e-mailed sign-in link is opened in this browser."""
    here = request.full_path.rstrip("?") if request.method == "GET" else None
    landing = safe_next(here)
    if landing and landing.startswith("/ouders/") and not landing.startswith("/ouders/inloggen"):
        session[LANDING] = landing


def take_landing() -> str | None:
    """The page remembered before sign-in (once), else None."""
    landing = safe_next(session.pop(LANDING, None))
    return landing if landing and landing.startswith("/ouders/") else None


@blp.before_request
def _guardian_signed_in() -> Response | None:
    """Every page but signing in needs a guardian's session; the page asked for is kept."""
    if request.endpoint in PUBLIC:
        return None
    user = current_user()
    if user is None or user.role is not Role.GUARDIAN:
        remember_landing()
        return redirect(url_for("parents.sign_in"))
    return None


from services.web.pages.parents import (  # noqa: E402,F401  (routes)
    application,
    children,
    own_view,
    preferences,
    sign_in,
)
