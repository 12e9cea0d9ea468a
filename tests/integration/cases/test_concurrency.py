"""Issue 12, two people, one plan: a case and its plans answer with an ETag (the case's version);
a write with a stale If-Match is refused with 412 `edited_elsewhere` and nothing is written; a
write without If-Match behaves as before (the last write wins)."""

from __future__ import annotations

from tests.support import api_flows as f

CLOSE = {"closed_on": "2026-10-14", "reason": "other"}


def _etag(world, path: str) -> str:
    response = world.call("coordinator_a1", "GET", path)
    assert response.status_code == 200, response.json
    return response.headers["ETag"]


def _write(world, path: str, body: dict, etag: str | None, who: str = "coordinator_a1"):
    headers = {"If-Match": etag} if etag else {}
    return world.call(who, "POST", path, json=body, headers=headers)


def test_a_plan_and_its_case_answer_with_the_same_etag_and_a_write_gives_a_new_one(world):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    plan_path = f"/api/v1/development-plans/{plan['id']}"
    etag = _etag(world, plan_path)
    assert etag.startswith('"') and etag.endswith('"')
    assert _etag(world, f"/api/v1/cases/{case['id']}") == etag
    response = _write(world, f"{plan_path}/pupil-view", {"heard_on": "2026-09-22"}, etag)
    assert response.status_code == 200, response.json
    assert response.headers["ETag"] != etag
    assert _etag(world, plan_path) == response.headers["ETag"]


def test_two_writers_on_one_plan_the_second_gets_412_and_nothing_is_written(world, container):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    plan_path = f"/api/v1/development-plans/{plan['id']}"
    first = second = _etag(world, plan_path)  # both opened the plan's form
    consultation = {"held_on": "2026-09-20", "participants": ["Ouder", "IB'er"]}
    assert _write(world, f"{plan_path}/consultation", consultation, first).status_code == 200
    outbox = f.outbox_types(container)
    with f.NothingWritten(container):
        refused = _write(world, f"{plan_path}/pupil-view", {"heard_on": "2026-09-22"}, second)
        f.assert_error(refused, 412, code="edited_elsewhere")
        assert "ETag" not in refused.headers
    assert f.outbox_types(container) == outbox
    assert world.call("coordinator_a1", "GET", plan_path).json["pupil_view_on"] is None


def test_case_writes_honour_if_match_too(world, container):
    case = f.open_case(world)
    case_path = f"/api/v1/cases/{case['id']}"
    stale = _etag(world, case_path)
    f.start_intervention(world, case["id"])  # a colleague, without If-Match: as before
    with f.NothingWritten(container):
        f.assert_error(_write(world, f"{case_path}/close", CLOSE, stale), 412, "edited_elsewhere")
        body = f.intervention_body()
        refused = _write(world, f"{case_path}/interventions", body, stale)
        f.assert_error(refused, 412, "edited_elsewhere")
    fresh = _etag(world, case_path)
    closed = _write(world, f"{case_path}/close", CLOSE, fresh)
    assert closed.status_code == 200 and closed.json["status"] == "closed"


def test_an_if_match_that_names_no_version_is_refused_and_star_or_none_is_no_precondition(
    world, container
):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    path = f"/api/v1/development-plans/{plan['id']}/pupil-view"
    with f.NothingWritten(container):
        for bad in ('"something-else"', "W/", '"case-vx"'):
            f.assert_error(_write(world, path, {"heard_on": "2026-09-22"}, bad), 412)
    assert _write(world, path, {"heard_on": "2026-09-22"}, "*").status_code == 200
