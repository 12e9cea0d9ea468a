"""The partnership's blueprint under /samenwerkingsverband: every page needs a signed-in user.
The route modules add their pages to it; services/web/pages/blueprints.py imports them all."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

from services.web.pages.common import current_user, to_login

blp = Blueprint("partnership", __name__, url_prefix="/samenwerkingsverband")


@blp.before_request
def _signed_in() -> Response | None:
    """Every page needs a signed-in user; without one, log in and land back here."""
    if current_user() is None:
        return to_login()
    return None
