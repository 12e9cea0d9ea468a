"""Request and response schemas of the policy simulation (what a policy WOULD send)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.notifications.api.schemas import PolicyInSchema, PreviewArgsSchema
from services.notifications.service_layer.preview import MAX_DAYS

DAYS = validate.Range(min=1, max=MAX_DAYS)


class PolicySimulationInSchema(PolicyInSchema):
    """A policy as for create or PUT, and how far to look ahead."""

    days = fields.Integer(
        load_default=30, validate=DAYS, metadata={"description": "Days ahead, 1 to 60."}
    )
    policy_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "The saved policy this draft changes: its group channels count when "
            "`group_urls` is empty (as PUT keeps them)."
        },
    )


class PreviewQuerySchema(PreviewArgsSchema):
    simulate = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Simulate what the saved policy would send for the dates scheduled "
            "now (days 1 to 60), instead of listing the rows it has planned."
        },
    )

    @validates_schema
    def simulation_days(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("simulate") and not 1 <= data.get("days", 30) <= MAX_DAYS:
            raise ValidationError(f"A simulation looks 1 to {MAX_DAYS} days ahead.", "days")


class SimulatedMessageSchema(Schema):
    send_at = fields.AwareDateTime(metadata={"description": "The instant (UTC)."})
    send_at_local = fields.AwareDateTime(
        metadata={"description": "The same instant in Europe/Amsterdam time."}
    )
    event_type = fields.String()
    template = fields.String()
    reminder = fields.String(metadata={"description": "lead:<days before the date>"})
    lead_days = fields.Integer()
    due_on = fields.Date(allow_none=True)
    recipient_role = fields.String(metadata={"description": "A role, or group (group channel)."})
    channel = fields.String()
    school_id = fields.UUID(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    subject_kind = fields.String()
    subject_id = fields.UUID()
    digest = fields.Boolean(metadata={"description": "In the staff's daily digest."})


class SimulatedDaySchema(Schema):
    date = fields.Date()
    total = fields.Integer()
    roles = fields.Dict(keys=fields.String(), values=fields.Integer())


class SimulationSchema(Schema):
    policy_key = fields.String()
    school_id = fields.UUID(allow_none=True)
    days = fields.Integer()
    start = fields.AwareDateTime()
    end = fields.AwareDateTime()
    total = fields.Integer()
    per_role = fields.Dict(keys=fields.String(), values=fields.Integer())
    per_day = fields.List(fields.Nested(SimulatedDaySchema))
    messages = fields.List(fields.Nested(SimulatedMessageSchema))
    dates_considered = fields.Integer(
        metadata={"description": "Scheduled dates the policy's reminders were planned for."}
    )
    not_simulated = fields.List(
        fields.String(),
        metadata={
            "description": "The policy's event types left out: messages at once about an event "
            "and escalations follow events that have not happened yet."
        },
    )
    schools_overridden = fields.List(
        fields.UUID(),
        metadata={"description": "Schools with their own version of this policy: left out."},
    )
    counted = fields.Constant(
        "per_role",
        metadata={
            "description": "One message per date, role and channel (and group channel): the "
            "people in a role are not counted, and no address is involved."
        },
    )
