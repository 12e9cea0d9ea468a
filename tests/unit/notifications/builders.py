"""Builders for the notifications unit tests: envelopes that pass the event catalog, audiences,
policies and holiday calendars at fixed dates.

"Now" is Thursday 15 October 2026, 10:00 in Amsterdam (tests.conftest.NOW); the school is in
region noord, whose autumn holiday runs from Saturday 17 to Sunday 25 October 2026.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from services.notifications.domain.notification import NotificationRow
from services.notifications.domain.planning import Audience, PlannedNotification, Recipient
from services.notifications.domain.policy import Policy
from services.notifications.domain.timing import Holiday, HolidayCalendar
from shared.clock import AMSTERDAM
from shared.events import CATALOG, Envelope
from tests.conftest import NOW

PARTNERSHIP = UUID("00000000-0000-4000-8000-00000000000a")
SCHOOL = UUID("00000000-0000-4000-8000-0000000000a1")
OTHER_SCHOOL = UUID("00000000-0000-4000-8000-0000000000a2")
CASE = UUID("c0ffee00-0000-4000-8000-000000000001")
PLAN = UUID("9a000000-0000-4000-8000-000000000001")
EVALUATION = UUID("e7a10000-0000-4000-8000-000000000001")
INTERVENTION = UUID("1a000000-0000-4000-8000-000000000001")

PUPIL_NAME = "Emma"
SCHOOL_NAME = "OBS De Linde"
DOMAIN = "reading_dyslexia"

GUARDIAN = Recipient(
    "guardian", uuid4(), "guardian", "Ouder Jansen", "ouder@test.nl", "+31 6 1234 5678", "nl"
)
GUARDIAN_EN = Recipient(
    "guardian", uuid4(), "guardian", "Parent Smith", "parent@test.nl", None, "en"
)
TEACHER = Recipient("user", uuid4(), "teacher", "Juf Anna", "anna@school.test", None, "nl")
COORDINATOR = Recipient("user", uuid4(), "coordinator", "IB Bram", "ib@school.test", None, "nl")
DIRECTOR = Recipient("user", uuid4(), "director", "Dir Dirk", "dir@school.test", None, "nl")
CONSULTANT = Recipient("user", uuid4(), "consultant", "Con Cor", "con@swv.test", None, "nl")


def local(y: int, m: int, d: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock moment in Amsterdam, as an aware datetime."""
    return datetime(y, m, d, hour, minute, tzinfo=AMSTERDAM)


def utc(y: int, m: int, d: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=UTC)


def audience(*recipients: Recipient, region: str | None = "noord") -> Audience:
    chosen = list(recipients) or [GUARDIAN, GUARDIAN_EN, TEACHER, COORDINATOR, DIRECTOR]
    return Audience(SCHOOL_NAME, region, chosen, pupil_given_name=PUPIL_NAME, case_status="open")


def noord_autumn() -> HolidayCalendar:
    """Autumn holiday 2026 of region noord only (midden and zuid have none in this calendar)."""
    return HolidayCalendar(
        [Holiday("noord", "Herfstvakantie", date(2026, 10, 17), date(2026, 10, 25))]
    )


NO_HOLIDAYS = HolidayCalendar([])


def _sample(field_name: str, field: Any) -> Any:
    """A realistic value for one payload field of the catalog."""
    from marshmallow import fields, validate

    known = {
        "case_id": str(CASE),
        "plan_id": str(PLAN),
        "evaluation_id": str(EVALUATION),
        "intervention_id": str(INTERVENTION),
        "domain": DOMAIN,
        "starts_on": "2026-10-12",
        "evaluate_by": "2026-11-30",
        "due_on": "2026-11-30",
        "previous_due_on": "2026-11-23",
        "valid_until": "2027-07-31",
        "review_by": "2029-07-31",
        "reason": "other",
        "destination": "sbo",
        "school_year": "2026-2027",
        "content_type": "application/pdf",
        "decide_by": "2026-11-26",  # a TLV application's deadline, ahead of "now"
    }
    if field_name in known:
        return known[field_name]
    if isinstance(field, fields.UUID):
        return str(uuid4())
    if isinstance(field, fields.Date):
        return "2026-10-01"
    if isinstance(field, fields.DateTime):
        return "2026-11-03T14:30:00+00:00"
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, fields.Integer):
        return 1
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            return next(iter(rule.choices))
    return "other"


def sample_data(event_type: str) -> dict[str, Any]:
    """A catalog-valid payload for any event type (wire form: strings)."""
    schema = CATALOG[event_type].schema()
    return {name: _sample(name, field) for name, field in schema.fields.items()}


def envelope(
    event_type: str,
    occurred_at: datetime = NOW,
    event_id: UUID | None = None,
    school_id: UUID | None = SCHOOL,
    **data: Any,
) -> Envelope:
    """An envelope as a consumer receives it: JSON through the catalog's schema."""
    payload = sample_data(event_type)
    payload.update({k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()})
    spec = CATALOG[event_type]
    subject_field = {
        "pupil": "pupil_id",
        "case": "case_id",
        "intervention": "intervention_id",
        "development_plan": "plan_id",
        "referral": "referral_id",
        "support_profile": "support_profile_id",
        "report": "report_id",
        "guardian": "guardian_id",
        "document": "document_id",
        "school": "school_id",  # the scope doubles as a school's subject
    }[spec.subject_kind]
    raw = {
        "id": str(event_id or uuid4()),
        "type": event_type,
        "version": spec.version,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(),
        "partnership_id": str(PARTNERSHIP),
        "school_id": str(school_id) if school_id else None,
        "subject": {"kind": spec.subject_kind, "id": str(payload.get(subject_field, school_id))},
        "data": payload,
    }
    return Envelope.from_json(json.dumps(raw))


def policy(**changes: Any) -> Policy:
    """A plan-evaluation reminder policy (14, 3 and 0 days ahead) unless told otherwise."""
    values: dict[str, Any] = {
        "partnership_id": PARTNERSHIP,
        "key": "plan_evaluation",
        "name": "Evaluatiegesprek OPP",
        "event_types": [
            "development_plan.evaluation_scheduled",
            "development_plan.evaluation_rescheduled",
        ],
        "recipient_roles": ["guardian", "coordinator", "teacher"],
        "channels": {"guardian": ["email"], "coordinator": ["email"], "teacher": ["email"]},
        "lead_times_days": [14, 3, 0],
    }
    values.update(changes)
    return Policy(**values)


def notification_row(planned: PlannedNotification | None = None, **changes: Any) -> NotificationRow:
    """A row as the store hands it to the delivery (first attempt under way): `planned` as
    stored, else a staff e-mail about a case, with `changes`."""
    planned = planned or PlannedNotification(
        partnership_id=PARTNERSHIP,
        school_id=SCHOOL,
        case_id=CASE,
        subject_kind="case",
        subject_id=CASE,
        event_id=uuid4(),
        event_type="case.opened",
        policy_key="case_opened",
        recipient_kind="user",
        recipient_id=str(COORDINATOR.id),
        recipient_role="coordinator",
        channel="email",
        address="ib@school.test",
        language="nl",
        template="case.opened",
        kind="now",
        due_on=None,
        send_at=NOW,
        critical=False,
    )
    values = {f.name: getattr(planned, f.name) for f in dataclasses.fields(planned)}
    values |= {
        "dedupe_key": planned.dedupe_key,
        "status": "sending",
        "attempts": 1,
        "status_changed_at": NOW,
        "sent_at": None,
        "last_error": None,
        "created_at": NOW,
    }
    return NotificationRow.from_mapping(values | changes)
