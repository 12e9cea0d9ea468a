"""The delivery log in the browser: filters, paging, the dead notifications and their retry. The
notifications API scopes the log (administrators the partnership, coordinators and directors their
own schools) and checks the filters; its problems show at the filter, in the user's language."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.pages.admin_messages.blueprint import blp
from services.web.pages.admin_messages.common import here, notifications, safe_back, school_names
from services.web.pages.admin_messages.labels import api_text
from services.web.pages.common import render
from shared.events import CATALOG

STATUSES = ("planned", "queued", "sending", "sent", "failed", "dead", "cancelled")
FILTERS = ("status", "event_type", "school_id", "from", "to", "date_field")
PAGE_SIZE = 25
PREFIX = "/beheer/bezorging"


def _page_number() -> int:
    wanted = request.args.get("page", "1")
    return int(wanted) if wanted.isdigit() and 0 < int(wanted) < 100_000 else 1


@blp.get(PREFIX)
def deliveries() -> Any:
    """One page of the log, newest first, filtered; a refused filter is shown at its field and
    the log unfiltered."""
    chosen: dict[str, str] = {k: request.args.get(k, "").strip() for k in FILTERS}
    page = _page_number()
    client = notifications()
    problems: dict[str, list[str]] = {}
    try:
        answer = client.deliveries(**chosen, page=page, page_size=PAGE_SIZE)
    except ApiError as err:
        if err.status != 422:
            raise
        problems = {f: [api_text(m) for m in ms] for f, ms in err.errors.items()}
        page = 1
        answer = client.deliveries(page=1, page_size=PAGE_SIZE)
    total = answer["total"]
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        "admin/messages/deliveries.html",
        items=answer["items"],
        total=total,
        page=page,
        pages=pages,
        chosen=chosen,
        problems=problems,
        statuses=STATUSES,
        event_types=sorted(CATALOG),
        schools=school_names(),
        page_url=lambda n: url_for(
            "admin_messages.deliveries", **{k: v for k, v in chosen.items() if v}, page=n
        ),
        back=here(),
        active="dead" if chosen["status"] == "dead" else "deliveries",
    )


@blp.post(f"{PREFIX}/<uuid:notification_id>/opnieuw")
def delivery_retry(notification_id: UUID) -> Any:
    """Queue a dead or failed notification again (the API's retry), back to the same view."""
    try:
        notifications().retry(notification_id)
        flash(_("Het bericht staat opnieuw in de wachtrij."), "success")
    except ApiError as err:
        if err.status != 409:
            raise
        flash(
            _("Alleen mislukte of onbestelbare berichten kunnen opnieuw worden verstuurd."), "error"
        )
    return redirect(safe_back(request.form.get("back"), PREFIX, "admin_messages.deliveries"))
