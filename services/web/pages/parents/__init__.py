"""The parents' pages (issue 13): sign in by an e-mailed link, their children, a child's
trajectory in plain language, and consent to the action plan online. Phone first, Dutch by
default. A guardian's session holds their own token (their children only) and nothing else."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from services.web.pages.common import current_user
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


@blp.before_request
def _guardian_signed_in() -> Response | None:
    """Every page but signing in needs a guardian's session."""
    if request.endpoint in PUBLIC:
        return None
    user = current_user()
    if user is None or user.role is not Role.GUARDIAN:
        return redirect(url_for("parents.sign_in"))
    return None


from services.web.pages.parents import children, preferences, sign_in  # noqa: E402,F401
