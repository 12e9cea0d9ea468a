"""Text no database can store (issue 11, item 11): a lone surrogate such as "\\ud800" is valid in
JSON but is no character, and UTF-8 cannot encode it; it crashed the commit (500). Every service
refuses it at the edge, in any field, with a 422 naming the field, and writes nothing."""

from __future__ import annotations

from tests.support.api_flows import (
    COORDINATOR,
    NothingWritten,
    assert_error,
    intervention_body,
    open_case,
)

SURROGATE = "Lisa \ud800"


def test_a_lone_surrogate_in_a_pupil_is_a_422_at_its_field(world, container) -> None:
    body = {
        "school_id": str(world.school_a1),
        "given_name": SURROGATE,
        "family_name": "Test",
        "date_of_birth": "2017-03-01",
        "group": "groep 4",
        "enrolled_on": "2021-08-23",
        "guardians": [{"name": "Ouder \udfff", "email": "ouder@test.nl"}],
    }
    with NothingWritten(container):
        response = world.call(COORDINATOR, "POST", "/api/v1/pupils", json=body)
        errors = assert_error(response, 422, "validation_error", "given_name")["errors"]
    assert "guardians.0.name" in errors
    assert "surrogate" in errors["given_name"][0]


def test_a_lone_surrogate_in_a_school_is_a_422_at_its_field(world, container) -> None:
    with NothingWritten(container):
        response = world.call(
            "admin_a", "POST", "/api/v1/schools", json={"name": SURROGATE, "region": "noord"}
        )
        assert_error(response, 422, "validation_error", "name")


def test_a_lone_surrogate_in_an_intervention_is_a_422_at_its_field(world, container) -> None:
    case = open_case(world)
    path = f"/api/v1/cases/{case['id']}/interventions"
    with NothingWritten(container):
        response = world.call(COORDINATOR, "POST", path, json=intervention_body(goal=SURROGATE))
        assert_error(response, 422, "validation_error", "goal")


def test_a_lone_surrogate_in_a_key_is_named_escaped(world, container) -> None:
    with NothingWritten(container):
        response = world.call(
            "admin_a", "POST", "/api/v1/schools", json={"name": "X", "region": "noord", "\ud800": 1}
        )
        errors = assert_error(response, 422, "validation_error")["errors"]
    assert list(errors) == ["\\ud800"]
