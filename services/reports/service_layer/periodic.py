"""Periodic reports: each school's last whole month, quarter or school year, compiled once, kept,
and announced with `report.ready` (the notifications service delivers it to the school). Which
kinds a school gets is its effective schedule: its own, else its partnership's default, else the
service's setting (domain/schedule.py); an empty schedule means none.

The compiled rows are this service's outbox: a row is written in its own transaction, and rows not
yet announced are published afterwards and then marked. A crash in between publishes a row again
on the next run, under the same event id (the report's), which every consumer already dedupes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID, uuid4

from services.reports.domain.schedule import StoredSchedule, last_complete, schedules_of
from services.reports.service_layer.compile import ReaderFactory, school_report
from shared.events import Envelope, Subject

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CompiledReport:
    """A school's report of one period as it was compiled."""

    report_id: UUID
    partnership_id: UUID
    school_id: UUID
    period_kind: str
    period_start: date
    period_end: date
    compiled_at: datetime
    body: dict[str, Any]


class ReportStore(Protocol):
    """One transaction on the compiled reports."""

    def schools(self) -> list[tuple[UUID, UUID]]: ...

    def schedules(self, partnership_id: UUID | None = None) -> list[StoredSchedule]: ...

    def has_compiled(self, school_id: UUID, kind: str, start: date) -> bool: ...

    def add_compiled(self, report: CompiledReport) -> bool: ...

    def unpublished(self, limit: int) -> list[CompiledReport]: ...

    def mark_published(self, report_ids: list[UUID], now: datetime) -> None: ...

    def commit(self) -> None: ...


class Publisher(Protocol):
    def publish_envelope(self, envelope: Envelope) -> str | None: ...


ReportStoreFactory = Callable[[], AbstractContextManager[ReportStore]]


def jsonable(value: Any) -> Any:
    """Ids and dates as strings, so a report body can be stored as JSON."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, UUID | date):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    return value


def compile_due(
    stores: ReportStoreFactory,
    readers: ReaderFactory,
    kinds: tuple[str, ...],
    today: date,
    now: datetime,
) -> list[UUID]:
    """Compile the last complete period of each kind of a school's effective schedule (`kinds`,
    the service's setting, when neither the school nor its partnership chose) for every school
    that has none yet; returns the new reports' ids. Safe to run at any time and in parallel: a
    period is stored once."""
    with stores() as store:
        schools = store.schools()
        schedules = schedules_of(kinds, store.schedules())
    added: list[UUID] = []
    for school_id, partnership_id in schools:
        for kind in schedules.effective(partnership_id, school_id).kinds:
            period = last_complete(kind, today)
            with stores() as store:
                if store.has_compiled(school_id, kind.value, period.start):
                    continue
            # The school's own report (exact): it is delivered to the school.
            body = school_report(readers, partnership_id, school_id, period, today, exact=True)
            report = CompiledReport(
                report_id=uuid4(),
                partnership_id=partnership_id,
                school_id=school_id,
                period_kind=kind.value,
                period_start=period.start,
                period_end=period.end,
                compiled_at=now,
                body=jsonable(body),
            )
            with stores() as store:
                if store.add_compiled(report):
                    store.commit()
                    added.append(report.report_id)
    return added


def ready_event(report: CompiledReport) -> Envelope:
    """The `report.ready` event of a compiled report; its id is the report's."""
    return Envelope(
        id=report.report_id,
        type="report.ready",
        version=1,
        occurred_at=report.compiled_at,
        partnership_id=report.partnership_id,
        school_id=report.school_id,
        subject=Subject("report", report.report_id),
        data={
            "report_id": report.report_id,
            "period_kind": report.period_kind,
            "period_start": report.period_start,
            "period_end": report.period_end,
        },
    )


def publish_ready(
    stores: ReportStoreFactory, publisher: Publisher, now: datetime, limit: int = 500
) -> int:
    """Announce compiled reports not announced yet, then mark them; returns how many."""
    with stores() as store:
        reports = store.unpublished(limit)
    for report in reports:  # outside any transaction: Redis is not held up by the database
        publisher.publish_envelope(ready_event(report))
    if reports:
        with stores() as store:
            store.mark_published([r.report_id for r in reports], now)
            store.commit()
    return len(reports)
