"""Persistence of the notifications service: policies, processed events, planned notifications
and their delivery attempts. One Store is one transaction."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from datetime import datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.notifications.adapters import orm
from services.notifications.domain import channel_choice
from services.notifications.domain.planning import PlannedNotification
from services.notifications.domain.policy import Policy
from services.notifications.domain.timing import Holiday, HolidayCalendar
from shared.crypto import Cipher
from shared.db import LogCursors

P = orm.planned_notifications.c
A = orm.delivery_attempts.c
# The partial indexes' own conditions, written as literals: SQLite uses a partial index only when
# the query's WHERE names its condition's values, and `status IN (?, ?)` with bound parameters
# does not (a full scan and a sort of every row); `status = 'planned'` and the literal IN do.
PLANNED: ColumnElement[Any] = literal_column("'planned'")
INFLIGHT_LITERAL: tuple[ColumnElement[Any], ...] = (
    literal_column("'queued'"),
    literal_column("'sending'"),
)
INFLIGHT = ("queued", "sending")
FINISHED = ("sent", "failed", "dead", "cancelled")
# What a scrubbed error reads: the text may have quoted the address (an SMTP server's refusal).
REDACTED = "removed"
INTERRUPTED = "worker stopped mid-delivery"
_SPEC_EXCLUDE = {"id", "partnership_id", "school_id", "key", "name", "enabled", "group_urls"}


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _match(match: dict[str, Any]) -> Any:
    """Rows matching column=value filters, except those of the event type `keep` if given."""
    keep = match.get("keep")
    conditions = [getattr(P, k) == v for k, v in match.items() if k != "keep"]
    if keep is not None:
        conditions.append(P.event_type != keep)
    return and_(*conditions)


def _redacted(column: Any, keep: tuple[str, ...]) -> Any:
    """SQL: the column's text if empty or one of `keep`, else REDACTED."""
    return case((column.is_(None), None), (column.in_(keep), column), else_=REDACTED)


class Store:
    """Reads and writes of one transaction."""

    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher
        self._cursors = LogCursors(session, orm.event_log_cursors, orm.processed_events)

    def commit(self) -> None:
        self.session.commit()

    # -- idempotency ----------------------------------------------------------------------------

    def already_processed(self, event_id: UUID) -> bool:
        row = self.session.execute(
            select(orm.processed_events.c.event_id).where(
                orm.processed_events.c.event_id == event_id
            )
        ).first()
        return row is not None

    def mark_processed(self, event_id: UUID, event_type: str, now: datetime) -> None:
        self.session.execute(
            insert(orm.processed_events).values(
                event_id=event_id, event_type=event_type, processed_at=now
            )
        )

    def mark_processed_many(self, events: list[tuple[UUID, str]], now: datetime) -> None:
        """Mark a batch's events processed in one statement (executemany)."""
        if events:
            self.session.execute(
                insert(orm.processed_events),
                [
                    {"event_id": event_id, "event_type": event_type, "processed_at": now}
                    for event_id, event_type in events
                ],
            )

    # -- the catch-up from the cases event log (shared.event_log.CursorStore) ---------------------

    def log_cursor(self, name: str) -> int:
        return self._cursors.log_cursor(name)

    def set_log_cursor(self, name: str, seq: int, now: datetime) -> None:
        self._cursors.set_log_cursor(name, seq, now)

    def processed_among(self, event_ids: list[UUID]) -> set[UUID]:
        return self._cursors.processed_among(event_ids)

    # -- policies -------------------------------------------------------------------------------

    def policies(self, partnership_id: UUID, key: str | None = None) -> list[Policy]:
        """A partnership's policies (with its schools' overrides); only those of `key` if given
        (a delivery needs its own policy, not every policy's texts decrypted)."""
        query = select(orm.policies).where(orm.policies.c.partnership_id == partnership_id)
        if key is not None:
            query = query.where(orm.policies.c.key == key)
        rows = self.session.execute(query.order_by(orm.policies.c.key))
        return [self._policy(row) for row in rows.mappings()]

    def policy(self, policy_id: UUID) -> Policy | None:
        row = (
            self.session.execute(select(orm.policies).where(orm.policies.c.id == policy_id))
            .mappings()
            .first()
        )
        return self._policy(row) if row else None

    def _policy(self, row: Any) -> Policy:
        spec = dict(row["spec"])
        spec["quiet_start"] = _time(spec.get("quiet_start"))
        spec["quiet_end"] = _time(spec.get("quiet_end"))
        urls = json.loads(self.cipher.decrypt(row["group_urls"]))
        return Policy(
            id=row["id"],
            partnership_id=row["partnership_id"],
            school_id=row["school_id"],
            key=row["key"],
            name=row["name"],
            enabled=row["enabled"],
            group_urls=urls,
            **spec,
        )

    def save_policy(self, policy: Policy, now: datetime) -> None:
        spec = {k: v for k, v in dataclasses.asdict(policy).items() if k not in _SPEC_EXCLUDE}
        spec["quiet_start"] = policy.quiet_start.isoformat() if policy.quiet_start else None
        spec["quiet_end"] = policy.quiet_end.isoformat() if policy.quiet_end else None
        values = {
            "partnership_id": policy.partnership_id,
            "school_id": policy.school_id,
            "scope": str(policy.school_id) if policy.school_id else "*",
            "key": policy.key,
            "name": policy.name,
            "enabled": policy.enabled,
            "spec": spec,
            "group_urls": self.cipher.encrypt(json.dumps(policy.group_urls)),
            "updated_at": now,
        }
        exists = self.session.execute(
            select(orm.policies.c.id).where(orm.policies.c.id == policy.id)
        ).first()
        if exists:
            self.session.execute(
                update(orm.policies).where(orm.policies.c.id == policy.id).values(**values)
            )
        else:
            self.session.execute(insert(orm.policies).values(id=policy.id, **values))

    def create_defaults(self, policies: list[Policy], now: datetime) -> bool:
        """Insert a partnership's default policies unless another process just did."""
        try:
            with self.session.begin_nested():
                for policy in policies:
                    self.save_policy(policy, now)
        except IntegrityError:
            return False
        return True

    def key_taken(self, policy: Policy) -> bool:
        school = (
            orm.policies.c.school_id.is_(None)
            if policy.school_id is None
            else orm.policies.c.school_id == policy.school_id
        )
        query = select(orm.policies.c.id).where(
            orm.policies.c.partnership_id == policy.partnership_id,
            orm.policies.c.key == policy.key,
            school,
            orm.policies.c.id != policy.id,
        )
        return self.session.execute(query).first() is not None

    def policy_keys(self, partnership_id: UUID) -> set[str]:
        """The keys of a partnership's partnership-wide policies."""
        query = select(orm.policies.c.key).where(
            orm.policies.c.partnership_id == partnership_id, orm.policies.c.school_id.is_(None)
        )
        return set(self.session.execute(query).scalars())

    def has_policies(self, partnership_id: UUID) -> bool:
        return (
            self.session.execute(
                select(orm.policies.c.id)
                .where(orm.policies.c.partnership_id == partnership_id)
                .limit(1)
            ).first()
            is not None
        )

    # -- planned notifications ------------------------------------------------------------------

    def add_planned(self, items: list[PlannedNotification], now: datetime) -> int:
        """Insert rows; a row whose dedupe key exists is skipped. Returns how many were new."""
        if not items:
            return 0
        dialect = self.session.get_bind().dialect.name
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        added = 0
        for item in items:
            address = self.cipher.encrypt(item.address) if item.channel == "group" else item.address
            values = {
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
            result = self.session.execute(
                make(orm.planned_notifications)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["dedupe_key"])
                .execution_options(preserve_rowcount=True)  # psycopg: INSERT rowcount is -1
            )
            added += result.rowcount or 0  # type: ignore[attr-defined]  # a CursorResult
        return added

    def cancel_pending_many(self, now: datetime, matches: list[dict[str, Any]]) -> int:
        """cancel_pending for many column=value filters (each with its own `keep`) at once: one
        UPDATE per hundred filters (a batch's cancellations)."""
        done = 0
        for start in range(0, len(matches), 100):
            done += self._cancel(now, or_(*(_match(m) for m in matches[start : start + 100])))
        return done

    def cancel_pending(self, now: datetime, keep: str | None = None, **match: Any) -> int:
        """Cancel planned and queued rows matching column=value filters (reschedule, close),
        except those of the event type `keep`. A queued row's task then finds nothing to claim;
        only a send already under way goes."""
        return self._cancel(now, _match({**match, "keep": keep}))

    def _cancel(self, now: datetime, condition: Any) -> int:
        result = self.session.execute(
            update(orm.planned_notifications)
            .where(P.status.in_(("planned", "queued")), condition)
            # Free the dedupe key: a date moved back must be plannable again.
            .values(
                status="cancelled",
                status_changed_at=now,
                dedupe_key=P.dedupe_key + "|cancelled:" + cast(P.id, String),
            )
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

    def claim(self, notification_id: UUID, now: datetime, stale_before: datetime) -> Any | None:
        """Take a row for sending: planned/queued, or a sending row whose worker died. One
        UPDATE ... RETURNING claims and reads it; a first attempt has no earlier one to close."""
        claimed = (
            self.session.execute(
                update(orm.planned_notifications)
                .where(
                    P.id == notification_id,
                    or_(
                        P.status.in_(("planned", "queued")),
                        and_(P.status == "sending", P.status_changed_at < stale_before),
                    ),
                )
                .values(status="sending", attempts=P.attempts + 1, status_changed_at=now)
                .returning(*orm.planned_notifications.c)
            )
            .mappings()
            .first()
        )
        if claimed is None:
            return None
        row = self._readable(dict(claimed))
        if row["attempts"] > 1:
            # An attempt whose worker died stays visible as interrupted; this one is logged
            # now, so a crash mid-send leaves a trace in the delivery log.
            self.session.execute(
                update(orm.delivery_attempts)
                .where(A.notification_id == notification_id, A.outcome == "sending")
                .values(outcome="interrupted", finished_at=now, error=INTERRUPTED)
            )
        self.session.execute(
            insert(orm.delivery_attempts).values(
                notification_id=notification_id,
                attempt=row["attempts"],
                started_at=now,
                outcome="sending",
            )
        )
        return row

    def claim_digest(self, digest_key: str, exclude: UUID, now: datetime) -> list[Any]:
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
        rows: list[Any] = [self.notification(i) for i in ids]  # each just updated: never None
        for row in rows:
            self.session.execute(
                insert(orm.delivery_attempts).values(
                    notification_id=row["id"],
                    attempt=row["attempts"],
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

    def notification(self, notification_id: UUID) -> Any | None:
        row = (
            self.session.execute(select(orm.planned_notifications).where(P.id == notification_id))
            .mappings()
            .first()
        )
        return None if row is None else self._readable(dict(row))

    def _readable(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row with a group channel's URL decrypted (empty once scrubbed)."""
        if row["channel"] == "group" and row["address"]:
            row["address"] = self.cipher.decrypt(row["address"])
        return row

    def mark_accepted(self, ids: list[UUID], now: datetime) -> None:
        """The transport accepted the message of these rows: sent, and their open attempt too
        (the later `finish` and `record_attempt` of the same attempt change nothing more)."""
        self.session.execute(
            update(orm.planned_notifications)
            .where(P.id.in_(ids), P.status == "sending")
            .values(status="sent", sent_at=now, status_changed_at=now, last_error=None)
        )
        self.session.execute(
            update(orm.delivery_attempts)
            .where(A.notification_id.in_(ids), A.outcome == "sending")
            .values(outcome="sent", finished_at=now)
        )

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

    # -- personal data: a pupil's anonymisation and the log's own retention ---------------------

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
                dedupe_key=P.dedupe_key + "|cancelled:" + cast(P.id, String),
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

    def _scrub(self, where: Any, keep: tuple[str, ...]) -> int:
        """Blank the personal data of the rows matching `where` that still hold an address; error
        texts other than `keep` (the service's own words) become REDACTED."""
        ids = list(self.session.execute(select(P.id).where(where, P.address != "")).scalars())
        if not ids:
            return 0
        own = (*keep, INTERRUPTED)
        self.session.execute(
            update(orm.planned_notifications)
            .where(P.id.in_(ids))
            .values(address="", context={}, last_error=_redacted(P.last_error, own))
        )
        self.session.execute(
            update(orm.delivery_attempts)
            .where(A.notification_id.in_(ids), A.error.is_not(None))
            .values(error=_redacted(A.error, own))
        )
        return len(ids)

    # -- guardian preferences -------------------------------------------------------------------

    def preferences(self, guardian_id: UUID) -> dict[str, Any] | None:
        row = (
            self.session.execute(
                select(orm.guardian_preferences).where(
                    orm.guardian_preferences.c.guardian_id == guardian_id
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        prefs = dict(row)
        chosen = channel_choice.from_text(prefs["channels"])
        prefs["channels"] = list(chosen) if chosen else None
        return prefs

    def save_preferences(
        self,
        guardian_id: UUID,
        partnership_id: UUID,
        language: str | None,
        informational: bool,
        now: datetime,
        channels: Collection[str] | None = None,
    ) -> None:
        """Replace a guardian's settings; `channels` None leaves the channel to the policies."""
        self.session.execute(
            delete(orm.guardian_preferences).where(
                orm.guardian_preferences.c.guardian_id == guardian_id
            )
        )
        self.session.execute(
            insert(orm.guardian_preferences).values(
                guardian_id=guardian_id,
                partnership_id=partnership_id,
                language=language,
                informational=informational,
                updated_at=now,
                channels=channel_choice.to_text(channels),
            )
        )

    def channels_of_same_message(self, row: dict[str, Any]) -> set[str]:
        """The channels on which the message of `row` also goes to its recipient: the other rows
        of the same policy, subject, reminder kind and date, not cancelled and not given up."""
        due = P.due_on.is_(None) if row["due_on"] is None else P.due_on == row["due_on"]
        query = select(P.channel).where(
            P.policy_key == row["policy_key"],
            P.subject_kind == row["subject_kind"],
            P.subject_id == row["subject_id"],
            P.recipient_kind == row["recipient_kind"],
            P.recipient_id == row["recipient_id"],
            P.kind == row["kind"],
            due,
            P.id != row["id"],
            P.status.not_in(("cancelled", "dead")),
        )
        return set(self.session.execute(query).scalars())

    # -- holidays -------------------------------------------------------------------------------

    def calendar(self) -> HolidayCalendar:
        rows = self.session.execute(select(orm.holidays)).mappings()
        return HolidayCalendar(
            [Holiday(r["region"], r["name"], r["start"], r["end"]) for r in rows]
        )

    def holiday_school_years(self) -> set[str]:
        """The school years whose holidays are loaded."""
        query = select(orm.holidays.c.school_year).distinct()
        return set(self.session.execute(query).scalars())

    def replace_holidays(self, school_year: str, holidays: list[Holiday]) -> None:
        self.session.execute(delete(orm.holidays).where(orm.holidays.c.school_year == school_year))
        for h in holidays:
            self.session.execute(
                insert(orm.holidays).values(
                    region=h.region, name=h.name, start=h.start, end=h.end, school_year=school_year
                )
            )
