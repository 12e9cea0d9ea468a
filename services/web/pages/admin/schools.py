"""The partnership's schools: a list (search by name or BRIN, filter by region), adding a school
and changing its name, region or BRIN."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.pages.admin.blueprint import blp
from services.web.pages.admin.common import REGIONS, admin, page_number, paged, send
from services.web.pages.common import render
from services.web.pages.school.forms import read

FIELDS = ("name", "region", "brin")


def _body(values: dict[str, str]) -> dict[str, Any]:
    """What the API gets: an empty BRIN is none (it is not required)."""
    return {"name": values["name"], "region": values["region"], "brin": values["brin"] or None}


@blp.get("/scholen")
def schools() -> Any:
    """Every school of the partnership, 25 per page."""
    q = request.args.get("q", "").strip()[:100]
    region = request.args.get("region") if request.args.get("region") in REGIONS else ""
    found = [
        s
        for s in admin().schools()
        if (not region or s.region == region)
        and (not q or q.lower() in s.name.lower() or q.upper() == (s.brin or ""))
    ]
    return render(
        "admin/schools.html",
        active="admin",
        page=paged(found, page_number()),
        filters={"q": q, "region": region},
        regions=REGIONS,
    )


@blp.route("/scholen/nieuw", methods=["GET", "POST"])
def school_new() -> Any:
    """Add a school."""
    values = read(FIELDS) if request.method == "POST" else dict.fromkeys(FIELDS, "")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = send(lambda: admin().create_school(_body(values)))
        if not errors:
            flash(_("De school %(name)s is toegevoegd.", name=values["name"]), "success")
            return redirect(url_for("admin.schools"))
    status = 422 if errors else 200
    return render(
        "admin/school_form.html", status, values=values, errors=errors, school=None, regions=REGIONS
    )


@blp.route("/scholen/<uuid:school_id>", methods=["GET", "POST"])
def school_edit(school_id: UUID) -> Any:
    """Change a school's name, region or BRIN."""
    client = admin()
    school = next((s for s in client.schools() if s.id == school_id), None)
    if school is None:
        abort(404)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = read(FIELDS)
        errors = send(lambda: client.update_school(school_id, _body(values)))
        if not errors:
            flash(_("De school %(name)s is gewijzigd.", name=values["name"]), "success")
            return _to_list()
    else:
        values = {"name": school.name, "region": school.region, "brin": school.brin or ""}
    status = 422 if errors else 200
    return render(
        "admin/school_form.html",
        status,
        values=values,
        errors=errors,
        school=school,
        regions=REGIONS,
    )


def _to_list() -> Response:
    return redirect(url_for("admin.schools"))
