"""Schemas of the TLV application's API (issue 14): what comes in, what goes out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.cases.domain import tlv, tlv_letter
from services.cases.domain.parents import PARENTS_VIEW_MAX
from shared.web import PageArgsSchema, page_schema

TEXT = validate.Length(max=tlv.MOTIVATION_MAX)


class DraftInSchema(Schema):
    document_ids = fields.List(
        fields.UUID(),
        validate=validate.Length(max=100),
        metadata={"description": "Documents of this case the application carries."},
    )
    motivation = fields.String(
        allow_none=True,
        validate=TEXT,
        metadata={"description": "The school's reasons for the application (free text)."},
    )


class TlvParentsViewInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(max=PARENTS_VIEW_MAX))


class TlvSignOffInSchema(Schema):
    signed_on = fields.Date(
        load_default=None, metadata={"description": "Default: today. Not in the future."}
    )


class TlvAgreementInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(tlv.AGREEMENT))
    guardian_ids = fields.List(
        fields.UUID(),
        metadata={
            "description": "From paper (the coordinator): the guardians who answered. Online "
            "(a guardian's token): ignored, the guardian answers for themselves."
        },
    )
    recorded_on = fields.Date(
        load_default=None, metadata={"description": "From paper: the day signed; default today."}
    )


class TlvSubmitInSchema(Schema):
    submitted_on = fields.Date(load_default=None, metadata={"description": "Default: today."})


class TlvAdviceInSchema(Schema):
    adviser_role = fields.String(required=True, validate=validate.OneOf(tlv.ADVISER_ROLES))
    adviser_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    conclusion = fields.String(
        required=True, validate=validate.Length(min=1, max=tlv.CONCLUSION_MAX)
    )
    recorded_on = fields.Date(load_default=None, metadata={"description": "Default: today."})


class TlvDecisionInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(tlv.DECISIONS))
    decided_on = fields.Date(load_default=None, metadata={"description": "Default: today."})
    school_type = fields.String(
        allow_none=True,
        validate=validate.OneOf(tlv.SCHOOL_TYPES),
        metadata={"description": "Granted: sbo (speciaal basisonderwijs) or so."},
    )
    category = fields.String(
        allow_none=True,
        validate=validate.OneOf(tlv.CATEGORIES),
        metadata={"description": "Granted so: low, medium or high; none for sbo."},
    )
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(
        allow_none=True,
        metadata={"description": "A 31 July, at least one school year after valid_from."},
    )


class ApplicationArgsSchema(PageArgsSchema):
    status = fields.String(
        validate=validate.OneOf([s.value for s in tlv.ApplicationStatus]), load_default=None
    )
    school_id = fields.UUID(load_default=None)


class LetterArgsSchema(Schema):
    lang = fields.String(
        validate=validate.OneOf(tlv_letter.LANGUAGES),
        load_default=None,
        metadata={
            "description": "Language of the letter's fixed texts (nl, en, tr, ar, pl, uk); "
            "without it the first of Accept-Language we have, else nl. Names stay as written."
        },
    )


class ApplicationDocumentSchema(Schema):
    id = fields.UUID()
    filename = fields.String()
    shared_with_partnership = fields.Boolean()


class TlvParentsViewSchema(Schema):
    text = fields.String()
    channel = fields.String(metadata={"description": "online (a guardian) or school."})
    guardian_id = fields.UUID(allow_none=True)
    recorded_by = fields.UUID()
    recorded_at = fields.DateTime()


class TlvSignOffSchema(Schema):
    director_id = fields.UUID()
    director_name = fields.String(allow_none=True)
    signed_on = fields.Date()


class TlvAnswerSchema(Schema):
    decision = fields.String()
    channel = fields.String(metadata={"description": "online or paper."})
    guardian_ids = fields.List(fields.String())
    recorded_on = fields.Date()
    recorded_at = fields.DateTime(allow_none=True)
    recorded_by = fields.UUID()


class TlvAgreementSchema(Schema):
    status = fields.String(
        metadata={
            "description": "agreed, declined, awaited (under consent_from all: some guardians "
            "agreed, others not yet) or none."
        }
    )
    awaited_guardian_ids = fields.List(fields.String())
    answers = fields.List(fields.Nested(TlvAnswerSchema))


class TlvAdviceSchema(Schema):
    id = fields.UUID()
    adviser_role = fields.String()
    adviser_name = fields.String()
    conclusion = fields.String()
    recorded_on = fields.Date()


class TlvDecisionSchema(Schema):
    decision = fields.String()
    decided_on = fields.Date()
    school_type = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)


class TlvEvaluationRefSchema(Schema):
    id = fields.UUID()
    held_on = fields.Date()
    decision = fields.String(metadata={"description": "continue, back_to_basic or refer."})


class TlvPlanRefSchema(Schema):
    id = fields.UUID()
    status = fields.String()
    evaluations = fields.List(
        fields.Nested(TlvEvaluationRefSchema), metadata={"description": "The held evaluations."}
    )


class ApplicationSchema(Schema):
    id = fields.UUID()
    referral_id = fields.UUID()
    case_id = fields.UUID()
    school_id = fields.UUID()
    pupil_id = fields.UUID()
    pupil_name = fields.String(allow_none=True)
    school_name = fields.String(allow_none=True)
    plan_id = fields.UUID()
    status = fields.String(
        metadata={"description": "draft, submitted, ready_for_decision (both advices) or decided."}
    )
    created_on = fields.Date()
    motivation = fields.String(allow_none=True)
    documents = fields.List(
        fields.Nested(ApplicationDocumentSchema),
        metadata={"description": "The chosen documents this caller may see."},
    )
    parents_view = fields.Nested(TlvParentsViewSchema, allow_none=True)
    sign_off = fields.Nested(TlvSignOffSchema, allow_none=True)
    parents_agreement = fields.Nested(TlvAgreementSchema)
    submitted_on = fields.Date(allow_none=True)
    parents_agreed = fields.Boolean(
        allow_none=True,
        metadata={"description": "false: submitted without the parents' agreement (flagged)."},
    )
    decide_by = fields.Date(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "Undecided past decide_by."})
    advices = fields.List(fields.Nested(TlvAdviceSchema))
    decision = fields.Nested(TlvDecisionSchema, allow_none=True)
    plan = fields.Nested(TlvPlanRefSchema, allow_none=True)
    destination = fields.String(allow_none=True)
    requested_on = fields.Date(allow_none=True)
    version = fields.Integer(metadata={"description": "Send it back as If-Match: application-vN."})


ApplicationPageSchema = page_schema(ApplicationSchema, "ApplicationPage")


class ApplicationStateSchema(Schema):
    referral_id = fields.UUID()
    case_id = fields.UUID()
    status = fields.String()
    submitted_on = fields.Date(allow_none=True)
    parents_agreed = fields.Boolean(allow_none=True)
    decide_by = fields.Date(allow_none=True)
    decision = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
