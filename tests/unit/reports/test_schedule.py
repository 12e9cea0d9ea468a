"""Which periods a periodic report covers, the settings that choose them, and a compiled report's
`report.ready` event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from services.reports.config import ReportsSettings
from services.reports.domain.schedule import PeriodKind, last_complete
from services.reports.service_layer.periodic import CompiledReport, jsonable, ready_event
from shared.config import ConfigError
from shared.events import Envelope


@pytest.mark.parametrize(
    "today, kind, start, end",
    [
        ("2026-01-01", "month", "2025-12-01", "2025-12-31"),
        ("2026-03-31", "month", "2026-02-01", "2026-02-28"),
        ("2026-01-01", "quarter", "2025-10-01", "2025-12-31"),
        ("2026-03-31", "quarter", "2025-10-01", "2025-12-31"),
        ("2026-04-01", "quarter", "2026-01-01", "2026-03-31"),
        ("2026-10-15", "quarter", "2026-07-01", "2026-09-30"),
        ("2026-07-31", "school_year", "2024-08-01", "2025-07-31"),
        ("2026-08-01", "school_year", "2025-08-01", "2026-07-31"),
        ("2027-01-05", "school_year", "2025-08-01", "2026-07-31"),
    ],
)
def test_the_last_whole_period_before_a_day(today, kind, start, end):
    period = last_complete(PeriodKind(kind), date.fromisoformat(today))
    assert (period.start, period.end) == (date.fromisoformat(start), date.fromisoformat(end))


ENV = {"REPORTS_DATABASE_URL": "sqlite:///x.db", "JWT_SECRET": "s" * 32}


def test_the_periodic_kinds_come_from_the_environment():
    assert ReportsSettings.from_env(ENV).periodic_kinds == ("quarter", "school_year")
    chosen = ReportsSettings.from_env({**ENV, "REPORTS_PERIODS": "month, school_year"})
    assert chosen.periodic_kinds == ("month", "school_year")
    with pytest.raises(ConfigError, match="weekly"):
        ReportsSettings.from_env({**ENV, "REPORTS_PERIODS": "weekly"})


def test_a_compiled_report_is_announced_by_its_own_id_and_passes_the_catalog():
    report = CompiledReport(
        report_id=uuid4(),
        partnership_id=uuid4(),
        school_id=uuid4(),
        period_kind="quarter",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        compiled_at=datetime(2026, 7, 1, 6, tzinfo=UTC),
        body={},
    )
    event = Envelope.from_json(ready_event(report).to_json())
    assert (event.id, event.type, event.subject.kind, event.subject.id) == (
        report.report_id,
        "report.ready",
        "report",
        report.report_id,
    )
    assert event.data == {
        "report_id": report.report_id,
        "period_kind": "quarter",
        "period_start": date(2026, 4, 1),
        "period_end": date(2026, 6, 30),
    }
    assert (event.school_id, event.partnership_id) == (report.school_id, report.partnership_id)


def test_a_report_body_is_stored_with_ids_and_dates_as_text():
    school = UUID("00000000-0000-4000-8000-0000000000a1")
    body = {"school_id": school, "period": {"start": date(2026, 4, 1)}, "n": [1, None, "<5"]}
    assert jsonable(body) == {
        "school_id": str(school),
        "period": {"start": "2026-04-01"},
        "n": [1, None, "<5"],
    }
