"""A pupil who leaves with a case still open (rules 9 and 5): flagged at once to whoever closes
the case (the event, and the pupil's `left_with_open_case` in the API), and anonymised once the
case is closed, the retention period then running from the closing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.cases.service_layer import retention
from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.support import api_flows as f
from tests.support.world import _token

COORD = "coordinator_a1"


def _years_later(world, clock) -> None:
    """Two years and a day on, with a fresh token for the coordinator."""
    clock.advance(timedelta(days=365 * 2 + 1))
    world.tokens[COORD] = _token(world.client, f"{COORD}@test.nl")


def _leave(world, key: str, left_on: str) -> dict:
    path = f"/api/v1/pupils/{world.pupils[key]}/leave"
    return f.call_ok(world, COORD, "POST", path, 200, json={"left_on": left_on})


def test_leaving_with_an_open_case_is_flagged_and_anonymised_only_after_closing(
    container, world, clock
):
    case = f.open_case(world, "a1")
    closed = f.open_case(world, "a1_other")
    f.call_ok(
        world,
        COORD,
        "POST",
        f"/api/v1/cases/{closed['id']}/close",
        200,
        json={"closed_on": "2026-10-15", "reason": "pupil_left"},
    )

    left = _leave(world, "a1", "2026-10-15")
    quiet = _leave(world, "a1_other", "2026-10-15")

    assert (left["left_with_open_case"], quiet["left_with_open_case"]) == (True, False)
    timeline = world.call(COORD, "GET", f"/api/v1/cases/{case['id']}/timeline").json
    assert (timeline[-1]["type"], timeline[-1]["data"]) == (
        "pupil.left_with_open_case",
        {"pupil_id": str(world.pupils["a1"]), "case_id": case["id"], "left_on": "2026-10-15"},
    )
    other = world.call(COORD, "GET", f"/api/v1/cases/{closed['id']}/timeline").json
    assert "pupil.left_with_open_case" not in [e["type"] for e in other]
    flagged = world.call(COORD, "GET", "/api/v1/pupils?left_with_open_case=true").json
    assert [p["id"] for p in flagged["items"]] == [str(world.pupils["a1"])]
    # Notifications' default policy names the coordinator and the administrator: both are in
    # the case's audience (the administrators of the partnership only, by the role `admin`).
    service = Principal(user_id=uuid.uuid4(), role=Role.SERVICE, partnership_id=None)
    world.tokens["service"] = issue_token(service, JWT_SECRET, NOW)
    path = f"/api/v1/internal/audience?case_id={case['id']}"
    audience = world.call("service", "GET", path).json["recipients"]
    roles = {(r["id"], r["role"]) for r in audience}
    assert (str(world.users["admin_a"]), "admin") in roles
    assert (str(world.users[COORD]), "coordinator") in roles
    assert str(world.users["admin_b"]) not in {r["id"] for r in audience}

    _years_later(world, clock)  # two years after leaving: a1_other goes
    assert retention.anonymise_due(container.uow()) == 1
    closed_on = clock.now().date().isoformat()
    f.call_ok(
        world,
        COORD,
        "POST",
        f"/api/v1/cases/{case['id']}/close",
        200,
        json={"closed_on": closed_on, "reason": "pupil_left"},
    )
    pupil = world.call(COORD, "GET", f"/api/v1/pupils/{world.pupils['a1']}").json
    assert pupil["left_with_open_case"] is False
    assert retention.anonymise_due(container.uow()) == 0  # the period runs from the closing

    _years_later(world, clock)
    assert retention.anonymise_due(container.uow()) == 1
    pupil = world.call(COORD, "GET", f"/api/v1/pupils/{world.pupils['a1']}").json
    assert pupil["given_name"] == "Geanonimiseerd" and pupil["anonymised_on"] is not None
