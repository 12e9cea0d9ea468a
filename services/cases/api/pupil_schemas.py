"""Schemas of support profiles (SOPs) and of pupils with their guardians and staff."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.cases.api.schemas import (
    CODE,
    LANGUAGES,
    text,
)
from shared.web import PageArgsSchema, page_schema

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


PupilPageSchema = page_schema(PupilSchema, "PupilPage")
