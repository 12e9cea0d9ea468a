"""The delivery log: every planned, sent, failed and dead notification, and retrying dead ones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate, validates_schema

from services.notifications.api.schemas import (
    DeliveryArgsSchema,
    DeliveryPageSchema,
    DeliverySchema,
)
from services.notifications.bootstrap import Container
from services.notifications.domain.notification import NotificationRow
from services.notifications.service_layer import handlers
from services.notifications.service_layer.masking import mask
from services.notifications.service_layer.ports import DeliveryStore
from shared.auth import Principal, Role
from shared.clock import AMSTERDAM
from shared.errors import Forbidden, NotFound, StateConflict
from shared.web import principal

blp = Blueprint(
    "deliveries", __name__, url_prefix="/api/v1/deliveries", description="The delivery log."
)


def _c() -> Container:
    return current_app.extensions["notifications"]


def scope(p: Principal) -> tuple[UUID, list[UUID] | None]:
    """The caller's partnership and schools in the log (None: all); administrators see the
    partnership, coordinators and directors their own school."""
    if p.partnership_id is None:
        raise Forbidden("No partnership in scope.")
    if p.role is Role.ADMIN:
        return p.partnership_id, None
    if p.role in (Role.COORDINATOR, Role.DIRECTOR):
        return p.partnership_id, sorted(p.school_ids)
    raise Forbidden("Only administrators, coordinators and directors read the delivery log.")


_SANE_DATES = validate.Range(min=date(1900, 1, 1), max=date(9000, 12, 31))
DATE_FIELDS = ("send_at", "created_at")


class DeliveryLogArgsSchema(DeliveryArgsSchema):
    """The log's filters plus a period: `from`..`to` (days in Europe/Amsterdam, both inclusive)
    on the planned send time, or on the creation time with `date_field=created_at`."""

    start = fields.Date(
        data_key="from",
        validate=_SANE_DATES,
        metadata={"description": "First day (Europe/Amsterdam), inclusive."},
    )
    end = fields.Date(
        data_key="to",
        validate=_SANE_DATES,
        metadata={"description": "Last day (Europe/Amsterdam), inclusive."},
    )
    date_field = fields.String(
        load_default="send_at",
        validate=validate.OneOf(DATE_FIELDS),
        metadata={"description": "Which time the period filters: send_at (default) or created_at."},
    )

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("Must not be before 'from'.", field_name="to")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), AMSTERDAM)


def log_filters(args: dict[str, Any], school_ids: list[UUID] | None) -> dict[str, Any]:
    """The store's filters for these query arguments: the period as instants [after, before)."""
    filters = {k: v for k, v in args.items() if k not in ("start", "end")}
    filters["school_ids"] = school_ids
    if args.get("start"):
        filters["after"] = _midnight(args["start"])
    if args.get("end"):
        filters["before"] = _midnight(args["end"] + timedelta(days=1))
    return filters


def present(row: dict[str, Any], attempts: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A log row as the API shows it: the address masked, the template's context left out."""
    out = {k: v for k, v in row.items() if k not in ("address", "context")}
    out["recipient"] = mask(row["address"], row["channel"])
    out["attempt_log"] = attempts or []
    return out


@blp.route("/")
class Deliveries(MethodView):
    @blp.arguments(DeliveryLogArgsSchema, location="query")
    @blp.response(200, DeliveryPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The log, newest first; filter by school, status, event, recipient, case, and a period
        of send or creation time."""
        partnership_id, schools = scope(principal())
        with _c().store() as store:
            rows, total = store.log(
                partnership_id, log_filters(args, schools), args["page"], args["page_size"]
            )
        return {
            "items": [present(r, None) for r in rows],
            "page": args["page"],
            "page_size": args["page_size"],
            "total": total,
        }


def scoped_row(store: DeliveryStore, notification_id: UUID) -> NotificationRow:
    """A notification in the caller's scope (404 for any other)."""
    partnership_id, schools = scope(principal())
    row = store.notification(notification_id)
    if (
        row is None
        or row.partnership_id != partnership_id
        or (schools is not None and row.school_id not in schools)
    ):
        raise NotFound("No such notification.")
    return row


@blp.route("/<uuid:notification_id>")
class DeliveryView(MethodView):
    @blp.response(200, DeliverySchema)
    def get(self, notification_id: UUID) -> dict[str, Any]:
        """One notification with its attempts."""
        with _c().store() as store:
            row = scoped_row(store, notification_id)
            return present(row.as_dict(), store.attempts(notification_id))


@blp.route("/<uuid:notification_id>/retry")
class Retry(MethodView):
    @blp.response(200, DeliverySchema)
    def post(self, notification_id: UUID) -> dict[str, Any]:
        """Queue a dead or failed notification again."""
        with _c().store() as store:
            scoped_row(store, notification_id)
        if not handlers.retry_dead(notification_id, _c().store, _c().clock.now()):
            raise StateConflict(
                "Only dead or failed notifications can be retried.", code="not_retryable"
            )
        with _c().store() as store:
            row = scoped_row(store, notification_id)
            return present(row.as_dict(), store.attempts(notification_id))
