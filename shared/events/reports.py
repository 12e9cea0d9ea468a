"""Events produced by the reports service, defined like the cases service's (shared.events.payload):
a class per event, its payload schema derived from it. Like every payload, ids, codes and dates
only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from shared.events.derive import event_spec
from shared.events.payload import OneOf
from shared.events.spec import register

PERIOD_KINDS = ("month", "quarter", "school_year")


@dataclass(frozen=True, kw_only=True)
class ReportReady:
    """A school's periodic outcome report was compiled; it is fetched at
    `GET /api/v1/reports/compiled/{report_id}` of the reports service."""

    type: ClassVar[str] = "report.ready"
    subject_kind: ClassVar[str] = "report"
    report_id: UUID
    period_kind: Annotated[str, OneOf(PERIOD_KINDS)]
    period_start: date
    period_end: date


register(event_spec(ReportReady))
