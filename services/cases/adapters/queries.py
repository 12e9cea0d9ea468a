"""Read side of the cases service: scoped lists, details, the case timeline and the event log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.repositories import SqlAlchemyCaseRepository, SqlAlchemyRepository
from services.cases.domain.model import Case, DevelopmentPlan
from services.cases.domain.school import Pupil
from shared.auth import PARTNERSHIP_ROLES, Principal, Role
from shared.errors import NotFound


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    page_size: int
    total: int


def scope(query: Select, principal: Principal, table: Any) -> Select:
    """Limit a query on a table with partnership_id/school_id(/pupil_id) to the caller's scope."""
    if principal.role is Role.SERVICE:
        return query
    query = query.where(table.c.partnership_id == principal.partnership_id)
    if principal.role in PARTNERSHIP_ROLES:
        return query
    if principal.role is Role.GUARDIAN:
        pupil_col = table.c.id if table is orm.pupils else table.c.pupil_id
        return query.where(pupil_col.in_(principal.pupil_ids))
    return query.where(table.c.school_id.in_(principal.school_ids))


def paginate(session: Session, query: Select, page: int, page_size: int) -> Page:
    """Run one page of a query and count the whole."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = list(session.execute(query.limit(page_size).offset((page - 1) * page_size)).scalars())
    return Page(items, page, page_size, total)


def list_cases(session: Session, principal: Principal, args: dict[str, Any]) -> Page:
    """Cases in scope, filtered by school, pupil, level and status, newest first."""
    c = orm.cases.c
    query = scope(select(Case), principal, orm.cases)
    for key in ("school_id", "pupil_id", "level", "status"):
        if args.get(key) is not None:
            query = query.where(getattr(c, key) == args[key])
    query = query.order_by(c.opened_on.desc(), c.id)
    return paginate(session, query, args["page"], args["page_size"])


def get_case(session: Session, principal: Principal, case_id: UUID, today: date) -> Case:
    """One case with everything in it, if the caller may see it."""
    case = SqlAlchemyCaseRepository(session).get(case_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    for plan in case.plans:
        _flag(plan, today)
    return case


def get_plan(session: Session, principal: Principal, plan_id: UUID, today: date) -> DevelopmentPlan:
    """One development plan, if the caller may see its case."""
    case = SqlAlchemyCaseRepository(session).by_plan(plan_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such development plan.")
    plan = case.plan(plan_id)
    _flag(plan, today)
    return plan


def _flag(plan: DevelopmentPlan, today: date) -> None:
    plan.evaluation_missing_flag = plan.evaluation_missing(today)  # type: ignore[attr-defined]


def list_pupils(session: Session, principal: Principal, args: dict[str, Any]) -> Page:
    """Pupils in scope, by family name."""
    query = scope(select(Pupil), principal, orm.pupils)
    if args.get("school_id") is not None:
        query = query.where(orm.pupils.c.school_id == args["school_id"])
    query = query.order_by(orm.pupils.c.family_name, orm.pupils.c.given_name, orm.pupils.c.id)
    return paginate(session, query, args["page"], args["page_size"])


def get_pupil(session: Session, principal: Principal, pupil_id: UUID) -> Pupil:
    """One pupil, if the caller may see them."""
    pupil = SqlAlchemyRepository(session).pupil(pupil_id)
    if pupil is None or not principal.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
        raise NotFound("No such pupil.")
    return pupil


def due_evaluations(
    session: Session, principal: Principal, args: dict[str, Any], today: date
) -> Page:
    """Interventions and plan evaluations due before a date (overdue ones included)."""
    c, i, p, e = (orm.cases.c, orm.interventions.c, orm.development_plans.c, orm.plan_evaluations.c)
    case_cols = (c.id.label("case_id"), c.school_id, c.pupil_id)
    interventions = (
        select(
            func.cast("intervention", orm.String(20)).label("kind"),
            i.id,
            *case_cols,
            i.plan_id,
            i.evaluate_by.label("due_on"),
        )
        .join_from(orm.interventions, orm.cases, i.case_id == c.id)
        .where(i.status == "active", i.evaluate_by < args["before"], c.status != "closed")
    )
    plans = (
        select(
            func.cast("plan_evaluation", orm.String(20)).label("kind"),
            e.id,
            *case_cols,
            e.plan_id,
            e.due_on,
        )
        .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
        .join(orm.cases, p.case_id == c.id)
        .where(
            e.status == "scheduled",
            p.status == "active",
            e.due_on < args["before"],
            c.status != "closed",
        )
    )
    parts = []
    for part in (interventions, plans):
        part = scope(part, principal, orm.cases)
        if args.get("school_id") is not None:
            part = part.where(c.school_id == args["school_id"])
        parts.append(part)
    combined = union_all(*parts).subquery()
    query = select(combined).order_by(combined.c.due_on, combined.c.id)
    total = session.execute(select(func.count()).select_from(combined)).scalar_one()
    offset = (args["page"] - 1) * args["page_size"]
    rows = session.execute(query.limit(args["page_size"]).offset(offset)).mappings()
    items = [{**row, "overdue": row["due_on"] < today} for row in rows]
    return Page(items, args["page"], args["page_size"], total)


def timeline(session: Session, principal: Principal, case_id: UUID) -> list[dict[str, Any]]:
    """Every event that concerned a case, in order."""
    case = session.get(Case, case_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    o = orm.outbox.c
    rows = session.execute(select(o.seq, o.envelope).where(o.case_id == case_id).order_by(o.seq))
    entries = []
    for seq, raw in rows:
        envelope = json.loads(raw)
        entries.append(
            {
                "seq": seq,
                "type": envelope["type"],
                "occurred_at": envelope["occurred_at"],
                "subject": envelope["subject"],
                "data": envelope["data"],
            }
        )
    return entries


def event_log(session: Session, principal: Principal, after: int, limit: int) -> dict[str, Any]:
    """The outbox as a replayable log: events after a sequence number, oldest first."""
    o = orm.outbox.c
    query = select(o.seq, o.envelope).where(o.seq > after).order_by(o.seq).limit(limit)
    if principal.role is not Role.SERVICE:
        query = query.where(o.partnership_id == principal.partnership_id)
    items = [{"seq": seq, "envelope": json.loads(raw)} for seq, raw in session.execute(query)]
    return {"items": items, "next_after": items[-1]["seq"] if items else after}
