"""The school's blueprint: every page needs a signed-in staff member, and its templates learn
which forms the user's role may open. The route modules add their pages to it;
services/web/pages/blueprints.py imports them all."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

from services.web.pages.common import current_user, to_login
from services.web.pages.school.access import template_context
from shared.auth import Role

blp = Blueprint("school", __name__)


@blp.before_request
def _signed_in() -> Response | None:
    """Every school page needs a signed-in user; without one, log in and land back here."""
    user = current_user()
    if user is None:
        return to_login()
    if user.role is Role.GUARDIAN:  # a parent's session has its own pages
        return redirect(url_for("parents.home"))
    return None


@blp.context_processor
def _access() -> dict[str, object]:
    """Which buttons to forms the signed-in user's role may see."""
    return template_context()
