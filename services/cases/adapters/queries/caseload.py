"""The caseload: pupils in support with each case's next due date and flags."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.queries.base import Page, chunks, scope
from services.cases.adapters.repositories import _case_query
from services.cases.domain import caseload as caseload_domain
from services.cases.domain.model import Case
from services.cases.domain.school import Partnership
from shared.auth import Principal


def caseload(session: Session, principal: Principal, args: dict[str, Any], today: date) -> Page:
    """The pupils in support in scope (cases not closed) with each case's standing: next due
    date and flags (domain.caseload), searchable by name and filtered by school, level and flag;
    what is due first comes first."""
    cases = list(session.execute(_cases_in_support(principal, args)).scalars().unique())
    horizons = _horizons(session, {case.partnership_id for case in cases})
    rows = []
    for case in cases:
        found = caseload_domain.standing(case, today, horizons[case.partnership_id])
        if args.get("flag") and args["flag"] not in found.flags:
            continue
        rows.append((case, found))
    pupils = _pupil_names(session, [case.pupil_id for case, _ in rows])
    rows.sort(key=lambda r: (r[1].next_due_on or date.max, pupils[r[0].pupil_id]["family_name"]))
    start = (args["page"] - 1) * args["page_size"]
    items = [
        _caseload_row(case, found, pupils[case.pupil_id])
        for case, found in rows[start : start + args["page_size"]]
    ]
    return Page(items, args["page"], args["page_size"], len(rows))


def _cases_in_support(principal: Principal, args: dict[str, Any]) -> Any:
    """The cases (not closed) of pupils not anonymised in scope, filtered by school, level and
    status, and by up to five words of the pupil's name."""
    c, p = orm.cases.c, orm.pupils.c
    query = (
        scope(_case_query(), principal, orm.cases)
        .join(orm.pupils, p.id == c.pupil_id)
        .where(c.status != "closed", p.anonymised_on.is_(None))
    )
    for key in ("school_id", "level", "status"):
        if args.get(key) is not None:
            query = query.where(getattr(c, key) == args[key])
    for word in (args.get("q") or "").split()[:5]:
        pattern = f"%{word.lower()}%"
        query = query.where(
            or_(func.lower(p.given_name).like(pattern), func.lower(p.family_name).like(pattern))
        )
    return query


def _horizons(session: Session, partnership_ids: set[UUID]) -> dict[UUID, int]:
    """Each partnership's evaluation horizon in days: how near a deadline counts as near."""
    found = {pid: session.get(Partnership, pid) for pid in partnership_ids}
    return {pid: p.settings.evaluation_horizon_days if p else 14 for pid, p in found.items()}


def _pupil_names(session: Session, pupil_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    p = orm.pupils.c
    names: dict[UUID, dict[str, Any]] = {}
    for chunk in chunks(pupil_ids, 500):
        query = select(p.id, p.given_name, p.family_name, p.group).where(p.id.in_(chunk))
        names.update({row.id: dict(row._mapping) for row in session.execute(query)})
    return names


def _caseload_row(case: Case, found: caseload_domain.Standing, pupil: dict[str, Any]) -> Any:
    return {
        "case_id": case.id,
        "pupil_id": case.pupil_id,
        "school_id": case.school_id,
        "given_name": pupil["given_name"],
        "family_name": pupil["family_name"],
        "group": pupil["group"],
        "level": case.level,
        "status": case.status,
        "opened_on": case.opened_on,
        "next_due_on": found.next_due_on,
        "next_due_kind": found.next_due_kind,
        "flags": list(found.flags),
    }
