"""Periodic reports on the real read model, Redis and a real Celery worker: every school gets the
last whole month, quarter and school year compiled once, however often and however concurrently
beat runs; each is announced once with `report.ready` on the event stream (also when an earlier
run compiled it but stopped before announcing); and the compiled report is fetched by its link.

The history is test_figures.py's: schools A, B, C of partnership P and school X of another.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import redis
from sqlalchemy import func, select

from services.reports import tasks
from services.reports.adapters import orm
from services.reports.service_layer import periodic
from services.reports.worker import celery
from shared.auth import Principal, Role, issue_token
from shared.events import Envelope
from shared.streams import ENVELOPE_FIELD
from tests.conftest import JWT_SECRET
from tests.integration.reports.test_figures import PARTNERSHIP, A, B, C, X, project_history
from tests.support.celery_worker import finished, worker_on_own_queue
from tests.support.processes import wait_until

KINDS = ("month", "quarter", "school_year")
JULY_1 = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Amsterdam
SCHOOLS = {A, B, C, X}


@pytest.fixture
def ready(reports, clock) -> None:
    """The history, and the clock on 1 July 2026."""
    project_history(reports)
    clock.set(JULY_1)


def compile_due(c) -> list[uuid.UUID]:
    return periodic.compile_due(c.store, c.reader, KINDS, c.clock.now().date(), c.clock.now())


def compiled(c) -> list[dict[str, Any]]:
    t = orm.compiled_reports
    with c.engine.connect() as conn:
        rows = conn.execute(select(t).order_by(t.c.school_id, t.c.period_kind)).mappings()
        return [dict(r) for r in rows]


def announced(c) -> list[Envelope]:
    entries = c.redis.xrange(c.settings.event_stream)
    return [Envelope.from_json(fields[ENVELOPE_FIELD]) for _, fields in entries]


def periods(rows) -> set[tuple]:
    return {(r["school_id"], r["period_kind"], r["period_start"], r["period_end"]) for r in rows}


def expected(start_end: dict[str, tuple[str, str]]) -> set[tuple]:
    return {
        (school, kind, date.fromisoformat(s), date.fromisoformat(e))
        for school in SCHOOLS
        for kind, (s, e) in start_end.items()
    }


ON_JULY_1 = {
    "month": ("2026-06-01", "2026-06-30"),
    "quarter": ("2026-04-01", "2026-06-30"),
    "school_year": ("2024-08-01", "2025-07-31"),  # 2025-2026 ends on 31 July
}


def test_each_school_and_period_is_compiled_once_and_announced_once(reports, ready, clock):
    assert len(compile_due(reports)) == 12  # 4 schools x 3 kinds
    assert compile_due(reports) == []
    assert periods(compiled(reports)) == expected(ON_JULY_1)

    # School A's quarter, April - June 2026: I6 started (4 May); I2 and I3 evaluated (6 and 13
    # April); exact, since it goes to the school.
    [quarter] = [
        r for r in compiled(reports) if r["school_id"] == A and r["period_kind"] == "quarter"
    ]
    figures = quarter["body"]["figures"]["interventions"]
    assert (figures["started"], figures["evaluated"], figures["by_outcome"]["not_effective"]) == (
        1,
        2,
        1,
    )
    assert quarter["body"]["school_id"] == str(A) and quarter["body"]["suppressed"] is False

    publisher = reports.publisher()
    assert periodic.publish_ready(reports.store, publisher, clock.now()) == 12
    assert periodic.publish_ready(reports.store, publisher, clock.now()) == 0
    events = announced(reports)
    assert {e.type for e in events} == {"report.ready"}
    assert {e.id for e in events} == {r["report_id"] for r in compiled(reports)}
    assert {
        (e.school_id, e.data["period_kind"], e.data["period_start"], e.data["period_end"])
        for e in events
    } == expected(ON_JULY_1)
    assert {e.partnership_id for e in events if e.school_id != X} == {PARTNERSHIP}

    # On 1 August July is a whole month and 2025-2026 a whole school year; the quarter is not new.
    clock.set(JULY_1 + timedelta(days=31))
    assert len(compile_due(reports)) == 8
    assert periods(compiled(reports)) == expected(ON_JULY_1) | expected(
        {"month": ("2026-07-01", "2026-07-31"), "school_year": ("2025-08-01", "2026-07-31")}
    )


def test_concurrent_runs_store_each_period_once(reports, ready):
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(len(compile_due(reports)))
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    workers = [threading.Thread(target=run) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    assert sum(results) == 12
    assert periods(compiled(reports)) == expected(ON_JULY_1)


# -- through a real Celery worker --------------------------------------------------------------


@pytest.fixture
def celery_queue(reports, redis_client: redis.Redis) -> Iterator[str]:
    """A real worker on a queue of this test only, running tasks against its container."""
    with worker_on_own_queue(celery, tasks, reports, redis_client, "reports") as queue:
        yield queue


@pytest.fixture
def finished_tasks() -> Iterator[list[Any]]:
    """Return values of the task the worker finished, in order."""
    with finished("reports.compile_due") as done:
        yield done


def test_the_beat_task_compiles_once_and_announces_what_an_earlier_run_left(
    reports, ready, celery_queue, finished_tasks, monkeypatch
):
    monkeypatch.setattr(reports, "settings", replace(reports.settings, periodic_kinds=KINDS))
    # An earlier run compiled school reports but stopped before announcing them.
    assert len(compile_due(reports)) == 12
    assert announced(reports) == []

    tasks.compile_due.delay()
    tasks.compile_due.delay()
    wait_until(lambda: len(finished_tasks) == 2, timeout=30, message="two task runs")
    assert finished_tasks == [0, 0]  # nothing new to compile ...
    events = announced(reports)
    assert len(events) == 12  # ... but the twelve compiled earlier are announced, once
    assert {e.id for e in events} == {r["report_id"] for r in compiled(reports)}
    with reports.engine.connect() as conn:
        t = orm.compiled_reports
        unannounced = select(func.count()).where(t.c.published_at.is_(None))
        assert conn.execute(unannounced).scalar_one() == 0


# -- fetching a compiled report ----------------------------------------------------------------


def bearer(role: Role, schools=()) -> dict[str, str]:
    principal = Principal(uuid.uuid4(), role, PARTNERSHIP, frozenset(schools))
    token = issue_token(principal, JWT_SECRET, JULY_1, timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}


def test_a_compiled_report_is_fetched_by_its_link_within_scope(reports, ready, reports_client):
    compile_due(reports)
    by_school = {
        r["school_id"]: r["report_id"] for r in compiled(reports) if r["period_kind"] == "quarter"
    }
    path = f"/api/v1/reports/compiled/{by_school[A]}"
    response = reports_client.get(path, headers=bearer(Role.COORDINATOR, [A]))
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["period_kind"], body["period_start"], body["period_end"]) == (
        "quarter",
        "2026-04-01",
        "2026-06-30",
    )
    assert body["report"]["figures"]["interventions"]["started"] == 1
    assert reports_client.get(path, headers=bearer(Role.ADMIN)).status_code == 200
    assert reports_client.get(path, headers=bearer(Role.COORDINATOR, [B])).status_code == 404
    assert reports_client.get(path, headers=bearer(Role.TEACHER, [A])).status_code == 403
    other = f"/api/v1/reports/compiled/{by_school[X]}"  # another partnership's school
    assert reports_client.get(other, headers=bearer(Role.ADMIN)).status_code == 404
    missing = f"/api/v1/reports/compiled/{uuid.uuid4()}"
    assert reports_client.get(missing, headers=bearer(Role.ADMIN)).status_code == 404
