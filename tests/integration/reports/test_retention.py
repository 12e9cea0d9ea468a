"""Rule 9 end to end: after the retention period a pupil's personal data is anonymised, and a
report rebuilt from the event log afterwards gives the same numbers as before (the events never
held personal data). A pupil with a case still open keeps their data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.cases.domain.model import Case
from services.cases.service_layer import retention
from services.reports.__main__ import main
from services.reports.domain.report import Period
from services.reports.service_layer import compile as compiler
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.integration.reports.conftest import reports_container
from tests.integration.reports.test_replay import run_live
from tests.support.api_flows import call_ok, evaluate_intervention, open_case, start_intervention

PERIOD = Period(date(2026, 8, 1), date(2027, 7, 31))
AS_OF = date(2026, 10, 15)


@pytest.fixture
def rebuilt(db_kind, reports_databases, stream_name, clock, cases_server):
    c = reports_container(db_kind, reports_databases, stream_name, clock, cases_server.url)
    yield c
    c.engine.dispose()
    c.redis.close()


def _pupil(container, key, world):
    with container.uow() as uow:
        pupil = uow.repo.pupil(world.pupils[key])
        cases: list[Case] = uow.retention.cases_of(pupil.id)
        return (
            pupil.given_name,
            pupil.family_name,
            pupil.pupil_number,
            len(pupil.guardians),
            pupil.anonymised_on,
            [i.goal for c in cases for i in c.interventions],
        )


def test_anonymised_after_retention_and_reports_unchanged(
    container, world, clock, reports, rebuilt, stream_name, monkeypatch, tmp_path
):
    for key in ("a1", "a1_other"):
        case = open_case(world, key)
        item = start_intervention(world, case["id"])
        evaluate_intervention(world, item["id"])
        call_ok(
            world,
            "coordinator_a1",
            "POST",
            f"/api/v1/pupils/{world.pupils[key]}/leave",
            200,
            json={"left_on": "2026-10-15"},
        )
        if key == "a1":  # a1's case closes; a1_other's stays open
            call_ok(
                world,
                "coordinator_a1",
                "POST",
                f"/api/v1/cases/{case['id']}/close",
                200,
                json={"closed_on": "2026-10-15", "reason": "pupil_left"},
            )
    run_live(container, reports, stream_name)
    before = compiler.partnership_report(reports.reader, world.partnership_a, PERIOD, AS_OF)

    clock.advance(timedelta(days=365 * 2 - 2))  # not yet two years after leaving
    assert retention.anonymise_due(container.uow()) == 0
    clock.advance(timedelta(days=3))
    assert retention.anonymise_due(container.uow()) == 1
    assert retention.anonymise_due(container.uow()) == 0  # once

    assert _pupil(container, "a1", world) == (
        "Geanonimiseerd",
        "",
        None,
        0,
        clock.now().date(),
        [""],
    )
    assert _pupil(container, "a1_other", world)[0] == "Kind a1_other"  # its case is still open

    monkeypatch.setenv("REPORTS_DATABASE_URL", rebuilt.settings.database_url)
    monkeypatch.setenv("CASES_URL", rebuilt.settings.cases_url)
    monkeypatch.setenv("JWT_SECRET", JWT_SECRET)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    clock_file = tmp_path / "clock"  # the rebuild command's clock: two years on, like cases'
    clock_file.write_text(clock.now().isoformat(), encoding="utf-8")
    monkeypatch.setenv("CLOCK_FILE", str(clock_file))
    assert main(["rebuild", "--page-size", "100"]) == 0
    after = compiler.partnership_report(rebuilt.reader, world.partnership_a, PERIOD, AS_OF)
    assert after == before
