"""GET /api/v1/development-plans/<id>/document.pdf: the OPP as a tagged PDF (issue 13), for
whoever may read the plan (the same scope and the same audit row as reading it: the school's
coordinator and director, the partnership's consultant, an assigned teacher, the pupil's own
guardians; anyone else a 404). The fixed texts in the reader's language: `lang`, else
Accept-Language, else Dutch."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import Schema, fields, validate

from services.cases.adapters import plan_pdf, queries
from services.cases.adapters.repositories import SqlAlchemyRepository
from services.cases.api.common import actor, read_session, today
from services.cases.api.plan_schemas import PlanSchema
from services.cases.domain import plan_document
from services.cases.domain.plan import DevelopmentPlan
from shared.pdf import DOC_503, attachment


class PlanDocumentArgsSchema(Schema):
    lang = fields.String(
        validate=validate.OneOf(plan_document.LANGUAGES),
        load_default=None,
        metadata={
            "description": "Language of the fixed headings (nl, en, tr, ar, pl, uk); without "
            "it the first of Accept-Language we have, else nl. The school's texts stay as written."
        },
    )


PDF_DOC = {
    "200": {
        "description": "Tagged PDF (PDF/UA-1, A4): pupil, school, support need, exit destination "
        "and its rationale, factors, action plan, scenarios, agreements with the parents (and "
        "their own view), the consent record (who, when, channel, the version's hash), "
        "evaluations and meetings. File name: OPP-<first 8 of the plan's id>-<date>.pdf, no "
        "pupil name.",
        "content": {plan_pdf.MIMETYPE: {}},
    },
    "503": DOC_503,
}


def response(plan: DevelopmentPlan, args: dict[str, Any]) -> Response:
    """The plan (already read in the caller's scope) as a PDF download."""
    lang = plan_document.choose_language(args.get("lang"), request.accept_languages.values())
    context = _context(plan, lang)
    name = f"OPP-{str(plan.id)[:8]}-{today().isoformat()}.pdf"
    headers = {**attachment(name), "Cache-Control": "private, no-store"}
    return Response(plan_pdf.document(context), 200, headers, mimetype=plan_pdf.MIMETYPE)


def _context(plan: DevelopmentPlan, lang: str) -> dict[str, Any]:
    with read_session() as session:
        case = queries.get_case(session, actor(), plan.case_id, today())
        pupil = queries.get_pupil(session, actor(), case.pupil_id)
        school = SqlAlchemyRepository(session).school(case.school_id)
        return plan_document.document(
            PlanSchema().dump(plan),
            plan_document.Pupil(
                given_name=pupil.given_name,
                family_name=pupil.family_name,
                date_of_birth=pupil.date_of_birth,
                group=pupil.group,
                guardians={str(g.id): g.name for g in pupil.guardians},
            ),
            school.name if school else "",
            case.level,
            [
                plan_document.Intervention(i.domain, i.goal, i.starts_on, i.status)
                for i in case.interventions
            ],
            lang,
            today(),
        )
