"""The delivery log in the browser: filters, the dead notifications and their retry button. Scope
and retry are the API's (`api.deliveries`): administrators see the partnership, coordinators and
directors their own schools."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from marshmallow import EXCLUDE, ValidationError

from services.notifications.api import deliveries as api
from services.notifications.console import catalogue
from services.notifications.console.cases import schools
from services.notifications.console.web import blp, container, current_principal, lang, render, t
from services.notifications.service_layer import handlers
from shared.events import CATALOG

STATUSES = ("planned", "queued", "sending", "sent", "failed", "dead", "cancelled")
FILTERS = ("status", "event_type", "school_id", "from", "to", "date_field")
PAGE_SIZE = 25


def _filters() -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The query string through the API's argument schema; problems per filter."""
    raw = {k: v for k, v in request.args.items() if k in (*FILTERS, "page") and v}
    schema = api.DeliveryLogArgsSchema(unknown=EXCLUDE)
    try:
        args = schema.load({**raw, "page_size": PAGE_SIZE})
    except ValidationError as err:
        shown = {
            str(field): [catalogue.message(str(m), lang()) for m in _listed(messages)]
            for field, messages in err.normalized_messages().items()
        }
        return schema.load({"page_size": PAGE_SIZE}), shown
    return args, {}


def _listed(messages: Any) -> list[Any]:
    return messages if isinstance(messages, list) else [messages]


@blp.get("/deliveries")
def deliveries() -> Any:
    """One page of the log, newest first, filtered."""
    partnership_id, school_ids = api.scope(_principal())
    args, problems = _filters()
    with container().store() as store:
        rows, total = store.log(
            partnership_id, api.log_filters(args, school_ids), args["page"], PAGE_SIZE
        )
    pages = max(1, -(-total // PAGE_SIZE))
    chosen: dict[str, Any] = {k: request.args.get(k, "") for k in FILTERS}
    return render(
        "deliveries.html",
        items=[api.present(row, None) for row in rows],
        total=total,
        page=args["page"],
        pages=pages,
        chosen=chosen,
        problems=problems,
        statuses=STATUSES,
        event_types=sorted(CATALOG),
        schools=schools(),
        page_url=lambda n: url_for(
            "console.deliveries", **{k: v for k, v in chosen.items() if v}, page=n
        ),
        back=request.full_path.rstrip("?"),
        section="dead" if chosen["status"] == "dead" else "deliveries",
    )


def _principal() -> Any:
    p = current_principal()
    assert p is not None  # the blueprint lets no one in without a session
    return p


@blp.post("/deliveries/<uuid:notification_id>/retry")
def retry_delivery(notification_id: UUID) -> Any:
    """Queue a dead or failed notification again, as `POST /api/v1/deliveries/<id>/retry`."""
    c = container()
    with c.store() as store:
        api.scoped_row(store, notification_id)  # 404 outside the user's scope
    if handlers.retry_dead(notification_id, c.store, c.clock.now()):
        flash(t("deliveries.retried"), "success")
    else:
        flash(t("deliveries.not_retryable"), "error")
    back = request.form.get("back", "")
    if not back.startswith("/console/deliveries"):
        back = url_for("console.deliveries")
    return redirect(back)
