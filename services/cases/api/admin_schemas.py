"""Schemas of signing in and of the administration: tokens, a second factor, the partnership's
settings and code lists, schools, accounts and a guardian's sign-in link."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.cases.api.schemas import (
    CODE,
    LANGUAGES,
    REGIONS,
    text,
)
from shared.auth import Role

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


class GuardianLinkRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class GuardianLinkExchangeSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=2000))


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
