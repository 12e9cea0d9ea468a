"""The meeting of a plan evaluation (sent as a calendar invitation): planned, moved, cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.cases.domain import events
from services.cases.domain.evaluation import PlanEvaluation
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan
from shared.errors import RuleViolation, StateConflict
from shared.events import payload_schema
from tests.unit.cases.builders import active_plan, drain, open_case, ready_plan

NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))
STARTS = datetime(2026, 10, 20, 15, 30, tzinfo=CEST)  # 13:30 UTC
LOCATION = "Lokaal 12, De Regenboog"
VIDEO = "https://meet.example.nl/emma"


def with_plan() -> tuple[Case, DevelopmentPlan, PlanEvaluation]:
    case = open_case(needs_extra_support=True)
    plan = active_plan(case)
    drain(case)
    return case, plan, plan.scheduled_evaluations()[-1]


def plan_meeting(case: Case, plan: DevelopmentPlan, evaluation: PlanEvaluation, **changes):
    args = {
        "starts_at": STARTS,
        "minutes": 45,
        "location": LOCATION,
        "video_url": None,
        "now": NOW,
        **changes,
    }
    case.plan_meeting(plan.id, evaluation.id, **args)


def test_planning_moving_and_cancelling_count_the_sequence_and_record_events():
    case, plan, evaluation = with_plan()

    plan_meeting(case, plan, evaluation)
    plan_meeting(case, plan, evaluation, starts_at=STARTS + timedelta(days=1), location=None)
    case.cancel_meeting(plan.id, evaluation.id)

    planned, moved, cancelled = drain(case)
    assert [type(e) for e in (planned, moved, cancelled)] == [
        events.MeetingPlanned,
        events.MeetingMoved,
        events.MeetingCancelled,
    ]
    assert [e.sequence for e in (planned, moved, cancelled)] == [0, 1, 2]  # type: ignore[attr-defined]
    assert planned.starts_at == datetime(2026, 10, 20, 13, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    assert planned.starts_at.tzinfo is UTC  # type: ignore[attr-defined]
    assert moved.starts_at == datetime(2026, 10, 21, 13, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    assert (planned.has_location, moved.has_location) == (True, False)  # type: ignore[attr-defined]
    assert evaluation.meeting_cancelled and evaluation.meeting_sequence == 2
    assert evaluation.status == "scheduled"  # the evaluation itself stays
    for event in (planned, moved, cancelled):
        assert event.payload()["evaluation_id"] == evaluation.id
        assert LOCATION not in repr(event) and "Emma" not in repr(event)
        schema = payload_schema(event.type)
        assert schema.load(schema.dump(event.payload())) == event.payload(), event.type


def test_a_cancelled_meeting_can_be_planned_again_with_a_higher_sequence():
    case, plan, evaluation = with_plan()
    plan_meeting(case, plan, evaluation)
    case.cancel_meeting(plan.id, evaluation.id)

    plan_meeting(case, plan, evaluation, video_url=VIDEO, location=None)

    [*_, again] = drain(case)
    assert isinstance(again, events.MeetingMoved) and again.sequence == 2 and again.has_location
    assert not evaluation.meeting_cancelled and evaluation.meeting_video_url == VIDEO


def test_a_meeting_in_the_past_or_of_a_wrong_length_is_refused_and_changes_nothing():
    case, plan, evaluation = with_plan()

    with pytest.raises(RuleViolation) as err:
        plan_meeting(case, plan, evaluation, starts_at=NOW - timedelta(minutes=1), minutes=10)

    assert set(err.value.errors) == {"starts_at", "duration_minutes"}
    with pytest.raises(RuleViolation):
        plan_meeting(case, plan, evaluation, starts_at=datetime(2026, 10, 20, 15, 30))  # naive
    assert evaluation.meeting_starts_at is None and drain(case) == []


def test_only_an_active_plan_gets_a_meeting():
    case = open_case(needs_extra_support=True)
    plan = ready_plan(case)
    evaluation = plan.scheduled_evaluations()[-1]

    with pytest.raises(StateConflict) as err:
        plan_meeting(case, plan, evaluation)

    assert err.value.code == "plan_not_active"


def test_cancelling_needs_a_planned_meeting_and_a_held_evaluation_gets_none():
    case, plan, evaluation = with_plan()

    with pytest.raises(StateConflict) as err:
        case.cancel_meeting(plan.id, evaluation.id)
    assert err.value.code == "meeting_not_planned"

    evaluation.status = "held"
    with pytest.raises(StateConflict) as err:
        plan_meeting(case, plan, evaluation)
    assert err.value.code == "evaluation_not_scheduled"


# -- issue 11, item 17 ----------------------------------------------------------------------------


def test_an_evaluation_held_before_its_meeting_cancels_the_meeting_and_a_past_one_stays():
    case, plan, evaluation = with_plan()
    plan_meeting(case, plan, evaluation)
    drain(case)

    case.evaluate_plan(
        plan.id,
        evaluation_id=evaluation.id,
        held_on=NOW.date(),
        decision="back_to_basic",
        note=None,
        next_evaluation_on=None,
        referral_destination=None,
        today=NOW.date(),
        now=NOW,
    )
    recorded = drain(case)
    [cancelled] = [e for e in recorded if isinstance(e, events.MeetingCancelled)]
    assert (cancelled.evaluation_id, cancelled.sequence) == (evaluation.id, 1)
    assert evaluation.meeting_cancelled
    types = [type(e) for e in recorded]
    assert types.index(events.MeetingCancelled) < types.index(events.PlanClosed)

    case, plan, evaluation = with_plan()
    plan_meeting(case, plan, evaluation)
    drain(case)
    case.close(NOW.date(), "pupil_left", today=NOW.date(), now=STARTS + timedelta(hours=1))
    assert not [e for e in drain(case) if isinstance(e, events.MeetingCancelled)]


def test_closing_the_case_cancels_a_meeting_still_ahead():
    case, plan, evaluation = with_plan()
    plan_meeting(case, plan, evaluation)
    drain(case)
    case.close(NOW.date(), "pupil_left", today=NOW.date(), now=NOW)
    [cancelled] = [e for e in drain(case) if isinstance(e, events.MeetingCancelled)]
    assert cancelled.evaluation_id == evaluation.id
