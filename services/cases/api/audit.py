"""The audit trail for the partnership's administrator: query and export (CSV)."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from services.cases.adapters import audit
from services.cases.api.common import actor, container
from shared.auth import Role
from shared.errors import Forbidden
from shared.web import PageArgsSchema, page_schema

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="The audit trail.")

COLUMNS = (
    "seq",
    "at",
    "user_id",
    "role",
    "action",
    "method",
    "endpoint",
    "resource_id",
    "status",
    "ip",
)


class AuditFilterSchema(Schema):
    start = fields.AwareDateTime(metadata={"description": "From this instant (inclusive)."})
    end = fields.AwareDateTime(metadata={"description": "Until this instant (exclusive)."})
    user_id = fields.UUID()
    resource_id = fields.UUID()
    action = fields.String(validate=validate.OneOf(["read", "write"]))

    @validates_schema
    def period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise ValidationError("Must be after start.", "end")


class AuditArgsSchema(PageArgsSchema, AuditFilterSchema):
    pass


class AuditRowSchema(Schema):
    seq = fields.Integer()
    at = fields.AwareDateTime()
    user_id = fields.UUID()
    role = fields.String()
    action = fields.String()
    method = fields.String()
    endpoint = fields.String()
    resource_id = fields.UUID(allow_none=True)
    status = fields.Integer()
    ip = fields.String(allow_none=True)


CSV_DOC = {
    "200": {
        "description": "The audit trail as CSV (all rows of the filter, newest first).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def _admin_partnership() -> Any:
    p = actor()
    if p.role is not Role.ADMIN or p.partnership_id is None:
        raise Forbidden("Only the partnership's administrator reads the audit trail.")
    return p.partnership_id


@blp.route("/audit")
class AuditTrail(MethodView):
    @blp.arguments(AuditArgsSchema, location="query")
    @blp.response(200, page_schema(AuditRowSchema, "AuditPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """Who read or changed pupils' data, when and from where (administrator)."""
        page, size = args["page"], args["page_size"]
        rows, total = audit.query(container().engine, _admin_partnership(), args, page, size)
        return {"items": rows, "page": page, "page_size": size, "total": total}


@blp.route("/audit/export.csv")
class AuditTrailCsv(MethodView):
    @blp.arguments(AuditFilterSchema, location="query")
    @blp.doc(responses=CSV_DOC)
    def get(self, args: dict[str, Any]) -> Response:
        """The audit trail as CSV, for the partnership's records (administrator)."""
        rows, _total = audit.query(container().engine, _admin_partnership(), args, 1, 100_000)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows([row[c] for c in COLUMNS] for row in rows)
        return Response(
            out.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=audit.csv"},
        )
