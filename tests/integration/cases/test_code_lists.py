"""What a newcomer needs to fill in a field (issue 11, item 19): the fixed code lists are enums in
OpenAPI with their Dutch labels, the partnership's lists and the fixed ones come labelled from one
GET, a wrong code names the right ones, and date and time fields say their format."""

from __future__ import annotations

from services.cases.domain.catalog import BASIC_DOMAINS, EXIT_DESTINATIONS, REFERRAL_DESTINATIONS
from tests.support import api_flows as f
from tests.support.api_flows import COORDINATOR, NothingWritten, assert_error

DATE_HINT = "Not a valid date; use YYYY-MM-DD, e.g. 2026-09-01."


def test_the_fixed_code_lists_are_enums_in_openapi(client) -> None:
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    exit_destination = schemas["CreatePlan"]["properties"]["exit_destination"]
    assert exit_destination["enum"] == list(EXIT_DESTINATIONS)
    assert "Regulier basisonderwijs" in exit_destination["description"]
    assert "code-lists" in exit_destination["description"]
    referral = schemas["EvaluatePlan"]["properties"]["referral_destination"]
    assert set(referral["enum"]) >= set(REFERRAL_DESTINATIONS)
    domain = schemas["StartIntervention"]["properties"]["domain"]
    assert "code-lists" in domain["description"]


def test_the_code_lists_of_a_partnership_with_their_labels(world) -> None:
    path = f"/api/v1/partnerships/{world.partnership_a}/code-lists"
    lists = f.call_ok(world, "teacher_a1", "GET", path, 200)
    assert lists["basic_domains"][0] == {
        "code": "reading_dyslexia",
        **BASIC_DOMAINS["reading_dyslexia"],
    }
    assert [c["code"] for c in lists["basic_domains"]] == list(BASIC_DOMAINS)
    assert {"code": "sbo", **REFERRAL_DESTINATIONS["sbo"]} in lists["referral_destinations"]
    assert [c["code"] for c in lists["exit_destinations"]] == list(EXIT_DESTINATIONS)
    assert all(c["nl"] and c["en"] for c in lists["extra_domains"])
    other = world.call(COORDINATOR, "GET", f"/api/v1/partnerships/{world.partnership_b}/code-lists")
    assert_error(other, 404, "not_found")


def test_a_wrong_exit_destination_names_the_codes(world, container) -> None:
    case = f.open_case(world)
    path = f"/api/v1/cases/{case['id']}/development-plans"
    with NothingWritten(container):
        response = world.call(COORDINATOR, "POST", path, json=f.plan_body(exit_destination="x"))
        body = assert_error(response, 422, "validation_error", "exit_destination")
    assert "regular_primary" in body["errors"]["exit_destination"][0]


def test_date_and_time_fields_say_their_format(world, container) -> None:
    with NothingWritten(container):
        opened = {"pupil_id": str(world.pupils["a1"]), "opened_on": "01-09-2026"}
        response = world.call(COORDINATOR, "POST", "/api/v1/cases", json=opened)
        assert assert_error(response, 422, "validation_error")["errors"] == {
            "opened_on": [DATE_HINT]
        }
    case = f.open_case(world)
    path = f"/api/v1/cases/{case['id']}/development-plans"
    scenarios = [{"expected_effect": "AVI E4", "review_by": "15 januari 2027"}]
    with NothingWritten(container):
        response = world.call(COORDINATOR, "POST", path, json=f.plan_body(scenarios=scenarios))
        errors = assert_error(response, 422, "validation_error", "scenarios")["errors"]
    assert errors["scenarios"] == {"0": {"review_by": [DATE_HINT]}}
    _case, plan = f.case_with_active_plan(world, "a1_other")
    evaluation = plan["evaluations"][0]["id"]
    meeting = f"/api/v1/development-plans/{plan['id']}/evaluations/{evaluation}/meeting"
    with NothingWritten(container):
        naive = {"starts_at": "2026-11-30T10:00:00", "duration_minutes": 30}
        response = world.call(COORDINATOR, "PUT", meeting, json=naive)
        message = assert_error(response, 422, "validation_error", "starts_at")["errors"]
    assert message["starts_at"][0].startswith("Not a valid date and time: give its offset")
