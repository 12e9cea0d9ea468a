"""What the messages' pages share: who is offered which page, the notifications API as the
signed-in user, the schools' names, and dates and times as the console wrote them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask import g, request, session, url_for
from werkzeug.exceptions import NotFound

from services.web.clients.base import ApiClient
from services.web.clients.notifications import NotificationsClient
from services.web.pages.common import cases, container, current_user
from shared.auth import STAFF_ROLES, Role
from shared.clock import AMSTERDAM

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
