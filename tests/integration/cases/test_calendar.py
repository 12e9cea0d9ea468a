"""Upcoming evaluations per school and per-user iCalendar feeds (issue 6), on SQLite and
PostgreSQL: who sees which dates, the feed's events and UIDs, no pupil names in a feed, and the
secret URL's life (rotation, revocation, a disabled account)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from shared.clock import AMSTERDAM
from tests.conftest import NOW
from tests.support.api_flows import (
    assert_error,
    call_ok,
    open_case,
    ready_plan,
    record_consent,
    register_pupil,
    request_consent,
    start_intervention,
)
from tests.support.world import World

UPCOMING = "/api/v1/schools/{school}/evaluations/upcoming"
FEED = "/api/v1/me/calendar-feed"
MEETING_AT = datetime(2026, 11, 30, 14, 0, tzinfo=AMSTERDAM)
# Every pupil name the scenario uses; none may appear in a feed.
NAMES = ("Kind a1", "Kind a2", "Kind b1", "Fenna", "Jansen", "Ouder")


@pytest.fixture
def story(world: World) -> dict[str, str]:
    """School A1: pupil a1 with a basic intervention (evaluate by 2 Nov) and an active plan whose
    1 December evaluation has a meeting on 30 November 14:00 (the 1 March one has none); pupil
    Fenna Jansen, the teacher's, with an intervention to evaluate by 10 Nov. School A2: pupil a2
    with an intervention overdue since 12 Oct. Partnership B: pupil b1 with an intervention."""
    case = open_case(world, "a1")
    first = start_intervention(world, case["id"])
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    plan = record_consent(world, plan["id"])
    december, march = sorted(plan["evaluations"], key=lambda e: e["due_on"])
    assert (december["due_on"], march["due_on"]) == ("2026-12-01", "2027-03-01")
    path = f"/api/v1/development-plans/{plan['id']}/evaluations/{december['id']}/meeting"
    body = {"starts_at": MEETING_AT.isoformat(), "duration_minutes": 45}
    call_ok(world, "coordinator_a1", "PUT", path, 200, json=body)

    teacher = str(world.users["teacher_a1"])
    register_pupil(
        world, "Fenna", family_name="Jansen", staff=[{"user_id": teacher, "role": "teacher"}]
    )
    fenna_case = open_case(world, "Fenna")
    fenna = start_intervention(world, fenna_case["id"], evaluate_by="2026-11-10")

    a2_case = open_case(world, "a2", who="coordinator_a2")
    a2 = start_intervention(world, a2_case["id"], who="coordinator_a2", evaluate_by="2026-10-12")
    b1_case = open_case(world, "b1", who="coordinator_b1")
    b1 = start_intervention(world, b1_case["id"], who="coordinator_b1")
    return {
        "case": case["id"],
        "plan": plan["id"],
        "intervention": first["id"],
        "december": december["id"],
        "march": march["id"],
        "fenna_case": fenna_case["id"],
        "fenna": fenna["id"],
        "a2_case": a2_case["id"],
        "a2": a2["id"],
        "b1": b1["id"],
    }


def _upcoming(world: World, who: str, school: uuid.UUID, **query: str):
    return world.call(who, "GET", UPCOMING.format(school=school), query_string=query)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


# -- the dated list ----------------------------------------------------------------------------


def test_the_coordinator_sees_the_schools_dates_in_order_with_pupil_and_meeting(world, story):
    response = _upcoming(world, "coordinator_a1", world.school_a1)
    body = response.json
    assert response.status_code == 200, body
    assert body["total"] == 3 and body["page"] == 1
    first, fenna, meeting = body["items"]
    assert first == {
        "kind": "intervention",
        "id": story["intervention"],
        "date": "2026-11-02",
        "due_on": "2026-11-02",
        "starts_at": None,
        "ends_at": None,
        "case_id": story["case"],
        "plan_id": None,
        "intervention_id": story["intervention"],
        "evaluation_id": None,
        "school_id": str(world.school_a1),
        "pupil_id": str(world.pupils["a1"]),
        "pupil": "Kind a1 T.",
        "overdue": False,
    }
    assert (fenna["id"], fenna["date"], fenna["pupil"]) == (
        story["fenna"],
        "2026-11-10",
        "Fenna J.",
    )
    assert meeting["kind"] == "meeting"
    assert meeting["id"] == meeting["evaluation_id"] == story["december"]
    assert (meeting["date"], meeting["due_on"]) == ("2026-11-30", "2026-12-01")
    assert meeting["plan_id"] == story["plan"] and meeting["case_id"] == story["case"]
    assert datetime.fromisoformat(meeting["starts_at"]) == MEETING_AT
    assert datetime.fromisoformat(meeting["ends_at"]) == MEETING_AT + timedelta(minutes=45)

    # The whole school year ahead: the March evaluation (no meeting) as a plan evaluation.
    later = _upcoming(world, "coordinator_a1", world.school_a1, to="2027-07-31")
    assert later.json["items"][-1]["kind"] == "plan_evaluation"
    assert later.json["items"][-1]["id"] == story["march"]
    assert later.json["items"][-1]["date"] == "2027-03-01"
    # Paged.
    paged = _upcoming(world, "coordinator_a1", world.school_a1, page="2", page_size="2")
    assert _ids(paged) == [story["december"]] and paged.json["total"] == 3


def test_each_role_sees_its_own_scope(world, story):
    school_a1 = [story["intervention"], story["fenna"], story["december"]]
    for who in ("coordinator_a1", "director_a1", "consultant_a", "admin_a"):
        assert _ids(_upcoming(world, who, world.school_a1)) == school_a1, who
    assert _ids(_upcoming(world, "teacher_a1", world.school_a1)) == [story["fenna"]]
    assert _ids(_upcoming(world, "consultant_a", world.school_a2, **{"from": "2026-10-01"})) == [
        story["a2"]
    ]

    assert_error(_upcoming(world, "coordinator_a2", world.school_a1), 403, "forbidden")
    assert_error(_upcoming(world, "guardian_a1", world.school_a1), 403, "forbidden")
    assert_error(_upcoming(world, "coordinator_b1", world.school_a1), 404, "not_found")
    assert_error(_upcoming(world, "admin_b", world.school_a1), 404, "not_found")
    assert_error(_upcoming(world, "admin_a", uuid.uuid4()), 404, "not_found")


def test_overdue_items_are_flagged_and_the_period_follows_from_and_to(world, story):
    response = _upcoming(world, "coordinator_a2", world.school_a2, **{"from": "2026-10-01"})
    (item,) = response.json["items"]
    assert (item["id"], item["date"], item["overdue"]) == (story["a2"], "2026-10-12", True)
    # Default period: today (15 October) for eight weeks, so the overdue one is not in it.
    assert _ids(_upcoming(world, "coordinator_a2", world.school_a2)) == []
    # Both ends inclusive.
    exact = _upcoming(
        world, "coordinator_a1", world.school_a1, **{"from": "2026-11-10"}, to="2026-11-30"
    )
    assert _ids(exact) == [story["fenna"], story["december"]]


def test_a_bad_period_is_a_422(world, story):
    bad = _upcoming(
        world, "coordinator_a1", world.school_a1, **{"from": "2026-11-01"}, to="2026-10-31"
    )
    assert_error(bad, 422, field="to")
    too_long = _upcoming(
        world, "coordinator_a1", world.school_a1, **{"from": "2026-11-01"}, to="2027-11-02"
    )
    assert_error(too_long, 422, field="to")
    year = _upcoming(
        world, "coordinator_a1", world.school_a1, **{"from": "2026-11-01"}, to="2027-11-01"
    )
    assert year.status_code == 200
    assert_error(_upcoming(world, "coordinator_a1", world.school_a1, to="soon"), 422, field="to")


def test_the_list_is_an_audited_read(world, story, container):
    assert _upcoming(world, "coordinator_a1", world.school_a1).status_code == 200
    row = _audit_rows(container)[-1]
    assert row["endpoint"] == "/api/v1/schools/<uuid:school_id>/evaluations/upcoming"
    assert _uuid(row["resource_id"]) == str(world.school_a1)
    assert _uuid(row["user_id"]) == str(world.users["coordinator_a1"])
    assert (row["action"], row["status"]) == ("read", 200)


# -- the feed ----------------------------------------------------------------------------------


def _create_feed(world: World, who: str) -> str:
    body = call_ok(world, who, "POST", FEED, 201)
    url = urlsplit(body["url"])
    assert url.path.startswith("/api/v1/calendar/") and url.path.endswith(".ics")
    assert datetime.fromisoformat(body["created_at"]) == NOW
    return url.path


def _fetch(world: World, path: str, **query: str):
    return world.client.get(path, query_string=query)  # no bearer token: the URL is the secret


def _events(response) -> dict[str, object]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_the_users_evaluations_without_pupil_names(world, story):
    path = _create_feed(world, "coordinator_a1")
    response = _fetch(world, path)
    events = _events(response)
    assert set(events) == {
        f"{story['intervention']}@passend-onderwijs",
        f"{story['fenna']}@passend-onderwijs",
        f"{story['december']}@passend-onderwijs",
        f"{story['march']}@passend-onderwijs",
    }
    text = response.get_data(as_text=True)
    for name in NAMES:
        assert name not in text
    for pupil in world.pupils.values():
        assert str(pupil) not in text

    intervention = events[f"{story['intervention']}@passend-onderwijs"]
    assert intervention.decoded("DTSTART") == date(2026, 11, 2)
    assert intervention.decoded("DTEND") == date(2026, 11, 3)
    assert intervention.decoded("DTSTAMP") == NOW
    reference = story["case"][:8]
    assert str(intervention["SUMMARY"]) == f"Evaluatie interventie – dossier {reference}"
    case_page = f"http://127.0.0.1:8000/trajecten/{story['case']}"
    assert str(intervention["URL"]) == case_page
    assert case_page in str(intervention["DESCRIPTION"])

    meeting = events[f"{story['december']}@passend-onderwijs"]
    assert meeting.decoded("DTSTART") == MEETING_AT
    assert meeting["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert meeting.decoded("DTEND") == MEETING_AT + timedelta(minutes=45)
    assert str(meeting["SUMMARY"]) == f"Evaluatiegesprek OPP – dossier {reference}"
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Amsterdam" in text

    march = events[f"{story['march']}@passend-onderwijs"]
    assert march.decoded("DTSTART") == date(2027, 3, 1)
    assert str(march["SUMMARY"]) == f"Evaluatie OPP – dossier {reference}"

    english = _events(_fetch(world, path, lang="en"))
    summary = str(english[f"{story['december']}@passend-onderwijs"]["SUMMARY"])
    assert summary == f"Development plan evaluation meeting – case {reference}"
    assert_error(_fetch(world, path, lang="fr"), 422, field="lang")


def test_every_entry_links_to_its_web_page_never_to_the_api(world, story):
    """Issue 12: URL and DESCRIPTION open the case's page (or its plan's) in the web front end,
    which asks for a log-in and lands there; never the JSON API."""
    response = _fetch(world, _create_feed(world, "coordinator_a1"))
    events = _events(response)
    web = "http://127.0.0.1:8000"
    plan_page = f"{web}/trajecten/{story['case']}/opp/{story['plan']}"
    for key in ("december", "march"):
        event = events[f"{story[key]}@passend-onderwijs"]
        assert str(event["URL"]) == plan_page
        assert plan_page in str(event["DESCRIPTION"])
    fenna = events[f"{story['fenna']}@passend-onderwijs"]
    assert str(fenna["URL"]) == f"{web}/trajecten/{story['fenna_case']}"
    for event in events.values():
        assert str(event["URL"]).startswith(f"{web}/trajecten/")
    assert "/api/v1/" not in response.get_data(as_text=True).replace("\r\n ", "")


def test_each_feed_follows_its_users_scope_at_every_fetch(world, story):
    teacher = _create_feed(world, "teacher_a1")
    assert set(_events(_fetch(world, teacher))) == {f"{story['fenna']}@passend-onderwijs"}
    # A new pupil assigned to the teacher appears at the next fetch.
    teacher_id = str(world.users["teacher_a1"])
    register_pupil(world, "Noor", staff=[{"user_id": teacher_id, "role": "teacher"}])
    noor = start_intervention(world, open_case(world, "Noor")["id"], evaluate_by="2026-11-09")
    assert set(_events(_fetch(world, teacher))) == {
        f"{story['fenna']}@passend-onderwijs",
        f"{noor['id']}@passend-onderwijs",
    }
    # The partnership's consultant: every school of the partnership, none of another's.
    consultant = set(_events(_fetch(world, _create_feed(world, "consultant_a"))))
    partnership_a = ("intervention", "fenna", "december", "march", "a2")
    assert consultant == {f"{story[key]}@passend-onderwijs" for key in partnership_a} | {
        f"{noor['id']}@passend-onderwijs"
    }
    other = set(_events(_fetch(world, _create_feed(world, "coordinator_b1"))))
    assert other == {f"{story['b1']}@passend-onderwijs"}


def test_rotation_revocation_and_a_disabled_account_end_the_url(world, story):
    old = _create_feed(world, "coordinator_a1")
    new = _create_feed(world, "coordinator_a1")
    assert new != old
    assert_error(_fetch(world, old), 404, "not_found")
    assert _fetch(world, new).status_code == 200

    assert world.call("coordinator_a1", "DELETE", FEED).status_code == 204
    assert_error(_fetch(world, new), 404, "not_found")
    assert world.call("coordinator_a1", "DELETE", FEED).status_code == 204  # idempotent

    director = _create_feed(world, "director_a1")
    assert _fetch(world, director).status_code == 200
    user = world.users["director_a1"]
    call_ok(world, "admin_a", "POST", f"/api/v1/users/{user}/disable", 200)
    assert_error(_fetch(world, director), 404, "not_found")
    call_ok(world, "admin_a", "POST", f"/api/v1/users/{user}/enable", 200)
    assert _fetch(world, director).status_code == 200

    assert_error(_fetch(world, "/api/v1/calendar/not-a-feed.ics"), 404, "not_found")


def test_parents_have_no_feed_and_a_bearer_is_needed_to_make_one(world, story):
    assert_error(world.call("guardian_a1", "POST", FEED), 403, "forbidden")
    assert_error(world.client.post(FEED), 401, "unauthorized")
    assert_error(world.client.delete(FEED), 401, "unauthorized")


def test_the_database_holds_only_a_hash_and_every_fetch_is_audited(world, story, container):
    path = _create_feed(world, "teacher_a1")
    token = path.removeprefix("/api/v1/calendar/").removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes, url-safe
    with container.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.text("SELECT * FROM calendar_feeds")).mappings()]
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in " ".join(str(v) for row in rows for v in row.values())

    before = len(_audit_rows(container))
    assert _fetch(world, path).status_code == 200
    rows = _audit_rows(container)
    assert len(rows) == before + 1
    row = rows[-1]
    assert _uuid(row["user_id"]) == str(world.users["teacher_a1"])
    assert (row["role"], row["action"], row["status"]) == ("teacher", "read", 200)
    assert row["endpoint"] == "/api/v1/calendar/<token>.ics"
    assert _uuid(row["partnership_id"]) == str(world.partnership_a)
    assert token not in " ".join(str(v) for r in rows for v in r.values())


def _audit_rows(container) -> list[dict]:
    with container.engine.connect() as conn:
        query = sa.text("SELECT * FROM audit_log ORDER BY seq")
        return [dict(r) for r in conn.execute(query).mappings()]


def _uuid(value) -> str:
    """Raw SQL gives UUIDs as 32 hex digits on SQLite and as UUID objects on PostgreSQL."""
    return str(uuid.UUID(str(value))) if value is not None else "None"


# -- what calendar clients make of the feed (issue 17) -----------------------------------------

SUMMER_AT = datetime(2027, 4, 20, 10, 0, tzinfo=AMSTERDAM)  # 08:00Z (CEST)


def test_a_cancelled_meeting_falls_back_to_its_due_date_in_list_and_feed(world, story):
    path = _create_feed(world, "coordinator_a1")
    meeting = f"/api/v1/development-plans/{story['plan']}/evaluations/{story['december']}/meeting"
    call_ok(world, "coordinator_a1", "DELETE", meeting, 200)

    items = _upcoming(world, "coordinator_a1", world.school_a1).json["items"]
    december = next(item for item in items if item["id"] == story["december"])
    assert december["kind"] == "plan_evaluation"
    assert (december["date"], december["starts_at"]) == ("2026-12-01", None)

    event = _events(_fetch(world, path))[f"{story['december']}@passend-onderwijs"]
    assert event.decoded("DTSTART") == date(2026, 12, 1)  # an all-day due date, no meeting time
    assert not str(event["SUMMARY"]).startswith("Evaluatiegesprek")


def test_summer_and_winter_meetings_keep_their_instant_in_a_second_library(world, story):
    import vobject

    meeting = f"/api/v1/development-plans/{story['plan']}/evaluations/{story['march']}/meeting"
    body = {"starts_at": SUMMER_AT.isoformat(), "duration_minutes": 30}
    call_ok(world, "coordinator_a1", "PUT", meeting, 200, json=body)
    response = _fetch(world, _create_feed(world, "coordinator_a1"))
    text = response.get_data(as_text=True)
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text and "RDATE" not in text

    expected = {
        f"{story['december']}@passend-onderwijs": datetime(2026, 11, 30, 13, 0, tzinfo=UTC),
        f"{story['march']}@passend-onderwijs": datetime(2027, 4, 20, 8, 0, tzinfo=UTC),
    }
    parsed = vobject.readOne(text)
    starts = {
        event.uid.value: event.dtstart.value.astimezone(UTC)
        for event in parsed.vevent_list
        if isinstance(event.dtstart.value, datetime)
    }
    assert starts == expected
    events = _events(response)
    assert {key: events[key].decoded("DTSTART").astimezone(UTC) for key in expected} == expected


def test_an_empty_feed_still_holds_a_component(world):
    response = _fetch(world, _create_feed(world, "coordinator_b1"))
    calendar = Calendar.from_ical(response.get_data())
    assert not list(calendar.walk("VEVENT"))
    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE"]
