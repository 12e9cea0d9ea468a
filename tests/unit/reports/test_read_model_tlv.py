"""The TLV application's events in the read model (issue 14): `referral.submitted`,
`referral.advice_recorded` and `referral.decided` become the referral's one fact row, the same
whichever of them arrives first, once per event id, and the same again after a replay."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from services.reports.domain.read_model import Fact, changes_for
from services.reports.service_layer.projector import project
from services.reports.service_layer.rebuild import rebuild
from tests.unit.reports.builders import PARTNERSHIP, SCHOOL, Story, d
from tests.unit.reports.fakes import FakeDatabase, FakeEventLog

NOW = datetime(2026, 10, 15, 8, tzinfo=UTC)


def projected(events, db: FakeDatabase | None = None) -> FakeDatabase:
    db = db or FakeDatabase()
    for e in events:
        project(e, db.store, NOW)
    return db


def an_application() -> tuple[Story, object]:
    """Submitted without the parents' agreement, two advices, granted for so, category medium."""
    story = Story()
    rid = story.tlv(
        "2026-02-02",
        "2026-03-09",
        decide_by="2026-03-16",
        parents_agreed=False,
        school_type="so",
        category="medium",
    )
    return story, rid


def test_an_application_through_advices_to_a_grant_is_one_referral_row():
    story, rid = an_application()
    db = projected(story.events)
    assert db.rows("referrals") == {
        rid: {
            "partnership_id": PARTNERSHIP,
            "school_id": SCHOOL,
            "case_id": story.case_id,
            "submitted_on": d("2026-02-02"),
            "parents_agreed": False,
            "decide_by": d("2026-03-16"),
            "complete_on": d("2026-03-09"),
            "decision": "granted",
            "decided_on": d("2026-03-09"),
            "school_type": "so",
            "category": "medium",
            "valid_from": d("2026-08-01"),
            "valid_until": d("2027-07-31"),
        }
    }
    assert db.processed == {e.id for e in story.events}


def test_every_order_of_the_applications_events_gives_the_same_row():
    story, _ = an_application()
    results = [projected(order).facts for order in itertools.permutations(story.events)]
    assert len(results) == 24
    assert all(r == results[0] for r in results)


def test_a_decision_before_its_submission_keeps_the_submissions_own_flag():
    # The parents agreed after the school had submitted without them: the decision says so, but
    # the application was submitted without their agreement, and that is what the report counts.
    story = Story()
    rid = story.tlv("2026-02-02", decide_by="2026-03-16", parents_agreed=False)
    story.decide(rid, "refused", "2026-03-20", "2026-02-02", parents_agreed=True)
    submitted, decided = story.events
    for order in ([submitted, decided], [decided, submitted]):
        [row] = projected(order).rows("referrals").values()
        assert (row["parents_agreed"], row["submitted_on"], row["decision"]) == (
            False,
            d("2026-02-02"),
            "refused",
        ), [e.type for e in order]


def test_a_decision_alone_creates_a_whole_row():
    story = Story()
    rid = story.tlv("2026-02-02", "2026-03-02", school_type="sbo")
    decided = story.events[-1]
    [row] = projected([decided]).rows("referrals").values()
    assert (row["submitted_on"], row["decided_on"], row["school_type"], row["category"]) == (
        d("2026-02-02"),
        d("2026-03-02"),
        "sbo",
        None,
    )
    assert row.get("decide_by") is None  # only the submission tells the deadline
    assert rid in projected([decided]).rows("referrals")


def test_a_refusal_leaves_a_recorded_validity_alone_and_has_no_type_or_category():
    story = Story()
    plan = story.plan("2026-01-15")
    rid = story.refer(plan, "so", "2026-01-20")
    story.admission_statement(rid, "2026-08-01", "2028-07-31")
    story.submit(rid, "2026-02-02", "2026-03-16")
    story.decide(rid, "refused", "2026-03-02", "2026-02-02")
    [row] = projected(story.events).rows("referrals").values()
    assert (row["destination"], row["requested_on"]) == ("so", d("2026-01-20"))
    assert (row["valid_from"], row["valid_until"]) == (d("2026-08-01"), d("2028-07-31"))
    assert (row["decision"], row["school_type"], row["category"]) == ("refused", None, None)


def test_the_first_advice_changes_no_fact_and_the_complete_one_dates_the_application():
    story = Story()
    rid = story.tlv("2026-02-02")
    story.advise(rid, "2026-02-10", complete=False)
    story.advise(rid, "2026-02-24", complete=True, role="deskundige")
    first, complete = story.events[1:]
    assert [c.fact for c in changes_for(first)] == [Fact.SCHOOLS]
    [row] = projected(story.events).rows("referrals").values()
    assert row["complete_on"] == d("2026-02-24")
    # An advice corrected later, arriving after it: the first complete day stays.
    story.advise(rid, "2026-03-03", complete=True, role="deskundige")
    [row] = projected(story.events).rows("referrals").values()
    assert row["complete_on"] == d("2026-02-24")


def test_events_delivered_twice_and_a_replay_change_nothing():
    story, _ = an_application()
    db = projected(story.events)
    before = (db.facts, db.commits)
    assert [project(e, db.store, NOW) for e in story.events] == [False] * len(story.events)
    assert (db.facts, db.commits) == before
    rebuilt = FakeDatabase()
    rebuild(FakeEventLog(story.events), rebuilt.store, lambda: NOW, page_size=2)
    assert (rebuilt.facts, rebuilt.processed) == (db.facts, db.processed)
