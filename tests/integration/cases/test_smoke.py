"""The world builds on both databases and the API answers in scope."""


def test_coordinator_sees_only_own_school(world):
    response = world.call("coordinator_a1", "GET", "/api/v1/pupils")
    assert response.status_code == 200
    assert {p["id"] for p in response.json["items"]} == {
        str(world.pupils["a1"]),
        str(world.pupils["a1_other"]),
    }


def test_guardian_sees_only_own_child(world):
    response = world.call("guardian_a1", "GET", "/api/v1/pupils")
    assert [p["id"] for p in response.json["items"]] == [str(world.pupils["a1"])]
