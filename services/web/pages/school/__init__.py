"""The school's pages: the intern begeleider's (coordinator's) pupils, pupil, case and forms."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

from services.web.pages.common import current_user, to_login

blp = Blueprint("school", __name__)


@blp.before_request
def _signed_in() -> Response | None:
    """Every school page needs a signed-in user; without one, log in and land back here."""
    if current_user() is None:
        return to_login()
    return None


from services.web.pages.school import (  # noqa: E402,F401  (routes)
    cases,
    director,
    interventions,
    law,
    plan_steps,
    plans,
    pupils,
    teacher,
)
