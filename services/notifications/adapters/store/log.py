"""The delivery log as administrators read it, and personal data out of it: a pupil's
anonymisation and the log's own retention."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, select, update

from services.notifications.adapters import orm
from services.notifications.adapters.store.base import (
    FINISHED,
    INTERRUPTED,
    A,
    P,
    StoreBase,
    freed_dedupe_key,
    redacted,
)


class SqlDeliveryLog(StoreBase):
    def attempts(self, notification_id: UUID) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(orm.delivery_attempts)
            .where(orm.delivery_attempts.c.notification_id == notification_id)
            .order_by(orm.delivery_attempts.c.attempt)
        )
        return [dict(r) for r in rows.mappings()]

    def upcoming(
        self,
        partnership_id: UUID,
        policy_key: str,
        school_id: UUID | None,
        start: datetime,
        end: datetime,
    ) -> list[dict[str, Any]]:
        """Planned rows of one policy key between two instants, soonest first."""
        query = (
            select(
                P.send_at, P.recipient_role, P.address, P.channel, P.template, P.due_on, P.school_id
            )
            .where(
                P.partnership_id == partnership_id,
                P.policy_key == policy_key,
                P.status == "planned",
                P.send_at >= start,
                P.send_at <= end,
            )
            .order_by(P.send_at)
            .limit(1000)
        )
        if school_id is not None:
            query = query.where(P.school_id == school_id)
        return [dict(r) for r in self.session.execute(query).mappings()]

    def log(
        self, partnership_id: UUID, filters: dict[str, Any], page: int, page_size: int
    ) -> tuple[list[dict[str, Any]], int]:
        """The delivery log, newest first, filtered by school, recipient, status and event, and
        by a period [`after`, `before`) of the send time (or of `date_field="created_at"`)."""
        query = select(orm.planned_notifications).where(P.partnership_id == partnership_id)
        for key in ("school_id", "status", "event_id", "event_type", "recipient_id", "case_id"):
            if filters.get(key) is not None:
                query = query.where(getattr(P, key) == filters[key])
        moment = P.created_at if filters.get("date_field") == "created_at" else P.send_at
        if filters.get("after") is not None:
            query = query.where(moment >= filters["after"])
        if filters.get("before") is not None:
            query = query.where(moment < filters["before"])
        if filters.get("school_ids") is not None:
            query = query.where(P.school_id.in_(filters["school_ids"]))
        total = self.session.execute(
            select(func.count()).select_from(query.subquery())
        ).scalar_one()
        rows = self.session.execute(
            query.order_by(P.send_at.desc(), P.id).limit(page_size).offset((page - 1) * page_size)
        )
        return [dict(r) for r in rows.mappings()], total

    def forget_cases(self, case_ids: list[UUID], now: datetime, reason: str) -> int:
        """Everything about the cases of one anonymised pupil: pending rows are cancelled with
        `reason`, every row loses its address, template context and error texts (ids, event types,
        policy keys, times and statuses stay, so counts do too), and the preferences of the
        guardians those rows went to are deleted (a guardian id belongs to one pupil). Returns the
        rows touched; running it again touches nothing."""
        if not case_ids:
            return 0
        in_cases = P.case_id.in_(case_ids)
        guardians = self.session.execute(
            select(P.recipient_id).distinct().where(in_cases, P.recipient_kind == "guardian")
        ).scalars()
        self.session.execute(
            update(orm.planned_notifications)
            .where(in_cases, P.status.in_(("planned", "queued")))
            .values(
                status="cancelled",
                status_changed_at=now,
                last_error=reason,
                dedupe_key=freed_dedupe_key(),
            )
        )
        touched = self._scrub(in_cases, (reason,))
        guardian_ids = [UUID(g) for g in guardians]
        if guardian_ids:
            self.session.execute(
                delete(orm.guardian_preferences).where(
                    orm.guardian_preferences.c.guardian_id.in_(guardian_ids)
                )
            )
        return touched

    def scrub_finished(self, before: datetime, limit: int) -> int:
        """The log's own retention: finished rows whose status is older than `before` lose their
        address, context and error texts, `limit` rows at a time. Returns how many."""
        ids = list(
            self.session.execute(
                select(P.id)
                .where(P.status.in_(FINISHED), P.status_changed_at < before, P.address != "")
                .limit(limit)
            ).scalars()
        )
        return self._scrub(P.id.in_(ids), ()) if ids else 0

    def _scrub(self, where: ColumnElement[bool], keep: tuple[str, ...]) -> int:
        """Blank the personal data of the rows matching `where` that still hold an address; error
        texts other than `keep` (the service's own words) become REDACTED."""
        ids = list(self.session.execute(select(P.id).where(where, P.address != "")).scalars())
        if not ids:
            return 0
        own = (*keep, INTERRUPTED)
        self.session.execute(
            update(orm.planned_notifications)
            .where(P.id.in_(ids))
            .values(address="", context={}, last_error=redacted(P.last_error, own))
        )
        self.session.execute(
            update(orm.delivery_attempts)
            .where(A.notification_id.in_(ids), A.error.is_not(None))
            .values(error=redacted(A.error, own))
        )
        return len(ids)
