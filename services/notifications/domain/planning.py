"""Turning one event into planned notifications: pure, so every rule is unit-testable.

A planned notification is one message to one recipient on one channel at one moment, with a
dedupe key unique per (policy, subject, recipient, channel, reminder kind, due date): planning the
same event twice, or two events that mean the same reminder, yields one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from services.notifications.domain import tlv
from services.notifications.domain.invitation import MEETING_EVENTS, meeting_context
from services.notifications.domain.policy import (
    DEADLINE_EVENTS,
    DUE_DATE_FIELD,
    MEETING_START_FIELD,
    OVERDUE_EVENTS,
    Policy,
)
from services.notifications.domain.templates import PAYLOAD_DATES
from services.notifications.domain.timing import (
    HolidayCalendar,
    at_local,
    next_allowed,
    previous_allowed,
)
from shared.clock import AMSTERDAM
from shared.events import Envelope

MAX_EVENT_AGE = timedelta(days=3)
MEETING_SUBJECT = "meeting"  # reminders of a meeting: subject kind, the evaluation's id


@dataclass(frozen=True)
class Recipient:
    """Someone to notify, as the cases service describes them (addresses at planning time)."""

    kind: str  # guardian | user
    id: UUID
    role: str
    name: str
    email: str | None
    phone: str | None
    language: str = "nl"


@dataclass(frozen=True)
class Audience:
    """Who is around a case or school, and what messages may say about it."""

    school_name: str
    region: str | None
    recipients: list[Recipient]
    pupil_given_name: str | None = None
    case_status: str | None = None
    partnership_id: UUID | None = None

    def with_role(self, role: str) -> list[Recipient]:
        return [r for r in self.recipients if r.role == role]

    def contact(self) -> dict[str, str | None]:
        """Whom parents ask about their child: the first coordinator around the case (the
        pupil's own comes first), as a message's contact_name / _email / _phone."""
        found = self.with_role("coordinator")
        if not found:
            return dict.fromkeys(tlv.CONTACT_VARIABLES)
        first = found[0]
        return {
            "contact_name": first.name,
            "contact_email": first.email,
            "contact_phone": first.phone,
        }


@dataclass
class PlannedNotification:
    """One message waiting for its moment."""

    partnership_id: UUID
    school_id: UUID | None
    case_id: UUID | None
    subject_kind: str
    subject_id: UUID
    event_id: UUID
    event_type: str
    policy_key: str
    recipient_kind: str  # guardian | user | group
    recipient_id: str
    recipient_role: str
    channel: str  # email | sms | group
    address: str
    language: str
    template: str
    kind: str  # now | lead:<days> | escalation
    due_on: date | None
    send_at: datetime
    critical: bool
    plan_id: UUID | None = None
    digest_key: str | None = None  # rows with one key go out as one daily message
    context: dict[str, Any] = field(default_factory=dict)
    status: str = "planned"
    request_id: str | None = None  # the envelope's: links the delivery's log to the request
    id: UUID = field(default_factory=uuid4)

    @property
    def dedupe_key(self) -> str:
        due = self.due_on.isoformat() if self.due_on else "-"
        return "|".join(
            [
                self.policy_key,
                f"{self.subject_kind}:{self.subject_id}",
                f"{self.recipient_kind}:{self.recipient_id}",
                self.channel,
                self.kind,
                due,
            ]
        )


def reminder_subject(envelope: Envelope) -> tuple[str, UUID]:
    """What a reminder is about: the evaluation, intervention, referral or profile with the date,
    or the meeting of an evaluation (its own subject: moving the evaluation's date leaves the
    meeting's reminders alone, and moving the meeting leaves the date's)."""
    data = envelope.data
    if envelope.type in MEETING_START_FIELD:
        return MEETING_SUBJECT, data["evaluation_id"]
    for kind, key in (
        ("plan_evaluation", "evaluation_id"),
        ("intervention", "intervention_id"),
        ("referral", "referral_id"),
        ("support_profile", "support_profile_id"),
    ):
        if key in data:
            return kind, data[key]
    return envelope.subject.kind, envelope.subject.id


def plan_event(
    envelope: Envelope,
    policies: list[Policy],
    audience: Audience,
    calendar: HolidayCalendar,
    now: datetime,
) -> list[PlannedNotification]:
    """Every notification the effective policies ask for, for one event."""
    planned: list[PlannedNotification] = []
    if not tlv.notifies(envelope):
        return planned
    for policy in policies:
        if envelope.type not in policy.event_types:
            continue
        rows: list[PlannedNotification] = []
        for kind, due_on, moment, roles in _moments(envelope, policy, calendar, audience, now):
            rows += _for_recipients(envelope, policy, audience, kind, due_on, moment, roles)
        if policy.delivery == "digest":
            _into_digests(rows, policy, calendar, audience.region)
        planned += rows
    return planned


def _into_digests(
    rows: list[PlannedNotification], policy: Policy, calendar: HolidayCalendar, region: str | None
) -> None:
    """Staff rows of a digest policy wait for the next daily window (the send hour) and share a
    key per recipient, channel and window; parents always get their messages one by one."""
    for row in rows:
        if row.recipient_kind != "user":
            continue
        local = row.send_at.astimezone(AMSTERDAM)
        window = at_local(local.date(), policy.send_hour)
        if window < row.send_at:
            window = at_local(local.date() + timedelta(days=1), policy.send_hour)
        row.send_at = next_allowed(window, policy.window, calendar, region)
        row.digest_key = "|".join(
            [policy.key, f"user:{row.recipient_id}", row.channel, row.send_at.isoformat()]
        )


def _moments(
    envelope: Envelope, policy: Policy, calendar: HolidayCalendar, audience: Audience, now: datetime
) -> list[tuple[str, date | None, datetime, list[str]]]:
    region = audience.region
    window = policy.window
    if policy.is_reminder(envelope.type):
        due_on: date = envelope.data[DUE_DATE_FIELD[envelope.type]]
        moments = []
        today = now.astimezone(AMSTERDAM).date()
        for lead in sorted(policy.lead_times_days, reverse=True):
            planned_at = at_local(due_on - timedelta(days=lead), policy.send_hour)
            last = lead == min(policy.lead_times_days)
            # A reminder whose day has passed is skipped (today's still goes), except the last one
            # while the due date is still ahead: late planning sends one reminder, not none.
            if due_on - timedelta(days=lead) < today and not (last and due_on >= today):
                continue
            moment = next_allowed(max(planned_at, now), window, calendar, region, policy.critical)
            if moment.astimezone(AMSTERDAM).date() > due_on:
                # Deferred past the date itself (a date in a holiday): remind earlier instead.
                moment = previous_allowed(due_on, now, window, calendar, region) or moment
            moments.append((f"lead:{lead}", due_on, moment, policy.recipient_roles))
        # Reminders that a weekend or holiday pushed onto the same moment go as one: the one
        # closest to the date.
        by_moment: dict[datetime, tuple[str, date | None, datetime, list[str]]] = {}
        for item in moments:
            by_moment[item[2]] = item
        return list(by_moment.values()) + _past_deadline(envelope, policy, calendar, region, now)
    result: list[tuple[str, date | None, datetime, list[str]]] = []
    if policy.reminds_of_meeting(envelope.type):
        result += _meeting_reminders(envelope, policy, calendar, region, now)
    if now - envelope.occurred_at > MAX_EVENT_AGE:
        return result  # a replayed or long-delayed event: "it happened" news is no longer news
    moment = next_allowed(now, window, calendar, region, policy.critical)
    result.insert(0, ("now", None, moment, policy.recipient_roles))
    if envelope.type in OVERDUE_EVENTS and policy.escalate_after_days and policy.escalate_to:
        due: date = envelope.data.get("due_on") or envelope.data["evaluate_by"]
        at = at_local(due + timedelta(days=policy.escalate_after_days), policy.send_hour)
        result.append(
            (
                "escalation",
                due,
                next_allowed(max(at, now), window, calendar, region),
                policy.escalate_to,
            )
        )
    return result


def _past_deadline(
    envelope: Envelope, policy: Policy, calendar: HolidayCalendar, region: str | None, now: datetime
) -> list[tuple[str, date | None, datetime, list[str]]]:
    """A deadline's date has passed (DEADLINE_EVENTS): the policy's recipients hear it the day
    after, at the send hour, and `escalate_to` that many days after the date, as an overdue
    evaluation's escalation does. The event that meets the deadline cancels both."""
    if envelope.type not in DEADLINE_EVENTS:
        return []
    due_on: date = envelope.data[DUE_DATE_FIELD[envelope.type]]
    window = policy.window
    overdue_at = at_local(due_on + timedelta(days=1), policy.send_hour)
    moments: list[tuple[str, date | None, datetime, list[str]]] = [
        (
            "overdue",
            due_on,
            next_allowed(max(overdue_at, now), window, calendar, region, policy.critical),
            policy.recipient_roles,
        )
    ]
    if policy.escalate_after_days and policy.escalate_to:
        at = at_local(due_on + timedelta(days=policy.escalate_after_days), policy.send_hour)
        moment = next_allowed(max(at, now), window, calendar, region, policy.critical)
        moments.append(("escalation", due_on, moment, policy.escalate_to))
    return moments


def _meeting_reminders(
    envelope: Envelope, policy: Policy, calendar: HolidayCalendar, region: str | None, now: datetime
) -> list[tuple[str, date | None, datetime, list[str]]]:
    """Reminders of a planned (or moved) meeting: the lead time counted back from the meeting's
    day, at the send hour, deferred past weekends, holidays and quiet hours, but never to or
    after the start (then the last allowed send hour before it, or none). A reminder whose
    moment has passed is skipped: the invitation going out now says the same. Reminders that
    land on the same moment go as one, the one closest to the meeting."""
    starts_at: datetime = envelope.data[MEETING_START_FIELD[envelope.type]]
    meeting_day = starts_at.astimezone(AMSTERDAM).date()
    by_moment: dict[datetime, tuple[str, date | None, datetime, list[str]]] = {}
    for lead in sorted(policy.lead_times_days, reverse=True):
        day = meeting_day - timedelta(days=lead)
        planned_at = at_local(day, policy.send_hour)
        if planned_at < now:
            continue
        moment = next_allowed(planned_at, policy.window, calendar, region, policy.critical)
        if moment >= starts_at:
            found = _last_before(starts_at, day, policy, calendar, region, now)
            if found is None:
                continue
            moment = found
        by_moment[moment] = (f"lead:{lead}", meeting_day, moment, policy.recipient_roles)
    return list(by_moment.values())


def _last_before(
    starts_at: datetime,
    day: date,
    policy: Policy,
    calendar: HolidayCalendar,
    region: str | None,
    now: datetime,
) -> datetime | None:
    """The send hour of the last allowed day on or before `day` that is before the start and not
    in the past; None when there is none."""
    while True:
        moment = previous_allowed(day, now, policy.window, calendar, region)
        if moment is None or moment < starts_at:
            return moment
        day = moment.astimezone(AMSTERDAM).date() - timedelta(days=1)


def _for_recipients(
    envelope: Envelope,
    policy: Policy,
    audience: Audience,
    kind: str,
    due_on: date | None,
    moment: datetime,
    roles: list[str],
) -> list[PlannedNotification]:
    """The rows of one moment: each person of `roles` on each of the role's channels they can
    be reached on, then each of the policy's group channels."""
    common = _common(envelope, policy, kind, due_on, moment)
    out = []
    for role in roles:
        channels = policy.channels.get(role) or ["email"]
        for person in audience.with_role(role):
            for channel in channels:
                address = person.email if channel == "email" else person.phone
                if not address:
                    continue
                out.append(
                    PlannedNotification(
                        **{**common, "template": tlv.template_for(common["template"], person.kind)},
                        recipient_kind=person.kind,
                        recipient_id=str(person.id),
                        recipient_role=role,
                        channel=channel,
                        address=address,
                        language=person.language,
                        context=_context(envelope, audience, person),
                    )
                )
    return out + _for_groups(envelope, policy, audience, common)


def _common(
    envelope: Envelope, policy: Policy, kind: str, due_on: date | None, moment: datetime
) -> dict[str, Any]:
    """What every row of one moment shares, whoever it goes to."""
    subject_kind, subject_id = (
        reminder_subject(envelope) if kind != "now" else ("event", envelope.id)
    )
    return {
        "partnership_id": envelope.partnership_id,
        "school_id": envelope.school_id,
        "case_id": envelope.data.get("case_id"),
        "plan_id": envelope.data.get("plan_id"),
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "event_id": envelope.id,
        "event_type": envelope.type,
        "request_id": envelope.request_id,
        "policy_key": policy.key,
        "kind": kind,
        "due_on": due_on,
        "send_at": moment,
        "critical": policy.critical,
        "template": envelope.type if kind == "now" else f"{envelope.type}.{kind.split(':')[0]}",
    }


def _for_groups(
    envelope: Envelope, policy: Policy, audience: Audience, common: dict[str, Any]
) -> list[PlannedNotification]:
    """One row per group channel of the policy (a reference only, in Dutch)."""
    return [
        PlannedNotification(
            **common,
            recipient_kind="group",
            recipient_id=str(index),
            recipient_role="group",
            channel="group",
            address=url,
            language="nl",
            context=_context(envelope, audience, None),
        )
        for index, url in enumerate(policy.group_urls)
    ]


def _context(envelope: Envelope, audience: Audience, person: Recipient | None) -> dict[str, Any]:
    """What a template may use. Group channels get a reference only: no names, no domains."""
    data = envelope.data
    reference = str(data.get("case_id") or envelope.subject.id)[:8]
    # The region is no personal detail: it lets delivery re-check the school's holidays.
    context: dict[str, Any] = {"reference": reference, "region": audience.region}
    for key in ("case_id", "plan_id"):  # ids only: the web page the message links to
        if data.get(key):
            context[key] = str(data[key])
    if "report_id" in data:
        context["report_id"] = str(data["report_id"])
        context["period_start"] = data["period_start"].isoformat()
        context["period_end"] = data["period_end"].isoformat()
    if envelope.type in MEETING_EVENTS:  # the calendar invitation is built at send time
        context["meeting"] = meeting_context(envelope.type, data)
        context["meeting_at"] = data["starts_at"].isoformat()
    if "link_id" in data:  # a sign-in link: signed at send time, never stored
        context["link_id"] = str(data["link_id"])
        context["link_expires_at"] = data["expires_at"].isoformat()
    private = tlv.hidden(envelope.type, person.kind if person else None)
    for key in PAYLOAD_DATES:
        if key in data and data[key] is not None and key not in private:
            context[key] = data[key].isoformat()
    context |= tlv.context(envelope, audience.contact(), person.kind if person else None)
    if "action_plan_version" in data:  # a consent request is re-checked at send time by it
        context["action_plan_version"] = int(data["action_plan_version"])
    if "school_year" in data:  # rule 6's notice: a code such as "2026-2027"
        context["school_year"] = str(data["school_year"])
    if person is not None:
        context["school"] = audience.school_name
        context["recipient_name"] = person.name
        context["pupil"] = audience.pupil_given_name
        if "domain" in data:
            context["domain"] = data["domain"]
        if envelope.type == "intervention.started":  # re-checked at send time: still running?
            context["intervention_id"] = str(data["intervention_id"])
    return context
