"""The parents' own view (ouderdeel): what the parents see as their child's needs, written on
the plan from their pages and kept by the cases service (never in an event)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from flask_babel import gettext as _

from services.web.pages.common import cases
from services.web.pages.parents.blueprint import blp
from services.web.pages.parents.writing import text_form


@blp.route("/plannen/<uuid:plan_id>/ouderdeel", methods=["GET", "POST"])
def own_view(plan_id: UUID) -> Any:
    """Write (or rewrite) the parents' view on their child's plan."""
    client = cases()
    plan = client.plan(plan_id)  # a 404 for anyone else's child
    return text_form(
        "parents/own_view.html",
        (plan.get("parents_view") or {}).get("text", ""),
        lambda text: client.write_parents_view(plan_id, text),
        lambda: url_for("parents.child", pupil_id=cases().case(UUID(plan["case_id"])).pupil_id),
        missing=_("Schrijf uw kijk op wat uw kind nodig heeft."),
        too_late=_("Uw kijk kon niet worden bewaard: het plan is afgesloten."),
        thanks=_("Dank u wel. Uw kijk staat nu bij het plan."),
        plan=plan,
    )
