"""What beat emits: approaching, overdue and expiring notices once each, and missing evaluations
once per school year (scheduling.emit_scheduled_notices on the in-memory unit of work)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from services.cases.domain.events import Event
from services.cases.domain.model import Case
from services.cases.domain.school import Partnership, PartnershipSettings, SupportProfile
from services.cases.service_layer.scheduling import emit_scheduled_notices
from shared.clock import FixedClock
from shared.events import payload_schema
from tests.unit.cases.builders import (
    GOAL,
    TODAY,
    active_plan,
    draft_plan,
    drifted,
    non_code_values,
    open_case,
    settings,
)
from tests.unit.cases.fakes import NOW, FakeUnitOfWork


class Setup:
    """A partnership in a fresh fake unit of work, with helpers that store committed state."""

    def __init__(self, clock: FixedClock | None = None, **config: Any) -> None:
        self.clock = clock or FixedClock(NOW)
        self.uow = FakeUnitOfWork(self.clock)
        self.partnership = Partnership(name="SWV", settings=settings(**config))
        self.school_id = UUID(int=1)
        self.store(self.partnership)

    @property
    def settings(self) -> PartnershipSettings:
        return self.partnership.settings

    def store(self, *objects: Any) -> None:
        with self.uow as uow:
            for obj in objects:
                (uow.cases if isinstance(obj, Case) else uow.repo).add(obj)
            uow.commit()
        self.uow.outbox.clear()  # only what beat emits is asserted on

    def case(self) -> Case:
        return open_case(partnership_id=self.partnership.id, school_id=self.school_id)

    def intervention(self, evaluate_by: date) -> tuple[Case, UUID]:
        case = self.case()
        item = case.start_intervention(
            domain="reading_dyslexia",
            goal=GOAL,
            starts_on=evaluate_by - timedelta(weeks=4),
            evaluate_by=evaluate_by,
            settings=self.settings,
            profile=None,
        )
        self.store(case)
        return case, item.id

    def run(self) -> int:
        return emit_scheduled_notices(self.uow)

    def emitted(self) -> list[tuple[str, date | str]]:
        """(type, due date or school year) of everything beat wrote to the outbox, in order."""
        return [(e.type, due_of(e)) for e in self.uow.outbox]


def due_of(event: Event) -> date | str:
    payload = event.payload()
    for name in ("evaluate_by", "due_on", "valid_until", "review_by", "school_year", "plan_due_by"):
        if name in payload:
            return payload[name]
    raise AssertionError(f"no due date in {event.type}")


DAY = timedelta(days=1)


# -- interventions ---------------------------------------------------------------------------------


def test_an_intervention_due_within_the_horizon_is_approaching():
    s = Setup()
    case, item_id = s.intervention(TODAY + 14 * DAY)
    s.intervention(TODAY + 15 * DAY)

    assert s.run() == 1

    [event] = s.uow.outbox
    assert event.type == "intervention.evaluation_approaching"
    assert event.payload() == {
        "case_id": case.id,
        "intervention_id": item_id,
        "evaluate_by": TODAY + 14 * DAY,
    }
    assert (event.partnership_id, event.school_id) == (s.partnership.id, s.school_id)


def test_the_evaluation_horizon_is_the_partnerships_setting():
    s = Setup(evaluation_horizon_days=7)
    s.intervention(TODAY + 7 * DAY)
    s.intervention(TODAY + 8 * DAY)

    s.run()

    assert s.emitted() == [("intervention.evaluation_approaching", TODAY + 7 * DAY)]


def test_an_intervention_due_today_is_approaching_and_one_due_yesterday_is_overdue():
    s = Setup()
    s.intervention(TODAY)
    s.intervention(TODAY - DAY)

    assert s.run() == 2

    assert sorted(s.emitted()) == [
        ("intervention.evaluation_approaching", TODAY),
        ("intervention.evaluation_overdue", TODAY - DAY),
    ]


def test_each_notice_is_emitted_once_however_often_beat_runs():
    s = Setup()
    s.intervention(TODAY + 3 * DAY)
    s.intervention(TODAY - 3 * DAY)

    assert s.run() == 2
    assert s.run() == 0
    assert s.run() == 0

    assert len(s.uow.outbox) == 2


def test_an_approaching_evaluation_becomes_overdue_once_when_its_date_passes():
    s = Setup()
    s.intervention(TODAY + 3 * DAY)

    s.run()
    s.clock.advance(timedelta(days=3))
    s.run()  # due today: already announced as approaching
    s.clock.advance(timedelta(days=1))
    s.run()
    s.clock.advance(timedelta(days=10))
    s.run()

    assert s.emitted() == [
        ("intervention.evaluation_approaching", TODAY + 3 * DAY),
        ("intervention.evaluation_overdue", TODAY + 3 * DAY),
    ]


def test_the_day_is_the_day_in_amsterdam():
    # 22:30 UTC on 14 October is 00:30 on 15 October in Amsterdam (summer time).
    s = Setup(clock=FixedClock(datetime(2026, 10, 14, 22, 30, tzinfo=UTC)))
    s.intervention(date(2026, 10, 14))  # yesterday in Amsterdam
    s.intervention(date(2026, 10, 29))  # 14 days ahead in Amsterdam, 15 by the UTC date

    s.run()

    assert sorted(s.emitted()) == [
        ("intervention.evaluation_approaching", date(2026, 10, 29)),
        ("intervention.evaluation_overdue", date(2026, 10, 14)),
    ]


def test_each_partnership_uses_its_own_horizon():
    s = Setup(evaluation_horizon_days=14)
    other = Partnership(name="SWV 2", settings=settings(evaluation_horizon_days=7))
    s.store(other)
    s.intervention(TODAY + 10 * DAY)
    elsewhere = open_case(partnership_id=other.id, school_id=UUID(int=2))
    elsewhere.start_intervention(
        domain="gifted",
        goal=GOAL,
        starts_on=TODAY,
        evaluate_by=TODAY + 10 * DAY,
        settings=other.settings,
        profile=None,
    )
    s.store(elsewhere)

    s.run()

    assert [e.partnership_id for e in s.uow.outbox] == [s.partnership.id]


# -- plan evaluations ------------------------------------------------------------------------------


def test_plan_evaluations_are_approaching_within_the_horizon_and_overdue_after_their_date():
    s = Setup()
    case = s.case()
    plan = active_plan(
        case, evaluation_dates=(date(2026, 10, 1), TODAY + 14 * DAY, TODAY + 15 * DAY)
    )
    s.store(case)

    assert s.run() == 2
    assert s.run() == 0

    assert sorted(s.emitted()) == [
        ("development_plan.evaluation_approaching", TODAY + 14 * DAY),
        ("development_plan.evaluation_overdue", date(2026, 10, 1)),
    ]
    by_date = {e.due_on: e.id for e in plan.evaluations}
    assert {e.payload()["evaluation_id"] for e in s.uow.outbox} == {
        by_date[date(2026, 10, 1)],
        by_date[TODAY + 14 * DAY],
    }
    assert {(e.payload()["case_id"], e.payload()["plan_id"]) for e in s.uow.outbox} == {
        (case.id, plan.id)
    }


# -- admission statements and support profiles -----------------------------------------------------


def referred_case(s: Setup, valid_until: date) -> Case:
    case = s.case()
    plan = drifted(active_plan(case))
    referral = case.evaluate_plan(
        plan.id,
        evaluation_id=None,
        held_on=TODAY,
        decision="refer",
        note=None,
        next_evaluation_on=None,
        referral_destination="sbo",
        today=TODAY,
    )
    assert referral is not None
    case.record_admission_statement(
        referral.id, valid_from=date(2024, 8, 1), valid_until=valid_until
    )
    s.store(case)
    return case


def test_an_admission_statement_is_expiring_only_within_its_horizon():
    s = Setup()  # default horizon: 90 days
    inside = referred_case(s, TODAY + 90 * DAY)
    referred_case(s, TODAY + 91 * DAY)
    referred_case(s, TODAY - DAY)  # already ended: nothing to remind about

    assert s.run() == 1
    assert s.run() == 0

    [event] = s.uow.outbox
    assert event.type == "referral.admission_statement_expiring"
    assert event.payload() == {
        "case_id": inside.id,
        "referral_id": inside.referrals[0].id,
        "valid_until": TODAY + 90 * DAY,
    }


def test_the_admission_statement_horizon_is_the_partnerships_setting():
    s = Setup(admission_statement_horizon_days=30)
    referred_case(s, TODAY + 30 * DAY)
    referred_case(s, TODAY + 31 * DAY)

    s.run()

    assert s.emitted() == [("referral.admission_statement_expiring", TODAY + 30 * DAY)]


def profile(s: Setup, review_by: date, school: int) -> SupportProfile:
    found = SupportProfile(
        partnership_id=s.partnership.id,
        school_id=UUID(int=school),
        version=1,
        basic_domains=["reading_dyslexia"],
        extra_domains=[],
        valid_from=date(2023, 1, 1),
        review_by=review_by,
        published_on=date(2023, 1, 1),
    )
    s.store(found)
    return found


def test_a_support_profile_is_expiring_only_within_its_horizon():
    s = Setup(support_profile_horizon_days=60)
    inside = profile(s, TODAY + 60 * DAY, school=10)
    profile(s, TODAY + 61 * DAY, school=11)
    profile(s, TODAY - DAY, school=12)  # past its review date: no longer "expiring"

    assert s.run() == 1
    assert s.run() == 0

    [event] = s.uow.outbox
    assert event.type == "support_profile.expiring"
    assert event.payload() == {"support_profile_id": inside.id, "review_by": TODAY + 60 * DAY}
    assert event.school_id == UUID(int=10)


# -- rule 5: the deadline for a development plan ---------------------------------------------------


def case_needing_a_plan(s: Setup, enrolled_on: date, opened_on: date) -> Case:
    """A new pupil's case that needs extra support: a plan is due 6 weeks after enrolment."""
    case = open_case(
        partnership_id=s.partnership.id,
        school_id=s.school_id,
        enrolled_on=enrolled_on,
        opened_on=opened_on,
        needs_extra_support=True,
    )
    s.store(case)
    return case


def test_the_plan_deadline_is_reminded_ahead_and_when_passed_once_each():
    s = Setup()  # 15 October 2026; horizon 14 days
    case = case_needing_a_plan(s, date(2026, 9, 14), date(2026, 10, 1))
    assert case.plan_due_by == date(2026, 10, 26)

    assert s.run() == 1
    assert s.run() == 0
    s.clock.advance(10 * DAY)
    assert s.run() == 0
    s.clock.set(datetime(2026, 10, 27, 6, 0, tzinfo=UTC))
    assert s.run() == 1
    s.clock.advance(30 * DAY)
    assert s.run() == 0

    assert s.emitted() == [
        ("case.plan_deadline_approaching", date(2026, 10, 26)),
        ("case.plan_overdue", date(2026, 10, 26)),
    ]
    for event in s.uow.outbox:
        assert event.payload() == {"case_id": case.id, "plan_due_by": date(2026, 10, 26)}
        assert event.subject_kind == "case" and event.subject_id == case.id
        assert (
            payload_schema(event.type).validate(
                {"case_id": str(case.id), "plan_due_by": "2026-10-26"}
            )
            == {}
        )


def test_no_plan_deadline_notice_beyond_the_horizon_after_a_plan_took_effect_or_when_closed():
    s = Setup()
    case_needing_a_plan(s, date(2026, 10, 10), date(2026, 10, 12))  # due 21 Nov: too far ahead
    with_plan = open_case(
        partnership_id=s.partnership.id, school_id=s.school_id, needs_extra_support=True
    )
    active_plan(with_plan, evaluation_dates=(date(2027, 1, 15),))  # due in July, but in force
    closed = open_case(
        partnership_id=s.partnership.id, school_id=s.school_id, needs_extra_support=True
    )
    closed.close(TODAY, "pupil_left")
    s.store(with_plan, closed, s.case())  # the last one needs no plan at all

    assert s.run() == 0


def test_a_drafted_plan_does_not_stop_the_overdue_notice():
    s = Setup()
    case = open_case(
        partnership_id=s.partnership.id, school_id=s.school_id, needs_extra_support=True
    )
    draft_plan(case)
    s.store(case)

    assert s.run() == 1
    assert s.emitted() == [("case.plan_overdue", date(2026, 7, 13))]


# -- rule 6: missing evaluations -------------------------------------------------------------------


def plan_evaluated_only_on(s: Setup, day: date) -> Case:
    """An active plan whose one evaluation is on `day` (the agreed end date allows it)."""
    case = s.case()
    drifted(active_plan(case, agreed_end_date=day + 60 * DAY), day)
    s.store(case)
    return case


def test_an_active_plan_without_an_evaluation_this_school_year_is_flagged_once():
    s = Setup()
    flagged = plan_evaluated_only_on(s, date(2027, 9, 1))  # next school year
    plan_evaluated_only_on(s, date(2027, 7, 31))  # last day of this one

    assert s.run() == 1
    assert s.run() == 0
    s.clock.advance(timedelta(days=100))
    assert s.run() == 0

    [event] = s.uow.outbox
    assert event.type == "development_plan.evaluation_missing"
    assert event.payload() == {
        "case_id": flagged.id,
        "plan_id": flagged.plans[0].id,
        "school_year": "2026-2027",
    }


def test_a_plan_still_missing_an_evaluation_is_flagged_again_in_the_next_school_year():
    s = Setup()
    plan_evaluated_only_on(s, date(2028, 9, 1))

    s.run()
    s.clock.set(datetime(2027, 7, 31, 12, 0, tzinfo=UTC))
    s.run()
    s.clock.set(datetime(2027, 8, 1, 12, 0, tzinfo=UTC))
    s.run()
    s.run()

    assert s.emitted() == [
        ("development_plan.evaluation_missing", "2026-2027"),
        ("development_plan.evaluation_missing", "2027-2028"),
    ]


def test_scheduling_an_evaluation_in_the_new_school_year_stops_the_flag():
    s = Setup()
    plan_evaluated_only_on(s, date(2027, 9, 1))

    s.run()
    s.clock.set(datetime(2027, 8, 20, 8, 0, tzinfo=UTC))  # 2027-09-01 now lies in this year
    s.run()

    assert s.emitted() == [
        ("development_plan.evaluation_missing", "2026-2027"),
        ("development_plan.evaluation_approaching", date(2027, 9, 1)),
    ]


# -- what beat writes ------------------------------------------------------------------------------


def test_every_notice_is_a_valid_catalog_event_without_personal_details():
    s = Setup()
    s.intervention(TODAY + DAY)
    s.intervention(TODAY - DAY)
    referred_case(s, TODAY + 30 * DAY)
    profile(s, TODAY + 30 * DAY, school=10)
    plan_evaluated_only_on(s, date(2027, 9, 1))
    case = s.case()
    active_plan(case, evaluation_dates=(TODAY - DAY, TODAY + DAY))
    s.store(case)

    assert s.run() == 7

    assert {e.type for e in s.uow.outbox} == {
        "intervention.evaluation_approaching",
        "intervention.evaluation_overdue",
        "development_plan.evaluation_approaching",
        "development_plan.evaluation_overdue",
        "development_plan.evaluation_missing",
        "referral.admission_statement_expiring",
        "support_profile.expiring",
    }
    for event in s.uow.outbox:
        values = non_code_values(event)
        assert values in ({}, {"school_year": "2026-2027"}), event.type
        schema = payload_schema(event.type)
        assert schema.load(schema.dump(event.payload())) == event.payload()
