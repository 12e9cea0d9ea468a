"""The TLV applications' rows (issue 14): by referral, by case, and the partnership's lists."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from services.cases.adapters import orm
from services.cases.domain.tlv import TlvApplication
from services.cases.service_layer.unit_of_work import ApplicationFilter


def _query() -> Any:
    return select(TlvApplication).options(
        selectinload(TlvApplication.advices),  # type: ignore[arg-type,misc]
        selectinload(TlvApplication.answers),  # type: ignore[arg-type,misc]
    )


class SqlAlchemyApplications:
    """Applications loaded whole (advices and answers), locked for a change."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[Any, None] = {}

    def add(self, application: TlvApplication) -> None:
        self.session.add(application)
        self.seen[application] = None

    def by_referral(self, referral_id: UUID, *, for_update: bool = False) -> TlvApplication | None:
        query = _query().where(orm.tlv_applications.c.referral_id == referral_id)
        if for_update:
            query = query.with_for_update(of=orm.tlv_applications)
        found = self.session.execute(query).scalars().first()
        if found is not None:
            self.seen[found] = None
        return found

    def of_case(self, case_id: UUID) -> list[TlvApplication]:
        query = _query().where(orm.tlv_applications.c.case_id == case_id)
        found = list(self.session.execute(query).scalars())
        for application in found:
            self.seen[application] = None
        return found

    def page(self, where: ApplicationFilter, offset: int, limit: int) -> tuple[list[Any], int]:
        """One page of applications (oldest deadline first, then newest draft), and the total."""
        a = orm.tlv_applications.c
        conditions = [a.partnership_id == where.partnership_id]
        if where.school_ids is not None:
            conditions.append(a.school_id.in_(sorted(where.school_ids)))
        if where.statuses is not None:
            conditions.append(a.status.in_(sorted(where.statuses)))
        total = self.session.execute(
            select(func.count()).select_from(orm.tlv_applications).where(*conditions)
        ).scalar_one()
        query = (
            _query()
            .where(*conditions)
            .order_by(a.decide_by.is_(None), a.decide_by, a.created_on.desc(), a.id)
            .offset(offset)
            .limit(limit)
        )
        return list(self.session.execute(query).scalars()), total
