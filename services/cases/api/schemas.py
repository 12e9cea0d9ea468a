"""Request and response schemas of the cases API (marshmallow; unknown fields are refused): the
field helpers every feature's schemas use. The schemas themselves are by feature: admin_schemas
(sign-in and administration), pupil_schemas (support profiles, pupils), case_schemas (cases,
interventions, caseload, timeline, event log), plan_schemas (development plans) and tlv_schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.cases.domain.catalog import choices_text

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


class IdSchema(Schema):
    id = fields.UUID()
