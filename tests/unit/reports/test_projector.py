"""The projector: each event type becomes the fact rows a report needs, once per event id, and the
facts of a subject come out the same whichever of its events arrives first."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime

from services.reports.domain.read_model import Fact, changes_for
from services.reports.service_layer.projector import project
from services.reports.service_layer.rebuild import rebuild
from tests.unit.reports.builders import PARTNERSHIP, SCHOOL, Story, d, envelope
from tests.unit.reports.fakes import FakeDatabase, FakeEventLog

NOW = datetime(2026, 10, 15, 8, tzinfo=UTC)


def projected(events, db: FakeDatabase | None = None) -> FakeDatabase:
    db = db or FakeDatabase()
    for e in events:
        project(e, db.store, NOW)
    return db


def test_an_intervention_becomes_one_fact_row_with_its_evaluation_and_flag():
    story = Story()
    iid = story.intervention(
        "gifted", "2026-01-12", "2026-03-09", "2026-03-02", "partly_effective", outside=True
    )
    db = projected(story.events)
    assert db.rows("interventions") == {
        iid: {
            "partnership_id": PARTNERSHIP,
            "school_id": SCHOOL,
            "case_id": story.case_id,
            "level": "basic",
            "domain": "gifted",
            "plan_id": None,
            "started_on": d("2026-01-12"),
            "evaluate_by": d("2026-03-09"),
            "evaluated_on": d("2026-03-02"),
            "outcome": "partly_effective",
            "outside_support_profile": True,
        }
    }
    assert db.rows("schools") == {SCHOOL: {"partnership_id": PARTNERSHIP}}
    assert db.processed == {e.id for e in story.events}


def test_an_evaluation_whose_start_is_missing_creates_the_row_and_the_start_fills_it_in():
    story = Story()
    iid = story.intervention(
        "reading_dyslexia", "2026-01-12", "2026-03-09", "2026-03-02", "effective"
    )
    started, evaluated = story.events
    db = projected([evaluated])
    row = db.rows("interventions")[iid]
    assert (row["evaluated_on"], row["outcome"], row.get("started_on")) == (
        d("2026-03-02"),
        "effective",
        None,
    )
    projected([started], db)
    row = db.rows("interventions")[iid]
    assert (row["started_on"], row["level"], row["outcome"]) == (
        d("2026-01-12"),
        "basic",
        "effective",
    )


def test_every_order_of_an_interventions_events_gives_the_same_row():
    story = Story()
    story.intervention(
        "math_dyscalculia", "2026-02-16", "2026-04-13", "2026-04-13", "not_effective", outside=True
    )
    results = [projected(order).facts for order in itertools.permutations(story.events)]
    assert len(results) == 6
    assert all(r == results[0] for r in results)


def a_whole_plan() -> Story:
    """A plan through consent, a rescheduled evaluation held with 'refer', the referral and its
    admission statement, and a second activation after a changed action plan."""
    story = Story()
    plan = story.plan("2026-01-15")
    story.consent(plan, "2026-01-20", "2026-02-03", "agreed")
    story.consent(plan, "2026-03-02", "2026-03-09", "agreed", version=2)  # re-activated later
    first = story.schedule(plan, "2026-04-01")
    story.reschedule(plan, first, "2026-04-15", previous="2026-04-01")
    story.evaluate(plan, first, "2026-04-15", "2026-04-14", "refer")
    referral = story.refer(plan, "sbo", "2026-04-14")
    story.close_plan(plan, "2026-04-14", "referred")
    story.admission_statement(referral, "2026-08-01", "2028-07-31")
    return story


def test_a_plan_through_consent_evaluation_and_referral():
    story = a_whole_plan()
    db = projected(story.events)
    [(plan_id, plan)] = db.rows("development_plans").items()
    assert plan == {
        "partnership_id": PARTNERSHIP,
        "school_id": SCHOOL,
        "case_id": story.case_id,
        "created_on": d("2026-01-15"),
        "agreed_end_date": d("2027-07-31"),
        "activated_on": d("2026-02-03"),  # the first activation counts
        "consent_requested_on": d("2026-03-02"),
        "consent_recorded_on": d("2026-03-09"),
        "consent_decision": "agreed",
        "closed_on": d("2026-04-14"),
        "close_reason": "referred",
    }
    consents = sorted(db.rows("plan_consents").values(), key=lambda r: r["recorded_on"])
    assert [(c["action_plan_version"], c["requested_on"], c["decision"]) for c in consents] == [
        (1, d("2026-01-20"), "agreed"),
        (2, d("2026-03-02"), "agreed"),
    ]
    [evaluation] = db.rows("plan_evaluations").values()
    assert (evaluation["due_on"], evaluation["held_on"], evaluation["decision"]) == (
        d("2026-04-15"),
        d("2026-04-14"),
        "refer",
    )
    [referral] = db.rows("referrals").values()
    assert referral["plan_id"] == plan_id
    assert (referral["destination"], referral["requested_on"], referral["valid_until"]) == (
        "sbo",
        d("2026-04-14"),
        d("2028-07-31"),
    )


def test_shuffled_plan_events_give_the_same_facts():
    """Events of different types on one subject may come in any order (a retried stream entry can
    be overtaken). Two events of the same type keep their order here, as the stream keeps it:
    the plan row's latest consent answer is the last one applied."""
    story = a_whole_plan()
    expected = projected(story.events).facts
    rng = random.Random(4)
    for _ in range(300):
        assert projected(shuffled_keeping_type_order(story.events, rng)).facts == expected


def shuffled_keeping_type_order(events, rng):
    """A random order in which events of one type keep their relative order."""
    order = events[:]
    rng.shuffle(order)
    by_type = {t: [e for e in events if e.type == t] for t in {e.type for e in events}}
    return [by_type[e.type].pop(0) for e in order]


def test_a_late_reschedule_does_not_move_an_evaluation_that_was_held():
    story = Story()
    plan = story.plan("2026-01-15")
    ev = story.schedule(plan, "2026-04-01")
    story.reschedule(plan, ev, "2026-04-15", previous="2026-04-01")
    story.evaluate(plan, ev, "2026-04-15", "2026-04-20", "continue", next_on="2026-09-01")
    scheduled, rescheduled, evaluated = story.events[1:]
    for order in itertools.permutations([scheduled, rescheduled, evaluated]):
        [row] = projected(order).rows("plan_evaluations").values()
        assert row["due_on"] == d("2026-04-15"), [e.type for e in order]


def test_the_same_event_twice_is_applied_once():
    story = Story()
    story.intervention("gifted", "2026-01-12", "2026-03-09")
    db = FakeDatabase()
    [started] = story.events
    assert project(started, db.store, NOW) is True
    before = (db.facts, db.commits)
    assert project(started, db.store, NOW) is False
    assert (db.facts, db.commits) == before  # nothing written, nothing committed


def test_events_the_reports_do_not_use_are_marked_but_change_no_facts():
    opened = envelope(
        "case.opened",
        case_id=Story().case_id,
        pupil_id=Story().case_id,
        level="basic",
        opened_on="2026-01-05",
        plan_due_by=None,
    )
    assert [c.fact for c in changes_for(opened)] == [Fact.SCHOOLS]
    db = projected([opened])
    assert db.processed == {opened.id}
    assert set(db.facts) == {"schools"}


def test_rebuild_empties_the_model_and_replays_the_log_page_by_page():
    stories = [a_whole_plan(), Story()]
    stories[1].intervention("gifted", "2026-01-12", "2026-03-09", "2026-03-02", "effective")
    log = [e for s in stories for e in s.events]
    live = projected(log)

    stale = FakeDatabase()
    stale.facts = {"interventions": {Story().case_id: {"school_id": SCHOOL}}}  # not in the log
    stale.processed = {Story().case_id}
    done = rebuild(FakeEventLog(log), stale.store, lambda: NOW, page_size=4)

    assert (done.pages, done.events) == ((len(log) + 3) // 4, len(log))
    assert stale.commits == done.pages  # one transaction per page
    assert (stale.facts, stale.processed) == (live.facts, live.processed)


def test_rebuilding_from_an_empty_log_leaves_an_empty_model():
    db = projected(a_whole_plan().events)
    done = rebuild(FakeEventLog([]), db.store, lambda: NOW)
    assert (done.pages, done.events, db.facts, db.processed) == (0, 0, {}, set())


def test_a_school_is_known_from_any_event_of_it():
    published = envelope(
        "support_profile.published",
        support_profile_id=Story().case_id,
        version=1,
        valid_from=date(2026, 8, 1).isoformat(),
        review_by="2030-07-31",
    )
    assert projected([published]).rows("schools") == {SCHOOL: {"partnership_id": PARTNERSHIP}}


def test_a_partnerships_registration_names_it_and_the_latest_name_wins():
    from shared.events import Envelope, Subject

    def registered(name: str) -> Envelope:
        built = Envelope(
            id=Story().case_id,
            type="partnership.registered",
            version=1,
            occurred_at=NOW,
            partnership_id=PARTNERSHIP,
            school_id=None,
            subject=Subject("partnership", PARTNERSHIP),
            data={"name": name},
        )
        return Envelope.from_json(built.to_json())

    first, renamed = registered("SWV Oud"), registered("SWV Haarlemmermeer")
    assert [c.fact for c in changes_for(first)] == [Fact.PARTNERSHIPS]  # no school row
    db = projected([first, renamed])
    assert db.rows("partnerships") == {PARTNERSHIP: {"name": "SWV Haarlemmermeer"}}
