"""What was the notifications service's console, now pages of the web front end: notification
policies with preview, simulation and own texts (/beheer/berichten), the delivery log with dead
notifications and their retry (/beheer/bezorging), report schedules and downloads
(/beheer/rapporten) and the evaluations of the coming weeks with the calendar subscription
(/evaluaties). Every page asks the notifications, reports and cases APIs with the user's own token,
so each API decides what the user sees and may do; the roles below only decide what is offered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from services.web.clients.base import ApiClient
from services.web.clients.notifications import NotificationsClient
from services.web.pages.admin_messages import labels
from services.web.pages.common import cases, container, current_user, to_login
from shared.auth import STAFF_ROLES, Role
from shared.clock import AMSTERDAM

blp = Blueprint("admin_messages", __name__)

# Who is offered what, as in the console: the policies are the administrator's; the delivery log
# also the school leadership's (the API scopes it to their schools); the reports page everyone
# but teachers; the evaluations page every staff member.
POLICY_ROLES = frozenset({Role.ADMIN})
LOG_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.DIRECTOR})
REPORT_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR})
EVALUATION_ROLES = frozenset({Role.ADMIN, *STAFF_ROLES})
PAGE_ROLES = {  # the module of a page: who is offered it
    "policies": POLICY_ROLES,
    "deliveries": LOG_ROLES,
    "report_schedules": REPORT_ROLES,
    "evaluations": EVALUATION_ROLES,
}


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


def require(roles: Iterable[Role]) -> None:
    """A page not offered to the user's role does not exist for them (404, as the API's scope)."""
    user = current_user()
    if user is None or user.role not in roles:
        raise NotFound()


def notifications() -> NotificationsClient:
    """The notifications API as the signed-in user (404 where none is configured)."""
    c = container()
    if not c.settings.notifications_url:
        raise NotFound()
    return NotificationsClient(ApiClient(c.http, c.settings.notifications_url, session["token"]))


def school_names() -> dict[str, str]:
    """{school id: name} of the schools the user sees (the cases API decides), once a request."""
    if "school_names" not in g:
        g.school_names = {str(s.id): s.name for s in cases().schools()}
    return g.school_names


def local_time(value: str | datetime | None) -> str:
    """An instant (ISO text from an API, or a datetime) as Dutch local time: 15-10-2026 10:00."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def dmy(value: str | None) -> str:
    """An API's ISO date as 15-10-2026."""
    if not value:
        return ""
    year, month, day = str(value)[:10].split("-")
    return f"{day}-{month}-{year}"


def safe_back(value: str | None, prefix: str, endpoint: str) -> str:
    """A page of this section to return to after a form, never anywhere else."""
    if value and value.startswith(prefix) and "\\" not in value and "//" not in value:
        return value
    return url_for(endpoint)


def here() -> str:
    return request.full_path.rstrip("?")


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


from services.web.pages.admin_messages import (  # noqa: E402,F401  (routes)
    deliveries,
    evaluations,
    policies,
    report_schedules,
)
