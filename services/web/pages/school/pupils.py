"""Mijn leerlingen (the pupils in support, with what is due and what is flagged) and a pupil."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.pages.common import cases, container, current_user, render
from services.web.pages.school.access import changes_cases, refused
from services.web.pages.school.blueprint import blp
from services.web.pages.school.forms import check_dates, read, submit
from services.web.pages.school.labels import FLAGS, LEVELS
from shared.auth import Role
from shared.clock import local_today

PAGE_SIZE = 25


# Each role's own start page; the coordinator's (and anyone else's) is Mijn leerlingen.
HOMES = {
    Role.TEACHER: "school.teacher_home",
    Role.DIRECTOR: "school.director_home",
    Role.CONSULTANT: "partnership.home",
    Role.ADMIN: "admin.home",
}


@blp.get("/")
def home() -> Response:
    """The signed-in user's start page, by role."""
    user = current_user()
    role = user.role if user else None
    return redirect(url_for(HOMES.get(role, "school.caseload")))  # type: ignore[arg-type]


def _filters() -> dict[str, Any]:
    args = request.args
    page = args.get("page", "1")
    return {
        "q": args.get("q", "").strip()[:100],
        "flag": args.get("flag") if args.get("flag") in FLAGS else "",
        "level": args.get("level") if args.get("level") in LEVELS else "",
        "page": int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
    }


@blp.get("/leerlingen")
def caseload() -> Any:
    """Mijn leerlingen: search by name, filter by flag and level, 25 per page."""
    filters = _filters()
    page = cases().caseload(**filters, page_size=PAGE_SIZE)
    return render("school/caseload.html", page=page, filters=filters, flags=FLAGS, levels=LEVELS)


@blp.get("/leerlingen/<uuid:pupil_id>")
def pupil(pupil_id: UUID) -> Any:
    """A pupil: name, group, guardians and their cases."""
    client = cases()
    return render(
        "school/pupil.html", pupil=client.pupil(pupil_id), cases=client.cases_of(pupil_id)
    )


@blp.route("/leerlingen/<uuid:pupil_id>/traject-openen", methods=["GET", "POST"])
def open_case(pupil_id: UUID) -> Any:
    """Open a support case for a pupil (with the plan deadline when extra support is needed)."""
    client = cases()
    found = client.pupil(pupil_id)
    if not changes_cases():
        return refused()
    if request.method == "GET":
        today = local_today(container().clock).isoformat()
        values, errors = {"opened_on": today, "needs_extra_support": ""}, {}
    else:
        values = read(("opened_on", "needs_extra_support"))
        errors = {}
        check_dates(values, ("opened_on",), errors)
        body = {
            "pupil_id": str(pupil_id),
            "opened_on": values["opened_on"],
            "needs_extra_support": values["needs_extra_support"] == "ja",
        }
        opened: list[UUID] = []
        errors = errors or submit(lambda: opened.append(client.open_case(body).id))
        if not errors:
            flash(_("Het traject is geopend."), "success")
            return redirect(url_for("school.case", case_id=opened[0]))
    return render(
        "school/open_case_form.html",
        422 if errors else 200,
        pupil=found,
        values=values,
        errors=errors,
    )
