"""Beat's scheduled notices on a real database (SQLite and PostgreSQL), and through a real Celery
worker on a real Redis broker: `*.evaluation_approaching` and `*.evaluation_overdue` are emitted
exactly once per subject and due date, however often and however concurrently beat runs."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
import redis
from sqlalchemy import select

from services.cases import tasks
from services.cases.adapters import orm
from services.cases.bootstrap import Container
from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h
from services.cases.service_layer import scheduling
from services.cases.worker import celery
from shared.auth import Principal
from shared.clock import FixedClock, local_today
from shared.events import Envelope
from tests.support.celery_worker import finished, worker_on_own_queue
from tests.support.processes import wait_until
from tests.support.world import World

NOTICE_TYPES = (
    "intervention.evaluation_approaching",
    "intervention.evaluation_overdue",
    "development_plan.evaluation_approaching",
    "development_plan.evaluation_overdue",
)


@dataclass
class Due:
    """What the world has due, relative to the fixed clock's today (2026-10-15)."""

    soon: UUID  # intervention evaluated by today + 5 days
    later: UUID  # intervention evaluated by today + 36 days, beyond the 14-day horizon
    evaluation_soon: UUID  # plan evaluation at today + 7 days
    evaluation_later: UUID  # plan evaluation at today + 137 days
    today: date


def _coordinator(container: Container, world: World) -> Principal:
    with container.uow() as uow:
        user = uow.repo.user(world.users["coordinator_a1"])
        assert user is not None
        return h.principal_of(user, uow)


def _make_due_items(container: Container, world: World) -> Due:
    """One case with two basic interventions, one with an active plan and two evaluations."""
    today = local_today(container.clock)
    assert today == date(2026, 10, 15)
    ib = _coordinator(container, world)
    case_id = h.open_case(
        c.OpenCase(world.pupils["a1"], today - timedelta(days=44)), container.uow(), ib
    )
    start = today - timedelta(days=30)
    soon, later = (
        h.start_intervention(
            c.StartIntervention(case_id, "reading_dyslexia", "Vlot lezen", start, by),
            container.uow(),
            ib,
        )
        for by in (today + timedelta(days=5), today + timedelta(days=36))
    )
    plan_case = h.open_case(
        c.OpenCase(world.pupils["a1_other"], today - timedelta(days=60), True), container.uow(), ib
    )
    plan_id = h.create_development_plan(
        c.CreateDevelopmentPlan(
            case_id=plan_case,
            exit_destination="vmbo_kb",
            hindering_factors=["concentratie"],
            supporting_factors=["motivatie"],
            action_plan="Twee keer per week begeleiding buiten de groep.",
            scenarios=[{"expected_effect": "Leest AVI E4", "review_by": today + timedelta(90)}],
            agreed_end_date=today + timedelta(days=250),
            evaluation_dates=[today + timedelta(days=7), today + timedelta(days=137)],
            created_on=today - timedelta(days=20),
        ),
        container.uow(),
        ib,
    )
    plan_day = today - timedelta(days=10)
    h.record_consultation(
        c.RecordConsultation(plan_id, plan_day, ["ouders", "ib"]), container.uow(), ib
    )
    h.record_pupil_view(c.RecordPupilView(plan_id, plan_day), container.uow(), ib)
    h.request_consent(c.RequestConsent(plan_id, plan_day), container.uow(), ib)
    h.record_consent(
        c.RecordConsent(plan_id, "agreed", plan_day, [world.guardians["a1_other"]]),
        container.uow(),
        ib,
    )
    with container.uow() as uow:
        case = uow.cases.get(plan_case)
        assert case is not None
        plan = case.plan(plan_id)
        assert plan.status == "active"
        evaluations = {e.due_on: e.id for e in plan.evaluations}
    return Due(
        soon=soon,
        later=later,
        evaluation_soon=evaluations[today + timedelta(days=7)],
        evaluation_later=evaluations[today + timedelta(days=137)],
        today=today,
    )


def notices(container: Container) -> Counter[tuple[str, UUID]]:
    """How often each (notice type, intervention or plan evaluation id) is in the outbox."""
    o = orm.outbox.c
    with container.sessions() as session:
        raw = session.execute(select(o.envelope).where(o.type.in_(NOTICE_TYPES))).scalars()
        envelopes = [Envelope.from_json(r) for r in raw]
    return Counter(
        (e.type, e.data.get("intervention_id") or e.data["evaluation_id"]) for e in envelopes
    )


def approaching(due: Due) -> Counter[tuple[str, UUID]]:
    return Counter(
        {
            ("intervention.evaluation_approaching", due.soon): 1,
            ("development_plan.evaluation_approaching", due.evaluation_soon): 1,
        }
    )


def overdue(due: Due) -> Counter[tuple[str, UUID]]:
    return Counter(
        {
            ("intervention.evaluation_overdue", due.soon): 1,
            ("development_plan.evaluation_overdue", due.evaluation_soon): 1,
        }
    )


@pytest.fixture
def due(container: Container, world: World) -> Due:
    return _make_due_items(container, world)


# -- in process --------------------------------------------------------------------------------


def test_approaching_then_overdue_each_once(
    container: Container, clock: FixedClock, due: Due
) -> None:
    assert scheduling.emit_scheduled_notices(container.uow()) == 2
    assert scheduling.emit_scheduled_notices(container.uow()) == 0
    assert notices(container) == approaching(due)

    clock.advance(timedelta(days=6))  # the intervention is due yesterday, the evaluation tomorrow
    assert scheduling.emit_scheduled_notices(container.uow()) == 1
    clock.advance(timedelta(days=2))  # both past
    assert scheduling.emit_scheduled_notices(container.uow()) == 1
    assert scheduling.emit_scheduled_notices(container.uow()) == 0
    assert notices(container) == approaching(due) + overdue(due)

    clock.advance(timedelta(days=22))  # the later intervention (day 36) is within the horizon
    scheduling.emit_scheduled_notices(container.uow())
    scheduling.emit_scheduled_notices(container.uow())
    later = Counter({("intervention.evaluation_approaching", due.later): 1})
    assert notices(container) == approaching(due) + overdue(due) + later


def _run_concurrently(container: Container, threads: int) -> list[int]:
    """`threads` beat runs released at the same moment; returns what each emitted."""
    barrier = threading.Barrier(threads)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            uow = container.uow()
            barrier.wait(timeout=10)
            results.append(scheduling.emit_scheduled_notices(uow))
        except BaseException as err:  # noqa: BLE001 - reported by the test below
            errors.append(err)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(w.is_alive() for w in workers), "a beat run hung"
    assert not errors, errors
    return results


def test_concurrent_runs_still_emit_once(container: Container, clock: FixedClock, due: Due) -> None:
    assert sum(_run_concurrently(container, threads=4)) == 2
    assert notices(container) == approaching(due)

    clock.advance(timedelta(days=8))
    assert sum(_run_concurrently(container, threads=4)) == 2
    assert notices(container) == approaching(due) + overdue(due)


# -- through a real Celery worker --------------------------------------------------------------


@pytest.fixture
def celery_queue(container: Container, redis_client: redis.Redis) -> Iterator[str]:
    """A real worker on a queue of this test only, running tasks against its container."""
    with worker_on_own_queue(celery, tasks, container, redis_client, "cases") as queue:
        yield queue


@pytest.fixture
def finished_tasks() -> Iterator[list[Any]]:
    """Return values of the task the worker finished, in order."""
    with finished("cases.emit_scheduled_notices") as done:
        yield done


def test_the_celery_task_emits_once_however_often_it_runs(
    container: Container,
    clock: FixedClock,
    due: Due,
    celery_queue: str,
    finished_tasks: list[Any],
) -> None:
    tasks.emit_scheduled_notices.delay()
    tasks.emit_scheduled_notices.delay()

    wait_until(lambda: len(finished_tasks) == 2, timeout=30, message="two task runs")
    assert finished_tasks == [2, 0]
    assert notices(container) == approaching(due)

    clock.advance(timedelta(days=8))
    tasks.emit_scheduled_notices.delay()
    tasks.emit_scheduled_notices.delay()

    wait_until(lambda: len(finished_tasks) == 4, timeout=30, message="four task runs")
    assert finished_tasks[2:] == [2, 0]
    assert notices(container) == approaching(due) + overdue(due)
