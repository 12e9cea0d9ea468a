"""Cases and development plans as their pages show them, and the evaluations due soon."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import String, func, select, union_all
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.queries.base import Page, paginate, scope
from services.cases.adapters.repositories import (
    SqlAlchemyCaseRepository,
)
from services.cases.domain import parents
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan
from services.cases.domain.school import Partnership, Pupil
from shared.auth import Principal
from shared.errors import NotFound


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
    if case.plans:  # whose consent counts matters only to plans: no more reads without them
        needed = _needed(session, case)
        for plan in case.plans:
            _flag(plan, today, needed)
    return case


def get_plan(session: Session, principal: Principal, plan_id: UUID, today: date) -> DevelopmentPlan:
    """One development plan, if the caller may see its case."""
    case = SqlAlchemyCaseRepository(session).by_plan(plan_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such development plan.")
    plan = case.plan(plan_id)
    _flag(plan, today, _needed(session, case))
    plan.case_version = case.version  # type: ignore[attr-defined]  # its ETag (If-Match)
    return plan


def _needed(session: Session, case: Case) -> tuple[str, frozenset[str] | None]:
    """The partnership's `consent_from` and, under `all`, whose agreement counts."""
    partnership = session.get(Partnership, case.partnership_id)
    rule = partnership.settings.consent_from if partnership is not None else "one"
    if rule != "all":  # one guardian's agreement: nobody in particular is awaited
        return rule, None
    pupil = session.get(Pupil, case.pupil_id)
    return rule, parents.needed_guardians(rule, pupil.guardians if pupil else [])


def _flag(plan: DevelopmentPlan, today: date, needed: tuple[str, frozenset[str] | None]) -> None:
    plan.evaluation_missing_flag = plan.evaluation_missing(today)  # type: ignore[attr-defined]
    plan.consent_from = needed[0]  # type: ignore[attr-defined]
    awaited = (
        parents.still_awaited(plan.consents, plan.action_plan_version, needed[1])
        if plan.consent_status == "requested"
        else frozenset()
    )
    plan.consent_awaited_guardian_ids = sorted(awaited)  # type: ignore[attr-defined]


def due_evaluations(
    session: Session, principal: Principal, args: dict[str, Any], today: date
) -> Page:
    """Interventions and plan evaluations due before a date (overdue ones included)."""
    c, i, p, e = (orm.cases.c, orm.interventions.c, orm.development_plans.c, orm.plan_evaluations.c)
    case_cols = (c.id.label("case_id"), c.school_id, c.pupil_id)
    interventions = (
        select(
            func.cast("intervention", String(20)).label("kind"),  # type: ignore[arg-type]
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
            func.cast("plan_evaluation", String(20)).label("kind"),  # type: ignore[arg-type]
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
