"""Use cases of the notifications service: consume an event, dispatch due rows, deliver one."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from services.notifications.domain import tlv
from services.notifications.domain.channel_choice import SKIPPED_FOR_CHOICE, left_out
from services.notifications.domain.notification import NotificationRow
from services.notifications.domain.planning import MEETING_SUBJECT
from services.notifications.domain.policy import Policy
from services.notifications.domain.templates import Message
from services.notifications.domain.timing import HolidayCalendar, next_allowed
from services.notifications.service_layer.attachments import (
    AttachmentUnavailable,
    MeetingSource,
    ReportSource,
    attachments_for,
)
from services.notifications.service_layer.consent_check import (
    CONSENT_REQUESTED,
    ConsentSource,
    ConsentUnavailable,
    InterventionSource,
    consent_request_details,
    stale_reason,
)
from services.notifications.service_layer.messages import (
    DeliveryRules,
    Texts,
    compose,
    mail_headers,
    policy_texts,
    transport_url,
)
from services.notifications.service_layer.messages import (  # the names callers know here
    preferences_link as preferences_link,
)
from services.notifications.service_layer.messages import (
    sign_in_link as sign_in_link,
)
from services.notifications.service_layer.policies import (  # the names callers know here
    ensure_defaults as ensure_defaults,
)
from services.notifications.service_layer.policies import policies_in_force
from services.notifications.service_layer.ports import (
    CancelFilter,
    DeliveryStore,
    Directory,
    NotificationStore,
    PolicyStore,
    Sender,
    SendResultLike,
    StoreFactory,
)
from shared.events import Envelope

log = logging.getLogger(__name__)


@dataclass
class NotSent:
    """An attempt that failed before anything was handed to the transport."""

    error: str | None
    ok: bool = False


@dataclass
class Acceptance:
    """Records a message as sent the moment its transport accepted it, before the transport
    closes its connection and before the attempt is logged: a worker killed after that moment
    leaves a `sent` row, which the stale sweep does not send again (the crash window shrinks to
    this one small transaction)."""

    stores: StoreFactory
    ids: list[UUID]
    clock: Callable[[], datetime]
    relaxed: bool = False
    recorded: bool = False

    def __call__(self) -> None:
        with self.stores() as store:
            if self.relaxed:
                store.relax()
            store.mark_accepted(self.ids, self.clock())
            store.commit()
        self.recorded = True


CALLED_OFF = "development_plan.meeting_cancelled"
# What an event makes obsolete: pending rows matching any of these column filters are cancelled
# (`keep`: rows of that event type are left alone).
CANCELS: dict[str, Callable[[dict[str, Any]], list[CancelFilter]]] = {
    "development_plan.evaluation_rescheduled": lambda d: [
        {"subject_kind": "plan_evaluation", "subject_id": d["evaluation_id"]},
    ],
    # A moved meeting's reminders are planned anew from the new start; a cancelled one has none.
    "development_plan.meeting_moved": lambda d: [
        {"subject_kind": MEETING_SUBJECT, "subject_id": d["evaluation_id"]},
    ],
    "development_plan.meeting_cancelled": lambda d: [
        {"subject_kind": MEETING_SUBJECT, "subject_id": d["evaluation_id"]},
    ],
    # An evaluation held (early) needs no more reminders of it, nor of its meeting.
    "development_plan.evaluated": lambda d: [
        {"subject_kind": "plan_evaluation", "subject_id": d["evaluation_id"]},
        {"subject_kind": MEETING_SUBJECT, "subject_id": d["evaluation_id"]},
    ],
    "intervention.evaluated": lambda d: [
        {"subject_kind": "intervention", "subject_id": d["intervention_id"]},
    ],
    # The parents answered: a request still waiting (deferred, or not yet sent) asks no more.
    "development_plan.consent_recorded": lambda d: [
        {"plan_id": d["plan_id"], "event_type": CONSENT_REQUESTED},
    ],
    # A closed plan or case needs no more reminders; the cancellation of a meeting it called off
    # still goes out (it withdraws the calendar invitation).
    "development_plan.closed": lambda d: [{"plan_id": d["plan_id"], "keep": CALLED_OFF}],
    "case.closed": lambda d: [{"case_id": d["case_id"], "keep": CALLED_OFF}],
    **tlv.CANCELS,  # issue 14: the decision meets its application's deadline
}


ANONYMISED = "pupil_anonymised"  # why a pending row of an anonymised pupil was cancelled


def forget_pupil(
    envelope: Envelope, stores: StoreFactory, directory: Directory, now: datetime
) -> int | None:
    """`pupil.anonymised`: cancel what is pending for the pupil and scrub the delivery log of
    their cases (addresses, names in the template context, error texts) and their guardians'
    preferences. Rows carry case ids, not the pupil's: the cases service names the pupil's cases
    (they keep their ids). Idempotent by event id, and a second pass would find nothing left.
    Returns the rows scrubbed; None for an event processed before (checked once, before the
    cases service is asked)."""
    with stores() as store:
        if store.processed_among([envelope.id]):
            return None
    case_ids = directory.case_ids(envelope.data["pupil_id"])  # a network call: no transaction
    with stores() as store:
        # The mark goes first and says whether a consumer handling the same event meanwhile
        # marked it already: then there is nothing left to scrub.
        if not store.mark_processed(envelope.id, envelope.type, now):
            return 0
        scrubbed = store.forget_cases(case_ids, now, ANONYMISED)
        store.commit()
    log.info("pupil anonymised: %d notifications of %d cases scrubbed", scrubbed, len(case_ids))
    return scrubbed


def scrub_delivery_log(stores: StoreFactory, now: datetime, days: int, batch: int = 1000) -> int:
    """The log's own retention: finished notifications older than `days` lose their address,
    context and error texts, one transaction per batch. Returns how many."""
    before = now - timedelta(days=days)
    total = 0
    while True:
        with stores() as store:
            done = store.scrub_finished(before, batch)
            store.commit()
        total += done
        if done < batch:
            return total


def due_for_dispatch(
    stores: StoreFactory, now: datetime, batch: int, stale_after_seconds: int
) -> list[UUID]:
    """Mark due (and stale in-flight) rows queued and return their ids; the caller enqueues them
    after this commit, never inside it."""
    with stores() as store:
        ids = store.due_ids(now, batch)
        ids += store.stale_ids(now - timedelta(seconds=stale_after_seconds), batch)
        store.mark_queued(ids, now)
        store.commit()
    return ids


def delivery_parts(ids: list[UUID], most: int, spread: int = 8) -> list[list[UUID]]:
    """The dispatched ids in parts of at most `most` for one task each, in their order; a small
    dispatch still goes out as up to `spread` parts, so the worker processes share it."""
    size = max(1, min(most, len(ids) // spread))
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _policy(store: PolicyStore, row: NotificationRow) -> Policy | None:
    """The policy a row was planned by, as it is now (its window and texts)."""
    for policy in policies_in_force(store, row.partnership_id, row.school_id, row.policy_key):
        if policy.key == row.policy_key:
            return policy
    return None


def backoff(attempt: int, base: int, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with ±20 % jitter, capped at one hour."""
    seconds = min(3600.0, base * 2 ** max(0, attempt - 1))
    return timedelta(seconds=seconds * (rng or random).uniform(0.8, 1.2))


@dataclass(frozen=True)
class Claimed:
    """A row claimed for sending, with the rest of its digest window (`group`, the row first),
    the language to write in and its policy as it is now."""

    row: NotificationRow
    group: list[NotificationRow]
    language: str
    policy: Policy

    @property
    def texts(self) -> Texts:
        return policy_texts(self.policy)

    @property
    def with_report(self) -> list[NotificationRow]:
        """The rows whose policy attaches their report."""
        return [r for r in self.group if self.policy.attaches_report(r.event_type, r.channel)]


@dataclass(frozen=True)
class Outgoing:
    """A message ready for its transport."""

    message: Message
    attachments: list[tuple[str, bytes]]


def deliver(
    notification_id: UUID,
    stores: StoreFactory,
    sender: Sender,
    rules: DeliveryRules,
    clock: Callable[[], datetime],
    reports: ReportSource | None = None,
    meetings: MeetingSource | None = None,
    consents: ConsentSource | None = None,
    interventions: InterventionSource | None = None,
    reads: PartReads | None = None,
    durable: bool = True,
) -> str:
    """Send one planned notification (with the rest of its digest window) once; returns the
    new status. A report a policy attaches is fetched now from `reports`, a meeting's place from
    `meetings` (the cases service), a consent request is re-checked with `consents` (one already
    answered is cancelled) and "support started" with `interventions` (one already evaluated is
    cancelled; both the cases service); while one cannot answer, the attempt fails and is
    retried like a failed send. `reads` may carry what an earlier row of the same part of a
    dispatch read (`PartReads`).

    Unless `durable`, the claim and the acceptance commit relaxed (`DeliveryStore.relax`): seen
    at once and kept through a crash of the worker, but not forced to the disk. A part of a
    dispatch delivers only its last row durably, which flushes the part's earlier commits with
    its own; a crash of the database before that may send those rows again, never lose one."""
    now = clock()
    claimed = _claim(notification_id, stores, rules, now, reads or PartReads(), durable)
    if isinstance(claimed, str):
        return claimed
    row, group = claimed.row, claimed.group
    accepted = Acceptance(stores, [item.id for item in group], clock, relaxed=not durable)
    started = clock()
    result: SendResultLike
    try:
        outgoing = _outgoing(claimed, rules, now, reports, meetings, consents, interventions)
    except (AttachmentUnavailable, ConsentUnavailable) as err:
        result = NotSent(str(err))
    else:
        if isinstance(outgoing, str):  # nothing to say any more
            return _cancel_claimed(stores, group, clock(), outgoing)
        result = sender.send(
            transport_url(row, rules),
            outgoing.message.subject,
            outgoing.message.body,
            outgoing.attachments or None,
            on_accepted=accepted,
            headers=mail_headers(row, rules, now),
        )
    # Once accepted, it is sent and logged already, whatever came after the 250.
    status = (
        "sent" if accepted.recorded else _record(stores, group, result, started, clock(), rules)
    )
    log.info(
        "notification %s: %s (attempt %s, %d in message)",
        notification_id,
        status,
        row.attempts,
        len(group),
        extra={"request_id": row.request_id, "event_id": str(row.event_id)},
    )
    return status


class PartReads:
    """What the rows of one part of a dispatch read alike, read from the store once per part
    (seconds) and kept for its rows: the school holidays, and each policy as the part found it
    (its window and texts, whether it is still enabled). An administrator's change reaches the
    next part, as it reaches a row already being sent."""

    def __init__(self) -> None:
        self._calendar: HolidayCalendar | None = None
        self._policies: dict[tuple[UUID, UUID | None, str], Policy | None] = {}

    def calendar(self, store: NotificationStore) -> HolidayCalendar:
        if self._calendar is None:
            self._calendar = store.calendar()
        return self._calendar

    def policy(self, store: PolicyStore, row: NotificationRow) -> Policy | None:
        """The policy a row was planned by, as it is now; None once disabled or removed."""
        key = (row.partnership_id, row.school_id, row.policy_key)
        if key not in self._policies:
            self._policies[key] = _policy(store, row)
        return self._policies[key]


def _claim(
    notification_id: UUID,
    stores: StoreFactory,
    rules: DeliveryRules,
    now: datetime,
    reads: PartReads,
    durable: bool,
) -> Claimed | str:
    """Claim the row (and the rest of its digest window) after the re-check at send time; the
    status instead when there is nothing to send now (skipped, cancelled, deferred). A claim
    must be seen by every worker at once, but need not survive a crash of the database on its
    own: one lost puts its row back in the queue (sent again, never lost). Relaxed unless
    `durable`: whatever a durable row comes to, its claim flushes what came before it."""
    with stores() as store:
        if not durable:
            store.relax()
        row = store.claim(notification_id, now, now - timedelta(seconds=rules.stale_after_seconds))
        if row is None:
            store.commit()
            return "skipped"
        checked = _recheck(store, row, now, reads)
        if isinstance(checked, str):
            store.commit()
            return checked
        group = [row]
        if row.digest_key:
            group += store.claim_digest(row.digest_key, notification_id, now)
        store.commit()
    language, policy = checked
    return Claimed(row, group, language, policy)


def _outgoing(
    claimed: Claimed,
    rules: DeliveryRules,
    now: datetime,
    reports: ReportSource | None,
    meetings: MeetingSource | None,
    consents: ConsentSource | None,
    interventions: InterventionSource | None,
) -> Outgoing | str:
    """The message and what it carries, asked of the other services now; the reason to cancel
    instead when a single message says nothing any more (a digest's items stay). Raises
    AttachmentUnavailable or ConsentUnavailable while a service cannot answer."""
    row, single = claimed.row, len(claimed.group) == 1
    stale = stale_reason(row, consents, interventions) if single else None
    if stale is not None:
        return stale
    details = consent_request_details(row, consents, rules.web_url) if single else {}
    message = compose(claimed.group, claimed.language, rules, now, claimed.texts, details)
    attachments = attachments_for(
        row,
        claimed.with_report,
        claimed.language,
        rules.mail_url,
        now,
        reports,
        meetings,
        organizer=rules.meeting_organizer,
    )
    return Outgoing(message, attachments)


def _record(
    stores: StoreFactory,
    group: list[NotificationRow],
    result: SendResultLike,
    started: datetime,
    finished: datetime,
    rules: DeliveryRules,
) -> str:
    """Record the attempt of each row of the message; the (last) row's new status."""
    status = "sent"
    with stores() as store:
        for item in group:
            status = _settle(store, item, result, started, finished, rules)
        store.commit()
    return status


def _cancel_claimed(
    stores: StoreFactory, group: list[NotificationRow], now: datetime, reason: str
) -> str:
    """Cancel claimed rows that turned out to have nothing to say; no attempt is counted."""
    with stores() as store:
        for item in group:
            store.release_claim(item.id, "cancelled", now, error=reason)
        store.commit()
    log.info("notification %s cancelled at send time: %s", group[0].id, reason)
    return "cancelled"


def _recheck(
    store: NotificationStore, row: NotificationRow, now: datetime, reads: PartReads
) -> tuple[str, Policy] | str:
    """Re-check at send time: the guardian's preferences (informational messages, channel), the
    policy still enabled, quiet hours, weekends and the school's holidays. Returns the
    language to write in and the policy as it is now (looked up once per delivery), or the
    status when the message is held back (claim released)."""
    if not row.address:  # scrubbed while a send was under way (the pupil was anonymised)
        return _release(store, row, now, ANONYMISED)
    language, left_out_because = _guardian_choice(store, row)
    if left_out_because is not None:
        return _release(store, row, now, left_out_because)
    policy = reads.policy(store, row)
    if policy is None:  # disabled or removed since the row was planned
        return _release(store, row, now, "policy disabled")
    region = row.context.get("region")
    allowed = next_allowed(now, policy.window, reads.calendar(store), region, row.critical)
    if allowed > now + timedelta(minutes=1):  # a retry landed in quiet hours: defer it
        store.release_claim(row.id, "planned", now, send_at=allowed)
        return "deferred"
    return language, policy


def _guardian_choice(store: NotificationStore, row: NotificationRow) -> tuple[str, str | None]:
    """The language to write in and, when the guardian's own choices leave the row out, why."""
    if row.recipient_kind != "guardian":
        return row.language, None
    prefs = store.preferences(UUID(row.recipient_id))
    if prefs is None:
        return row.language, None
    language = prefs.language or row.language
    if not prefs.informational and row.kind == "now" and not row.critical:
        return language, "guardian opted out"
    # The guardian's channel narrows, never silences: left out only if a chosen channel carries it.
    chosen = prefs.channels
    if chosen and row.channel not in chosen:
        if left_out(row.channel, chosen, store.channels_of_same_message(row)):
            return language, SKIPPED_FOR_CHOICE
    return language, None


def _release(store: DeliveryStore, row: NotificationRow, now: datetime, reason: str) -> str:
    """Cancel a claimed row that is not sent after all; its attempt is not counted."""
    store.release_claim(row.id, "cancelled", now, error=reason)
    return "cancelled"


def _settle(
    store: DeliveryStore,
    row: NotificationRow,
    result: SendResultLike,
    started: datetime,
    finished: datetime,
    rules: DeliveryRules,
) -> str:
    """Record the attempt and the row's new status: sent, planned again (backoff) or dead."""
    outcome = "sent" if result.ok else "failed"
    store.record_attempt(row.id, row.attempts, started, finished, outcome, result.error)
    if result.ok:
        store.finish(row.id, "sent", finished)
        return "sent"
    if row.attempts >= rules.max_attempts:
        store.finish(row.id, "dead", finished, result.error)
        return "dead"
    retry_at = finished + backoff(row.attempts, rules.retry_base_seconds)
    store.finish(row.id, "planned", finished, result.error, send_at=retry_at)
    return "planned"


def retry_dead(notification_id: UUID, stores: StoreFactory, now: datetime) -> bool:
    """Put a dead (or failed) notification back in the queue."""
    with stores() as store:
        row = store.notification(notification_id)
        if row is None or row.status not in ("dead", "failed") or not row.address:
            return False  # a scrubbed row has nowhere to go
        store.reset_for_retry(notification_id, now)
        store.commit()
    return True
