"""The DUO (ROD) export: per school and period, the start and end dates of its development plans
(OPP) by the pupil number of the school's own administration, ready to register with DUO.

Events carry no pupil identifiers, so this export is served by the cases service, which holds the
(optional) pupil number. The rows hold no names, birth dates or free text; which plans are listed
and what their dates mean is documented in `queries.rod_export`.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validates_schema

from services.cases.adapters import queries
from services.cases.api.common import actor, read_session

blp = Blueprint(
    "rod",
    __name__,
    url_prefix="/api/v1",
    description="The DUO (ROD) export of development plans (OPP) per school and period.",
)

# The CSV is meant for a Dutch school office: UTF-8 with a byte order mark and `;` as separator
# (what Excel expects in a Dutch locale). Dates are ISO 8601 (YYYY-MM-DD): the format of DUO's
# ROD interfaces, and one Excel and every administration system read without ambiguity (a
# DD-MM-YYYY date is easily taken for MM-DD-YYYY). Yes/no columns say "ja"/"nee".
CSV_HEADER = (
    "leerlingnummer",
    "OPP-id",
    "startdatum OPP",
    "einddatum OPP",
    "start in periode",
    "einde in periode",
    "waarschuwing",
)
CSV_DOC = {
    "200": {
        "description": "The export as CSV (UTF-8 with BOM, `;`-separated, Dutch headers).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


class RodPeriodArgsSchema(Schema):
    start = fields.Date(
        required=True, data_key="from", metadata={"description": "First day (inclusive)."}
    )
    end = fields.Date(
        required=True, data_key="to", metadata={"description": "Last day (inclusive)."}
    )

    @validates_schema
    def period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("Must not be before `from`.", "to")


class RodRowSchema(Schema):
    pupil_number = fields.String(
        allow_none=True, metadata={"description": "The school's own pupil number; null if missing."}
    )
    plan_id = fields.UUID()
    start_date = fields.Date(metadata={"description": "The day the plan took effect (consent)."})
    end_date = fields.Date(allow_none=True, metadata={"description": "Null while it runs."})
    start_in_period = fields.Boolean()
    end_in_period = fields.Boolean()
    problems = fields.List(
        fields.String(), metadata={"description": "What to fix before registering (Dutch)."}
    )


class RodExportSchema(Schema):
    school_id = fields.UUID()
    brin = fields.String(allow_none=True)
    start = fields.Date(data_key="from")
    end = fields.Date(data_key="to")
    total = fields.Integer()
    items = fields.List(fields.Nested(RodRowSchema))


def _export(school_id: UUID, args: dict[str, Any]) -> dict[str, Any]:
    with read_session() as session:
        school = queries.rod_school(session, actor(), school_id)
        rows = queries.rod_export(session, school.id, args["start"], args["end"])
        return {
            "school_id": school.id,
            "brin": school.brin,
            "start": args["start"],
            "end": args["end"],
            "total": len(rows),
            "items": rows,
        }


@blp.route("/schools/<uuid:school_id>/rod-export")
class RodExport(MethodView):
    @blp.arguments(RodPeriodArgsSchema, location="query")
    @blp.response(200, RodExportSchema)
    def get(self, args: dict[str, Any], school_id: UUID) -> dict[str, Any]:
        """Development plans of the school that started or ended in the period, for DUO (ROD).

        Complete, not paginated: an export is one school's plans of one period.
        """
        return _export(school_id, args)


@blp.route("/schools/<uuid:school_id>/rod-export.csv")
class RodExportCsv(MethodView):
    @blp.arguments(RodPeriodArgsSchema, location="query")
    @blp.doc(responses=CSV_DOC)
    def get(self, args: dict[str, Any], school_id: UUID) -> Response:
        """The same export as CSV, for the school's office to register with DUO (ROD)."""
        export = _export(school_id, args)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for row in export["items"]:
            writer.writerow(
                [
                    row.pupil_number or "",
                    row.plan_id,
                    row.start_date.isoformat(),
                    row.end_date.isoformat() if row.end_date else "",
                    "ja" if row.start_in_period else "nee",
                    "ja" if row.end_in_period else "nee",
                    ", ".join(row.problems),
                ]
            )
        name = f"rod-opp-{export['brin'] or school_id}-{args['start']}-{args['end']}.csv"
        return Response(
            "\ufeff" + out.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
