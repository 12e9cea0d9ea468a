"""GET /api/v1/internal/scheduled: the dates scheduled for open subjects of one partnership, as
the events that set them (what the notifications service simulates a reminder policy against).

Today is Thursday 15 October 2026. Partnership A holds, by date:
- 2026-11-02: the evaluation of an active basic intervention (pupil a1);
- 2026-12-08: a plan evaluation first scheduled for 1 December, then moved (pupil a1);
- 2027-01-31: the end of an admission statement (TLV) after a referral (pupil a1_other);
- 2027-02-15: the review date of School A2's current support profile;
- 2027-03-01: the plan's second evaluation (pupil a1).
Never listed: an evaluated intervention, an intervention of a closed case, the evaluations the
referral's plan had when it closed, School A1's profile (reviewed in 2029: outside the window)
and anything of partnership B.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h
from shared.auth import service_token
from shared.events import payload_schema
from tests.conftest import JWT_SECRET, NOW
from tests.support.api_flows import (
    assert_error,
    call_ok,
    evaluate_intervention,
    open_case,
    ready_plan,
    record_consent,
    request_consent,
    start_intervention,
)

SCHEDULED = "/api/v1/internal/scheduled"


@pytest.fixture
def story(world, container) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    case = open_case(world, "a1")
    ids["intervention"] = start_intervention(world, case["id"])["id"]
    evaluated = start_intervention(world, case["id"], evaluate_by="2026-11-10")
    evaluate_intervention(world, evaluated["id"])
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    record_consent(world, plan["id"])
    first, second = sorted(plan["evaluations"], key=lambda e: e["due_on"])
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{first['id']}"
    call_ok(world, "coordinator_a1", "PATCH", path, 200, json={"due_on": "2026-12-08"})
    ids.update(case=case["id"], plan=plan["id"], moved=first["id"], second=second["id"])

    other = open_case(world, "a1_other")
    referred = ready_plan(world, other["id"])
    request_consent(world, referred["id"])
    record_consent(world, referred["id"], pupil="a1_other")
    body = {"held_on": "2026-10-14", "decision": "refer", "referral_destination": "so"}
    path = f"/api/v1/development-plans/{referred['id']}/evaluation"
    referral = call_ok(world, "coordinator_a1", "POST", path, 200, json=body)["referrals"][0]
    path = f"/api/v1/referrals/{referral['id']}/admission-statement"
    body = {"valid_from": "2026-11-01", "valid_until": "2027-01-31"}
    call_ok(world, "coordinator_a1", "POST", path, 200, json=body)
    ids.update(other_case=other["id"], referral=referral["id"])
    ids["closed_plan_evaluations"] = {e["id"] for e in referred["evaluations"]}

    closed = open_case(world, "a2", who="coordinator_a2")
    ids["closed_intervention"] = start_intervention(
        world, closed["id"], who="coordinator_a2", evaluate_by="2026-11-12"
    )["id"]
    path = f"/api/v1/cases/{closed['id']}/close"
    body = {"closed_on": "2026-10-14", "reason": "other"}
    call_ok(world, "coordinator_a2", "POST", path, 200, json=body)

    with container.uow() as uow:
        coordinator_a2 = h.principal_of(uow.repo.user(world.users["coordinator_a2"]), uow)  # type: ignore[arg-type]
    ids["profile_a2"] = h.publish_support_profile(
        c.PublishSupportProfile(
            world.school_a2,
            ["reading_dyslexia"],
            ["reading_dyslexia_combined"],
            date(2025, 8, 1),
            date(2027, 2, 15),
        ),
        container.uow(),
        coordinator_a2,
    )

    theirs = open_case(world, "b1", who="coordinator_b1")
    ids["theirs"] = start_intervention(
        world, theirs["id"], who="coordinator_b1", evaluate_by="2026-11-05"
    )["id"]
    ids["their_case"] = theirs["id"]
    return ids


def as_service(world, query: str) -> Any:
    token = service_token("notifications", JWT_SECRET, NOW, timedelta(minutes=5))
    return world.client.get(f"{SCHEDULED}?{query}", headers={"Authorization": f"Bearer {token}"})


def scheduled(world, partnership, start: str, end: str, page_size: int = 500) -> dict[str, Any]:
    query = f"partnership_id={partnership}&from={start}&to={end}&page_size={page_size}"
    response = as_service(world, query)
    assert response.status_code == 200, response.json
    return response.json


def test_the_scheduled_dates_of_open_subjects_as_the_events_that_set_them(world, story):
    body = scheduled(world, world.partnership_a, "2026-10-15", "2027-03-31")
    items = body["items"]
    assert body["total"] == len(items) == 5
    assert [(i["date"], i["subject_kind"], i["event_type"]) for i in items] == [
        ("2026-11-02", "intervention", "intervention.started"),
        ("2026-12-08", "plan_evaluation", "development_plan.evaluation_rescheduled"),
        ("2027-01-31", "admission_statement", "referral.admission_statement_recorded"),
        ("2027-02-15", "support_profile", "support_profile.published"),
        ("2027-03-01", "plan_evaluation", "development_plan.evaluation_scheduled"),
    ]
    intervention, moved, statement, profile, second = items
    assert intervention["subject_id"] == story["intervention"]
    assert intervention["data"] == {
        "case_id": story["case"],
        "intervention_id": story["intervention"],
        "level": "basic",
        "domain": "reading_dyslexia",
        "starts_on": "2026-09-07",
        "evaluate_by": "2026-11-02",
        "plan_id": None,
    }
    assert moved["data"] == {
        "case_id": story["case"],
        "plan_id": story["plan"],
        "evaluation_id": story["moved"],
        "due_on": "2026-12-08",
        "previous_due_on": "2026-12-01",
    }
    assert second["data"] == {
        "case_id": story["case"],
        "plan_id": story["plan"],
        "evaluation_id": story["second"],
        "due_on": "2027-03-01",
    }
    assert statement["data"] == {
        "case_id": story["other_case"],
        "referral_id": story["referral"],
        "valid_from": "2026-11-01",
        "valid_until": "2027-01-31",
    }
    assert profile["data"] == {
        "support_profile_id": str(story["profile_a2"]),
        "version": 1,
        "valid_from": "2025-08-01",
        "review_by": "2027-02-15",
    }
    for item in items:
        # The payload is what a consumer of that event type reads (the catalog's schema loads it).
        payload_schema(item["event_type"]).load(item["data"])
        assert item["region"] == "noord"
        assert item["case_id"] == item["data"].get("case_id")
    schools = [i["school_id"] for i in items]
    assert schools == [str(world.school_a1)] * 3 + [str(world.school_a2), str(world.school_a1)]
    assert profile["case_id"] is None


def test_only_the_window_open_subjects_and_ids_codes_and_dates(world, story):
    listed = scheduled(world, world.partnership_a, "2026-10-15", "2028-02-27")["items"]
    text = str(listed)
    ids = {i["subject_id"] for i in listed}
    assert story["closed_intervention"] not in ids  # its case is closed
    assert not ids & story["closed_plan_evaluations"]  # the referral closed their plan
    assert len(listed) == 5
    later = scheduled(world, world.partnership_a, "2028-04-01", "2029-07-31")["items"]
    assert [(i["subject_kind"], i["date"], i["school_id"]) for i in later] == [
        ("support_profile", "2029-07-31", str(world.school_a1))  # School A1's current profile
    ]
    for needle in ("Kind a1", "Ouder", "@test.nl", "Leestempo", "Test", "School A"):
        assert needle not in text
    # Both ends of the window are included.
    only = scheduled(world, world.partnership_a, "2026-11-02", "2026-11-02")["items"]
    assert [i["subject_id"] for i in only] == [story["intervention"]]
    middle = scheduled(world, world.partnership_a, "2026-11-03", "2027-02-28")["items"]
    assert [i["date"] for i in middle] == ["2026-12-08", "2027-01-31", "2027-02-15"]
    assert scheduled(world, world.partnership_a, "2027-04-01", "2027-04-30")["items"] == []


def test_pages_add_up_to_the_whole(world, story):
    whole = scheduled(world, world.partnership_a, "2026-10-15", "2027-03-31")["items"]
    pages = []
    for page in (1, 2, 3):
        query = (
            f"partnership_id={world.partnership_a}&from=2026-10-15&to=2027-03-31"
            f"&page={page}&page_size=2"
        )
        body = as_service(world, query).json
        assert body["total"] == 5 and body["page"] == page
        pages += body["items"]
    assert pages == whole


def test_only_that_partnerships_dates(world, story):
    theirs = scheduled(world, world.partnership_b, "2026-10-15", "2027-03-31")["items"]
    assert [(i["subject_id"], i["date"]) for i in theirs] == [(story["theirs"], "2026-11-05")]
    assert theirs[0]["region"] == "zuid" and theirs[0]["school_id"] == str(world.school_b1)
    ours = str(scheduled(world, world.partnership_a, "2026-10-15", "2027-03-31"))
    assert story["theirs"] not in ours and story["their_case"] not in ours
    assert str(world.school_b1) not in ours
    # Another partnership's id that exists nowhere: nothing, not an error.
    assert (
        scheduled(world, "00000000-0000-4000-8000-000000000000", "2026-10-15", "2027-03-31")[
            "items"
        ]
        == []
    )


def test_people_may_not_read_it_and_nonsense_is_refused(world, story):
    query = f"partnership_id={world.partnership_a}&from=2026-10-15&to=2027-03-31"
    for who in ("admin_a", "coordinator_a1", "consultant_a", "teacher_a1", "guardian_a1"):
        assert_error(world.call(who, "GET", f"{SCHEDULED}?{query}"), 403, "forbidden")
    assert_error(world.client.get(f"{SCHEDULED}?{query}"), 401)
    for bad, field in (
        ("from=2026-10-15&to=2027-03-31", "partnership_id"),
        (f"partnership_id={world.partnership_a}&from=2027-03-31&to=2026-10-15", "to"),
        (f"partnership_id={world.partnership_a}&from=2026-10-15&to=2028-10-15", "to"),
        (f"partnership_id={world.partnership_a}&from=gisteren&to=2027-03-31", "from"),
    ):
        assert_error(as_service(world, bad), 422, field=field)


def test_planned_meetings_on_their_day_in_amsterdam_as_their_last_event(world, story):
    """A meeting is listed on its day in Amsterdam (an instant just after midnight there is the
    next day in UTC terms too), as the event a consumer last saw: planned, or moved; a cancelled
    one is not listed. Only whether a place was given, never the place."""
    base = f"/api/v1/development-plans/{story['plan']}/evaluations"
    second = f"{base}/{story['second']}/meeting"
    place = {"duration_minutes": 45, "location": "Lokaal 3.14 achter de gymzaal"}
    call_ok(
        world,
        "coordinator_a1",
        "PUT",
        second,
        200,
        json={"starts_at": "2026-11-30T23:30:00Z", **place},
    )
    moved = f"{base}/{story['moved']}/meeting"
    for starts_at in ("2026-12-07T13:00:00Z", "2026-12-08T13:00:00Z"):
        body = {"starts_at": starts_at, "duration_minutes": 30}
        call_ok(world, "coordinator_a1", "PUT", moved, 200, json=body)

    meetings = [
        i
        for i in scheduled(world, world.partnership_a, "2026-11-01", "2026-12-31")["items"]
        if i["subject_kind"] == "meeting"
    ]
    assert [(i["date"], i["subject_id"], i["event_type"]) for i in meetings] == [
        ("2026-12-01", story["second"], "development_plan.meeting_planned"),
        ("2026-12-08", story["moved"], "development_plan.meeting_moved"),
    ]
    assert meetings[0]["data"] == {
        "case_id": story["case"],
        "plan_id": story["plan"],
        "evaluation_id": story["second"],
        "starts_at": "2026-11-30T23:30:00+00:00",
        "duration_minutes": 45,
        "sequence": 0,
        "has_location": True,
    }
    assert meetings[1]["data"]["sequence"] == 1
    assert meetings[1]["data"]["has_location"] is False
    for item in meetings:
        payload_schema(item["event_type"]).load(item["data"])
        assert item["case_id"] == story["case"] and item["region"] == "noord"
    assert "Lokaal" not in str(meetings)
    # The day before in Amsterdam does not hold it; the day itself does.
    day_before = scheduled(world, world.partnership_a, "2026-11-30", "2026-11-30")["items"]
    assert day_before == []
    on_the_day = scheduled(world, world.partnership_a, "2026-12-01", "2026-12-01")["items"]
    assert [(i["subject_kind"], i["subject_id"]) for i in on_the_day] == [
        ("meeting", story["second"])
    ]

    call_ok(world, "coordinator_a1", "DELETE", moved, 200)
    after = scheduled(world, world.partnership_a, "2026-11-01", "2026-12-31")["items"]
    assert [i["subject_id"] for i in after if i["subject_kind"] == "meeting"] == [story["second"]]
