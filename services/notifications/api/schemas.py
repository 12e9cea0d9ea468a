"""Request and response schemas of the notifications API."""

from __future__ import annotations

from datetime import time
from typing import Any

from marshmallow import Schema, fields, validate

from services.notifications.domain.policy import (
    PERSONAL_CHANNELS,
    REPORT_DELIVERIES,
    ROLES,
    STAFF,
)
from shared.web import PageArgsSchema, page_schema

CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="Must be a lowercase code.")


class LocalTime(fields.Time):
    """A time of day on the clock in the Netherlands, HH:MM or HH:MM:SS. A time with an offset
    ("18:00Z") is refused: quiet hours follow the local clock through summer and winter time."""

    default_error_messages = {
        "invalid": "Not a valid time; use HH:MM (Dutch local time, without an offset).",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is not None:
            raise self.make_error("invalid")
        return moment


class PolicyInSchema(Schema):
    key = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    school_id = fields.UUID(load_default=None, metadata={"description": "A school override."})
    event_types = fields.List(
        fields.String(validate=validate.Length(max=64)),
        required=True,
        validate=validate.Length(min=1, max=30),
    )
    recipient_roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)
    channels = fields.Dict(
        keys=fields.String(validate=validate.OneOf(ROLES)),
        values=fields.List(fields.String(validate=validate.OneOf(PERSONAL_CHANNELS))),
        load_default=dict,
    )
    lead_times_days = fields.List(
        fields.Integer(strict=True), load_default=list, validate=validate.Length(max=10)
    )
    send_hour = fields.Integer(strict=True, load_default=8)
    quiet_start = LocalTime(load_default=time(20, 0), allow_none=True)
    quiet_end = LocalTime(load_default=time(7, 0), allow_none=True)
    skip_weekends = fields.Boolean(load_default=True)
    skip_holidays = fields.Boolean(
        load_default=True,
        metadata={
            "description": "Not in the school holidays of the school's region, nor on the "
            "public holidays on which schools are closed (Hemelvaartsdag, Koningsdag, ...)."
        },
    )
    skip_good_friday = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also not on Goede Vrijdag (no national day off; for schools that "
            "close then). Needs skip_holidays."
        },
    )
    delivery = fields.String(
        load_default="immediate", validate=validate.OneOf(["immediate", "digest"])
    )
    escalate_after_days = fields.Integer(strict=True, load_default=None, allow_none=True)
    escalate_to = fields.List(
        fields.String(validate=validate.OneOf(STAFF)),
        load_default=list,
        metadata={"description": "Staff roles, or admin (the partnership's administrators)."},
    )
    group_urls = fields.List(
        fields.String(validate=validate.Length(min=3, max=2000)),
        load_default=list,
        load_only=True,
        metadata={
            "description": "Apprise URLs (Teams, Slack, webhook); "
            "stored encrypted, never shown again."
        },
    )
    critical = fields.Boolean(load_default=False)
    report_delivery = fields.String(
        load_default="link",
        validate=validate.OneOf(REPORT_DELIVERIES),
        metadata={
            "description": "For report.ready: e-mail a link to the compiled report (link), or "
            "attach it as a PDF in the recipient's language as well (attachment). Group "
            "channels and SMS always get the link only."
        },
    )
    templates = fields.Dict(
        keys=fields.String(validate=validate.Length(max=100)),
        values=fields.Dict(
            keys=fields.String(validate=validate.OneOf(["nl", "en"])),
            values=fields.List(
                fields.String(validate=validate.Length(min=1, max=5000)),
                validate=validate.Length(equal=2),
            ),
        ),
        load_default=dict,
        metadata={
            "description": "Own texts per template key and language: [subject, body] "
            "(Jinja2, sandboxed). Keys: an event type of the policy, or "
            "'<event type>.lead' / '.overdue' (a deadline's notice the day after it) / "
            "'.escalation' / '.parents' (the guardians' version of referral.decided)."
        },
    )
    enabled = fields.Boolean(load_default=True)


class PolicySchema(PolicyInSchema):
    id = fields.UUID()
    partnership_id = fields.UUID()
    group_channels = fields.Integer(
        attribute="group_channel_count", metadata={"description": "How many group URLs are set."}
    )


class PolicyPatchSchema(Schema):
    enabled = fields.Boolean(required=True)


class PreviewArgsSchema(Schema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=366))


class PreviewItemSchema(Schema):
    send_at = fields.AwareDateTime()
    recipient_role = fields.String()
    recipient = fields.String(metadata={"description": "Masked address."})
    channel = fields.String()
    template = fields.String()
    due_on = fields.Date(allow_none=True)
    school_id = fields.UUID(allow_none=True)


class DeliveryArgsSchema(PageArgsSchema):
    school_id = fields.UUID()
    status = fields.String(
        validate=validate.OneOf(
            ["planned", "queued", "sending", "sent", "failed", "dead", "cancelled"]
        )
    )
    event_id = fields.UUID()
    event_type = fields.String(validate=validate.Length(max=64))
    recipient_id = fields.String(validate=validate.Length(max=64))
    case_id = fields.UUID()


class AttemptSchema(Schema):
    attempt = fields.Integer()
    started_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    outcome = fields.String()
    error = fields.String(allow_none=True)


class DeliverySchema(Schema):
    id = fields.UUID()
    school_id = fields.UUID(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    event_id = fields.UUID()
    event_type = fields.String()
    policy_key = fields.String()
    recipient_kind = fields.String()
    recipient_id = fields.String()
    recipient_role = fields.String()
    recipient = fields.String(metadata={"description": "Masked address."})
    channel = fields.String()
    kind = fields.String()
    due_on = fields.Date(allow_none=True)
    send_at = fields.AwareDateTime()
    status = fields.String()
    attempts = fields.Integer()
    sent_at = fields.AwareDateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    attempt_log = fields.List(fields.Nested(AttemptSchema))


DeliveryPageSchema = page_schema(DeliverySchema, "DeliveryPage")


class MissingHolidaysSchema(Schema):
    missing_school_years = fields.List(
        fields.String(),
        metadata={
            "description": "School years ('2026-2027') whose holidays planning needs now but are "
            "not loaded: the current one, and from 1 April the next. Without them a message may "
            "fall in a holiday."
        },
    )
