"""The administrator's blueprint under /beheer: only administrators reach its pages. The route
modules add their pages to it; services/web/pages/blueprints.py imports them all."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, url_for
from flask_babel import gettext as _

from services.web.pages.common import current_user, render, to_login
from shared.auth import Role

blp = Blueprint("admin", __name__, url_prefix="/beheer")


@blp.before_request
def _administrators_only() -> Any:
    """Log in first; a signed-in user who is no administrator gets the calm refusal page."""
    user = current_user()
    if user is None:
        return to_login()
    if user.role is Role.GUARDIAN:
        return redirect(url_for("parents.home"))
    if user.role is not Role.ADMIN:
        return render(
            "error.html",
            403,
            title=_("Geen toegang"),
            text=_("Deze pagina's zijn alleen voor de beheerder van het samenwerkingsverband."),
        )
    return None
