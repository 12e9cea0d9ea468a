"""The parents' blueprint under /ouders: every page but signing in needs a guardian's session.
The route modules add their pages to it; services/web/pages/blueprints.py imports them all."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from services.web.pages.common import current_user, remember_landing
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
    """Every page but signing in needs a guardian's session; the page asked for is kept."""
    if request.endpoint in PUBLIC:
        return None
    user = current_user()
    if user is None or user.role is not Role.GUARDIAN:
        remember_landing()
        return redirect(url_for("parents.sign_in"))
    return None
