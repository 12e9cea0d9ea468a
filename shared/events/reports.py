"""Events produced by the reports service. Like every payload, ids, codes and dates only."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.spec import EventSpec, register

PERIOD_KINDS = ("month", "quarter", "school_year")

register(
    EventSpec(
        "report.ready",
        1,
        "report",
        Schema.from_dict(
            {
                "report_id": fields.UUID(required=True),
                "period_kind": fields.String(required=True, validate=validate.OneOf(PERIOD_KINDS)),
                "period_start": fields.Date(required=True),
                "period_end": fields.Date(required=True),
            },
            name="ReportReadyPayload",
        ),
        "A school's periodic outcome report was compiled; it is fetched at "
        "`GET /api/v1/reports/compiled/{report_id}` of the reports service.",
    )
)
