"""Planned notifications written and cancelled (the consumer), and picked for dispatch (beat)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, bindparam, or_, select, update

from services.notifications.adapters import orm
from services.notifications.adapters.store.base import (
    INFLIGHT_LITERAL,
    PLANNED,
    P,
    StoreBase,
    freed_dedupe_key,
)
from services.notifications.domain.planning import PlannedNotification
from services.notifications.service_layer.ports import CancelFilter


def _match(match: CancelFilter) -> ColumnElement[bool]:
    """Rows matching column=value filters, except those of the event type `keep` if given."""
    keep = match.get("keep")
    conditions = [getattr(P, k) == v for k, v in match.items() if k != "keep"]
    if keep is not None:
        conditions.append(P.event_type != keep)
    return and_(*conditions)


IDS_PER_UPDATE = 500
# A filter's shape: its constant columns, the column of the id that varies, whether it has `keep`.
Shape = tuple[tuple[str, ...], str, bool]


def _grouped(
    matches: list[CancelFilter],
) -> tuple[dict[tuple[Shape, tuple[tuple[str, object], ...]], list[UUID]], list[CancelFilter]]:
    """The filters with exactly one id column and no None, grouped by their shape and constant
    values (each group's ids in order, once); and the others, as they came."""
    groups: dict[tuple[Shape, tuple[tuple[str, object], ...]], dict[UUID, None]] = {}
    others: list[CancelFilter] = []
    for match in matches:
        keep = match.get("keep")
        columns = {k: v for k, v in match.items() if k != "keep"}
        ids = [k for k, v in columns.items() if isinstance(v, UUID)]
        if len(ids) != 1 or None in columns.values():
            others.append(match)
            continue
        constants = tuple(sorted((f"c_{k}", v) for k, v in columns.items() if k != ids[0]))
        shape = (tuple(name for name, _ in constants), ids[0], keep is not None)
        key = (shape, (*constants, ("keep", keep)) if keep is not None else constants)
        groups.setdefault(key, {})[columns[ids[0]]] = None  # type: ignore[index]
    return {key: list(ids) for key, ids in groups.items()}, others


@functools.cache
def _cancel_by_ids(shape: Shape) -> Any:
    """The UPDATE cancelling pending rows of a shape (built once; its SQL is cached by SQLAlchemy):
    bound `c_<column>` constants, `ids` (expanding) and `keep`, `now`."""
    constants, id_column, has_keep = shape
    conditions = [getattr(P, name[2:]) == bindparam(name) for name in constants]
    conditions.append(getattr(P, id_column).in_(bindparam("ids", expanding=True)))
    if has_keep:
        conditions.append(P.event_type != bindparam("keep"))
    return (
        update(orm.planned_notifications)
        .where(P.status.in_(("planned", "queued")), *conditions)
        .values(
            status="cancelled",
            status_changed_at=bindparam("now"),
            dedupe_key=freed_dedupe_key(),
        )
    )


def _values(item: PlannedNotification, address: str, now: datetime) -> dict[str, Any]:
    """The columns of a new planned row."""
    return {
        "id": item.id,
        "dedupe_key": item.dedupe_key,
        "partnership_id": item.partnership_id,
        "school_id": item.school_id,
        "case_id": item.case_id,
        "plan_id": item.plan_id,
        "subject_kind": item.subject_kind,
        "subject_id": item.subject_id,
        "event_id": item.event_id,
        "event_type": item.event_type,
        "policy_key": item.policy_key,
        "recipient_kind": item.recipient_kind,
        "recipient_id": item.recipient_id,
        "recipient_role": item.recipient_role,
        "channel": item.channel,
        "address": address,
        "language": item.language,
        "template": item.template,
        "kind": item.kind,
        "due_on": item.due_on,
        "send_at": item.send_at,
        "critical": item.critical,
        "context": item.context,
        "digest_key": item.digest_key,
        "request_id": item.request_id,
        "status": "planned",
        "attempts": 0,
        "status_changed_at": now,
        "created_at": now,
    }


class SqlPlanning(StoreBase):
    def add_planned(self, items: list[PlannedNotification], now: datetime) -> int:
        """Insert rows; a row whose dedupe key exists is skipped. Returns how many were new."""
        if not items:
            return 0
        make = self._dialect_insert()
        added = 0
        for item in items:
            address = self.cipher.encrypt(item.address) if item.channel == "group" else item.address
            result = self.session.execute(
                make(orm.planned_notifications)
                .values(**_values(item, address, now))
                .on_conflict_do_nothing(index_elements=["dedupe_key"])
                .execution_options(preserve_rowcount=True)  # psycopg: INSERT rowcount is -1
            )
            added += result.rowcount or 0  # type: ignore[attr-defined]  # a CursorResult
        return added

    def cancel_pending_many(self, now: datetime, matches: list[CancelFilter]) -> int:
        """cancel_pending for many column=value filters (each with its own `keep`) at once (a
        batch's cancellations): filters that differ only in one id (a plan's, a subject's...) go
        in one prepared UPDATE with `id IN (...)`, the others in one UPDATE per hundred."""
        done = 0
        groups, others = _grouped(matches)
        for (shape, constants), ids in groups.items():
            statement = _cancel_by_ids(shape)
            for start in range(0, len(ids), IDS_PER_UPDATE):
                params = {**dict(constants), "now": now, "ids": ids[start : start + IDS_PER_UPDATE]}
                result = self.session.execute(statement, params)
                done += result.rowcount or 0  # type: ignore[attr-defined]  # a CursorResult
        for start in range(0, len(others), 100):
            done += self._cancel(now, or_(*(_match(m) for m in others[start : start + 100])))
        return done

    def cancel_pending(self, now: datetime, keep: str | None = None, **match: object) -> int:
        """Cancel planned and queued rows matching column=value filters (reschedule, close),
        except those of the event type `keep`. A queued row's task then finds nothing to claim;
        only a send already under way goes."""
        return self._cancel(now, _match({**match, "keep": keep}))

    def _cancel(self, now: datetime, condition: ColumnElement[bool]) -> int:
        result = self.session.execute(
            update(orm.planned_notifications)
            .where(P.status.in_(("planned", "queued")), condition)
            # Free the dedupe key: a date moved back must be plannable again.
            .values(status="cancelled", status_changed_at=now, dedupe_key=freed_dedupe_key())
        )
        return result.rowcount or 0  # type: ignore[attr-defined]  # a CursorResult

    def due_ids(self, now: datetime, limit: int) -> list[UUID]:
        """Planned rows whose moment has come, oldest first (uses the partial index)."""
        query = (
            select(P.id)
            .where(P.status == PLANNED, P.send_at <= now)
            .order_by(P.send_at)
            .limit(limit)
        )
        return list(self.session.execute(query).scalars())

    def stale_ids(self, before: datetime, limit: int) -> list[UUID]:
        """Rows queued or sending for too long: their task was lost or their worker died."""
        query = (
            select(P.id)
            .where(P.status.in_(INFLIGHT_LITERAL), P.status_changed_at < before)
            .order_by(P.status_changed_at)
            .limit(limit)
        )
        return list(self.session.execute(query).scalars())

    def mark_queued(self, ids: list[UUID], now: datetime) -> None:
        if ids:
            self.session.execute(
                update(orm.planned_notifications)
                .where(P.id.in_(ids))
                .values(status="queued", status_changed_at=now)
            )
