"""The administrator's (beheerder's) pages under /beheer: schools, accounts, the partnership's
settings, each school's SOP and the staff/pupil import. Only administrators reach them; what they
may change is still the cases API's decision (it is called with their own token)."""

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


from services.web.pages.admin import (  # noqa: E402,F401  (routes)
    accounts,
    home,
    imports,
    schools,
    settings,
    sops,
)
