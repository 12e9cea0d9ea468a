"""Plan evaluations of plans that never took effect are not due (issue 11, domain).

A plan takes effect only when the parents agree (rule 4). While the parents have not agreed — or
after they declined — the plan is not active, the cases service sends no overdue reminder for its
evaluations, and the report counts none of them as due, overdue or still to come. An evaluation
of a plan that was activated is due as before: held on time, overdue, or still to come. Checked
in the real read model (SQLite and PostgreSQL), live and after a rebuild from the event log.

Period 1 January - 30 June 2026, compiled on 15 May 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.reports.domain.report import Period
from services.reports.service_layer import compile as compiler
from services.reports.service_layer.projector import project
from services.reports.service_layer.rebuild import rebuild
from tests.conftest import NOW
from tests.integration.reports.conftest import reports_container
from tests.integration.reports.helpers import dump
from tests.unit.reports.builders import PARTNERSHIP, SCHOOL, Story
from tests.unit.reports.fakes import FakeEventLog

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
AS_OF = date(2026, 5, 15)


def declined() -> Story:
    """Created, evaluation planned for 1 April, the parents decline: never active."""
    s = Story(SCHOOL)
    plan = s.plan("2026-01-15")
    s.schedule(plan, "2026-04-01")
    s.consent(plan, "2026-01-20", "2026-02-03", "declined")
    return s


def never_answered() -> Story:
    """Created with an evaluation planned for 20 March; the parents never answered."""
    s = Story(SCHOOL)
    plan = s.plan("2026-01-20")
    s.schedule(plan, "2026-03-20")
    s.schedule(plan, "2026-06-20")
    return s


def activated() -> Story:
    """Agreed on 24 February: the evaluation of 1 April, never held, is overdue; 1 June open."""
    s = Story(SCHOOL)
    plan = s.plan("2026-02-01")
    s.schedule(plan, "2026-04-01")
    s.schedule(plan, "2026-06-01")
    s.consent(plan, "2026-02-10", "2026-02-24", "agreed")
    return s


def declined_then_agreed() -> Story:
    """Declined first, agreed to a changed action plan later: active, so its evaluation counts."""
    s = Story(SCHOOL)
    plan = s.plan("2026-01-10")
    s.schedule(plan, "2026-03-01")
    s.consent(plan, "2026-01-12", "2026-01-26", "declined")
    s.consent(plan, "2026-02-01", "2026-02-15", "agreed", version=2)
    return s


def evaluations(c) -> dict:
    report = compiler.school_report(c.reader, PARTNERSHIP, SCHOOL, PERIOD, AS_OF, exact=True)
    return report["figures"]["plan_evaluations"]


def load(c, *stories: Story) -> list:
    events = [e for s in stories for e in s.events]
    for e in events:
        assert project(e, c.store, NOW)
    return events


def test_a_declined_plans_evaluation_is_not_overdue_when_its_date_passes(reports):
    load(reports, declined())
    assert evaluations(reports) == {"due": 0, "on_time": 0, "overdue": 0, "open": 0}


def test_a_plan_never_agreed_to_has_no_evaluations_due_or_to_come(reports):
    load(reports, never_answered())
    assert evaluations(reports) == {"due": 0, "on_time": 0, "overdue": 0, "open": 0}


def test_an_activated_plans_evaluation_is_overdue_once_its_date_passes(reports):
    load(reports, activated())
    assert evaluations(reports) == {"due": 2, "on_time": 0, "overdue": 1, "open": 1}


def test_only_the_activated_plans_count_beside_declined_ones(reports):
    load(reports, declined(), never_answered(), activated(), declined_then_agreed())
    assert evaluations(reports) == {"due": 3, "on_time": 0, "overdue": 2, "open": 1}


@pytest.fixture
def rebuilt(db_kind, reports_databases, stream_name, clock):
    c = reports_container(db_kind, reports_databases, stream_name, clock)
    yield c
    c.engine.dispose()
    c.redis.close()


def test_a_rebuild_by_replay_counts_the_same(reports, rebuilt):
    events = load(reports, declined(), never_answered(), activated(), declined_then_agreed())
    done = rebuild(FakeEventLog(events), rebuilt.store, lambda: NOW, page_size=5)
    assert done.events == len(events)
    assert dump(rebuilt) == dump(reports)
    assert evaluations(rebuilt) == evaluations(reports)
    assert evaluations(rebuilt) == {"due": 3, "on_time": 0, "overdue": 2, "open": 1}
