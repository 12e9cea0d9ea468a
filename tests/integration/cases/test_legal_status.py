"""GET /api/v1/schools/{id}/legal-status(.xlsx): every open plan with the rules it meets or misses,
for the school's leaders and the partnership's staff. Today is 2026-10-15."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.support import api_flows as f


def _path(world, school="a1", ext=""):
    return f"/api/v1/schools/{getattr(world, f'school_{school}')}/legal-status{ext}"


def test_each_open_plan_says_which_rule_it_meets_or_misses(world):
    _case, active = f.case_with_active_plan(world, "a1")
    other = f.open_case(world, "a2", "coordinator_a2")  # another school: not listed
    f.create_plan(world, other["id"], "coordinator_a2")
    f.register_pupil(world, "Noor")
    draft_case = f.open_case(world, "Noor")
    draft = f.create_plan(world, draft_case["id"])
    body = f.call_ok(world, "director_a1", "GET", _path(world), 200)
    assert (body["total"], body["missing"]) == (2, 1)
    rows = {r["plan_id"]: r for r in body["items"]}
    assert set(rows) == {active["id"], draft["id"]}
    assert rows[active["id"]]["rules"] == {
        "consent": "met",
        "evaluation": "pending",  # scheduled 1 December 2026, not held yet
        "pupil_heard": "met",
        "deadline": "not_applicable",
        "rod": "met",  # in force, and the pupil has a number
    }
    assert rows[active["id"]]["complete"] is True
    assert rows[draft["id"]]["rules"]["consent"] == "missed"
    assert rows[draft["id"]]["rules"]["pupil_heard"] == "missed"
    assert rows[draft["id"]]["given_name"] == "Noor" and rows[draft["id"]]["complete"] is False


def test_the_consultant_and_the_coordinator_read_it_a_teacher_does_not(world):
    f.case_with_active_plan(world, "a1")
    assert f.call_ok(world, "consultant_a", "GET", _path(world), 200)["total"] == 1
    assert f.call_ok(world, "coordinator_a1", "GET", _path(world), 200)["total"] == 1
    f.assert_error(world.call("teacher_a1", "GET", _path(world)), 403)
    f.assert_error(world.call("coordinator_a2", "GET", _path(world)), 404)
    f.assert_error(world.call("coordinator_b1", "GET", _path(world)), 404)
    f.assert_error(world.call("guardian_a1", "GET", _path(world)), 404)


def test_the_workbook_has_a_dutch_row_per_plan(world):
    f.case_with_active_plan(world, "a1")
    response = world.call("director_a1", "GET", _path(world, ext=".xlsx"))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "Leerling" and rows[1][4].startswith("Instemming handelingsdeel")
    [row] = rows[2:]
    assert row[0] == "Kind a1 Test" and row[2] == "in werking"
    assert row[4:10] == ["in orde", "loopt nog", "in orde", "n.v.t.", "in orde", "ja"]
