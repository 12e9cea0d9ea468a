"""Simulating a policy: the reminders it WOULD send in the next days for the dates scheduled now,
for a draft before it is saved or for a saved policy. Nothing is planned, stored or sent.

How: the cases service lists the dates scheduled for open subjects of the partnership (an
intervention's evaluation, a plan evaluation and its planned meeting, the end of an admission
statement, a support profile's review), each as the event that set it. Each becomes a synthetic
envelope, and the pure planning (`plan_event`) runs for this one policy, with the school's region
holidays, weekends, quiet hours and the send hour, exactly as the consumer would plan it on
receiving that event now: a reminder whose day has passed is skipped, except the last one before
a date still ahead.

What is left out, on purpose:
- messages "at once" about an event (news, a meeting's invitation) and escalations after an
  overdue date: they follow events that have not happened yet; such event types are listed in
  `not_simulated`, as are the `*_approaching` / `*_expiring` types the cases beat emits at a
  horizon;
- people: the audience of every case would be one call per case to the cases service, and would
  fetch the names and addresses of every family for a preview. One stand-in per recipient role
  plans instead, so a message here is one per date, role and channel (and one per group channel):
  a role with two guardians gets two e-mails where this lists one. No address is ever involved.
- schools with their own version (same key) of a partnership policy: that version applies there.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID, uuid5

from marshmallow import ValidationError

from services.notifications.domain.planning import (
    Audience,
    PlannedNotification,
    Recipient,
    plan_event,
)
from services.notifications.domain.policy import Policy
from services.notifications.domain.timing import HolidayCalendar
from shared.clock import AMSTERDAM
from shared.events import CATALOG, Envelope
from shared.events.envelope import EnvelopeSchema, UnknownEventType

log = logging.getLogger(__name__)

# The event types the cases service tells a scheduled date by (GET /api/v1/internal/scheduled).
SCHEDULING_EVENTS = (
    "intervention.started",
    "development_plan.evaluation_scheduled",
    "development_plan.evaluation_rescheduled",
    "referral.admission_statement_recorded",
    "support_profile.published",
    "development_plan.meeting_planned",
    "development_plan.meeting_moved",
)
# The payload field that names an envelope's subject, per subject kind.
SUBJECT_FIELD = {
    "intervention": "intervention_id",
    "development_plan": "plan_id",
    "referral": "referral_id",
    "support_profile": "support_profile_id",
}
MAX_DAYS = 60
_NAMESPACE = UUID("5f0c9a52-3c1e-4d1b-9a43-7e0a3b6c2d11")  # synthetic ids: stable per date
_STAND_IN = "-"  # a stand-in's address: never leaves this module


@dataclass(frozen=True)
class ScheduledDate:
    """A date scheduled in the cases service, told as the event that set it."""

    subject_kind: str  # intervention | plan_evaluation | meeting | admission_statement | ...
    subject_id: UUID
    school_id: UUID
    case_id: UUID | None
    region: str | None  # the school's holiday region
    due_on: date
    event_type: str
    data: dict[str, Any]  # that event's payload in its wire form


class ScheduleSource(Protocol):
    def scheduled(self, partnership_id: UUID, start: date, end: date) -> list[ScheduledDate]: ...


@dataclass(frozen=True)
class WouldSend:
    """One message the policy would send: to a role (or a group channel), never to an address."""

    send_at: datetime  # UTC
    event_type: str
    template: str
    reminder: str  # lead:<days>
    due_on: date | None
    recipient_role: str  # a role, or "group"
    channel: str  # email | sms | group
    school_id: UUID | None
    case_id: UUID | None
    subject_kind: str
    subject_id: UUID
    digest: bool = False

    @property
    def send_at_local(self) -> datetime:
        return self.send_at.astimezone(AMSTERDAM)

    @property
    def lead_days(self) -> int:
        return int(self.reminder.split(":")[1])


@dataclass(frozen=True)
class Simulation:
    """What one policy would send from `start` to `end` (both inclusive)."""

    policy_key: str
    school_id: UUID | None
    days: int
    start: datetime
    end: datetime
    messages: list[WouldSend]
    dates_considered: int = 0
    not_simulated: list[str] = field(default_factory=list)
    schools_overridden: list[UUID] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.messages)

    @property
    def per_role(self) -> dict[str, int]:
        """Messages per recipient role ("group" for group channels)."""
        return dict(sorted(Counter(m.recipient_role for m in self.messages).items()))

    @property
    def per_day(self) -> list[dict[str, Any]]:
        """Per local day with messages: the total and the count per role."""
        days: dict[date, Counter[str]] = {}
        for m in self.messages:
            days.setdefault(m.send_at_local.date(), Counter())[m.recipient_role] += 1
        return [
            {"date": day, "total": sum(roles.values()), "roles": dict(sorted(roles.items()))}
            for day, roles in sorted(days.items())
        ]


def simulated_types(policy: Policy) -> list[str]:
    """The policy's event types a simulation covers: reminders before a scheduled date or a
    planned meeting."""
    return [
        t
        for t in policy.event_types
        if (policy.is_reminder(t) or policy.reminds_of_meeting(t)) and t in SCHEDULING_EVENTS
    ]


def date_window(policy: Policy, now: datetime, days: int) -> tuple[date, date] | None:
    """The scheduled dates that may have a reminder in the next `days`: from today to the last
    day plus the longest lead time. None when the policy simulates nothing."""
    if not simulated_types(policy):
        return None
    today = now.astimezone(AMSTERDAM).date()
    last = (now + timedelta(days=days)).astimezone(AMSTERDAM).date()
    return today, last + timedelta(days=max(policy.lead_times_days))


def simulate(
    policy: Policy,
    dates: Iterable[ScheduledDate],
    calendar: HolidayCalendar,
    now: datetime,
    days: int,
    overridden: Iterable[UUID] = (),
) -> Simulation:
    """Plan `policy` for every date as if its event arrived now; keep the reminders from now to
    `days` later. Pure: no store, no network."""
    end = now + timedelta(days=days)
    wanted = set(simulated_types(policy))
    skipped = set() if policy.school_id is not None else set(overridden)
    messages: list[WouldSend] = []
    considered = 0
    for item in dates:
        if not _applies(policy, item, wanted, skipped):
            continue
        envelope = _envelope(policy.partnership_id, item, now)
        if envelope is None:
            continue
        considered += 1
        audience = Audience(
            school_name="",
            region=item.region,
            recipients=_stand_ins(policy.recipient_roles),
            case_status="open",
            partnership_id=policy.partnership_id,
        )
        for row in plan_event(envelope, [policy], audience, calendar, now):
            if row.kind.startswith("lead:") and now <= row.send_at <= end:
                messages.append(_would_send(row))
    messages.sort(key=_order)
    return Simulation(
        policy_key=policy.key,
        school_id=policy.school_id,
        days=days,
        start=now,
        end=end,
        messages=messages,
        dates_considered=considered,
        not_simulated=[t for t in policy.event_types if t not in wanted],
        schools_overridden=sorted(skipped, key=str),
    )


def _applies(policy: Policy, item: ScheduledDate, wanted: set[str], skipped: set[UUID]) -> bool:
    """Whether the policy plans for a scheduled date: one of its event types, at a school it
    covers (a school policy: its own; a partnership policy: those without their own version)."""
    if item.event_type not in wanted or item.school_id in skipped:
        return False
    return policy.school_id is None or item.school_id == policy.school_id


def _would_send(row: PlannedNotification) -> WouldSend:
    """A planned reminder as the simulation shows it (no address, no text)."""
    return WouldSend(
        send_at=row.send_at,
        event_type=row.event_type,
        template=row.template,
        reminder=row.kind,
        due_on=row.due_on,
        recipient_role=row.recipient_role,
        channel=row.channel,
        school_id=row.school_id,
        case_id=row.case_id,
        subject_kind=row.subject_kind,
        subject_id=row.subject_id,
        digest=row.digest_key is not None,
    )


class PolicyCalendar(Protocol):
    """What a simulation reads of the store: the policies and the holidays."""

    def calendar(self) -> HolidayCalendar: ...

    def policies(self, partnership_id: UUID, key: str | None = None) -> list[Policy]: ...


def simulate_policy(
    policy: Policy,
    stores: Callable[[], AbstractContextManager[PolicyCalendar]],
    schedule: ScheduleSource,
    now: datetime,
    days: int,
) -> Simulation:
    """Simulate a policy (saved or not) against the dates the cases service has scheduled now.
    The schedule source's errors (the cases service unavailable) pass to the caller."""
    with stores() as store:
        calendar = store.calendar()
        overridden = {
            p.school_id
            for p in store.policies(policy.partnership_id)
            if p.key == policy.key and p.school_id is not None and p.id != policy.id
        }
    window = date_window(policy, now, days)
    dates = [] if window is None else schedule.scheduled(policy.partnership_id, *window)
    return simulate(policy, dates, calendar, now, days, overridden)


def _order(m: WouldSend) -> tuple[Any, ...]:
    return (m.send_at, str(m.school_id), m.recipient_role, m.channel, str(m.subject_id))


def _stand_ins(roles: list[str]) -> list[Recipient]:
    """One stand-in per role, reachable on every channel; no person behind it."""
    return [
        Recipient(
            kind="guardian" if role == "guardian" else "user",
            id=uuid5(_NAMESPACE, role),
            role=role,
            name="",
            email=_STAND_IN,
            phone=_STAND_IN,
        )
        for role in roles
    ]


def _envelope(partnership_id: UUID, item: ScheduledDate, now: datetime) -> Envelope | None:
    """The event as the consumer would receive it now; None (logged) if it does not parse."""
    spec = CATALOG.get(item.event_type)
    subject_field = SUBJECT_FIELD.get(spec.subject_kind) if spec else None
    if spec is None or subject_field is None or subject_field not in item.data:
        log.warning("simulation: %s %s has no known event shape", item.event_type, item.subject_id)
        return None
    raw = {
        "id": str(uuid5(_NAMESPACE, f"{item.event_type}|{item.subject_id}|{item.due_on}")),
        "type": item.event_type,
        "version": spec.version,
        "occurred_at": now.isoformat(),
        "partnership_id": str(partnership_id),
        "school_id": str(item.school_id),
        "subject": {"kind": spec.subject_kind, "id": str(item.data[subject_field])},
        "data": item.data,
    }
    try:
        return EnvelopeSchema().load(raw)
    except (ValidationError, UnknownEventType) as err:
        log.warning("simulation: %s %s does not parse: %s", item.event_type, item.subject_id, err)
        return None
