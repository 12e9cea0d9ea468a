"""The messages' blueprint: log in first, and a page not offered to the user's role does not
exist for them; its templates get the labels and the date formats. The route modules add their
pages to it; services/web/pages/blueprints.py imports them all."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from services.web.pages.admin_messages import labels
from services.web.pages.admin_messages.common import (
    EVALUATION_ROLES,
    LOG_ROLES,
    PAGE_ROLES,
    POLICY_ROLES,
    REPORT_ROLES,
    dmy,
    local_time,
    require,
)
from services.web.pages.common import current_user, to_login
from shared.auth import Role

blp = Blueprint("admin_messages", __name__)


@blp.before_request
def _signed_in() -> Response | None:
    """Log in first (and land back here); a parent's session has its own pages."""
    user = current_user()
    if user is None:
        return to_login()
    if user.role is Role.GUARDIAN:
        return redirect(url_for("parents.home"))
    view = current_app.view_functions.get(request.endpoint or "")
    module = getattr(view, "__module__", "").rsplit(".", 1)[-1]
    require(PAGE_ROLES.get(module, frozenset()))
    return None


@blp.app_context_processor
def _context() -> dict[str, Any]:
    return {
        "code_label": labels.code_label,
        "event_label": labels.event_label,
        "template_label": labels.template_label,
        "local_time": local_time,
        "dmy": dmy,
        "POLICY_ROLES": POLICY_ROLES,
        "LOG_ROLES": LOG_ROLES,
        "REPORT_ROLES": REPORT_ROLES,
        "EVALUATION_ROLES": EVALUATION_ROLES,
    }
