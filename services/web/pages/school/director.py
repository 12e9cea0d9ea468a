"""The director's (directeur's) home: the school at a glance. Pupils per level and status, what
is due and overdue, the SOP and its review date, and the outcome report of this school year so
far. Every number comes from the cases or reports API (their totals), never counted here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.clients.cases import CasesClient
from services.web.clients.reports import SchoolReport
from services.web.pages.common import (
    cases,
    container,
    current_language,
    current_user,
    render,
    reports,
)
from services.web.pages.school.blueprint import blp
from services.web.pages.school.labels import FLAGS
from shared.clock import local_today, school_year_of

DUE_WITHIN = timedelta(days=14)
LEVELS = ("basic", "extra")
STATUSES = ("open", "referred")
OVERDUE_FLAG = "evaluation_overdue"


@blp.get("/school")
def director_home() -> Any:
    """De school in één oogopslag."""
    client = cases()
    schools = client.schools()
    user = current_user()
    assert user is not None
    school = next((s for s in schools if s.id in user.school_ids), schools[0] if schools else None)
    if school is None:
        return render(
            "error.html", 404, title=_("Niet gevonden"), text=_("U hoort bij geen school.")
        )
    today = local_today(container().clock)
    # The API's totals: overdue is due before today; due soon is due before the horizon, minus
    # those (a count over the first page would stop at its size).
    overdue = client.due(today, school_id=school.id, page_size=1).total
    due = client.due(today + DUE_WITHIN, school_id=school.id, page_size=1).total
    return render(
        "school/director_home.html",
        active="director",
        school=school,
        per_level=_per_level(client, school.id),
        # "Evaluatie te laat" is the overdue row above the flags: shown once, not twice.
        other_flags={code: text for code, text in FLAGS.items() if code != OVERDUE_FLAG},
        per_flag={
            flag: client.count(school_id=str(school.id), flag=flag)
            for flag in FLAGS
            if flag != OVERDUE_FLAG
        },
        overdue=overdue,
        due_soon=due - overdue,
        due_until=today + DUE_WITHIN,
        profile=client.support_profile(school.id),
        report=_report(school.id, today),
    )


def _per_level(client: CasesClient, school_id: UUID) -> dict[tuple[str, str], int]:
    """Pupils in support per level and status, as the caseload API counts them."""
    return {
        (level, status): client.count(school_id=str(school_id), level=level, status=status)
        for level in LEVELS
        for status in STATUSES
    }


def _report(school_id: UUID, today: Any) -> SchoolReport | None:
    """This school year's outcome report so far; None when the reports service cannot say."""
    client = reports()
    if client is None:
        return None
    year = school_year_of(today)
    try:
        return client.school_report(school_id, year.start, today, current_language())
    except ApiError:
        return None
