"""The law at a glance: each open plan of a school with the rules it meets or misses."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.repositories import (
    _case_query,
)
from services.cases.domain import legal as legal_domain
from services.cases.domain.school import Pupil, School
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound


def legal_school(session: Session, principal: Principal, school_id: UUID) -> School:
    """The school whose plans' legal state the caller may read: its coordinator or director, or
    the partnership's consultant or administrator. A school out of sight is 404; a teacher is
    refused with 403."""
    school = session.get(School, school_id)
    if school is None or not principal.sees_school(school.partnership_id, school.id):
        raise NotFound("No such school.")
    if principal.role not in (Role.COORDINATOR, Role.DIRECTOR, Role.CONSULTANT, Role.ADMIN):
        raise Forbidden("Only the school's leaders and the partnership's staff see this.")
    return school


def legal_status(session: Session, school_id: UUID, today: date) -> list[dict[str, Any]]:
    """Every open plan of the school's open cases with the rules it meets or misses
    (domain.legal), by the pupil's family name."""
    c, p = orm.cases.c, orm.pupils.c
    query = (
        _case_query()
        .join(orm.pupils, p.id == c.pupil_id)
        .where(c.school_id == school_id, c.status != "closed", p.anonymised_on.is_(None))
    )
    rows = []
    for case in session.execute(query).scalars().unique():
        plans = legal_domain.open_plans(case)
        if not plans:
            continue
        pupil = session.get(Pupil, case.pupil_id)
        assert pupil is not None
        for plan in plans:
            state = legal_domain.plan_legal_state(
                case, plan, has_pupil_number=bool(pupil.pupil_number), today=today
            )
            rows.append(
                {
                    "case_id": case.id,
                    "plan_id": plan.id,
                    "pupil_id": pupil.id,
                    "given_name": pupil.given_name,
                    "family_name": pupil.family_name,
                    "group": pupil.group,
                    "plan_status": state.plan_status,
                    "activated_on": plan.activated_on,
                    "complete": state.complete,
                    "rules": state.rules,
                }
            )
    return sorted(rows, key=lambda r: (r["family_name"].lower(), r["given_name"].lower()))
