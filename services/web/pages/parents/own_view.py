"""The parents' own view (ouderdeel): what the parents see as their child's needs, written on
the plan from their pages and kept by the cases service (never in an event)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.pages.common import cases, render
from services.web.pages.parents.blueprint import blp

MAX_LENGTH = 4000


@blp.route("/plannen/<uuid:plan_id>/ouderdeel", methods=["GET", "POST"])
def own_view(plan_id: UUID) -> Any:
    """Write (or rewrite) the parents' view on their child's plan."""
    client = cases()
    plan = client.plan(plan_id)  # a 404 for anyone else's child
    written = (plan.get("parents_view") or {}).get("text", "")
    if request.method == "GET":
        return render("parents/own_view.html", plan=plan, errors={}, text=written)
    text = request.form.get("text", "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Schrijf uw kijk op wat uw kind nodig heeft.")]
    elif len(text) > MAX_LENGTH:
        errors["text"] = [_("Gebruik hoogstens %(count)s tekens.", count=MAX_LENGTH)]
    if not errors:
        try:
            client.write_parents_view(plan_id, text)
        except ApiError as err:
            if err.status not in (409, 422):
                raise
            errors["text"] = [_("Uw kijk kon niet worden bewaard: het plan is afgesloten.")]
    if errors:
        return render("parents/own_view.html", 422, plan=plan, errors=errors, text=text)
    flash(_("Dank u wel. Uw kijk staat nu bij het plan."), "success")
    return redirect(url_for("parents.child", pupil_id=cases().case(UUID(plan["case_id"])).pupil_id))
