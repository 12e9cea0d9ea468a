"""Every school at a glance, the flagged pupils across schools, and the referrals. The counts are
the caseload API's totals; what the consultant may see is the cases API's decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request

from services.web.clients.cases import CasesClient, School
from services.web.pages.common import cases, render
from services.web.pages.partnership.blueprint import blp
from services.web.pages.school.labels import FLAGS

PAGE_SIZE = 25


@dataclass(frozen=True)
class SchoolGlance:
    school: School
    in_support: int
    extra: int
    referred: int
    flags: dict[str, int]


def _glance(client: CasesClient, school: School) -> SchoolGlance:
    sid = str(school.id)
    return SchoolGlance(
        school,
        client.count(school_id=sid),
        client.count(school_id=sid, level="extra"),
        client.count(school_id=sid, status="referred"),
        {flag: client.count(school_id=sid, flag=flag) for flag in FLAGS},
    )


def _page() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1


@blp.get("")
def home() -> Any:
    """Every school at a glance and the pupils with a chosen flag across schools."""
    client = cases()
    schools = client.schools()
    flag = request.args.get("flag") if request.args.get("flag") in FLAGS else "evaluation_overdue"
    flagged = client.caseload(flag=flag, page=_page(), page_size=PAGE_SIZE)
    return render(
        "partnership/home.html",
        active="partnership",
        glances=[_glance(client, s) for s in schools],
        flag=flag,
        flagged=flagged,
        school_names={s.id: s.name for s in schools},
    )


@blp.get("/verwijzingen")
def referrals() -> Any:
    """The pupils whose case is referred, across schools."""
    client = cases()
    schools = client.schools()
    page = client.caseload(status="referred", page=_page(), page_size=PAGE_SIZE)
    return render(
        "partnership/referrals.html",
        active="referrals",
        page=page,
        school_names={s.id: s.name for s in schools},
    )
