"""Schemas of cases and interventions, the caseload, evaluations due, the timeline and the
event log."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.cases.api.plan_schemas import PlanSchema
from services.cases.api.schemas import (
    domain_field,
    enum_field,
    text,
)
from services.cases.domain.caseload import FLAGS as CASELOAD_FLAGS
from services.cases.domain.intervention import Outcome
from services.cases.domain.model import CaseStatus, SupportLevel
from shared.web import PageArgsSchema, page_schema

# -- cases and interventions -------------------------------------------------------------------


class OpenCaseSchema(Schema):
    pupil_id = fields.UUID(required=True)
    opened_on = fields.Date(required=True)
    needs_extra_support = fields.Boolean(load_default=False)


class CloseCaseSchema(Schema):
    closed_on = fields.Date(required=True)
    reason = fields.String(
        required=True,
        validate=validate.OneOf(["goals_reached", "pupil_left", "referred_placed", "other"]),
    )


class StartInterventionSchema(Schema):
    domain = domain_field(required=True)
    goal = text(2000, required=True)
    starts_on = fields.Date(required=True)
    evaluate_by = fields.Date(required=True)


class EvaluateInterventionSchema(Schema):
    outcome = enum_field(Outcome, required=True)
    evaluated_on = fields.Date(required=True)
    note = fields.String(validate=validate.Length(max=2000), load_default=None)


class InterventionSchema(Schema):
    id = fields.UUID()
    case_id = fields.UUID()
    plan_id = fields.UUID(allow_none=True)
    level = fields.String()
    domain = fields.String()
    goal = fields.String()
    starts_on = fields.Date()
    evaluate_by = fields.Date()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    evaluation_note = fields.String(allow_none=True)
    evaluated_on = fields.Date(allow_none=True)
    outside_support_profile = fields.Boolean()


class ReferralSchema(Schema):
    id = fields.UUID()
    plan_id = fields.UUID()
    destination = fields.String()
    requested_on = fields.Date()
    admission_statement_from = fields.Date(allow_none=True)
    admission_statement_until = fields.Date(allow_none=True)


class CaseSummarySchema(Schema):
    id = fields.UUID()
    school_id = fields.UUID()
    pupil_id = fields.UUID()
    level = fields.String()
    status = fields.String()
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    plan_due_by = fields.Date(allow_none=True)


class CaseSchema(CaseSummarySchema):
    interventions = fields.List(fields.Nested(InterventionSchema))
    plans = fields.List(fields.Nested(PlanSchema))
    referrals = fields.List(fields.Nested(ReferralSchema))


class CaseQueryArgsSchema(PageArgsSchema):
    school_id = fields.UUID()
    pupil_id = fields.UUID()
    level = enum_field(SupportLevel)
    status = enum_field(CaseStatus)


class CaseloadArgsSchema(PageArgsSchema):
    school_id = fields.UUID()
    q = fields.String(
        # PostgreSQL text cannot hold NUL: refused here, not a crash in the query.
        validate=[validate.Length(max=100), validate.Regexp(r"^[^\x00]*$", error="Invalid text.")],
        metadata={"description": "Words of the pupil's name"},
    )
    level = enum_field(SupportLevel)
    status = fields.String(validate=validate.OneOf(["open", "referred"]))
    flag = fields.String(validate=validate.OneOf(CASELOAD_FLAGS))


class CaseloadRowSchema(Schema):
    case_id = fields.UUID()
    pupil_id = fields.UUID()
    school_id = fields.UUID()
    given_name = fields.String()
    family_name = fields.String()
    group = fields.String()
    level = fields.String()
    status = fields.String()
    opened_on = fields.Date()
    next_due_on = fields.Date(allow_none=True)
    next_due_kind = fields.String(
        allow_none=True, metadata={"description": "intervention, plan_evaluation or plan"}
    )
    flags = fields.List(
        fields.String(), metadata={"description": "Any of: " + ", ".join(CASELOAD_FLAGS)}
    )


CaseloadPageSchema = page_schema(CaseloadRowSchema, "CaseloadPage")


class DueQueryArgsSchema(PageArgsSchema):
    before = fields.Date(required=True)
    school_id = fields.UUID()


class DueEvaluationSchema(Schema):
    kind = fields.String(metadata={"description": "intervention or plan_evaluation"})
    id = fields.UUID()
    case_id = fields.UUID()
    plan_id = fields.UUID(allow_none=True)
    school_id = fields.UUID()
    pupil_id = fields.UUID()
    due_on = fields.Date()
    overdue = fields.Boolean()


class TimelineActorSchema(Schema):
    kind = fields.String(metadata={"description": "staff, guardian or system"})
    role = fields.String(allow_none=True)
    name = fields.String(
        metadata={"description": "A staff member's name, 'ouder/verzorger' or 'het systeem'."}
    )


class TimelineEntrySchema(Schema):
    seq = fields.Integer()
    type = fields.String()
    occurred_at = fields.String()
    subject = fields.Dict()
    data = fields.Dict()
    actor = fields.Nested(
        TimelineActorSchema,
        allow_none=True,
        metadata={"description": "Who caused it; null for events from before this was kept."},
    )


class EventLogArgsSchema(Schema):
    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**63 - 1),  # a BIGINT; larger ones crash the query
        metadata={"description": "Return events with seq greater than this."},
    )
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))


class EventLogEntrySchema(Schema):
    seq = fields.Integer()
    envelope = fields.Dict()


class EventLogSchema(Schema):
    items = fields.List(fields.Nested(EventLogEntrySchema))
    next_after = fields.Integer()


CasePageSchema = page_schema(CaseSummarySchema, "CasePage")
DuePageSchema = page_schema(DueEvaluationSchema, "DueEvaluationPage")
