"""Mijn leerlingen (the pupils in support, with what is due and what is flagged) and a pupil."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from services.web.pages.common import cases, render
from services.web.pages.school import blp
from services.web.pages.school.labels import FLAGS, LEVELS

PAGE_SIZE = 25


@blp.get("/")
def home() -> Response:
    """The coordinator's start page is Mijn leerlingen."""
    return redirect(url_for("school.caseload"))


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
