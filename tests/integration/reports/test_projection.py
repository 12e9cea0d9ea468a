"""The projector on the real read model: the merge rules in SQL give the same facts in any order
of a subject's events, an event counts once, also when two consumers take it at the same time."""

from __future__ import annotations

import random
import threading

import pytest

from services.reports.service_layer.projector import project
from tests.conftest import NOW
from tests.integration.reports.conftest import reports_container
from tests.integration.reports.helpers import dump
from tests.integration.reports.test_figures import school_a_interventions, school_a_plans
from tests.unit.reports.test_projector import a_whole_plan, shuffled_keeping_type_order


@pytest.fixture
def second(db_kind, reports_databases, stream_name, clock):
    c = reports_container(db_kind, reports_databases, stream_name, clock)
    yield c
    c.engine.dispose()
    c.redis.close()


def test_any_order_of_the_events_gives_the_same_read_model(reports, second):
    stories = [*school_a_interventions(), *school_a_plans(), a_whole_plan()]
    events = [e for s in stories for e in s.events]
    for e in events:
        project(e, reports.store, NOW)
    for e in shuffled_keeping_type_order(events, random.Random(7)):
        project(e, second.store, NOW)
    assert dump(second) == dump(reports)
    assert len(dump(reports)["interventions"]) == 8


def test_an_event_delivered_twice_changes_nothing_the_second_time(reports):
    events = a_whole_plan().events
    for e in events:
        assert project(e, reports.store, NOW) is True
    before = dump(reports)
    assert [project(e, reports.store, NOW) for e in events] == [False] * len(events)
    assert dump(reports) == before


def test_two_consumers_claiming_one_event_at_once_apply_it_once(reports, db_kind):
    """The first claim holds the row until its commit; the second waits, then finds it taken
    (on SQLite the second transaction cannot even begin before the first ends)."""
    [started] = a_whole_plan().events[:1]
    results: list[bool] = []
    with reports.store() as first:
        assert first.claim(started.id, started.type, NOW) is True
        worker = threading.Thread(
            target=lambda: results.append(project(started, reports.store, NOW))
        )
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive()  # waiting for the first transaction
        first.commit()
    worker.join(timeout=10)
    assert results == [False]
