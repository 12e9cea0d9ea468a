"""Pupils in scope, flagged when they left while a case of theirs is still open."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.adapters.queries.base import Page, paginate, scope
from services.cases.adapters.repositories import (
    SqlAlchemyRepository,
)
from services.cases.domain.school import Pupil
from shared.auth import Principal
from shared.errors import NotFound


def _left_with_open_case() -> Any:
    """Pupils who left while a case of theirs is still open: their data waits for the case to be
    closed before the retention period can run (rule 9)."""
    u, c = orm.pupils.c, orm.cases.c
    still_open = exists().where(c.pupil_id == u.id, c.status != "closed")
    return and_(u.left_on.is_not(None), still_open)


def list_pupils(session: Session, principal: Principal, args: dict[str, Any]) -> Page:
    """Pupils in scope, by family name (only those who left with a case open, when asked)."""
    query = scope(select(Pupil), principal, orm.pupils)
    if args.get("school_id") is not None:
        query = query.where(orm.pupils.c.school_id == args["school_id"])
    if args.get("left_with_open_case") is not None:
        flagged = _left_with_open_case()
        query = query.where(flagged if args["left_with_open_case"] else ~flagged)
    query = query.order_by(orm.pupils.c.family_name, orm.pupils.c.given_name, orm.pupils.c.id)
    page = paginate(session, query, args["page"], args["page_size"])
    _flag_pupils(session, page.items)
    return page


def get_pupil(session: Session, principal: Principal, pupil_id: UUID) -> Pupil:
    """One pupil, if the caller may see them."""
    pupil = SqlAlchemyRepository(session).pupil(pupil_id)
    if pupil is None or not principal.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
        raise NotFound("No such pupil.")
    _flag_pupils(session, [pupil])
    return pupil


def _flag_pupils(session: Session, pupils: list[Pupil]) -> None:
    ids = [p.id for p in pupils]
    query = select(orm.pupils.c.id).where(orm.pupils.c.id.in_(ids), _left_with_open_case())
    flagged = set(session.execute(query).scalars()) if ids else set()
    for pupil in pupils:
        pupil.left_with_open_case_flag = pupil.id in flagged  # type: ignore[attr-defined]
