"""Read model of an audience: who is around a case or a school, for the notifications service
(api/internal.py, `GET /internal/audience` and `POST /internal/audiences`).

An audience names the school and its partnership, the case's status and the pupil's given name,
and its recipients: the pupil's guardians and assigned staff, the school's coordinators and
directors, the partnership's consultants where asked, and always its administrators. It holds
contact details: the caller keeps it no longer than the planning of one event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.domain.model import Case
from services.cases.domain.school import Guardian, Pupil, School, User
from shared.errors import NotFound

Recipient = dict[str, Any]


def audience(session: Session, query: Mapping[str, Any]) -> dict[str, Any]:
    """One audience: of a case (`case_id`), a school (`school_id`) or one guardian alone
    (`guardian_id`); with `partnership_consultants`, also every active consultant of the
    partnership as role all_consultants. NotFound when its case, school or guardian is gone."""
    if "guardian_id" in query:
        return _guardian_alone(session, query["guardian_id"])
    case = session.get(Case, query["case_id"]) if "case_id" in query else None
    if "case_id" in query and case is None:
        raise NotFound("No such case or school.")
    school = session.get(School, case.school_id if case else query.get("school_id"))
    if school is None:
        raise NotFound("No such case or school.")
    pupil = session.get(Pupil, case.pupil_id) if case else None
    recipients, seen = _around_pupil(session, pupil)
    recipients += _school_leaders(session, school, seen)
    roles = (["consultant"] if case is None else []) + (
        ["all_consultants"] if query["partnership_consultants"] else []
    )
    recipients += _consultants(session, school, roles)
    recipients += _admins(session, school.partnership_id)
    return {
        **_school_part(school),
        "case_status": case.status if case else None,
        "pupil_given_name": pupil.given_name if pupil else None,
        "recipients": recipients,
    }


def _school_part(school: School) -> dict[str, Any]:
    return {
        "school_id": school.id,
        "partnership_id": school.partnership_id,
        "school_name": school.name,
        "region": school.region,
    }


def _guardian_alone(session: Session, guardian_id: UUID) -> dict[str, Any]:
    """One guardian and their child's school: for a message to them alone (a sign-in link)."""
    pupil_id = session.execute(
        select(orm.guardians.c.pupil_id).where(orm.guardians.c.id == guardian_id)
    ).scalar()
    pupil = session.get(Pupil, pupil_id) if pupil_id else None
    school = session.get(School, pupil.school_id) if pupil else None
    if pupil is None or school is None or pupil.anonymised_on is not None:
        raise NotFound("No such guardian.")
    guardian = next(g for g in pupil.guardians if g.id == guardian_id)
    return {
        **_school_part(school),
        "case_status": None,
        "pupil_given_name": None,  # the message is about signing in, not about a child
        "recipients": [_guardian(guardian)],
    }


def _around_pupil(
    session: Session, pupil: Pupil | None
) -> tuple[list[Recipient], set[tuple[UUID, str]]]:
    """The pupil's guardians and active assigned staff (in their role on the pupil), and which
    (user, role) pairs those are."""
    recipients: list[Recipient] = []
    seen: set[tuple[UUID, str]] = set()
    if pupil is None:
        return recipients, seen
    recipients += [_guardian(g) for g in pupil.guardians]
    for assignment in pupil.staff:
        user = session.get(User, assignment.user_id)
        if user is not None and user.active:
            recipients.append(_user(user, assignment.role))
            seen.add((user.id, assignment.role))
    return recipients, seen


def _school_leaders(
    session: Session, school: School, seen: set[tuple[UUID, str]]
) -> list[Recipient]:
    """The school's active coordinators and directors not already there in that role."""
    leaders = select(User).where(
        orm.users.c.school_id == school.id,
        orm.users.c.role.in_(["coordinator", "director"]),
        orm.users.c.active.is_(True),
    )
    return [
        _user(user, user.role)
        for user in session.execute(leaders).scalars()
        if (user.id, user.role) not in seen
    ]


def _consultants(session: Session, school: School, roles: list[str]) -> list[Recipient]:
    """The partnership's active consultants, once in each of `roles` (none without roles)."""
    if not roles:
        return []
    consultants = select(User).where(
        orm.users.c.partnership_id == school.partnership_id,
        orm.users.c.role == "consultant",
        orm.users.c.active.is_(True),
    )
    recipients: list[Recipient] = []
    for user in session.execute(consultants).scalars():
        recipients += [_user(user, role) for role in roles]
    return recipients


def _admins(session: Session, partnership_id: UUID) -> list[Recipient]:
    """The partnership's active administrators: a policy reaches them by the role `admin` (what
    only they can put right, such as a pupil who left with a case still open)."""
    query = select(User).where(
        orm.users.c.partnership_id == partnership_id,
        orm.users.c.role == "admin",
        orm.users.c.active.is_(True),
    )
    return [_user(u, "admin") for u in session.execute(query).scalars()]


def _user(user: User, role: str) -> Recipient:
    return {
        "kind": "user",
        "id": user.id,
        "role": role,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "language": user.language,
    }


def _guardian(guardian: Guardian) -> Recipient:
    return {
        "kind": "guardian",
        "id": guardian.id,
        "role": "guardian",
        "name": guardian.name,
        "email": guardian.email,
        "phone": guardian.phone,
        "language": guardian.language,
    }
