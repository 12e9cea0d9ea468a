"""GET /api/v1/referrals/<id>/application/decision-letter.pdf: the decision letter (issue 14),
for whoever may read the decided application (the pupil's guardians, the school's coordinator
and director, the partnership's staff). In the OPP's six languages (nl, en, tr, ar, pl, uk):
`lang`, else Accept-Language, else Dutch."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from services.cases.adapters import queries, tlv_pdf
from services.cases.adapters.repositories import SqlAlchemyRepository
from services.cases.api.common import actor, read_session
from services.cases.domain import tlv_letter
from shared.errors import StateConflict
from shared.pdf import DOC_503, attachment

PDF_DOC = {
    "200": {
        "description": "Tagged PDF (PDF/UA-1, A4): the decision, type of school and category, "
        "validity, the advices it rests on, and how to object (bezwaar within six weeks to the "
        "partnership; the Landelijke Bezwaaradviescommissie Passend Onderwijs advises). File "
        "name: TLV-besluit-<first 8 of the referral's id>.pdf, no pupil name.",
        "content": {tlv_pdf.MIMETYPE: {}},
    },
    "409": {"description": "Not decided yet (application_not_decided)."},
    "503": DOC_503,
}


def response(application: dict[str, Any], args: dict[str, Any]) -> Response:
    """The letter of an application already read in the caller's scope, as a download."""
    if application["decision"] is None:
        raise StateConflict(
            "The partnership has not decided on this application yet.",
            code="application_not_decided",
        )
    lang = tlv_letter.choose(args.get("lang"), list(request.accept_languages.values()))
    context = tlv_letter.letter(application, _names(application), lang)
    name = f"TLV-besluit-{str(application['referral_id'])[:8]}.pdf"
    headers = {**attachment(name), "Cache-Control": "private, no-store"}
    return Response(tlv_pdf.document(context), 200, headers, mimetype=tlv_pdf.MIMETYPE)


def _names(application: dict[str, Any]) -> tlv_letter.Names:
    with read_session() as session:
        repo = SqlAlchemyRepository(session)
        pupil = queries.get_pupil(session, actor(), application["pupil_id"])
        school = repo.school(application["school_id"])
        partnership = repo.partnership(application["partnership_id"])
        return tlv_letter.Names(
            pupil=f"{pupil.given_name} {pupil.family_name}".strip(),
            date_of_birth=pupil.date_of_birth,
            school=school.name if school else "",
            partnership=partnership.name if partnership else "",
        )
