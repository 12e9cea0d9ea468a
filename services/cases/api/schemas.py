"""Request and response schemas of the cases API (marshmallow; unknown fields are refused)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.cases.domain.caseload import FLAGS as CASELOAD_FLAGS
from services.cases.domain.catalog import EXIT_DESTINATIONS, REFERRAL_DESTINATIONS, choices_text
from services.cases.domain.evaluation import Decision
from services.cases.domain.intervention import Outcome
from services.cases.domain.model import CaseStatus, SupportLevel
from shared.auth import Role
from shared.web import PageArgsSchema, page_schema

CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="Must be a lowercase code.")
CODE_LISTS = "GET /api/v1/partnerships/{partnership_id}/code-lists"


def catalog_field(catalog: dict[str, dict[str, str]], what: str, **kwargs: Any) -> fields.String:
    """A code from one of the fixed lists: an enum in OpenAPI, its codes and Dutch labels in the
    description, and the codes in the error message."""
    return fields.String(
        validate=validate.OneOf(list(catalog), error="Must be one of: {choices}."),
        metadata={
            "description": f"{what}: {choices_text(catalog)}. Labels in Dutch and English: "
            f"{CODE_LISTS}."
        },
        **kwargs,
    )


def domain_field(**kwargs: Any) -> fields.String:
    """A support domain: a code of the partnership's own list (basic or extra)."""
    return fields.String(
        validate=CODE,
        metadata={"description": f"A code of the partnership's domain list; see {CODE_LISTS}."},
        **kwargs,
    )


LANGUAGES = validate.OneOf(["nl", "en"])
REGIONS = validate.OneOf(["noord", "midden", "zuid"])


def text(max_len: int, **kwargs: object) -> fields.String:
    """A trimmed, non-empty text of at most max_len characters."""
    return fields.String(validate=validate.Length(min=1, max=max_len), **kwargs)  # type: ignore[arg-type]


def enum_field(enum: type, **kwargs: object) -> fields.String:
    """A string limited to an enum's values."""
    return fields.String(validate=validate.OneOf([e.value for e in enum]), **kwargs)  # type: ignore[arg-type]


# -- auth and administration -------------------------------------------------------------------


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=200), load_only=True
    )


class LogInSchema(TokenRequestSchema):
    code = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=40),
        load_only=True,
        metadata={
            "description": "The second factor, when the account has one: the 6-digit code of "
            "the authenticator app, or one of the recovery codes."
        },
    )


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    role = fields.String()
    language = fields.String(metadata={"description": "A guardian's language (sign-in link)."})
    guardian_ids = fields.List(
        fields.UUID(),
        metadata={
            "description": "A guardian's sign-in: the guardian records (one per child) tied to "
            "the account; the web front end keeps their message settings in step."
        },
    )
    recovery_codes = fields.List(
        fields.String(),
        metadata={
            "description": "Only on the log-in that confirmed a second factor: one-time codes "
            "for when the app is lost. Shown this once."
        },
    )


class EnrolmentSchema(Schema):
    secret = fields.String(metadata={"description": "The TOTP secret (base32), shown once."})
    otpauth_uri = fields.String(
        metadata={"description": "The otpauth:// URI an authenticator app reads (as a QR code)."}
    )


class SettingsSchema(Schema):
    basic_domains = fields.List(fields.String(validate=CODE), validate=validate.Length(min=1))
    extra_domains = fields.List(fields.String(validate=CODE), validate=validate.Length(min=1))
    short_intervention_max_weeks = fields.Integer(validate=validate.Range(min=1, max=52))
    evaluation_horizon_days = fields.Integer(validate=validate.Range(min=0, max=120))
    new_pupil_plan_weeks = fields.Integer(validate=validate.Range(min=1, max=52))
    plan_deadline_weeks = fields.Integer(validate=validate.Range(min=1, max=52))
    admission_statement_horizon_days = fields.Integer(validate=validate.Range(min=0, max=365))
    support_profile_horizon_days = fields.Integer(validate=validate.Range(min=0, max=365))
    staff_second_factor_required = fields.Boolean(
        metadata={"description": "Staff log in with a second factor (TOTP app) too."}
    )
    consent_from = fields.String(
        validate=validate.OneOf(["one", "all"]),
        metadata={
            "description": "Whose agreement to an action plan counts: one guardian's (`one`, "
            "the default) or every guardian's with parental authority (`all`)."
        },
    )
    retention_years = fields.Integer(
        validate=validate.Range(min=1, max=10),
        metadata={"description": "Years a pupil's data is kept after they left (rule 9)."},
    )
    referral_retention_years = fields.Integer(
        validate=validate.Range(min=1, max=10),
        metadata={"description": "The same for a referred pupil's data."},
    )
    consent_answer_days = fields.Integer(
        validate=validate.Range(min=1, max=90),
        metadata={
            "description": "The consent request asks the parents to answer within this many "
            "days of the request (the date is named in the message)."
        },
    )
    tlv_decision_weeks = fields.Integer(
        validate=validate.Range(min=1, max=26),
        metadata={
            "description": "The partnership decides on a submitted TLV application within this "
            "many weeks (`decide_by`; default 6)."
        },
    )
    meeting_organizer = fields.Email(
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={
            "description": "The e-mail address that organises evaluation meetings in their "
            "calendar invitations and receives the replies (the school's or partnership's "
            "contact); null: the notifications service's NOTIFICATIONS_MEETING_ORGANIZER."
        },
    )


class LabelledCodeSchema(Schema):
    code = fields.String()
    nl = fields.String(metadata={"description": "Dutch label"})
    en = fields.String(metadata={"description": "English label"})


class CodeListsSchema(Schema):
    basic_domains = fields.List(fields.Nested(LabelledCodeSchema))
    extra_domains = fields.List(fields.Nested(LabelledCodeSchema))
    exit_destinations = fields.List(fields.Nested(LabelledCodeSchema))
    referral_destinations = fields.List(fields.Nested(LabelledCodeSchema))


class PartnershipSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    settings = fields.Nested(SettingsSchema)


class SchoolInSchema(Schema):
    name = text(200, required=True)
    region = fields.String(required=True, validate=REGIONS)
    brin = fields.String(
        validate=validate.Regexp(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$"), load_default=None
    )


class SchoolSchema(Schema):
    id = fields.UUID()
    partnership_id = fields.UUID()
    name = fields.String()
    region = fields.String()
    brin = fields.String(allow_none=True)


class UserInSchema(Schema):
    role = fields.String(
        required=True, validate=validate.OneOf([r.value for r in Role if r is not Role.SERVICE])
    )
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = text(200, required=True)
    password = fields.String(
        validate=validate.Length(min=12, max=200), load_default=None, load_only=True
    )
    school_id = fields.UUID(load_default=None)
    language = fields.String(validate=LANGUAGES, load_default="nl")
    phone = fields.String(validate=validate.Regexp(r"^\+?[0-9 ()-]{6,20}$"), load_default=None)


class UserSchema(Schema):
    id = fields.UUID()
    role = fields.String()
    email = fields.String()
    name = fields.String()
    school_id = fields.UUID(allow_none=True)
    language = fields.String()
    active = fields.Boolean()
    second_factor = fields.Boolean(attribute="totp_enabled")


# -- support profiles --------------------------------------------------------------------------


class SupportProfileInSchema(Schema):
    basic_domains = fields.List(fields.String(validate=CODE), required=True)
    extra_domains = fields.List(fields.String(validate=CODE), required=True)
    valid_from = fields.Date(required=True)
    review_by = fields.Date(required=True)


class SupportProfileSchema(SupportProfileInSchema):
    id = fields.UUID()
    school_id = fields.UUID()
    version = fields.Integer()
    published_on = fields.Date()


# -- pupils ------------------------------------------------------------------------------------


class GuardianInSchema(Schema):
    name = text(200, required=True)
    email = fields.Email(validate=validate.Length(max=254), load_default=None)
    phone = fields.String(validate=validate.Regexp(r"^\+?[0-9 ()-]{6,20}$"), load_default=None)
    language = fields.String(validate=LANGUAGES, load_default="nl")
    parental_authority = fields.Boolean(
        load_default=True,
        metadata={"description": "Has parental authority (gezag): their agreement counts."},
    )


class GuardianSchema(GuardianInSchema):
    id = fields.UUID()


class StaffInSchema(Schema):
    user_id = fields.UUID(required=True)
    role = fields.String(
        required=True, validate=validate.OneOf(["teacher", "coordinator", "consultant", "director"])
    )


class PupilInSchema(Schema):
    school_id = fields.UUID(required=True)
    given_name = text(100, required=True)
    family_name = text(100, required=True)
    date_of_birth = fields.Date(required=True)
    group = text(20, required=True)
    enrolled_on = fields.Date(required=True)
    pupil_number = fields.String(
        validate=validate.Regexp(r"^[A-Za-z0-9-]{1,32}$"), load_default=None
    )
    guardians = fields.List(
        fields.Nested(GuardianInSchema), required=True, validate=validate.Length(min=1, max=4)
    )
    staff = fields.List(
        fields.Nested(StaffInSchema), load_default=list, validate=validate.Length(max=20)
    )


class PupilSchema(Schema):
    id = fields.UUID()
    school_id = fields.UUID()
    given_name = fields.String()
    family_name = fields.String()
    date_of_birth = fields.Date()
    group = fields.String()
    enrolled_on = fields.Date()
    pupil_number = fields.String(allow_none=True)
    left_on = fields.Date(allow_none=True)
    anonymised_on = fields.Date(allow_none=True)
    left_with_open_case = fields.Boolean(
        attribute="left_with_open_case_flag",
        metadata={
            "description": "The pupil left while a case is still open: close it, or the "
            "pupil's data is never anonymised (rule 9)."
        },
    )
    guardians = fields.List(fields.Nested(GuardianSchema))
    staff = fields.List(fields.Nested(StaffInSchema))


class PupilQueryArgsSchema(PageArgsSchema):
    school_id = fields.UUID()
    left_with_open_case = fields.Boolean()


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


class GuardianLinkRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class GuardianLinkExchangeSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=2000))


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


class DomainArgsSchema(Schema):
    school_id = fields.UUID(metadata={"description": "Say whether this school's SOP offers each"})
    on = fields.Date(metadata={"description": "The day the SOP is in force (default today)"})


class DomainSchema(Schema):
    code = fields.String()
    level = fields.String(metadata={"description": "basic or extra"})
    label_nl = fields.String()
    label_en = fields.String()
    in_support_profile = fields.Boolean(
        allow_none=True, metadata={"description": "Offered by the school's SOP (null: no school)"}
    )


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


class IdSchema(Schema):
    id = fields.UUID()


CasePageSchema = page_schema(CaseSummarySchema, "CasePage")
PupilPageSchema = page_schema(PupilSchema, "PupilPage")
DuePageSchema = page_schema(DueEvaluationSchema, "DueEvaluationPage")
