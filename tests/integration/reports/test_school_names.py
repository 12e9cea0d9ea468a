"""School names in the reports, from the cases service's `school.registered` (a school's name is
not personal data): projected into the real read model (SQLite and PostgreSQL) once per event,
whichever of a school's events comes first; shown in the school's and the partnership's report,
the XLSX title and the schedules; reproduced by a rebuild from the event log; and sent by the
cases service for every school it creates (through its relay and the reports consumer).

The history is test_figures.py's: schools A, B, C of partnership P and school X of another. A
and X are registered by name, B and C are not (schools that joined before the event existed).
"""

from __future__ import annotations

import io
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from openpyxl import load_workbook

from services.reports.domain.schedule import ordered
from services.reports.service_layer.projector import project
from services.reports.service_layer.rebuild import rebuild
from shared.auth import Principal, Role, issue_token
from shared.events import Envelope, Subject
from tests.conftest import JWT_SECRET, NOW
from tests.integration.reports.conftest import reports_container
from tests.integration.reports.helpers import dump
from tests.integration.reports.history import generate_history
from tests.integration.reports.test_figures import (
    A,
    B,
    C,
    X,
    other_schools,
    school_a_interventions,
    school_a_plans,
    school_b,
)
from tests.integration.reports.test_replay import run_live
from tests.unit.reports.builders import OTHER_PARTNERSHIP, PARTNERSHIP
from tests.unit.reports.fakes import FakeEventLog

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
NEW = UUID("00000000-0000-4000-8000-0000000000d4")  # registered, nothing else yet


def registered(
    school_id: UUID, name: str, brin: str | None, partnership_id: UUID = PARTNERSHIP
) -> Envelope:
    """A `school.registered` as the cases service sends it, through the catalog."""
    built = Envelope(
        id=uuid4(),
        type="school.registered",
        version=1,
        occurred_at=NOW,
        partnership_id=partnership_id,
        school_id=school_id,
        subject=Subject("school", school_id),
        data={"name": name, "brin": brin, "region": "noord"},
    )
    return Envelope.from_json(built.to_json())


def history() -> list[Envelope]:
    """Registrations before (A, X) and after (A's new name) the schools' other events."""
    stories = [*school_a_interventions(), *school_a_plans(), *school_b()]
    return [
        registered(A, "De Regenbóóg", "12AB"),
        registered(X, "Elders", "99ZZ", OTHER_PARTNERSHIP),
        *[e for s in stories for e in s.events],
        *other_schools(),
        registered(NEW, "Nieuw", None),
        registered(A, "OBS De Regenboog", "12AB"),  # renamed: the later registration wins
    ]


@pytest.fixture
def events(reports) -> list[Envelope]:
    events = history()
    for e in events:
        assert project(e, reports.store, NOW)
    return events


def token(role: Role, schools=(), partnership=PARTNERSHIP) -> dict[str, str]:
    principal = Principal(uuid4(), role, partnership, frozenset(schools))
    return {
        "Authorization": f"Bearer {issue_token(principal, JWT_SECRET, NOW, timedelta(hours=1))}"
    }


ADMIN = token(Role.ADMIN)


def test_a_registration_names_the_school_once_whichever_event_came_first(reports, events):
    schools = {r["school_id"]: r for r in dump(reports)["schools"]}
    assert {k: (r["partnership_id"], r["name"], r["brin"]) for k, r in schools.items()} == {
        A: (PARTNERSHIP, "OBS De Regenboog", "12AB"),
        B: (PARTNERSHIP, None, None),
        C: (PARTNERSHIP, None, None),
        X: (OTHER_PARTNERSHIP, "Elders", "99ZZ"),
        NEW: (PARTNERSHIP, "Nieuw", None),  # known to the partnership before any activity
    }
    before = dump(reports)
    for e in events[:2]:
        assert not project(e, reports.store, NOW)  # delivered again: nothing changes
    assert dump(reports) == before


def test_the_reports_show_the_names_they_know(reports, reports_client, events):
    headers = token(Role.COORDINATOR, [A])
    body = reports_client.get(f"/api/v1/reports/schools/{A}", query_string=PERIOD, headers=headers)
    assert body.status_code == 200, body.json
    assert body.json["school_name"] == "OBS De Regenboog"
    assert body.json["figures"]["interventions"]["started"] == 5  # as in test_figures
    body = reports_client.get(f"/api/v1/reports/schools/{B}", query_string=PERIOD, headers=ADMIN)
    assert body.json["school_name"] is None

    body = reports_client.get("/api/v1/reports/partnership", query_string=PERIOD, headers=ADMIN)
    assert body.status_code == 200, body.json
    assert [(s["school_id"], s["school_name"]) for s in body.json["schools"]] == [
        (str(A), "OBS De Regenboog"),
        (str(B), None),
        (str(C), None),
        (str(NEW), "Nieuw"),
    ]
    assert body.json["total"]["schools"] == 4

    response = reports_client.get(
        f"/api/v1/reports/schools/{A}/export.xlsx", query_string=PERIOD, headers=ADMIN
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()))["Rapport"]
    assert sheet.cell(1, 1).value == (
        "Opbrengstrapportage school OBS De Regenboog, 1 januari 2026 t/m 30 juni 2026"
    )
    response = reports_client.get(
        f"/api/v1/reports/schools/{B}/export.xlsx", query_string=PERIOD, headers=ADMIN
    )
    sheet = load_workbook(io.BytesIO(response.get_data()))["Rapport"]
    assert sheet.cell(1, 1).value.startswith(f"Opbrengstrapportage school {B}, ")

    body = reports_client.get("/api/v1/reports/schedules", headers=ADMIN).json
    assert {s["school_id"]: s["school_name"] for s in body["schools"]} == {
        str(A): "OBS De Regenboog",
        str(B): None,
        str(C): None,
        str(NEW): "Nieuw",
    }


@pytest.fixture
def rebuilt(db_kind, reports_databases, stream_name, clock):
    c = reports_container(db_kind, reports_databases, stream_name, clock)
    yield c
    c.engine.dispose()
    c.redis.close()


def test_a_rebuild_from_the_log_gives_the_same_names_and_keeps_the_schedules(
    reports, events, rebuilt
):
    project(registered(B, "Stale", None), rebuilt.store, NOW)  # a name no log holds
    with rebuilt.store() as store:  # schedules are this service's own state, not projected
        store.set_schedule(PARTNERSHIP, A, ordered(["month"]), NOW, uuid4())
        store.commit()
    done = rebuild(FakeEventLog(events), rebuilt.store, lambda: NOW, page_size=7)
    assert done.events == len(events)
    assert dump(rebuilt) == dump(reports)
    with rebuilt.store() as store:
        assert [(s.school_id, s.kinds) for s in store.schedules()] == [(A, ordered(["month"]))]


def test_the_cases_services_registrations_name_the_schools(container, world, reports, stream_name):
    """The producer's side of the contract: schools made through the cases handlers (the world's
    and the two that join halfway through a generated history) arrive with their names."""
    generate_history(container, world, pupils_per_school=2, seed=7)
    run_live(container, reports, stream_name)
    names = {r["school_id"]: (r["name"], r["brin"]) for r in dump(reports)["schools"]}
    assert names[world.school_a1] == ("School A1", None)
    assert names[world.school_b1] == ("School B1", None)
    assert sorted(names.values()) == [
        ("School A1", None),
        ("School A2", None),
        ("School A3", None),
        ("School B1", None),
        ("School B2", "07XY"),
    ]
