"""The case timeline (who caused each event) and the outbox as a replayable event log."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.domain.model import Case
from shared.auth import Principal, Role
from shared.errors import NotFound


def timeline(session: Session, principal: Principal, case_id: UUID) -> list[dict[str, Any]]:
    """Every event that concerned a case, in order, each with who caused it (`actor`)."""
    case = session.get(Case, case_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    o = orm.outbox.c
    u = orm.users.c
    rows = session.execute(
        select(o.seq, o.envelope, o.actor_role, u.name)
        .outerjoin(orm.users, u.id == o.actor_id)
        .where(o.case_id == case_id)
        .order_by(o.seq)
    )
    entries = []
    for seq, raw, role, name in rows:
        envelope = json.loads(raw)
        entries.append(
            {
                "seq": seq,
                "type": envelope["type"],
                "occurred_at": envelope["occurred_at"],
                "subject": envelope["subject"],
                "data": envelope["data"],
                "actor": actor_of(role, name),
            }
        )
    return entries


GUARDIAN_NAME = "ouder/verzorger"
SYSTEM_NAME = "het systeem"


def actor_of(role: str | None, name: str | None) -> dict[str, Any] | None:
    """Who caused an event, as the timeline names them: a staff member by name, a guardian as
    "ouder/verzorger", a scheduled task as "het systeem"; None for events from before this was
    kept (or a user since removed)."""
    if role == "system":
        return {"kind": "system", "role": None, "name": SYSTEM_NAME}
    if role == Role.GUARDIAN.value:
        return {"kind": "guardian", "role": role, "name": GUARDIAN_NAME}
    if role is None or name is None:
        return None
    return {"kind": "staff", "role": role, "name": name}


def event_log(session: Session, principal: Principal, after: int, limit: int) -> dict[str, Any]:
    """The outbox as a replayable log: events after a sequence number, oldest first."""
    o = orm.outbox.c
    query = select(o.seq, o.envelope).where(o.seq > after).order_by(o.seq).limit(limit)
    if principal.role is not Role.SERVICE:
        query = query.where(o.partnership_id == principal.partnership_id)
    items = [{"seq": seq, "envelope": json.loads(raw)} for seq, raw in session.execute(query)]
    return {"items": items, "next_after": items[-1]["seq"] if items else after}
