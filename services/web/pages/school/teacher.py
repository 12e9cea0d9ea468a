"""The teacher's (leerkracht's) home: the pupils assigned to them and the interventions they carry
out, with due dates. The cases API decides which pupils a teacher sees; this page never filters
them itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from services.web.clients.cases import Case, DueItem
from services.web.pages.common import cases, container, current_language, current_user, render
from services.web.pages.school.blueprint import blp
from shared.clock import local_today

AHEAD = timedelta(days=400)  # every evaluation still to come: a basic one is at most weeks away


@blp.get("/leerkracht")
def teacher_home() -> Any:
    """Mijn leerlingen and the interventions I carry out, what is due first at the top."""
    client = cases()
    user = current_user()
    assert user is not None and user.partnership_id is not None
    pupils = client.caseload(page_size=100)
    today = local_today(container().clock)
    due = [d for d in client.due(today + AHEAD).items if d.kind == "intervention"]
    found: dict[UUID, Case] = {}
    for item in due:
        if item.case_id not in found:
            found[item.case_id] = client.case(item.case_id)
    names = {d.code: d.label(current_language()) for d in client.domains(user.partnership_id)}
    return render(
        "school/teacher_home.html",
        active="teacher",
        pupils=pupils,
        interventions=[_row(item, found[item.case_id]) for item in due],
        names={row.pupil_id: f"{row.given_name} {row.family_name}" for row in pupils.items},
        domain_name=lambda code: names.get(code, code),
    )


def _row(item: DueItem, case: Case) -> dict[str, Any]:
    intervention = next(i for i in case.interventions if i.id == item.id)
    return {"due": item, "case": case, "intervention": intervention}
