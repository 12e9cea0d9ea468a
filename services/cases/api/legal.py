"""The law at a glance: per school, every open development plan (OPP) with the legal rules it
meets or misses (services.cases.domain.legal), as JSON or as an XLSX workbook for the inspection.
For the school's coordinator and director and the partnership's consultant and administrator."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from openpyxl import Workbook
from openpyxl.styles import Font

from services.cases.adapters import queries
from services.cases.api.common import actor, read_session, today
from services.cases.domain.legal import RULES

blp = Blueprint(
    "legal",
    __name__,
    url_prefix="/api/v1",
    description="The law at a glance: the legal state of each open development plan (OPP).",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DOC = {"200": {"description": "Excel workbook, one sheet (Dutch).", "content": {XLSX: {}}}}
RULE_DOC = (
    "`met`, `missed`, `pending` (not due yet, or waiting for the parents) or `not_applicable`."
)


class RulesSchema(Schema):
    consent = fields.String(
        metadata={"description": "Consent for the current action-plan version. " + RULE_DOC}
    )
    evaluation = fields.String(
        metadata={"description": "Evaluated with the parents this school year. " + RULE_DOC}
    )
    pupil_heard = fields.String(metadata={"description": "The pupil was heard. " + RULE_DOC})
    deadline = fields.String(
        metadata={"description": "Drawn up within the case's deadline (6 weeks). " + RULE_DOC}
    )
    rod = fields.String(
        metadata={
            "description": "Can be registered with DUO (ROD): in force, with a pupil number. "
        }
    )


class LegalPlanSchema(Schema):
    case_id = fields.UUID()
    plan_id = fields.UUID()
    pupil_id = fields.UUID()
    given_name = fields.String()
    family_name = fields.String()
    group = fields.String()
    plan_status = fields.String()
    activated_on = fields.Date(allow_none=True)
    complete = fields.Boolean(metadata={"description": "No rule missed."})
    rules = fields.Nested(RulesSchema)


class LegalStatusSchema(Schema):
    school_id = fields.UUID()
    school_name = fields.String()
    as_of = fields.Date()
    total = fields.Integer()
    missing = fields.Integer(metadata={"description": "Plans that miss at least one rule."})
    items = fields.List(fields.Nested(LegalPlanSchema))


def _status(school_id: UUID) -> dict[str, Any]:
    with read_session() as session:
        school = queries.legal_school(session, actor(), school_id)
        day = today()
        rows = queries.legal_status(session, school.id, day)
        return {
            "school_id": school.id,
            "school_name": school.name,
            "as_of": day,
            "total": len(rows),
            "missing": sum(1 for r in rows if not r["complete"]),
            "items": rows,
        }


@blp.route("/schools/<uuid:school_id>/legal-status")
class LegalStatus(MethodView):
    @blp.response(200, LegalStatusSchema)
    def get(self, school_id: UUID) -> dict[str, Any]:
        """Every open plan of the school with the legal rules it meets or misses.

        Complete, not paginated: one school's open plans.
        """
        return _status(school_id)


HEADERS = (
    "Leerling",
    "Groep",
    "Status OPP",
    "In werking sinds",
    "Instemming handelingsdeel (huidige versie)",
    "Evaluatie met ouders dit schooljaar",
    "Leerling gehoord",
    "Binnen termijn (6 weken)",
    "Aangemeld bij DUO (ROD) mogelijk",
    "Alles op orde",
)
WORDS = {
    "met": "in orde",
    "missed": "ontbreekt",
    "pending": "loopt nog",
    "not_applicable": "n.v.t.",
}
PLAN_STATUS = {
    "draft": "concept",
    "awaiting_consent": "wacht op instemming",
    "active": "in werking",
    "declined": "niet ingestemd",
}


def workbook(status: dict[str, Any]) -> bytes:
    """The legal state as one Dutch sheet: a title row, the headers, one row per plan."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Wettelijke eisen"
    sheet.append([f"Wettelijke eisen OPP – {status['school_name']} – {status['as_of']}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in status["items"]:
        sheet.append(
            [
                f"{row['given_name']} {row['family_name']}",
                row["group"],
                PLAN_STATUS.get(row["plan_status"], row["plan_status"]),
                row["activated_on"],
                *(WORDS[row["rules"][rule]] for rule in RULES),
                "ja" if row["complete"] else "nee",
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (26, 10, 20, 16, 22, 22, 16, 16, 18, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@blp.route("/schools/<uuid:school_id>/legal-status.xlsx")
class LegalStatusXlsx(MethodView):
    @blp.doc(responses=XLSX_DOC)
    def get(self, school_id: UUID) -> Response:
        """The same as an Excel workbook, as the inspection asks for it."""
        status = _status(school_id)
        name = f"wettelijke-eisen-opp-{school_id}-{status['as_of']}.xlsx"
        return Response(
            workbook(status),
            mimetype=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
