"""One delivery's reads and writes: claim a row (and the rest of its digest window), release a
claim that sent nothing, and record the attempt's outcome in the row and the delivery log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import String, and_, bindparam, delete, insert, literal, or_, select, update

from services.notifications.adapters import orm
from services.notifications.adapters.store.base import INTERRUPTED, A, P, StoreBase
from services.notifications.domain.notification import NotificationRow

# The statements of every delivery, built once (with bound parameters) and run straight on the
# DBAPI cursor (shared.direct): SQLAlchemy's construction and execution cost more than the
# statements themselves on the hot path. Their own values are bound once; no IN of a list.
_CLAIM = (
    update(orm.planned_notifications)
    .where(
        P.id == bindparam("notification_id"),
        or_(
            P.status == "planned",
            P.status == "queued",
            and_(P.status == "sending", P.status_changed_at < bindparam("stale_before")),
        ),
    )
    .values(status="sending", attempts=P.attempts + 1, status_changed_at=bindparam("now"))
    .returning(*orm.planned_notifications.c)
)
_OPEN_ATTEMPT = insert(orm.delivery_attempts).values(
    notification_id=bindparam("notification_id"),
    attempt=bindparam("attempt"),
    started_at=bindparam("now"),
    outcome="sending",
)
_ACCEPTED = (
    update(orm.planned_notifications)
    .where(P.id.in_(bindparam("ids", expanding=True)), P.status == "sending")
    .values(
        status="sent", sent_at=bindparam("now"), status_changed_at=bindparam("now"), last_error=None
    )
)
_ATTEMPT_ACCEPTED = (
    update(orm.delivery_attempts)
    .where(A.notification_id.in_(bindparam("ids", expanding=True)), A.outcome == "sending")
    .values(outcome="sent", finished_at=bindparam("now"))
)
# The acceptance of a message of one row (all but a digest's): the same, for one id.
_ACCEPTED_ONE = (
    update(orm.planned_notifications)
    .where(P.id == bindparam("id"), P.status == "sending")
    .values(
        status="sent", sent_at=bindparam("now"), status_changed_at=bindparam("now"), last_error=None
    )
)
_ATTEMPT_ACCEPTED_ONE = (
    update(orm.delivery_attempts)
    .where(A.notification_id == bindparam("id"), A.outcome == "sending")
    .values(outcome="sent", finished_at=bindparam("now"))
)

# PostgreSQL runs each of these pairs as one statement (data-modifying CTEs, one round trip): the
# claim with its attempt opened (and an interrupted one closed; the statement's snapshot does
# not see the attempt it opens), and the acceptance of the row with its attempt's.
_CLAIMED = _CLAIM.cte("claimed")
_CLAIM_AND_OPEN = (
    select(_CLAIMED)
    .add_cte(
        update(orm.delivery_attempts)
        .where(A.notification_id.in_(select(_CLAIMED.c.id)), A.outcome == "sending")
        .values(outcome="interrupted", finished_at=bindparam("now"), error=INTERRUPTED)
        .cte("interrupted")
    )
    .add_cte(
        insert(orm.delivery_attempts)
        .from_select(
            ["notification_id", "attempt", "started_at", "outcome"],
            select(
                _CLAIMED.c.id,
                _CLAIMED.c.attempts,
                bindparam("now", type_=A.started_at.type),
                literal("sending", String()),
            ),
        )
        .cte("opened")
    )
)
_ACCEPTED_BOTH = _ATTEMPT_ACCEPTED_ONE.add_cte(_ACCEPTED_ONE.returning(P.id).cte("sent"))


class SqlDelivery(StoreBase):
    def claim(
        self, notification_id: UUID, now: datetime, stale_before: datetime
    ) -> NotificationRow | None:
        """Take a row for sending: planned/queued, or a sending row whose worker died. One
        UPDATE ... RETURNING claims and reads it; a first attempt has no earlier one to close."""
        values = {"notification_id": notification_id, "now": now, "stale_before": stale_before}
        if self.session.get_bind().dialect.name == "postgresql":
            opened = self.direct(_CLAIM_AND_OPEN).first(self.session, values)
            return None if opened is None else self._readable(opened)
        claimed = self.direct(_CLAIM).first(self.session, values)
        if claimed is None:
            return None
        row = self._readable(claimed)
        if row.attempts > 1:
            # An attempt whose worker died stays visible as interrupted; this one is logged
            # now, so a crash mid-send leaves a trace in the delivery log.
            self.session.execute(
                update(orm.delivery_attempts)
                .where(A.notification_id == notification_id, A.outcome == "sending")
                .values(outcome="interrupted", finished_at=now, error=INTERRUPTED)
            )
        attempt = {"notification_id": notification_id, "attempt": row.attempts, "now": now}
        self.direct(_OPEN_ATTEMPT).execute(self.session, attempt)
        return row

    def claim_digest(self, digest_key: str, exclude: UUID, now: datetime) -> list[NotificationRow]:
        """Take the other rows of a digest window with the one already claimed: one atomic
        UPDATE, so two tasks of one window never both send it."""
        ids = list(
            self.session.execute(
                update(orm.planned_notifications)
                .where(
                    P.digest_key == digest_key, P.id != exclude, P.status.in_(("planned", "queued"))
                )
                .values(status="sending", attempts=P.attempts + 1, status_changed_at=now)
                .returning(P.id)
            ).scalars()
        )
        # each just updated in this transaction: never None
        rows = [row for row in map(self.notification, ids) if row is not None]
        for row in rows:
            self.session.execute(
                insert(orm.delivery_attempts).values(
                    notification_id=row.id,
                    attempt=row.attempts,
                    started_at=now,
                    outcome="sending",
                )
            )
        return rows

    def release_claim(
        self,
        notification_id: UUID,
        status: str,
        now: datetime,
        *,
        send_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Undo a claim that sent nothing (deferred or cancelled): the attempt is not counted."""
        self.session.execute(
            delete(orm.delivery_attempts).where(
                A.notification_id == notification_id, A.outcome == "sending"
            )
        )
        values: dict[str, Any] = {
            "status": status,
            "status_changed_at": now,
            "attempts": P.attempts - 1,
            "last_error": error,
        }
        if send_at is not None:
            values["send_at"] = send_at
        self.session.execute(
            update(orm.planned_notifications).where(P.id == notification_id).values(**values)
        )

    def notification(self, notification_id: UUID) -> NotificationRow | None:
        row = (
            self.session.execute(select(orm.planned_notifications).where(P.id == notification_id))
            .mappings()
            .first()
        )
        return None if row is None else self._readable(row)

    def _readable(self, row: Mapping[Any, Any]) -> NotificationRow:
        """A row with a group channel's URL decrypted (empty once scrubbed)."""
        values = dict(row)
        if values["channel"] == "group" and values["address"]:
            values["address"] = self.cipher.decrypt(values["address"])
        return NotificationRow.from_mapping(values)

    def mark_accepted(self, ids: list[UUID], now: datetime) -> None:
        """The transport accepted the message of these rows: sent, and their open attempt too
        (the later `finish` and `record_attempt` of the same attempt change nothing more)."""
        if len(ids) == 1:  # a message of one row: no IN of a list
            one = {"id": ids[0], "now": now}
            if self.session.get_bind().dialect.name == "postgresql":
                self.direct(_ACCEPTED_BOTH).execute(self.session, one)
                return
            self.direct(_ACCEPTED_ONE).execute(self.session, one)
            self.direct(_ATTEMPT_ACCEPTED_ONE).execute(self.session, one)
            return
        values = {"ids": ids, "now": now}
        self.session.execute(_ACCEPTED, values)
        self.session.execute(_ATTEMPT_ACCEPTED, values)

    def finish(
        self,
        notification_id: UUID,
        status: str,
        now: datetime,
        error: str | None = None,
        send_at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "status_changed_at": now, "last_error": error}
        if status == "sent":
            values["sent_at"] = now
        if send_at is not None:
            values["send_at"] = send_at
        self.session.execute(
            update(orm.planned_notifications).where(P.id == notification_id).values(**values)
        )

    def reset_for_retry(self, notification_id: UUID, now: datetime) -> None:
        """An administrator's retry: planned again now, with a fresh attempt budget. An attempt
        still open is closed as interrupted, so `claim` of a first attempt has none to close."""
        self.session.execute(
            update(orm.planned_notifications)
            .where(P.id == notification_id)
            .values(status="planned", send_at=now, attempts=0, status_changed_at=now)
        )
        self.session.execute(
            update(orm.delivery_attempts)
            .where(A.notification_id == notification_id, A.outcome == "sending")
            .values(outcome="interrupted", finished_at=now, error=INTERRUPTED)
        )

    def record_attempt(
        self,
        notification_id: UUID,
        attempt: int,
        started: datetime,
        finished: datetime,
        outcome: str,
        error: str | None,
    ) -> None:
        """Close the attempt that `claim` opened with its outcome."""
        self.session.execute(
            update(orm.delivery_attempts)
            # Only the open one: after an administrator's retry, attempt numbers start again at 1.
            .where(A.notification_id == notification_id, A.attempt == attempt)
            .where(A.outcome == "sending")
            .values(started_at=started, finished_at=finished, outcome=outcome, error=error)
        )

    def channels_of_same_message(self, row: NotificationRow) -> set[str]:
        """The channels on which the message of `row` also goes to its recipient: the other rows
        of the same policy, subject, reminder kind and date, not cancelled and not given up."""
        due = P.due_on.is_(None) if row.due_on is None else P.due_on == row.due_on
        query = select(P.channel).where(
            P.policy_key == row.policy_key,
            P.subject_kind == row.subject_kind,
            P.subject_id == row.subject_id,
            P.recipient_kind == row.recipient_kind,
            P.recipient_id == row.recipient_id,
            P.kind == row.kind,
            due,
            P.id != row.id,
            P.status.not_in(("cancelled", "dead")),
        )
        return set(self.session.execute(query).scalars())
