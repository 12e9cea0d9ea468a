"""A compiled outcome report, handed out as PDF after log-in: the page a report.ready message
links to. The reports API decides who may read it (the user's own token); the web keeps nothing."""

from __future__ import annotations

from uuid import UUID

import requests
from flask import Blueprint, Response, session
from werkzeug.exceptions import NotFound

from services.web.clients.base import TIMEOUT, ApiError, SessionEnded
from services.web.pages.common import container, current_language, current_user, to_login

blp = Blueprint("reports", __name__)


@blp.before_request
def _signed_in() -> Response | None:
    """Log in first, and land back on the report."""
    return to_login() if current_user() is None else None


@blp.get("/rapporten/<uuid:report_id>")
def report(report_id: UUID) -> Response:
    """The report's PDF in the user's language, from the reports API as the user."""
    c = container()
    if not c.settings.reports_url:
        raise NotFound()
    try:
        answer = c.http.get(
            f"{c.settings.reports_url}/api/v1/reports/compiled/{report_id}/report.pdf",
            params={"lang": current_language()},
            headers={"Authorization": f"Bearer {session['token']}"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as err:
        raise ApiError(503, "unavailable") from err
    if answer.status_code == 401:
        raise SessionEnded()
    if not answer.ok:
        raise ApiError(answer.status_code)
    headers = {"Content-Disposition": f'inline; filename="rapport-{report_id}.pdf"'}
    return Response(answer.content, 200, headers, mimetype="application/pdf")
