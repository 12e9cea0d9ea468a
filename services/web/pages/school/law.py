"""The law at a glance (director and consultant): per school, every open development plan with
its legal state as the cases service judges it, and the same as an XLSX download."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, request
from flask_babel import lazy_gettext as _l

from services.web.clients.cases import School
from services.web.pages.common import cases, render
from services.web.pages.school.blueprint import blp

RULES = {
    "consent": _l("Instemming met het handelingsdeel"),
    "evaluation": _l("Geëvalueerd met de ouders dit schooljaar"),
    "pupil_heard": _l("Leerling gehoord"),
    "deadline": _l("Op tijd opgesteld (6 weken)"),
    "rod": _l("Aan te melden bij DUO (ROD)"),
}
STATES = {
    "met": _l("in orde"),
    "missed": _l("ontbreekt"),
    "pending": _l("loopt nog"),
    "not_applicable": _l("n.v.t."),
}
PLAN_STATUSES = {
    "draft": _l("concept"),
    "awaiting_consent": _l("wacht op instemming"),
    "active": _l("in werking"),
    "declined": _l("niet ingestemd"),
}


def _chosen(schools: list[School]) -> School | None:
    """The school asked for (one the user may see), else the first."""
    wanted = request.args.get("school", "")
    return next((s for s in schools if str(s.id) == wanted), schools[0] if schools else None)


@blp.get("/wettelijke-eisen")
def legal_status() -> Any:
    """Every open plan of a school with the rules it meets or misses."""
    client = cases()
    schools = client.schools()
    school = _chosen(schools)
    legal = client.legal_status(school.id) if school else None
    return render(
        "school/legal_status.html",
        active="legal",
        schools=schools,
        school=school,
        legal=legal,
        rules=RULES,
        states=STATES,
        plan_statuses=PLAN_STATUSES,
    )


@blp.get("/wettelijke-eisen/<uuid:school_id>.xlsx")
def legal_status_xlsx(school_id: UUID) -> Response:
    """The cases service's workbook, passed on as a download."""
    content, kind, disposition = cases().legal_status_xlsx(school_id)
    return Response(content, mimetype=kind, headers={"Content-Disposition": disposition})
