"""Use cases of the notifications service: consume an event, dispatch due rows, deliver one."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from services.notifications.domain import tlv
from services.notifications.domain.channel_choice import SKIPPED_FOR_CHOICE, left_out
from services.notifications.domain.planning import MEETING_SUBJECT, Audience
from services.notifications.domain.policy import (
    LATER_DEFAULT_KEYS,
    SIGN_IN_EVENT,
    Policy,
    built_in_policies,
    default_policies,
    effective_policies,
)
from services.notifications.domain.templates import Message, render, render_digest
from services.notifications.domain.timing import next_allowed
from services.notifications.domain.transports import email_url, sms_url
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
from shared.events import Envelope
from shared.signing import sign
from shared.web_links import link_for

log = logging.getLogger(__name__)


class Directory(Protocol):
    def audience(
        self,
        case_id: UUID | None,
        school_id: UUID | None,
        partnership_consultants: bool = False,
        guardian_id: UUID | None = None,
    ) -> Audience | None: ...

    def case_ids(self, pupil_id: UUID) -> list[UUID]: ...


class SendResultLike(Protocol):
    ok: bool
    error: str | None


@dataclass
class NotSent:
    """An attempt that failed before anything was handed to the transport."""

    error: str | None
    ok: bool = False


class Sender(Protocol):
    def send(
        self,
        url: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, bytes]] | None = None,
        on_accepted: Callable[[], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SendResultLike: ...


@dataclass
class Acceptance:
    """Records a message as sent the moment its transport accepted it, before the transport
    closes its connection and before the attempt is logged: a worker killed after that moment
    leaves a `sent` row, which the stale sweep does not send again (the crash window shrinks to
    this one small transaction)."""

    stores: StoreFactory
    ids: list[UUID]
    clock: Callable[[], datetime]
    recorded: bool = False

    def __call__(self) -> None:
        with self.stores() as store:
            store.mark_accepted(self.ids, self.clock())
            store.commit()
        self.recorded = True


StoreFactory = Callable[[], AbstractContextManager[Any]]

CALLED_OFF = "development_plan.meeting_cancelled"
# What an event makes obsolete: pending rows matching any of these column filters are cancelled
# (`keep`: rows of that event type are left alone).
CANCELS: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {
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


@dataclass(frozen=True)
class DeliveryRules:
    """Where messages go out and how hard we try."""

    mail_url: str
    sms_url: str
    public_url: str
    link_secret: str = ""
    reports_url: str = ""
    web_url: str = ""  # the web front end's public address: messages link to its pages
    # Who organises meetings in their invitations (receives the replies); empty: the mail
    # transport's sender.
    meeting_organizer: str = ""
    max_attempts: int = 8
    retry_base_seconds: int = 30
    stale_after_seconds: int = 300


SIGN_IN_PURPOSE = "guardian-sign-in"  # the cases service checks the same purpose
PREFERENCES_PURPOSE = "guardian-preferences"
PREFERENCES_LINK_TTL = timedelta(days=180)


def preferences_link(
    rules: DeliveryRules, guardian_id: str, partnership_id: UUID, now: datetime
) -> str:
    """The signed, expiring link in every message to a guardian: their settings page on the web
    front end's parents' pages (it needs no account). The API answers the same token at
    /api/v1/preferences/<token>, and sends a browser that opens it there on to this page."""
    token = _preferences_token(rules, guardian_id, partnership_id, now)
    return preferences_page(rules.web_url, token)


def preferences_page(web_url: str, token: str) -> str:
    """The web page of a guardian's settings for a preference token."""
    return f"{web_url}/ouders/voorkeuren/{token}"


def unsubscribe_headers(
    rules: DeliveryRules, guardian_id: str, partnership_id: UUID, now: datetime
) -> dict[str, str]:
    """List-Unsubscribe (RFC 2369) with one-click (RFC 8058) for a message to a guardian: a POST
    to the signed link turns informational messages off (requests and reminders still come)."""
    token = _preferences_token(rules, guardian_id, partnership_id, now)
    return {
        "List-Unsubscribe": f"<{rules.public_url}/api/v1/preferences/{token}/unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _preferences_token(
    rules: DeliveryRules, guardian_id: str, partnership_id: UUID, now: datetime
) -> str:
    return sign(
        {"gid": guardian_id, "pid": str(partnership_id)},
        rules.link_secret,
        PREFERENCES_PURPOSE,
        now,
        PREFERENCES_LINK_TTL,
    )


def sign_in_link(rules: DeliveryRules, context: dict[str, Any], now: datetime) -> str | None:
    """The guardian's one-time sign-in link to the web front end, signed now (the cases service
    spends it once); None when it has expired meanwhile."""
    expires_at = datetime.fromisoformat(context["link_expires_at"])
    if expires_at <= now:
        return None
    token = sign(
        {"lid": context["link_id"]}, rules.link_secret, SIGN_IN_PURPOSE, now, expires_at - now
    )
    return f"{rules.web_url}/ouders/inloggen/{token}"


def _policies(
    store: Any, partnership_id: UUID, school_id: UUID | None, key: str | None = None
) -> list[Policy]:
    """The policies in force for a school, with the built-in ones no one switches off (only
    those of `key` if given: a school's override replaces a partnership policy per key)."""
    built_in = [p for p in built_in_policies(partnership_id) if key is None or p.key == key]
    return effective_policies(store.policies(partnership_id, key), school_id) + built_in


def ensure_defaults(store: Any, partnership_id: UUID, now: datetime) -> None:
    """Give a partnership the default policies the first time it is seen, and later the
    defaults added since (LATER_DEFAULT_KEYS) that it lacks."""
    defaults = default_policies(partnership_id)
    if store.has_policies(partnership_id):
        have = store.policy_keys(partnership_id)
        defaults = [p for p in defaults if p.key in LATER_DEFAULT_KEYS and p.key not in have]
    if defaults:
        store.create_defaults(defaults, now)
        store.commit()


ANONYMISED = "pupil_anonymised"  # why a pending row of an anonymised pupil was cancelled


def forget_pupil(
    envelope: Envelope, stores: StoreFactory, directory: Directory, now: datetime
) -> int:
    """`pupil.anonymised`: cancel what is pending for the pupil and scrub the delivery log of
    their cases (addresses, names in the template context, error texts) and their guardians'
    preferences. Rows carry case ids, not the pupil's: the cases service names the pupil's cases
    (they keep their ids). Idempotent by event id, and a second pass would find nothing left.
    Returns the rows scrubbed."""
    with stores() as store:
        if store.already_processed(envelope.id):
            return 0
    case_ids = directory.case_ids(envelope.data["pupil_id"])  # a network call: no transaction
    with stores() as store:
        if store.already_processed(envelope.id):
            return 0
        scrubbed = store.forget_cases(case_ids, now, ANONYMISED)
        store.mark_processed(envelope.id, envelope.type, now)
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


def _url(row: dict[str, Any], rules: DeliveryRules) -> str:
    if row["channel"] == "email":
        return email_url(rules.mail_url, row["address"])
    if row["channel"] == "sms":
        return sms_url(rules.sms_url, row["address"])
    return row["address"]


def _policy(store: Any, row: dict[str, Any]) -> Policy | None:
    """The policy a row was planned by, as it is now (its window and texts)."""
    for policy in _policies(store, row["partnership_id"], row["school_id"], row["policy_key"]):
        if policy.key == row["policy_key"]:
            return policy
    return None


def backoff(attempt: int, base: int, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with ±20 % jitter, capped at one hour."""
    seconds = min(3600.0, base * 2 ** max(0, attempt - 1))
    return timedelta(seconds=seconds * (rng or random).uniform(0.8, 1.2))


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
) -> str:
    """Send one planned notification (with the rest of its digest window) once; returns the
    new status. A report a policy attaches is fetched now from `reports`, a meeting's place from
    `meetings` (the cases service), a consent request is re-checked with `consents` (one already
    answered is cancelled) and "support started" with `interventions` (one already evaluated is
    cancelled; both the cases service); while one cannot answer, the attempt fails and is
    retried like a failed send."""
    now = clock()
    with stores() as store:
        row = store.claim(notification_id, now, now - timedelta(seconds=rules.stale_after_seconds))
        if row is None:
            store.commit()
            return "skipped"
        language, held, policy = _recheck(store, row, now)
        if held is not None:
            store.commit()
            return held
        texts = {
            k: {lang: (v[0], v[1]) for lang, v in langs.items()}
            for k, langs in (policy.templates if policy else {}).items()
        }
        group = [row]
        if row["digest_key"]:
            group += store.claim_digest(row["digest_key"], notification_id, now)
        with_report = [
            r for r in group if policy and policy.attaches_report(r["event_type"], r["channel"])
        ]
        store.commit()
    accepted = Acceptance(stores, [item["id"] for item in group], clock)
    started = clock()
    result: SendResultLike
    try:
        stale = stale_reason(row, consents, interventions) if len(group) == 1 else None
        if stale is not None:  # a digest's items stay
            return _cancel_claimed(stores, group, clock(), stale)
        details = consent_request_details(row, consents, rules.web_url) if len(group) == 1 else {}
        message = _message(group, language, rules, now, texts, details)
        attachments = attachments_for(
            row,
            with_report,
            language,
            rules.mail_url,
            now,
            reports,
            meetings,
            organizer=rules.meeting_organizer,
        )
    except (AttachmentUnavailable, ConsentUnavailable) as err:
        result = NotSent(str(err))
    else:
        result = sender.send(
            _url(row, rules),
            message.subject,
            message.body,
            attachments or None,
            on_accepted=accepted,
            headers=_headers(row, rules, now),
        )
    status = "sent"
    if not accepted.recorded:  # else sent and logged already, whatever came after the 250
        finished = clock()
        with stores() as store:
            for item in group:
                status = _settle(store, item, result, started, finished, rules)
            store.commit()
    log.info(
        "notification %s: %s (attempt %s, %d in message)",
        notification_id,
        status,
        row["attempts"],
        len(group),
        extra={"request_id": row.get("request_id"), "event_id": str(row["event_id"])},
    )
    return status


def _headers(row: dict[str, Any], rules: DeliveryRules, now: datetime) -> dict[str, str]:
    """E-mail headers of a message: the unsubscribe link on messages to a guardian."""
    if row["recipient_kind"] != "guardian" or not rules.link_secret:
        return {}
    return unsubscribe_headers(rules, row["recipient_id"], row["partnership_id"], now)


def _cancel_claimed(
    stores: StoreFactory, group: list[dict[str, Any]], now: datetime, reason: str
) -> str:
    """Cancel claimed rows that turned out to have nothing to say; no attempt is counted."""
    with stores() as store:
        for item in group:
            store.release_claim(item["id"], "cancelled", now, error=reason)
        store.commit()
    log.info("notification %s cancelled at send time: %s", group[0]["id"], reason)
    return "cancelled"


def _recheck(
    store: Any, row: dict[str, Any], now: datetime
) -> tuple[str, str | None, Policy | None]:
    """Re-check at send time: the guardian's preferences (informational messages, channel), the
    policy still enabled, quiet hours, weekends and the school's holidays. Returns the
    language to write in, a status when the message is held back (claim released), and the
    policy as it is now (looked up once per delivery)."""
    if not row["address"]:  # scrubbed while a send was under way (the pupil was anonymised)
        store.release_claim(row["id"], "cancelled", now, error=ANONYMISED)
        return row["language"], "cancelled", None
    language, opted_out, chosen = row["language"], False, None
    if row["recipient_kind"] == "guardian":
        prefs = store.preferences(UUID(row["recipient_id"]))
        if prefs is not None:
            language = prefs["language"] or language
            opted_out = not prefs["informational"] and row["kind"] == "now"
            chosen = prefs.get("channels")
    if opted_out and not row["critical"]:
        store.release_claim(row["id"], "cancelled", now, error="guardian opted out")
        return language, "cancelled", None
    # The guardian's channel narrows, never silences: left out only if a chosen channel carries it.
    if chosen and row["channel"] not in chosen:
        if left_out(row["channel"], chosen, store.channels_of_same_message(row)):
            store.release_claim(row["id"], "cancelled", now, error=SKIPPED_FOR_CHOICE)
            return language, "cancelled", None
    policy = _policy(store, row)
    if policy is None:  # disabled or removed since the row was planned
        store.release_claim(row["id"], "cancelled", now, error="policy disabled")
        return language, "cancelled", None
    region = row["context"].get("region")
    allowed = next_allowed(now, policy.window, store.calendar(), region, row["critical"])
    if allowed > now + timedelta(minutes=1):  # a retry landed in quiet hours: defer it
        store.release_claim(row["id"], "planned", now, send_at=allowed)
        return language, "deferred", policy
    return language, None, policy


def _message(
    group: list[dict[str, Any]],
    language: str,
    rules: DeliveryRules,
    now: datetime,
    texts: dict[str, dict[str, tuple[str, str]]],
    details: dict[str, Any] | None = None,
) -> Message:
    """One message (with `details` asked at send time), or a daily digest listing each item."""
    row = group[0]
    context = {**linked_context(row, rules), "reports_url": rules.reports_url or None}
    context |= details or {}
    if row["recipient_kind"] == "guardian" and rules.link_secret:
        context["preferences_url"] = preferences_link(
            rules, row["recipient_id"], row["partnership_id"], now
        )
    if row["template"] == SIGN_IN_EVENT:
        context["sign_in_url"] = sign_in_link(rules, context, now)
    if row["template"] == tlv.PARENTS_TEMPLATE:
        context["decision_url"] = tlv.decision_url(rules.web_url, context)
    if len(group) == 1:
        return render(row["template"], language, context, row["channel"] == "group", texts)
    items = [
        render(r["template"], language, linked_context(r, rules), overrides=texts) for r in group
    ]
    return render_digest(items, language, context)


def linked_context(row: dict[str, Any], rules: DeliveryRules) -> dict[str, Any]:
    """The row's context and the web page it is about, for staff and group channels (the link
    holds only ids and needs a log-in; guardians do not sign in to the staff pages)."""
    context = dict(row["context"])
    if row["recipient_kind"] == "group":  # a case's or plan's page at most: no report's id
        ids = {key: context.get(key) for key in ("case_id", "plan_id")}
        context["link"] = link_for(rules.web_url, ids)
    elif row["recipient_kind"] != "guardian":
        context["link"] = link_for(rules.web_url, context)
    return context


def _settle(
    store: Any,
    row: dict[str, Any],
    result: SendResultLike,
    started: datetime,
    finished: datetime,
    rules: DeliveryRules,
) -> str:
    """Record the attempt and the row's new status: sent, planned again (backoff) or dead."""
    outcome = "sent" if result.ok else "failed"
    store.record_attempt(row["id"], row["attempts"], started, finished, outcome, result.error)
    if result.ok:
        store.finish(row["id"], "sent", finished)
        return "sent"
    if row["attempts"] >= rules.max_attempts:
        store.finish(row["id"], "dead", finished, result.error)
        return "dead"
    retry_at = finished + backoff(row["attempts"], rules.retry_base_seconds)
    store.finish(row["id"], "planned", finished, result.error, send_at=retry_at)
    return "planned"


def retry_dead(notification_id: UUID, stores: StoreFactory, now: datetime) -> bool:
    """Put a dead (or failed) notification back in the queue."""
    with stores() as store:
        row = store.notification(notification_id)
        if row is None or row["status"] not in ("dead", "failed") or not row["address"]:
            return False  # a scrubbed row has nowhere to go
        store.reset_for_retry(notification_id, now)
        store.commit()
    return True
