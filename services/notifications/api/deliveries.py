"""The delivery log: every planned, sent, failed and dead notification, and retrying dead ones."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.notifications.api.schemas import (
    DeliveryArgsSchema,
    DeliveryPageSchema,
    DeliverySchema,
)
from services.notifications.bootstrap import Container
from services.notifications.service_layer import handlers
from services.notifications.service_layer.masking import mask
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound, StateConflict
from shared.web import principal

blp = Blueprint(
    "deliveries", __name__, url_prefix="/api/v1/deliveries", description="The delivery log."
)


def _c() -> Container:
    return current_app.extensions["notifications"]


def _scope(p: Principal) -> tuple[UUID, list[UUID] | None]:
    """Administrators see the partnership; coordinators and directors their own school."""
    if p.partnership_id is None:
        raise Forbidden("No partnership in scope.")
    if p.role is Role.ADMIN:
        return p.partnership_id, None
    if p.role in (Role.COORDINATOR, Role.DIRECTOR):
        return p.partnership_id, sorted(p.school_ids)
    raise Forbidden("Only administrators, coordinators and directors read the delivery log.")


def _present(row: dict[str, Any], attempts: list[dict[str, Any]] | None) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("address", "context")}
    out["recipient"] = mask(row["address"], row["channel"])
    out["attempt_log"] = attempts or []
    return out


@blp.route("/")
class Deliveries(MethodView):
    @blp.arguments(DeliveryArgsSchema, location="query")
    @blp.response(200, DeliveryPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The log, newest first; filter by school, status, event, recipient, case."""
        partnership_id, schools = _scope(principal())
        with _c().store() as store:
            rows, total = store.log(
                partnership_id, {**args, "school_ids": schools}, args["page"], args["page_size"]
            )
        return {
            "items": [_present(r, None) for r in rows],
            "page": args["page"],
            "page_size": args["page_size"],
            "total": total,
        }


def _row(store: Any, notification_id: UUID) -> dict[str, Any]:
    partnership_id, schools = _scope(principal())
    row = store.notification(notification_id)
    if (
        row is None
        or row["partnership_id"] != partnership_id
        or (schools is not None and row["school_id"] not in schools)
    ):
        raise NotFound("No such notification.")
    return row


@blp.route("/<uuid:notification_id>")
class DeliveryView(MethodView):
    @blp.response(200, DeliverySchema)
    def get(self, notification_id: UUID) -> dict[str, Any]:
        """One notification with its attempts."""
        with _c().store() as store:
            row = _row(store, notification_id)
            return _present(row, store.attempts(notification_id))


@blp.route("/<uuid:notification_id>/retry")
class Retry(MethodView):
    @blp.response(200, DeliverySchema)
    def post(self, notification_id: UUID) -> dict[str, Any]:
        """Queue a dead or failed notification again."""
        with _c().store() as store:
            _row(store, notification_id)
        if not handlers.retry_dead(notification_id, _c().store, _c().clock.now()):
            raise StateConflict(
                "Only dead or failed notifications can be retried.", code="not_retryable"
            )
        with _c().store() as store:
            return _present(store.notification(notification_id), store.attempts(notification_id))
