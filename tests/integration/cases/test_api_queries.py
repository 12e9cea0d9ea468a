"""Lists, filters and logs over HTTP: cases, evaluations due, a case's timeline, the event log,
the OpenAPI document and the health endpoints. Today is 2026-10-15 (the fixed clock)."""

from __future__ import annotations

from typing import Any

from tests.support import api_flows as f

COORD = "coordinator_a1"


def _page(world, who: str, path: str) -> dict[str, Any]:
    response = world.call(who, "GET", path)
    assert response.status_code == 200, response.json
    return response.json


# -- GET /api/v1/cases -------------------------------------------------------------------------


def test_cases_are_filtered_by_school_level_and_status_and_paginated(world):
    extra, _plan = f.case_with_active_plan(world, "a1")
    closed = f.open_case(world, "a1_other", opened_on="2026-08-25")
    f.call_ok(
        world,
        COORD,
        "POST",
        f"/api/v1/cases/{closed['id']}/close",
        200,
        json={"closed_on": "2026-09-10", "reason": "goals_reached"},
    )
    reopened = f.open_case(world, "a1_other", opened_on="2026-09-15")
    f.register_pupil(world, "ref")
    referred, _referral = f.referred_case(world, "ref")
    other_school = f.open_case(world, "a2", "coordinator_a2", opened_on="2026-10-01")
    f.open_case(world, "b1", "coordinator_b1")  # another partnership: never listed

    everything = _page(world, "admin_a", "/api/v1/cases")
    assert everything["total"] == 5 and (everything["page"], everything["page_size"]) == (1, 50)
    # Newest first.
    assert [c["opened_on"] for c in everything["items"]] == sorted(
        (c["opened_on"] for c in everything["items"]), reverse=True
    )

    def ids(query: str, who: str = "admin_a") -> set[str]:
        page = _page(world, who, f"/api/v1/cases?{query}")
        assert page["total"] == len(page["items"])
        return {c["id"] for c in page["items"]}

    a1, a2 = world.school_a1, world.school_a2
    assert ids(f"school_id={a1}") == {extra["id"], closed["id"], reopened["id"], referred["id"]}
    assert ids(f"school_id={a2}") == {other_school["id"]}
    assert ids("level=extra") == {extra["id"], referred["id"]}
    assert ids("level=basic") == {closed["id"], reopened["id"], other_school["id"]}
    assert ids("status=closed") == {closed["id"]}
    assert ids("status=referred") == {referred["id"]}
    assert ids("status=open") == {extra["id"], reopened["id"], other_school["id"]}
    assert ids(f"school_id={a1}&level=basic&status=open") == {reopened["id"]}
    assert ids(f"school_id={a2}&level=extra") == set()
    assert ids(f"pupil_id={world.pupils['a1_other']}") == {closed["id"], reopened["id"]}
    assert ids("status=open", who=COORD) == {extra["id"], reopened["id"]}

    # Pages of two: every case once, in the same order as the single page.
    seen: list[str] = []
    for number in (1, 2, 3):
        page = _page(world, "admin_a", f"/api/v1/cases?page={number}&page_size=2")
        assert (page["page"], page["page_size"], page["total"]) == (number, 2, 5)
        assert len(page["items"]) == (2 if number < 3 else 1)
        seen += [c["id"] for c in page["items"]]
    assert seen == [c["id"] for c in everything["items"]]
    beyond = _page(world, "admin_a", "/api/v1/cases?page=4&page_size=2")
    assert beyond["items"] == [] and beyond["total"] == 5
    summary = everything["items"][0]
    assert {"id", "school_id", "pupil_id", "level", "status", "opened_on"} <= set(summary)


# -- GET /api/v1/evaluations/due ---------------------------------------------------------------


def test_due_evaluations_are_ordered_by_date_and_flag_the_overdue(world):
    # a1: three basic interventions, one of them already evaluated.
    case = f.open_case(world, "a1")
    overdue = f.start_intervention(
        world, case["id"], starts_on="2026-09-01", evaluate_by="2026-10-05"
    )
    today = f.start_intervention(
        world, case["id"], starts_on="2026-09-07", evaluate_by="2026-10-15"
    )
    later = f.start_intervention(
        world, case["id"], starts_on="2026-09-07", evaluate_by="2026-11-02"
    )
    done = f.start_intervention(world, case["id"], starts_on="2026-09-01", evaluate_by="2026-10-06")
    f.evaluate_intervention(world, done["id"], "effective")
    # a1_other: an active plan, one evaluation already overdue, one added, one moved.
    _other, plan = f.case_with_active_plan(
        world, "a1_other", evaluation_dates=["2026-10-01", "2026-12-01", "2027-03-01"]
    )
    plan_path = f"/api/v1/development-plans/{plan['id']}"
    f.call_ok(world, COORD, "POST", f"{plan_path}/evaluations", 201, json={"due_on": "2026-11-20"})
    moved = next(e for e in plan["evaluations"] if e["due_on"] == "2027-03-01")
    f.call_ok(
        world,
        COORD,
        "PATCH",
        f"{plan_path}/evaluations/{moved['id']}",
        200,
        json={"due_on": "2026-11-25"},
    )
    # Not due: a draft plan's evaluations (school a2) and a closed case's intervention.
    a2 = f.open_case(world, "a2", "coordinator_a2")
    f.create_plan(world, a2["id"], "coordinator_a2", evaluation_dates=["2026-10-20"])
    f.register_pupil(world, "left")
    gone = f.open_case(world, "left")
    f.start_intervention(world, gone["id"], evaluate_by="2026-10-10")
    f.call_ok(
        world,
        COORD,
        "POST",
        f"/api/v1/cases/{gone['id']}/close",
        200,
        json={"closed_on": "2026-10-12", "reason": "pupil_left"},
    )

    page = _page(world, "admin_a", "/api/v1/evaluations/due?before=2026-12-01")
    rows = [(i["kind"], i["due_on"], i["overdue"]) for i in page["items"]]
    assert rows == [
        ("plan_evaluation", "2026-10-01", True),
        ("intervention", "2026-10-05", True),
        ("intervention", "2026-10-15", False),
        ("intervention", "2026-11-02", False),
        ("plan_evaluation", "2026-11-20", False),
        ("plan_evaluation", "2026-11-25", False),
    ]
    assert page["total"] == 6
    items = page["items"]
    assert [i["id"] for i in items[1:4]] == [overdue["id"], today["id"], later["id"]]
    assert items[5]["id"] == moved["id"]
    assert {i["plan_id"] for i in items if i["kind"] == "plan_evaluation"} == {plan["id"]}
    assert {i["school_id"] for i in items} == {str(world.school_a1)}
    assert {i["pupil_id"] for i in items} == {
        str(world.pupils["a1"]),
        str(world.pupils["a1_other"]),
    }

    # `before` is exclusive; the school filter and pagination apply.
    later_page = _page(world, "admin_a", "/api/v1/evaluations/due?before=2026-12-02")
    assert later_page["total"] == 7 and later_page["items"][-1]["due_on"] == "2026-12-01"
    second = _page(world, "admin_a", "/api/v1/evaluations/due?before=2026-12-01&page=2&page_size=4")
    assert [i["id"] for i in second["items"]] == [i["id"] for i in items[4:]]
    assert second["total"] == 6
    other_school = f"/api/v1/evaluations/due?before=2027-12-01&school_id={world.school_a2}"
    assert _page(world, "admin_a", other_school)["items"] == []
    overdue_only = _page(world, COORD, "/api/v1/evaluations/due?before=2026-10-15")
    assert [i["due_on"] for i in overdue_only["items"]] == ["2026-10-01", "2026-10-05"]
    assert all(i["overdue"] for i in overdue_only["items"])


# -- GET /api/v1/cases/{id}/timeline -----------------------------------------------------------


def test_timeline_lists_every_event_of_the_case_in_the_order_of_the_calls(world, container):
    plan_created = [
        "development_plan.created",
        "development_plan.evaluation_scheduled",
        "development_plan.evaluation_scheduled",
    ]
    expected: list[str] = []
    state: dict[str, str] = {}

    def step(method: str, path: str, status: int, body: Any, types: list[str]) -> Any:
        result = f.call_ok(world, COORD, method, path.format(**state), status, json=body)
        expected.extend(types)
        # Another case's events in between never show up in this case's timeline.
        f.start_intervention(
            world, state["noise"], starts_on="2026-10-05", evaluate_by="2026-11-30"
        )
        return result

    state["noise"] = f.open_case(world, "a1_other")["id"]
    case = step(
        "POST",
        "/api/v1/cases",
        201,
        {"pupil_id": str(world.pupils["a1"]), "opened_on": "2026-09-01"},
        ["case.opened"],
    )
    state["case"] = case["id"]
    item = step(
        "POST",
        "/api/v1/cases/{case}/interventions",
        201,
        f.intervention_body(),
        ["intervention.started"],
    )
    state["item"] = item["id"]
    step(
        "POST",
        "/api/v1/interventions/{item}/evaluation",
        200,
        {"outcome": "not_effective", "evaluated_on": "2026-10-12"},
        ["intervention.evaluated"],
    )
    plan = step("POST", "/api/v1/cases/{case}/development-plans", 201, f.plan_body(), plan_created)
    state["plan"] = plan["id"]
    guardian = [str(world.guardians["a1"])]
    calls = [
        (
            "consultation",
            {"held_on": "2026-09-20", "participants": ["Ouders", "IB'er"]},
            ["development_plan.consultation_recorded"],
        ),
        (
            "pupil-view",
            {"heard_on": "2026-09-22", "summary": "Wil graag hulp bij lezen."},
            ["development_plan.pupil_view_recorded"],
        ),
        ("consent-request", {"requested_on": "2026-09-25"}, ["development_plan.consent_requested"]),
        (
            "consent",
            {"decision": "declined", "recorded_on": "2026-09-28", "guardian_ids": guardian},
            ["development_plan.consent_recorded"],
        ),
        (
            "action-plan",
            {"action_plan": "Kleinere groep, twee keer per week."},
            ["development_plan.action_plan_changed"],
        ),
        ("consent-request", {"requested_on": "2026-09-29"}, ["development_plan.consent_requested"]),
        (
            "consent",
            {"decision": "agreed", "recorded_on": "2026-10-01", "guardian_ids": guardian},
            [
                "development_plan.consent_recorded",
                "development_plan.activated",
                "case.level_changed",
            ],
        ),
        ("evaluations", {"due_on": "2026-11-20"}, ["development_plan.evaluation_scheduled"]),
    ]
    for action, body, types in calls:
        status = 201 if action == "evaluations" else 200  # an extra evaluation is created
        plan = step("POST", f"/api/v1/development-plans/{{plan}}/{action}", status, body, types)
    state["evaluation"] = next(e["id"] for e in plan["evaluations"] if e["due_on"] == "2026-11-20")
    step(
        "PATCH",
        "/api/v1/development-plans/{plan}/evaluations/{evaluation}",
        200,
        {"due_on": "2026-11-25"},
        ["development_plan.evaluation_rescheduled"],
    )
    step(
        "POST",
        "/api/v1/development-plans/{plan}/evaluation",
        200,
        {"held_on": "2026-10-14", "decision": "continue", "next_evaluation_on": "2027-01-20"},
        ["development_plan.evaluated", "development_plan.evaluation_scheduled"],
    )
    case = step(
        "POST",
        "/api/v1/development-plans/{plan}/evaluation",
        200,
        {"held_on": "2026-10-14", "decision": "refer", "referral_destination": "so"},
        ["development_plan.evaluated", "referral.requested", "development_plan.closed"],
    )
    state["referral"] = case["referrals"][0]["id"]
    step(
        "POST",
        "/api/v1/referrals/{referral}/admission-statement",
        200,
        {"valid_from": "2026-11-01", "valid_until": "2028-07-31"},
        ["referral.admission_statement_recorded"],
    )

    timeline = _page(world, COORD, f"/api/v1/cases/{state['case']}/timeline")
    assert [e["type"] for e in timeline] == expected
    seqs = [e["seq"] for e in timeline]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert all(e["data"].get("case_id") == state["case"] for e in timeline)
    assert timeline[-1]["data"]["referral_id"] == state["referral"]
    # The same events, in the same order, as the event log holds for this case.
    log = _page(world, "admin_a", "/api/v1/events?limit=5000")["items"]
    from_log = [i["seq"] for i in log if i["envelope"]["data"].get("case_id") == state["case"]]
    assert from_log == seqs
    # No free text about the pupil travels in events (DESIGN.md §3).
    assert "Wil graag hulp" not in str(timeline) and "Kleinere groep" not in str(timeline)
    # The guardian reads the same timeline; the case is now referred.
    assert _page(world, "guardian_a1", f"/api/v1/cases/{state['case']}/timeline") == timeline
    assert case["status"] == "referred"


# -- GET /api/v1/events ------------------------------------------------------------------------


def test_event_log_pages_in_seq_order(world, container):
    f.case_with_active_plan(world, "a1")
    f.case_with_active_plan(world, "b1", "coordinator_b1")  # interleaves partnership B's seqs
    f.open_case(world, "a2", "coordinator_a2")
    full = _page(world, "admin_a", "/api/v1/events?limit=5000")
    everything = [i["seq"] for i in full["items"]]
    assert everything == sorted(everything) and len(everything) > 10
    assert full["next_after"] == everything[-1]

    pages, after = [], 0
    while True:
        page = _page(world, "admin_a", f"/api/v1/events?after={after}&limit=4")
        seqs = [i["seq"] for i in page["items"]]
        assert len(seqs) <= 4 and all(s > after for s in seqs)
        if not seqs:
            assert page["next_after"] == after
            break
        assert page["next_after"] == seqs[-1]
        pages.append(seqs)
        after = page["next_after"]
    assert [s for p in pages for s in p] == everything
    assert len(pages) == -(-len(everything) // 4)

    # Partnership B's events fill the gaps in A's seqs; a service sees both, still in order.
    b_seqs = [i["seq"] for i in _page(world, "admin_b", "/api/v1/events?limit=5000")["items"]]
    assert b_seqs and not set(b_seqs) & set(everything)
    assert len(everything) + len(b_seqs) == f.row_counts(container)["outbox"]
    middle = everything[len(everything) // 2]
    tail = _page(world, "admin_a", f"/api/v1/events?after={middle}&limit=5000")["items"]
    assert [i["seq"] for i in tail] == [s for s in everything if s > middle]
    for query in ("after=-1", "limit=0", "limit=5001", "after=x"):
        response = world.call("admin_a", "GET", f"/api/v1/events?{query}")
        assert response.status_code == 422, (query, response.json)


# -- OpenAPI and health ------------------------------------------------------------------------


def _resolve(document: dict[str, Any], node: Any, seen: set[str]) -> None:
    """Check every $ref in a node points at something in the document."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            assert ref.startswith("#/"), ref
            target: Any = document
            for part in ref[2:].split("/"):
                assert part in target, ref
                target = target[part]
            _resolve(document, target, seen)
        for value in node.values():
            _resolve(document, value, seen)
    elif isinstance(node, list):
        for value in node:
            _resolve(document, value, seen)


def test_openapi_document_is_valid_openapi_3_under_api_v1(client):
    response = client.get("/api/v1/openapi.json")  # no token needed
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"] == "v1"
    assert spec["paths"] and all(path.startswith("/api/v1/") for path in spec["paths"])
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert method in {"get", "post", "patch", "put", "delete"}, (path, method)
            assert operation["responses"], (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"path", "query", "header"}
    for template in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/timeline",
        "/api/v1/cases/{case_id}/interventions",
        "/api/v1/interventions/{intervention_id}/evaluation",
        "/api/v1/evaluations/due",
        "/api/v1/development-plans/{plan_id}/consent",
        "/api/v1/development-plans/{plan_id}/evaluations/{evaluation_id}",
        "/api/v1/referrals/{referral_id}/admission-statement",
        "/api/v1/events",
    ):
        assert template in spec["paths"], template
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    _resolve(spec, spec, set())
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.data.lower()


def test_health_answers_without_a_token(client):
    live = client.get("/health")
    assert (live.status_code, live.json) == (200, {"status": "ok"})
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert client.get("/api/v1/cases").status_code == 401  # the rest needs one
