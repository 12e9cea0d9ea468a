"""Report schedules over the real read model (SQLite and PostgreSQL): who sees and sets which
schedule (the partnership's administrator its default and any of its schools', a school's director
or coordinator their own school's; 404 for a school outside the caller's scope, 403 for a role
without the right), invalid bodies (422, nothing changed), and periodic compiling that follows
each school's effective schedule, each school and period at most once.

The history is test_figures.py's: schools A, B, C of partnership P and school X of another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from services.reports.adapters import orm
from services.reports.service_layer import periodic
from shared.auth import Principal, Role, issue_token
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET
from tests.integration.reports.test_figures import A, B, C, X, project_history
from tests.support.api_flows import assert_error
from tests.unit.reports.builders import OTHER_PARTNERSHIP, PARTNERSHIP

JULY_1 = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Amsterdam
SCHEDULES = "/api/v1/reports/schedules"
DEFAULT = f"{SCHEDULES}/partnership"
ADMIN_ID = UUID("00000000-0000-4000-8000-00000000ad01")
COORDINATOR_A_ID = UUID("00000000-0000-4000-8000-00000000c0a1")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(JULY_1)


def token(role: Role, schools=(), partnership=PARTNERSHIP, user_id=None) -> dict[str, str]:
    principal = Principal(user_id or uuid4(), role, partnership, frozenset(schools))
    signed = issue_token(principal, JWT_SECRET, JULY_1, timedelta(hours=1))
    return {"Authorization": f"Bearer {signed}"}


ADMIN = token(Role.ADMIN, user_id=ADMIN_ID)
CONSULTANT = token(Role.CONSULTANT)
COORDINATOR_A = token(Role.COORDINATOR, [A], user_id=COORDINATOR_A_ID)
DIRECTOR_A = token(Role.DIRECTOR, [A])
COORDINATOR_B = token(Role.COORDINATOR, [B])
TEACHER_A = token(Role.TEACHER, [A])
GUARDIAN = token(Role.GUARDIAN)
OTHER_ADMIN = token(Role.ADMIN, partnership=OTHER_PARTNERSHIP)


def school(school_id: UUID) -> str:
    return f"{SCHEDULES}/schools/{school_id}"


@pytest.fixture
def client(reports, reports_client):
    project_history(reports)
    return reports_client


def overview(client, who=ADMIN) -> dict[str, Any]:
    response = client.get(SCHEDULES, headers=who)
    assert response.status_code == 200, response.json
    return response.json


def effective(body: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], str]]:
    """School id -> (effective kinds, where they come from)."""
    return {
        s["school_id"]: (tuple(s["effective"]["kinds"]), s["effective"]["source"])
        for s in body["schools"]
    }


# -- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [ADMIN, CONSULTANT])
def test_the_partnerships_staff_see_every_school_on_the_setting_at_first(client, who):
    body = overview(client, who)
    assert body["partnership_id"] == str(PARTNERSHIP)
    assert body["setting"] == ["quarter", "school_year"]  # REPORTS_PERIODS' default
    assert body["partnership"] is None
    assert [s["school_id"] for s in body["schools"]] == [str(A), str(B), str(C)]  # not X
    assert all(s["own"] is None for s in body["schools"])
    assert set(effective(body).values()) == {(("quarter", "school_year"), "setting")}


@pytest.mark.parametrize("who", [COORDINATOR_A, DIRECTOR_A])
def test_a_schools_leadership_sees_its_own_school_only(client, who):
    client.put(DEFAULT, json={"kinds": ["month"]}, headers=ADMIN)
    body = overview(client, who)
    assert [s["school_id"] for s in body["schools"]] == [str(A)]
    assert body["partnership"]["kinds"] == ["month"]  # the default that applies to them
    assert effective(body) == {str(A): (("month",), "partnership")}


@pytest.mark.parametrize("who", [TEACHER_A, GUARDIAN])
def test_others_see_no_schedules(client, who):
    assert_error(client.get(SCHEDULES, headers=who), 403, "forbidden")


# -- setting --------------------------------------------------------------------------------------


def test_the_default_and_a_schools_own_resolve_per_school(client):
    response = client.put(DEFAULT, json={"kinds": ["school_year", "quarter"]}, headers=ADMIN)
    assert response.status_code == 200, response.json
    assert response.json == {
        "kinds": ["quarter", "school_year"],  # in a fixed order
        "updated_at": "2026-07-01T06:00:00+00:00",
        "updated_by": str(ADMIN_ID),
    }
    response = client.put(school(A), json={"kinds": ["month"]}, headers=COORDINATOR_A)
    assert response.status_code == 200, response.json
    assert response.json["own"] == {
        "kinds": ["month"],
        "updated_at": "2026-07-01T06:00:00+00:00",
        "updated_by": str(COORDINATOR_A_ID),
    }
    assert response.json["effective"] == {"kinds": ["month"], "source": "school"}
    response = client.put(school(C), json={"kinds": []}, headers=ADMIN)
    assert response.json["effective"] == {"kinds": [], "source": "school"}

    assert effective(overview(client)) == {
        str(A): (("month",), "school"),
        str(B): (("quarter", "school_year"), "partnership"),
        str(C): ((), "school"),
    }
    # Setting again replaces (one row per school and per default).
    client.put(school(A), json={"kinds": ["month", "quarter"]}, headers=DIRECTOR_A)
    client.put(DEFAULT, json={"kinds": ["quarter"]}, headers=ADMIN)
    assert effective(overview(client))[str(A)] == (("month", "quarter"), "school")
    assert effective(overview(client))[str(B)] == (("quarter",), "partnership")
    with client.application.extensions["reports"].engine.connect() as conn:
        rows = conn.execute(select(orm.report_schedules)).all()
    assert len(rows) == 3  # the default, A and C

    # Deleting A's own puts A back on the default.
    response = client.delete(school(A), headers=COORDINATOR_A)
    assert response.status_code == 200, response.json
    assert response.json["own"] is None
    assert response.json["effective"] == {"kinds": ["quarter"], "source": "partnership"}
    assert client.delete(school(A), headers=COORDINATOR_A).status_code == 200  # still none


@pytest.mark.parametrize("who", [CONSULTANT, COORDINATOR_A, DIRECTOR_A, TEACHER_A, GUARDIAN])
def test_only_the_administrator_sets_the_default(client, who):
    assert_error(client.put(DEFAULT, json={"kinds": ["month"]}, headers=who), 403, "forbidden")
    assert overview(client)["partnership"] is None


def test_another_partnerships_administrator_sets_their_own_default_only(client):
    response = client.put(DEFAULT, json={"kinds": ["month"]}, headers=OTHER_ADMIN)
    assert response.status_code == 200, response.json
    theirs = overview(client, OTHER_ADMIN)
    assert theirs["partnership"]["kinds"] == ["month"]
    assert effective(theirs) == {str(X): (("month",), "partnership")}
    assert overview(client)["partnership"] is None


@pytest.mark.parametrize(
    "who, school_id, status",
    [
        (COORDINATOR_B, A, 404),  # another school of the same partnership
        (DIRECTOR_A, B, 404),
        (ADMIN, X, 404),  # another partnership's school
        (OTHER_ADMIN, A, 404),
        (ADMIN, uuid4(), 404),  # no such school
        (TEACHER_A, A, 403),
        (CONSULTANT, A, 403),
        (GUARDIAN, A, 403),
    ],
)
def test_a_school_outside_the_callers_reach_is_left_alone(client, who, school_id, status):
    assert_error(client.put(school(school_id), json={"kinds": ["month"]}, headers=who), status)
    assert_error(client.delete(school(school_id), headers=who), status)
    assert all(s["own"] is None for s in overview(client)["schools"])


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kinds": ["weekly"]}, "kinds"),
        ({"kinds": ["month", "month"]}, "kinds"),
        ({"kinds": ["month"], "school_id": str(B)}, "school_id"),
        ({}, "kinds"),
        ({"kinds": None}, "kinds"),
        ({"kinds": "month"}, "kinds"),
    ],
)
def test_an_invalid_schedule_is_refused_and_changes_nothing(client, body, field):
    client.put(school(A), json={"kinds": ["quarter"]}, headers=ADMIN)
    before = overview(client)
    assert_error(client.put(school(A), json=body, headers=ADMIN), 422, "validation_error", field)
    assert_error(client.put(DEFAULT, json=body, headers=ADMIN), 422, "validation_error", field)
    assert overview(client) == before


# -- periodic compiling -------------------------------------------------------------------------


def compile_due(c, setting=("school_year",)) -> list[UUID]:
    now = c.clock.now()
    return periodic.compile_due(c.store, c.reader, setting, now.date(), now)


def compiled(c) -> set[tuple]:
    t = orm.compiled_reports.c
    with c.engine.connect() as conn:
        rows = conn.execute(select(t.school_id, t.period_kind, t.period_start, t.period_end))
        return {tuple(r) for r in rows}


def d(value: str) -> date:
    return date.fromisoformat(value)


def test_periodic_compiling_follows_each_schools_schedule_once(reports, client):
    client.put(school(A), json={"kinds": ["month"]}, headers=ADMIN)  # A: monthly only
    client.put(DEFAULT, json={"kinds": ["quarter"]}, headers=ADMIN)  # B: the default
    client.put(school(C), json={"kinds": []}, headers=ADMIN)  # C: none at all
    # X's partnership chose nothing: the setting (here: the school year).

    assert len(compile_due(reports)) == 3
    assert compiled(reports) == {
        (A, "month", d("2026-06-01"), d("2026-06-30")),
        (B, "quarter", d("2026-04-01"), d("2026-06-30")),
        (X, "school_year", d("2024-08-01"), d("2025-07-31")),
    }
    assert compile_due(reports) == []  # a second beat compiles nothing new

    # A back on the default: its quarter is new, its month stays; B's quarter is not compiled
    # again, and C still gets nothing.
    client.delete(school(A), headers=COORDINATOR_A)
    assert len(compile_due(reports)) == 1
    assert (A, "quarter", d("2026-04-01"), d("2026-06-30")) in compiled(reports)
    assert compile_due(reports) == []

    # A month later only July is new, for the schools whose schedule has months.
    client.put(DEFAULT, json={"kinds": ["month", "quarter"]}, headers=ADMIN)
    reports.clock.set(JULY_1 + timedelta(days=31))
    new = compile_due(reports)
    july = {r for r in compiled(reports) if r[2] == d("2026-07-01")}
    assert len(new) == 3  # A and B: July; X: the school year 2025-2026
    assert july == {
        (A, "month", d("2026-07-01"), d("2026-07-31")),
        (B, "month", d("2026-07-01"), d("2026-07-31")),
    }
    assert not [r for r in compiled(reports) if r[0] == C]
