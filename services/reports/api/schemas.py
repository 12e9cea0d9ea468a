"""Request and response schemas of the reports API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.reports.domain.labels import LANGUAGES
from services.reports.domain.schedule import PeriodKind, ScheduleSource

PERIOD_KINDS = tuple(k.value for k in PeriodKind)


class ReportArgsSchema(Schema):
    start = fields.Date(required=True, metadata={"description": "First day of the period."})
    end = fields.Date(required=True, metadata={"description": "Last day of the period."})
    lang = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES))

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data and data["end"] < data["start"]:
            raise ValidationError("Must not be before start.", field_name="end")


def _count(description: str = "") -> fields.Raw:
    return fields.Raw(
        metadata={
            "description": (description + " " if description else "")
            + "An integer; '<5' for 1 to 4 in a suppressed report; 'x' for a count of 5 or more "
            "hidden so that no '<5' can be worked out from the others (onderdrukt om terugrekenen "
            "te voorkomen); '–' for a count left out where small numbers alone would give it "
            "away; a decimal for an average.",
            "oneOf": [{"type": "number"}, {"type": "string", "enum": ["<5", "x", "–"]}],
        }
    )


def _counts(description: str) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(), values=fields.Raw(), metadata={"description": description}
    )


def _derived(description: str) -> fields.Float:
    return fields.Float(
        allow_none=True,
        metadata={"description": description + " None without data or when suppressed."},
    )


class InterventionFiguresSchema(Schema):
    started = _count("Basic interventions started in the period.")
    evaluated = _count("Basic interventions evaluated in the period.")
    by_outcome = _counts("The evaluated ones by effect.")
    evaluated_on_time = _count("Evaluated on or before their evaluate-by date.")
    share_evaluated_on_time = _derived(
        "evaluated_on_time / evaluated; also None when either count is hidden."
    )
    median_days = _derived("Median days from start to evaluation.")
    by_domain = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "Per support domain: started, evaluated and the effects."},
    )
    outside_support_profile = _count("Interventions (any level) started outside the SOP.")
    extra_started = _count("Extra interventions started under a development plan.")


class PlanFiguresSchema(Schema):
    new = _count("Development plans created in the period.")
    active = _count("Activated and not closed at the end of the period.")
    closed = _count("Closed in the period.")
    closed_by_reason = _counts("Closed ones by reason.")
    evaluation_decisions = _counts("Plan evaluations held in the period, by decision.")


class ConsentFiguresSchema(Schema):
    agreed = _count("The parents' answers recorded in the period: agreed.")
    declined = _count("The parents' answers recorded in the period: declined.")
    median_days_to_answer = _derived("Median days from request to answer.")


class PlanEvaluationFiguresSchema(Schema):
    due = _count("Plan evaluations due in the period (cancelled ones left out).")
    on_time = _count("Held on or before the due date.")
    overdue = _count("Held late, or not held although the date passed.")
    open = _count("Not yet due.")


class ReferralFiguresSchema(Schema):
    requested = _count("Referrals requested in the period.")
    by_destination = _counts("By destination.")


class AdmissionStatementFiguresSchema(Schema):
    submitted = _count("TLV applications submitted in the period.")
    submitted_without_agreement = _count("Of those: without the parents' agreement.")
    decided = _count("TLV decisions made in the period: granted + refused.")
    granted = _count("Decisions in the period: granted.")
    refused = _count("Decisions in the period: refused.")
    granted_by_school_type = _counts("The grants by type of school: sbo, so.")
    so_by_category = _counts("The grants for so by funding category: low, medium, high.")
    median_days_to_decision = _derived(
        "Median days from application to decision; None under 5 decisions."
    )
    decided_late = _count("Decisions made after the partnership's deadline (decide_by).")


def _name_from_cases() -> fields.String:
    return fields.String(
        allow_none=True, metadata={"description": "From the cases service; null until known."}
    )


class FiguresSchema(Schema):
    interventions = fields.Nested(InterventionFiguresSchema)
    development_plans = fields.Nested(PlanFiguresSchema)
    consent = fields.Nested(ConsentFiguresSchema)
    plan_evaluations = fields.Nested(PlanEvaluationFiguresSchema)
    referrals = fields.Nested(ReferralFiguresSchema)
    admission_statements = fields.Nested(
        AdmissionStatementFiguresSchema,
        metadata={"description": "TLV applications and decisions (toelaatbaarheidsverklaringen)."},
    )


class PeriodSchema(Schema):
    start = fields.Date()
    end = fields.Date()


class ScopeFiguresSchema(Schema):
    schools = fields.Integer(metadata={"description": "Schools of the partnership."})
    figures = fields.Nested(FiguresSchema)


class SchoolFiguresSchema(Schema):
    school_id = fields.UUID()
    school_name = _name_from_cases()
    figures = fields.Nested(FiguresSchema)


class ReportHeadSchema(Schema):
    kind = fields.String()
    partnership_id = fields.UUID()
    partnership_name = _name_from_cases()
    period = fields.Nested(PeriodSchema)
    as_of = fields.Date(metadata={"description": "The day the report was compiled."})
    language = fields.String()
    suppressed = fields.Boolean(
        metadata={
            "description": "Whether counts of 1 to 4 read '<5' (and others 'x' where needed to "
            "keep them from being worked out)."
        }
    )
    labels = fields.Dict(metadata={"description": "Labels of figures and codes in `language`."})


class SchoolReportSchema(ReportHeadSchema):
    school_id = fields.UUID()
    school_name = _name_from_cases()
    figures = fields.Nested(FiguresSchema)
    partnership_average = fields.Nested(
        ScopeFiguresSchema,
        metadata={"description": "Counts averaged per school; medians and shares overall."},
    )


class PartnershipReportSchema(ReportHeadSchema):
    schools = fields.List(fields.Nested(SchoolFiguresSchema))
    total = fields.Nested(ScopeFiguresSchema)


class CompiledReportSchema(Schema):
    report_id = fields.UUID()
    partnership_id = fields.UUID()
    school_id = fields.UUID()
    period_kind = fields.String(metadata={"description": "month, quarter or school_year"})
    period_start = fields.Date()
    period_end = fields.Date()
    compiled_at = fields.AwareDateTime()
    report = fields.Dict(
        attribute="body",
        metadata={"description": "The school's report as compiled (see SchoolReport), in Dutch."},
    )


# -- report schedules ----------------------------------------------------------------------------


def _kinds(description: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(PERIOD_KINDS)), metadata={"description": description}
    )


class ScheduleInSchema(Schema):
    kinds = fields.List(
        fields.String(validate=validate.OneOf(PERIOD_KINDS)),
        required=True,
        metadata={
            "description": "Which periodic reports: month, quarter and/or school_year (1 August "
            "- 31 July), each at most once; an empty list means none."
        },
    )

    @validates_schema
    def _once_each(self, data: dict[str, Any], **_: Any) -> None:
        kinds = data.get("kinds", [])
        if len(set(kinds)) != len(kinds):
            raise ValidationError("Each kind at most once.", field_name="kinds")


class StoredScheduleSchema(Schema):
    kinds = _kinds("The chosen periodic reports; empty: none.")
    updated_at = fields.AwareDateTime()
    updated_by = fields.UUID(metadata={"description": "The user who set it."})


class EffectiveScheduleSchema(Schema):
    kinds = _kinds("The periodic reports the school gets.")
    source = fields.String(
        validate=validate.OneOf([s.value for s in ScheduleSource]),
        metadata={
            "description": "school: its own schedule; partnership: the partnership's default; "
            "setting: neither is set, the service's default."
        },
    )


class SchoolScheduleSchema(Schema):
    school_id = fields.UUID()
    school_name = fields.String(allow_none=True, metadata={"description": "Null until known."})
    own = fields.Nested(
        StoredScheduleSchema,
        allow_none=True,
        metadata={"description": "The school's own schedule; null: the default applies."},
    )
    effective = fields.Nested(EffectiveScheduleSchema)


class SchedulesSchema(Schema):
    partnership_id = fields.UUID()
    setting = _kinds("The service's default, for a partnership that set none.")
    partnership = fields.Nested(
        StoredScheduleSchema,
        allow_none=True,
        metadata={"description": "The partnership's default; null: the setting applies."},
    )
    schools = fields.List(
        fields.Nested(SchoolScheduleSchema),
        metadata={"description": "Every school the caller may see, with its own and effective."},
    )
