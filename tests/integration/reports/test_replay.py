"""Rebuild-by-replay equals the live read model.

A generated history of a few thousand events (tests/integration/reports/history.py) is made
through the cases handlers. Live: the cases relay publishes the outbox to a Redis Stream and the
reports consumer (group "reports", the production wiring of `python -m services.reports
consume`) projects it. Rebuilt: `python -m services.reports rebuild` replays the cases event log
over real HTTP, page by page, into a second read model that held stale facts before.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.cases.adapters.relay import relay_once
from services.reports.__main__ import consumer, main
from services.reports.domain.report import Period
from services.reports.service_layer import compile as compiler
from services.reports.service_layer.projector import project
from shared.streams import StreamPublisher
from tests.conftest import JWT_SECRET, NOW, REDIS_URL
from tests.integration.reports.conftest import reports_container
from tests.integration.reports.helpers import dump
from tests.integration.reports.history import generate_history
from tests.unit.reports.builders import Story


@pytest.fixture
def rebuilt(db_kind, reports_databases, stream_name, clock, cases_server):
    c = reports_container(db_kind, reports_databases, stream_name, clock, cases_server.url)
    yield c
    c.engine.dispose()
    c.redis.close()


def run_live(cases, reports, stream: str) -> int:
    """Relay everything committed and consume it; returns how many entries were handled."""
    publisher = StreamPublisher(cases.redis, stream)
    while relay_once(cases.sessions, publisher, cases.clock, batch_size=500):
        pass
    live = consumer(reports, claim_idle_ms=0, block_ms=10, batch=200)
    live.ensure_group()
    handled = 0
    while count := live.run_once():
        handled += count
    return handled


@pytest.mark.timeout(400)
def test_rebuild_by_replay_equals_the_live_read_model(
    container, world, reports, rebuilt, stream_name, monkeypatch
):
    generate_history(container, world, pupils_per_school=80, seed=20261015)
    handled = run_live(container, reports, stream_name)
    assert handled > 2500  # a few thousand events

    stale = Story(
        world.school_a1, world.partnership_a
    )  # facts no log holds: the rebuild drops them
    stale.intervention("gifted", "2026-01-12", "2026-03-09", "2026-03-02", "effective")
    for e in stale.events:
        project(e, rebuilt.store, NOW)

    monkeypatch.setenv("REPORTS_DATABASE_URL", rebuilt.settings.database_url)
    monkeypatch.setenv("CASES_URL", rebuilt.settings.cases_url)
    monkeypatch.setenv("JWT_SECRET", JWT_SECRET)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert main(["rebuild", "--page-size", "400"]) == 0

    live, replayed = dump(reports), dump(rebuilt)
    assert len(live["processed_events"]) == handled
    assert replayed == live

    # The history covers what the reports count: every outcome, decision and consent answer.
    assert {r["outcome"] for r in live["interventions"]} >= {
        "effective",
        "partly_effective",
        "not_effective",
    }
    assert {r["decision"] for r in live["plan_evaluations"]} >= {
        "continue",
        "back_to_basic",
        "refer",
    }
    assert {r["decision"] for r in live["plan_consents"]} == {"agreed", "declined"}
    assert any(r["outside_support_profile"] for r in live["interventions"])
    assert any(r["valid_until"] for r in live["referrals"])

    # And so the reports compiled from both are the same.
    for period in (
        Period(date(2025, 8, 1), date(2026, 7, 31)),
        Period(date(2026, 1, 1), NOW.date()),
    ):
        for partnership in (world.partnership_a, world.partnership_b):
            assert compiler.partnership_report(
                rebuilt.reader, partnership, period, NOW.date()
            ) == compiler.partnership_report(reports.reader, partnership, period, NOW.date())
