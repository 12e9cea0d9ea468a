"""The DUO (ROD) export of development plans, over HTTP on SQLite and PostgreSQL, and the
`school.registered` event. Today is 2026-10-15 (the fixed clock); the export period of most tests
is the first half of 2026.

The fixture, all at school A1 unless said otherwise (start = consent activated the plan, end =
the plan was closed):

| pupil  | number   | plan                                               | in the export? |
|--------|----------|----------------------------------------------------|----------------|
| ended  | R-ENDED  | 2025-10-01 .. 2026-03-16 (back to basic)           | yes, end       |
| ended  | R-ENDED  | 2026-05-04 .. running (a second plan)              | yes, start     |
| both   | R-BOTH   | 2026-01-01 .. 2026-06-30 (case closed; both edges) | yes, both      |
| nonum  | (none)   | 2026-06-30 .. running                              | yes, no number |
| span   | R-SPAN   | 2025-10-01 .. running (through the whole period)   | no             |
| early  | R-EARLY  | 2025-09-01 .. 2025-12-31                           | no (day before)|
| late   | R-LATE   | 2026-07-01 .. running                              | no (day after) |
| draft  | R-DRAFT  | drafted 2026-02-02, case closed 2026-03-01         | no, never ran  |
| nope   | R-NOPE   | drafted 2026-02-02, consent declined 2026-02-10    | no, never ran  |
| a2     | N-a2     | 2026-02-02 .. running, at school A2                | only A2's      |
| b1     | N-b1     | 2026-02-02 .. running, partnership B               | only B1's      |
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from services.cases.service_layer import retention
from tests.support import api_flows as f
from tests.support.api_flows import NothingWritten, assert_error

PERIOD = "from=2026-01-01&to=2026-06-30"
CSV_HEADER = [
    "leerlingnummer",
    "OPP-id",
    "startdatum OPP",
    "einddatum OPP",
    "start in periode",
    "einde in periode",
    "waarschuwing",
]


def _plus(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def activate(
    world,
    pupil: str,
    created_on: str,
    consent_on: str | None,
    who: str = f.COORDINATOR,
    case_id: str | None = None,
    decision: str = "agreed",
) -> tuple[str, str]:
    """A case (or the given one) with a plan drafted on `created_on`, prepared the same day and,
    when `consent_on` is given, answered by the parents then. Returns (case id, plan id)."""
    if case_id is None:
        case_id = f.open_case(world, pupil, who, opened_on=_plus(created_on, -14))["id"]
    body = {
        "created_on": created_on,
        "agreed_end_date": _plus(created_on, 330),
        "scenarios": [{"expected_effect": "Leest vlot", "review_by": _plus(created_on, 120)}],
        "evaluation_dates": [_plus(created_on, 10), _plus(created_on, 120)],  # rule 6
    }
    plan = f.create_plan(world, case_id, who, **body)["id"]
    f.plan_action(world, plan, "consultation", {"held_on": created_on, "participants": ["x"]}, who)
    f.plan_action(world, plan, "pupil-view", {"heard_on": created_on}, who)
    if consent_on is not None:
        f.plan_action(world, plan, "consent-request", {"requested_on": created_on}, who)
        consent = {
            "decision": decision,
            "recorded_on": consent_on,
            "guardian_ids": [str(world.guardians[pupil])],
        }
        answered = f.plan_action(world, plan, "consent", consent, who)
        assert answered["status"] == ("active" if decision == "agreed" else "declined")
    return case_id, plan


def back_to_basic(world, plan_id: str, held_on: str) -> None:
    body = {"held_on": held_on, "decision": "back_to_basic"}
    f.call_ok(
        world,
        f.COORDINATOR,
        "POST",
        f"/api/v1/development-plans/{plan_id}/evaluation",
        200,
        json=body,
    )


def close_case(world, case_id: str, closed_on: str) -> None:
    body = {"closed_on": closed_on, "reason": "goals_reached"}
    f.call_ok(world, f.COORDINATOR, "POST", f"/api/v1/cases/{case_id}/close", 200, json=body)


@pytest.fixture
def plans(world) -> dict[str, str]:
    """The table of the module docstring; plan ids by name."""
    for name in ("ended", "both", "span", "early", "late", "draft", "nope"):
        f.register_pupil(world, name, pupil_number=f"R-{name.upper()}")
    f.register_pupil(world, "nonum")  # no pupil number in the school's administration
    out: dict[str, str] = {}
    case, out["ended_first"] = activate(world, "ended", "2025-09-15", "2025-10-01")
    back_to_basic(world, out["ended_first"], "2026-03-16")
    _, out["ended_second"] = activate(world, "ended", "2026-04-20", "2026-05-04", case_id=case)
    case, out["both"] = activate(world, "both", "2025-12-15", "2026-01-01")
    close_case(world, case, "2026-06-30")
    _, out["nonum"] = activate(world, "nonum", "2026-06-15", "2026-06-30")
    _, out["span"] = activate(world, "span", "2025-09-15", "2025-10-01")
    case, out["early"] = activate(world, "early", "2025-08-18", "2025-09-01")
    back_to_basic(world, out["early"], "2025-12-31")
    _, out["late"] = activate(world, "late", "2026-06-17", "2026-07-01")
    case, out["draft"] = activate(world, "draft", "2026-02-02", None)
    close_case(world, case, "2026-03-01")
    _, out["nope"] = activate(world, "nope", "2026-02-02", "2026-02-10", decision="declined")
    _, out["a2"] = activate(world, "a2", "2026-01-19", "2026-02-02", "coordinator_a2")
    _, out["b1"] = activate(world, "b1", "2026-01-19", "2026-02-02", "coordinator_b1")
    return out


def export(world, who: str, school: Any, query: str = PERIOD, suffix: str = "") -> Any:
    return world.call(who, "GET", f"/api/v1/schools/{school}/rod-export{suffix}?{query}")


def rows(body: dict[str, Any]) -> list[tuple]:
    return [
        (
            r["pupil_number"],
            r["plan_id"],
            r["start_date"],
            r["end_date"],
            r["start_in_period"],
            r["end_in_period"],
            r["problems"],
        )
        for r in body["items"]
    ]


# -- what is listed ----------------------------------------------------------------------------


def test_exactly_the_plans_that_started_or_ended_in_the_period_with_their_numbers(world, plans):
    response = export(world, "coordinator_a1", world.school_a1)

    assert response.status_code == 200, response.json
    body = response.json
    assert (body["school_id"], body["from"], body["to"]) == (
        str(world.school_a1),
        "2026-01-01",
        "2026-06-30",
    )
    assert body["brin"] is None and body["total"] == 4
    # Ordered by start date.
    assert rows(body) == [
        ("R-ENDED", plans["ended_first"], "2025-10-01", "2026-03-16", False, True, []),
        ("R-BOTH", plans["both"], "2026-01-01", "2026-06-30", True, True, []),
        ("R-ENDED", plans["ended_second"], "2026-05-04", None, True, False, []),
        (None, plans["nonum"], "2026-06-30", None, True, False, ["leerlingnummer ontbreekt"]),
    ]
    # Nothing else about the pupil: no names, birth dates or free text.
    assert {key for item in body["items"] for key in item} == {
        "pupil_number",
        "plan_id",
        "start_date",
        "end_date",
        "start_in_period",
        "end_in_period",
        "problems",
    }
    text = json.dumps(body)
    for private in ("Test", "Kind", "Ouder", "2017-03-01", "Leest", "regular_primary"):
        assert private not in text


def test_each_school_sees_only_its_own_plans(world, plans):
    a2 = export(world, "coordinator_a2", world.school_a2).json
    assert rows(a2) == [("N-a2", plans["a2"], "2026-02-02", None, True, False, [])]
    b1 = export(world, "coordinator_b1", world.school_b1).json
    assert rows(b1) == [("N-b1", plans["b1"], "2026-02-02", None, True, False, [])]


def test_a_one_day_period_and_an_empty_period(world, plans):
    one_day = export(world, "coordinator_a1", world.school_a1, "from=2026-06-30&to=2026-06-30")
    assert [(r[1], r[4], r[5]) for r in rows(one_day.json)] == [
        (plans["both"], False, True),
        (plans["nonum"], True, False),
    ]

    summer = export(world, "coordinator_a1", world.school_a1, "from=2026-08-01&to=2026-08-31")
    assert summer.status_code == 200
    assert summer.json["items"] == [] and summer.json["total"] == 0
    as_csv = export(
        world, "coordinator_a1", world.school_a1, "from=2026-08-01&to=2026-08-31", ".csv"
    )
    assert as_csv.status_code == 200
    assert list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig")), delimiter=";")) == [
        CSV_HEADER
    ]


def test_the_csv_is_utf8_with_bom_semicolons_and_dutch_headers(world, plans):
    response = export(world, "coordinator_a1", world.school_a1, suffix=".csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="rod-opp-{world.school_a1}-2026-01-01-2026-06-30.csv"'
    )
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert table == [
        CSV_HEADER,
        ["R-ENDED", plans["ended_first"], "2025-10-01", "2026-03-16", "nee", "ja", ""],
        ["R-BOTH", plans["both"], "2026-01-01", "2026-06-30", "ja", "ja", ""],
        ["R-ENDED", plans["ended_second"], "2026-05-04", "", "ja", "nee", ""],
        ["", plans["nonum"], "2026-06-30", "", "ja", "nee", "leerlingnummer ontbreekt"],
    ]


def test_an_anonymised_pupils_plan_is_listed_without_a_number(world, container):
    f.register_pupil(world, "anon", pupil_number="R-ANON")
    case, plan = activate(world, "anon", "2022-09-15", "2022-10-03")
    close_case(world, case, "2023-06-30")
    school_year = "from=2022-08-01&to=2023-07-31"
    before = export(world, "coordinator_a1", world.school_a1, school_year).json
    assert rows(before) == [("R-ANON", plan, "2022-10-03", "2023-06-30", True, True, [])]

    path = f"/api/v1/pupils/{world.pupils['anon']}/leave"
    f.call_ok(world, f.COORDINATOR, "POST", path, 200, json={"left_on": "2023-07-14"})
    assert retention.anonymise_due(container.uow()) == 1  # two years after leaving

    after = export(world, "coordinator_a1", world.school_a1, school_year).json
    assert rows(after) == [
        (
            None,
            plan,
            "2022-10-03",
            "2023-06-30",
            True,
            True,
            ["leerlingnummer ontbreekt", "leerling geanonimiseerd (bewaartermijn verstreken)"],
        )
    ]
    # Out of the period, out of the export.
    assert export(world, "coordinator_a1", world.school_a1).json["items"] == []


# -- the period --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_to_before_from_and_a_missing_or_bad_date_are_422(world, container, suffix):
    with NothingWritten(container):
        bad = export(
            world, "coordinator_a1", world.school_a1, "from=2026-06-30&to=2026-06-29", suffix
        )
    assert_error(bad, 422, "validation_error", "to")
    missing = export(world, "coordinator_a1", world.school_a1, "to=2026-06-29", suffix)
    assert_error(missing, 422, "validation_error", "from")
    nonsense = export(world, "coordinator_a1", world.school_a1, "from=2026-13-01&to=x", suffix)
    body = assert_error(nonsense, 422, "validation_error")
    assert {"from", "to"} <= set(body["errors"])


# -- who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_the_schools_coordinator_and_director_and_the_admin_only(world, plans, suffix):
    a1 = world.school_a1
    for who in ("coordinator_a1", "director_a1", "admin_a"):
        assert export(world, who, a1, suffix=suffix).status_code == 200, who
    for who in ("teacher_a1", "consultant_a", "guardian_a1", "coordinator_a2"):
        assert_error(export(world, who, a1, suffix=suffix), 403, "forbidden")
    # Another partnership's school, or none at all: not found, like every school path.
    for who in ("coordinator_b1", "admin_b"):
        assert_error(export(world, who, a1, suffix=suffix), 404, "not_found")
    assert_error(export(world, "admin_a", world.school_b1, suffix=suffix), 404, "not_found")
    assert_error(export(world, "admin_a", uuid.uuid4(), suffix=suffix), 404, "not_found")


def test_every_export_is_in_the_audit_trail(world, container, plans):
    export(world, "coordinator_a1", world.school_a1)
    export(world, "director_a1", world.school_a1, suffix=".csv")
    export(world, "teacher_a1", world.school_a1)

    with container.engine.connect() as conn:
        trail = conn.execute(
            sa.text(
                "SELECT user_id, action, method, endpoint, resource_id, status FROM audit_log "
                "WHERE endpoint LIKE '%rod-export%' ORDER BY seq"
            )
        ).all()
    path = "/api/v1/schools/<uuid:school_id>/rod-export"
    assert [
        (str(uuid.UUID(str(r[0]))), *r[1:4], str(uuid.UUID(str(r[4]))), r[5]) for r in trail
    ] == [
        (str(world.users["coordinator_a1"]), "read", "GET", path, str(world.school_a1), 200),
        (str(world.users["director_a1"]), "read", "GET", path + ".csv", str(world.school_a1), 200),
        (str(world.users["teacher_a1"]), "read", "GET", path, str(world.school_a1), 403),
    ]


# -- school.registered -------------------------------------------------------------------------


def test_creating_a_school_emits_school_registered_with_its_name_brin_and_region_only(
    world, container
):
    with NothingWritten(container):
        for who in ("coordinator_a1", "director_a1", "consultant_a"):
            refused = world.call(
                who, "POST", "/api/v1/schools", json={"name": "OBS Het Baken", "region": "midden"}
            )
            assert refused.status_code == 403
    before = f.outbox_types(container)
    assert before.count("school.registered") == 3  # the world's own schools A1, A2 and B1

    body = {"name": "OBS Het Baken", "region": "midden", "brin": "12AB"}
    school = f.call_ok(world, "admin_a", "POST", "/api/v1/schools", 201, json=body)

    with container.engine.connect() as conn:
        raw = conn.execute(
            sa.text("SELECT envelope FROM outbox ORDER BY seq DESC LIMIT 1")
        ).scalar_one()
    envelope = json.loads(raw)
    assert f.outbox_types(container) == before + ["school.registered"]
    assert envelope["type"] == "school.registered" and envelope["version"] == 1
    assert envelope["subject"] == {"kind": "school", "id": school["id"]}
    assert (envelope["school_id"], envelope["partnership_id"]) == (
        school["id"],
        str(world.partnership_a),
    )
    assert envelope["data"] == {"name": "OBS Het Baken", "brin": "12AB", "region": "midden"}
