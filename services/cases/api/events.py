"""The event log: the outbox in order, for other services to replay."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.adapters import queries
from services.cases.api.case_schemas import EventLogArgsSchema, EventLogSchema
from services.cases.api.common import actor, read_session
from shared.auth import Role
from shared.errors import Forbidden

blp = Blueprint("events", __name__, url_prefix="/api/v1", description="The event log.")


@blp.route("/events")
class EventLog(MethodView):
    @blp.arguments(EventLogArgsSchema, location="query")
    @blp.response(200, EventLogSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Events after a sequence number, oldest first (service accounts and administrators)."""
        if actor().role not in (Role.SERVICE, Role.ADMIN):
            raise Forbidden("Only administrators and service accounts read the event log.")
        with read_session() as session:
            return queries.event_log(session, actor(), args["after"], args["limit"])
