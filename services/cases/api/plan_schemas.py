"""Schemas of development plans (OPP): the plan, its consultation, consent, evaluations and the
parents' part."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.cases.api.schemas import (
    catalog_field,
    enum_field,
    text,
)
from services.cases.domain.catalog import EXIT_DESTINATIONS, REFERRAL_DESTINATIONS
from services.cases.domain.evaluation import Decision


class ScenarioSchema(Schema):
    expected_effect = text(2000, required=True)
    review_by = fields.Date(required=True)


class CreatePlanSchema(Schema):
    exit_destination = catalog_field(
        EXIT_DESTINATIONS, "Exit destination (uitstroombestemming)", required=True
    )
    hindering_factors = fields.List(text(1000), required=True, validate=validate.Length(min=1))
    supporting_factors = fields.List(text(1000), required=True, validate=validate.Length(min=1))
    action_plan = text(10000, required=True)
    deviations = fields.String(validate=validate.Length(max=5000), load_default=None)
    scenarios = fields.List(
        fields.Nested(ScenarioSchema), required=True, validate=validate.Length(min=1, max=10)
    )
    agreed_end_date = fields.Date(required=True)
    evaluation_dates = fields.List(
        fields.Date(), required=True, validate=validate.Length(min=1, max=20)
    )
    created_on = fields.Date(required=True)


class ConsultationSchema(Schema):
    held_on = fields.Date(required=True)
    participants = fields.List(text(200), required=True, validate=validate.Length(min=1, max=20))


class PupilViewSchema(Schema):
    heard_on = fields.Date(required=True)
    summary = fields.String(validate=validate.Length(max=5000), load_default=None)


class ActionPlanSchema(Schema):
    action_plan = text(10000, required=True)
    deviations = fields.String(validate=validate.Length(max=5000), load_default=None)


class ConsentRequestSchema(Schema):
    requested_on = fields.Date(required=True)


class ConsentInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["agreed", "declined"]))
    recorded_on = fields.Date(required=True)
    guardian_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1))


class ScheduleEvaluationSchema(Schema):
    due_on = fields.Date(required=True)


class MeetingSchema(Schema):
    starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=15, max=240))
    location = fields.String(validate=validate.Length(min=1, max=200), load_default=None)
    video_url = fields.Url(schemes={"https"}, validate=validate.Length(max=500), load_default=None)


class EvaluatePlanSchema(Schema):
    evaluation_id = fields.UUID(load_default=None)
    held_on = fields.Date(required=True)
    decision = enum_field(Decision, required=True)
    note = fields.String(validate=validate.Length(max=5000), load_default=None)
    next_evaluation_on = fields.Date(load_default=None)
    referral_destination = catalog_field(
        REFERRAL_DESTINATIONS,
        "Where the pupil is referred (with decision `refer`)",
        load_default=None,
        allow_none=True,
    )


class AdmissionStatementSchema(Schema):
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)


class PlanEvaluationSchema(Schema):
    id = fields.UUID()
    due_on = fields.Date()
    status = fields.String()
    held_on = fields.Date(allow_none=True)
    decision = fields.String(allow_none=True)
    next_evaluation_on = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    meeting = fields.Method("_meeting", allow_none=True)

    def _meeting(self, evaluation: Any) -> dict[str, Any] | None:
        if evaluation.meeting_starts_at is None:
            return None
        return {
            "starts_at": evaluation.meeting_starts_at.isoformat(),
            "duration_minutes": evaluation.meeting_minutes,
            "location": evaluation.meeting_location,
            "video_url": evaluation.meeting_video_url,
            "sequence": evaluation.meeting_sequence,
            "cancelled": evaluation.meeting_cancelled,
        }


class ConsentSchema(Schema):
    id = fields.UUID()
    action_plan_version = fields.Integer()
    decision = fields.String()
    recorded_on = fields.Date()
    guardian_ids = fields.List(fields.String())
    channel = fields.String(metadata={"description": "online (by the guardian) or paper"})
    recorded_at = fields.AwareDateTime(allow_none=True)
    content_hash = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class ParentsViewSchema(Schema):
    text = fields.String()
    guardian_id = fields.UUID(allow_none=True, metadata={"description": "Who wrote it."})
    recorded_at = fields.AwareDateTime(allow_none=True)


class ParentsViewInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class OnlineConsentSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["agreed", "declined"]))
    content_hash = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$"),
        metadata={"description": "The plan's action_plan_hash as the guardian read it."},
    )
    reason = fields.String(validate=validate.Length(max=2000), load_default=None)


class PlanSchema(Schema):
    id = fields.UUID()
    case_id = fields.UUID()
    status = fields.String()
    exit_destination = fields.String()
    exit_destination_label = fields.Method(
        "_exit_label", metadata={"description": "The destination in words: {nl, en}."}
    )
    hindering_factors = fields.List(fields.String())
    supporting_factors = fields.List(fields.String())
    action_plan = fields.String()
    deviations = fields.String(allow_none=True)
    action_plan_version = fields.Integer()
    action_plan_hash = fields.String(
        metadata={"description": "What an online answer names: the hash of this version."}
    )
    consented_version = fields.Integer(allow_none=True)
    consent_required = fields.Boolean()
    consent_status = fields.String(
        metadata={
            "description": "The parents' consent on the current action plan: `requested` "
            "(instemming gevraagd: for `consent_requested_version`, while `consented_version` "
            "stays in force), `agreed`, `declined` or `not_requested`."
        }
    )
    consent_requested_version = fields.Integer(allow_none=True)
    agreed_end_date = fields.Date()
    created_on = fields.Date()
    scenarios = fields.List(fields.Nested(ScenarioSchema))
    evaluations = fields.List(fields.Nested(PlanEvaluationSchema))
    consents = fields.List(fields.Nested(ConsentSchema))
    consent_from = fields.String(
        metadata={"description": "The partnership's rule: `one` guardian's agreement or `all`."}
    )
    consent_awaited_guardian_ids = fields.List(
        fields.UUID(),
        metadata={"description": "Under `all`: guardians whose agreement is still awaited."},
    )
    parents_view = fields.Nested(
        ParentsViewSchema,
        allow_none=True,
        metadata={"description": "The parents' own view (ouderdeel); null until written."},
    )
    consultation_on = fields.Date(allow_none=True)
    consultation_participants = fields.List(fields.String())
    pupil_view_on = fields.Date(allow_none=True)
    pupil_view_summary = fields.String(allow_none=True)
    consent_requested_on = fields.Date(allow_none=True)
    activated_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    close_reason = fields.String(allow_none=True)
    evaluation_missing = fields.Boolean(
        attribute="evaluation_missing_flag",
        metadata={"description": "No evaluation this school year."},
    )

    def _exit_label(self, plan: Any) -> dict[str, str]:
        code = plan.exit_destination
        return EXIT_DESTINATIONS.get(code, {"nl": code, "en": code})
