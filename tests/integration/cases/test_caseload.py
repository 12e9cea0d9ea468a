"""GET /api/v1/caseload (the coordinator's "Mijn leerlingen") and GET .../domains: the flags are
computed by the cases service. Today is 2026-10-15 (the fixed clock); the horizon is 14 days."""

from __future__ import annotations

from typing import Any

from tests.support import api_flows as f

COORD = "coordinator_a1"


def _caseload(world, query: str = "", who: str = COORD) -> dict[str, Any]:
    return f.call_ok(world, who, "GET", f"/api/v1/caseload?{query}", 200)


def test_caseload_rows_carry_next_due_date_and_the_domains_flags(world):
    overdue = f.open_case(world, "a1")
    f.start_intervention(world, overdue["id"], domain="gifted", evaluate_by="2026-10-01")
    f.register_pupil(world, "Noor", group="groep 7")
    deadline = f.open_case(world, "Noor", opened_on="2026-09-15", needs_extra_support=True)
    f.register_pupil(world, "Sem")
    calm = f.open_case(world, "Sem", opened_on="2026-10-01")
    f.start_intervention(world, calm["id"], starts_on="2026-10-01", evaluate_by="2026-11-26")
    f.register_pupil(world, "Old")
    closed = f.open_case(world, "Old")
    body = {"closed_on": "2026-10-01", "reason": "goals_reached"}
    f.call_ok(world, COORD, "POST", f"/api/v1/cases/{closed['id']}/close", 200, json=body)
    f.open_case(world, "a2", "coordinator_a2")  # another school: not in a1's caseload

    page = _caseload(world)
    rows = {r["case_id"]: r for r in page["items"]}
    assert page["total"] == 3 and set(rows) == {overdue["id"], deadline["id"], calm["id"]}
    assert [r["case_id"] for r in page["items"]] == [overdue["id"], deadline["id"], calm["id"]]
    assert rows[overdue["id"]]["flags"] == ["evaluation_overdue", "outside_support_profile"]
    assert rows[overdue["id"]]["next_due_on"] == "2026-10-01"
    assert rows[overdue["id"]]["next_due_kind"] == "intervention"
    assert rows[deadline["id"]]["flags"] == ["plan_deadline_near"]
    assert (rows[deadline["id"]]["next_due_on"], rows[deadline["id"]]["next_due_kind"]) == (
        "2026-10-27",
        "plan",
    )
    assert rows[deadline["id"]]["given_name"] == "Noor"
    assert rows[deadline["id"]]["group"] == "groep 7"
    assert rows[calm["id"]]["flags"] == []

    assert {r["case_id"] for r in _caseload(world, "q=noor")["items"]} == {deadline["id"]}
    assert _caseload(world, "q=nobody")["total"] == 0
    flagged = _caseload(world, "flag=evaluation_overdue")["items"]
    assert [r["case_id"] for r in flagged] == [overdue["id"]]
    second = _caseload(world, "page=2&page_size=2")
    assert second["total"] == 3 and [r["case_id"] for r in second["items"]] == [calm["id"]]
    assert {r["case_id"] for r in _caseload(world, who="coordinator_a2")["items"]} != set(rows)
    assert _caseload(world, who="coordinator_b1")["total"] == 1 - 1  # other partnership: none
    f.assert_error(world.call(COORD, "GET", "/api/v1/caseload?flag=bogus"), 422)


def test_the_partnerships_domains_come_with_dutch_and_english_labels(world):
    path = f"/api/v1/partnerships/{world.partnership_a}/domains"
    rows = f.call_ok(world, COORD, "GET", path, 200)
    reading = next(r for r in rows if r["code"] == "reading_dyslexia")
    assert reading == {
        "code": "reading_dyslexia",
        "level": "basic",
        "label_nl": "Leesproblemen en dyslexie",
        "label_en": "Reading problems and dyslexia",
        "in_support_profile": None,
    }
    assert {r["level"] for r in rows} == {"basic", "extra"}
    other = f"/api/v1/partnerships/{world.partnership_b}/domains"
    f.assert_error(world.call(COORD, "GET", other), 404)


def test_a_name_search_with_a_nul_character_is_refused_not_a_crash(world):
    f.assert_error(world.call(COORD, "GET", "/api/v1/caseload?q=a%00b"), 422, field="q")


def test_the_domains_say_which_the_schools_support_profile_offers_on_a_day(world):
    path = f"/api/v1/partnerships/{world.partnership_a}/domains"
    rows = f.call_ok(world, COORD, "GET", f"{path}?school_id={world.school_a1}", 200)
    offered = {r["code"] for r in rows if r["in_support_profile"]}
    assert offered == {"reading_dyslexia", "math_dyscalculia", "reading_dyslexia_combined"}
    before = f.call_ok(
        world, COORD, "GET", f"{path}?school_id={world.school_a1}&on=2025-07-31", 200
    )
    assert not any(r["in_support_profile"] for r in before)  # the SOP is valid from 1 August 2025
    no_sop = f.call_ok(world, "coordinator_a2", "GET", f"{path}?school_id={world.school_a2}", 200)
    assert not any(r["in_support_profile"] for r in no_sop)
    other_school = world.call(COORD, "GET", f"{path}?school_id={world.school_a2}")
    f.assert_error(other_school, 404)
