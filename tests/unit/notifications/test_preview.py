"""Simulating a policy (service_layer/preview.py): the reminders it WOULD send for the dates the
cases service has scheduled, planned by the same pure code the consumer uses; nothing stored.

Now is Thursday 15 October 2026, 10:00 in Amsterdam. Region noord's autumn holiday
(herfstvakantie) runs from Saturday 17 to Sunday 25 October 2026; midden has none in this
calendar. The send hour is 08:00 and the quiet hours 20:00-07:00 unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from services.notifications.domain.timing import HolidayCalendar
from services.notifications.service_layer.preview import (
    ScheduledDate,
    date_window,
    simulate,
    simulate_policy,
)
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    CASE,
    EVALUATION,
    INTERVENTION,
    NO_HOLIDAYS,
    OTHER_SCHOOL,
    PARTNERSHIP,
    SCHOOL,
    local,
    noord_autumn,
    policy,
    sample_data,
)

IN_20_DAYS = date(2026, 11, 4)  # a Wednesday
SCHEDULED = "development_plan.evaluation_scheduled"


def evaluation(
    due: date,
    region: str | None = "noord",
    school: UUID = SCHOOL,
    event_type: str = SCHEDULED,
    subject: UUID = EVALUATION,
) -> ScheduledDate:
    """A plan evaluation as the cases service tells it: the event that scheduled it."""
    data = {**sample_data(event_type), "evaluation_id": str(subject), "due_on": due.isoformat()}
    return ScheduledDate("plan_evaluation", subject, school, CASE, region, due, event_type, data)


def intervention(evaluate_by: date, region: str = "noord") -> ScheduledDate:
    data = {**sample_data("intervention.started"), "evaluate_by": evaluate_by.isoformat()}
    return ScheduledDate(
        "intervention",
        INTERVENTION,
        SCHOOL,
        CASE,
        region,
        evaluate_by,
        "intervention.started",
        data,
    )


def coordinator_only(**changes: Any):
    """The plan-evaluation policy (14, 3 and 0 days ahead) to the coordinator by e-mail."""
    values: dict[str, Any] = {
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
    }
    values.update(changes)
    return policy(**values)


def moments(simulation) -> list[tuple[str, Any]]:
    return [(m.reminder, m.send_at) for m in simulation.messages]


# -- lead times, weekends, holidays, quiet hours ---------------------------------------------------


def test_14_3_and_0_days_before_an_evaluation_in_20_days():
    """Wednesday 4 November: 14 days ahead is Wednesday 21 October, 3 days ahead Sunday
    1 November (a weekend: Monday 2 November), 0 days the Wednesday itself."""
    result = simulate(coordinator_only(), [evaluation(IN_20_DAYS)], NO_HOLIDAYS, NOW, 30)
    assert moments(result) == [
        ("lead:14", local(2026, 10, 21, 8)),
        ("lead:3", local(2026, 11, 2, 8)),
        ("lead:0", local(2026, 11, 4, 8)),
    ]
    assert result.dates_considered == 1 and result.total == 3


def test_the_herfstvakantie_moves_the_14_day_reminder_past_the_holiday():
    """In noord, Wednesday 21 October is in the herfstvakantie: the 14-day reminder goes on the
    first school day after it, Monday 26 October. All three still fall in the 30 days; a window
    that ends before the date itself (19 days: to Tuesday 3 November, 10:00) holds two messages,
    the 14-day one and the 3-day one."""
    calendar = noord_autumn()
    result = simulate(coordinator_only(), [evaluation(IN_20_DAYS)], calendar, NOW, 30)
    assert moments(result) == [
        ("lead:14", local(2026, 10, 26, 8)),
        ("lead:3", local(2026, 11, 2, 8)),
        ("lead:0", local(2026, 11, 4, 8)),
    ]
    shorter = simulate(coordinator_only(), [evaluation(IN_20_DAYS)], calendar, NOW, 19)
    assert moments(shorter) == [
        ("lead:14", local(2026, 10, 26, 8)),
        ("lead:3", local(2026, 11, 2, 8)),
    ]
    assert shorter.end == NOW + timedelta(days=19)
    # A school in midden has no holiday then: its 14-day reminder stays on 21 October.
    midden = simulate(coordinator_only(), [evaluation(IN_20_DAYS, "midden")], calendar, NOW, 30)
    assert moments(midden)[0] == ("lead:14", local(2026, 10, 21, 8))


def test_a_date_in_the_holiday_is_reminded_before_it_never_after():
    """An evaluation on Wednesday 21 October (in noord's herfstvakantie). 14 days ahead was
    7 October: past, and not the last reminder, so skipped. 3 days ahead is Sunday 18 October and
    0 days the Wednesday: both would be deferred to Monday 26 October, after the date, so both
    move back to the last school day before the holiday, Friday 16 October 08:00, and go as one
    (the one closest to the date). In midden: Monday 19 and Wednesday 21 October."""
    due = date(2026, 10, 21)
    result = simulate(coordinator_only(), [evaluation(due)], noord_autumn(), NOW, 30)
    assert moments(result) == [("lead:0", local(2026, 10, 16, 8))]
    assert all(m.send_at_local.date() <= due for m in result.messages)
    midden = simulate(coordinator_only(), [evaluation(due, "midden")], noord_autumn(), NOW, 30)
    assert moments(midden) == [
        ("lead:3", local(2026, 10, 19, 8)),
        ("lead:0", local(2026, 10, 21, 8)),
    ]


def test_quiet_hours_move_a_late_reminder_to_their_end():
    """At 21:30 an evaluation on Friday 16 October whose only reminder (3 days ahead, Tuesday
    13 October) has passed: the last reminder still goes, now; the quiet hours (20:00-07:00)
    move it to 07:00 the next morning, and with quiet hours until 07:30 to 07:30."""
    late = local(2026, 10, 15, 21, 30)
    p = coordinator_only(lead_times_days=[3])
    result = simulate(p, [evaluation(date(2026, 10, 16))], NO_HOLIDAYS, late, 30)
    assert moments(result) == [("lead:3", local(2026, 10, 16, 7))]
    later = coordinator_only(lead_times_days=[3], quiet_end=local(2026, 1, 1, 7, 30).time())
    result = simulate(later, [evaluation(date(2026, 10, 16))], NO_HOLIDAYS, late, 30)
    assert moments(result) == [("lead:3", local(2026, 10, 16, 7, 30))]


def test_only_the_window_from_now():
    """A reminder already due before now is not shown (the date is still ahead, so the last
    one is), nor one after the window."""
    near = evaluation(date(2026, 10, 16))  # tomorrow: 14 and 3 days ahead have passed
    far = evaluation(date(2026, 12, 10), subject=uuid4())  # 14 days ahead: 26 November
    result = simulate(coordinator_only(), [near, far], NO_HOLIDAYS, NOW, 30)
    assert moments(result) == [("lead:0", local(2026, 10, 16, 8))]
    whole = simulate(coordinator_only(), [near, far], NO_HOLIDAYS, NOW, 60)
    assert [m.send_at_local.date() for m in whole.messages] == [
        date(2026, 10, 16),
        date(2026, 11, 26),
        date(2026, 12, 7),
        date(2026, 12, 10),
    ]


# -- what is counted, and what is left out -------------------------------------------------------


def test_one_message_per_date_role_and_channel_and_counts_per_day_and_role():
    p = policy(
        recipient_roles=["guardian", "coordinator"],
        channels={"guardian": ["email", "sms"], "coordinator": ["email"]},
        group_urls=["json://hooks.example.test/zorgteam"],
    )
    result = simulate(p, [evaluation(IN_20_DAYS)], noord_autumn(), NOW, 30)
    first = [(m.recipient_role, m.channel) for m in result.messages if m.reminder == "lead:14"]
    assert sorted(first) == [
        ("coordinator", "email"),
        ("group", "group"),
        ("guardian", "email"),
        ("guardian", "sms"),
    ]
    assert result.total == 12
    assert result.per_role == {"coordinator": 3, "group": 3, "guardian": 6}
    assert result.per_day == [
        {"date": day, "total": 4, "roles": {"coordinator": 1, "group": 1, "guardian": 2}}
        for day in (date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 4))
    ]
    for m in result.messages:
        assert (m.school_id, m.case_id) == (SCHOOL, CASE)
        assert (m.subject_kind, m.subject_id, m.due_on) == (
            "plan_evaluation",
            EVALUATION,
            IN_20_DAYS,
        )
        assert m.template == f"{SCHEDULED}.lead" and m.event_type == SCHEDULED
        assert not hasattr(m, "address") and "zorgteam" not in repr(m)


def test_messages_at_once_and_escalations_are_not_simulated():
    news = policy(
        key="support_started",
        event_types=["intervention.started", "intervention.evaluation_overdue"],
        lead_times_days=[],
        escalate_after_days=7,
        escalate_to=["director"],
    )
    result = simulate(news, [intervention(date(2026, 11, 2))], NO_HOLIDAYS, NOW, 30)
    assert result.messages == [] and result.dates_considered == 0
    assert result.not_simulated == ["intervention.started", "intervention.evaluation_overdue"]
    assert date_window(news, NOW, 30) is None
    # The same event type with lead times: reminders before evaluate_by (Monday 2 November).
    reminders = coordinator_only(
        key="intervention_evaluation", event_types=["intervention.started"]
    )
    result = simulate(reminders, [intervention(date(2026, 11, 2))], NO_HOLIDAYS, NOW, 30)
    assert [m.send_at_local.date() for m in result.messages] == [
        date(2026, 10, 19),
        date(2026, 10, 30),
        date(2026, 11, 2),
    ]
    assert result.not_simulated == []
    approaching = policy(event_types=["development_plan.evaluation_approaching"])
    assert simulate(approaching, [evaluation(IN_20_DAYS)], NO_HOLIDAYS, NOW, 30).not_simulated == [
        "development_plan.evaluation_approaching"
    ]


def test_the_event_that_set_the_date_decides():
    """A moved evaluation is told by `evaluation_rescheduled`: a policy only on
    `evaluation_scheduled` never reminds about it (the move cancelled its reminders)."""
    moved = evaluation(
        IN_20_DAYS, event_type="development_plan.evaluation_rescheduled", subject=uuid4()
    )
    only_scheduled = coordinator_only(event_types=[SCHEDULED])
    assert simulate(only_scheduled, [moved], NO_HOLIDAYS, NOW, 30).messages == []
    both = simulate(coordinator_only(), [moved], NO_HOLIDAYS, NOW, 30)
    assert {m.event_type for m in both.messages} == {"development_plan.evaluation_rescheduled"}


def test_school_versions_and_school_policies():
    ours, theirs = (
        evaluation(IN_20_DAYS),
        evaluation(IN_20_DAYS, school=OTHER_SCHOOL, subject=uuid4()),
    )
    wide = simulate(coordinator_only(), [ours, theirs], NO_HOLIDAYS, NOW, 30)
    assert {m.school_id for m in wide.messages} == {SCHOOL, OTHER_SCHOOL}
    # The other school has its own version of this key: that one applies there.
    result = simulate(coordinator_only(), [ours, theirs], NO_HOLIDAYS, NOW, 30, [OTHER_SCHOOL])
    assert {m.school_id for m in result.messages} == {SCHOOL}
    assert result.schools_overridden == [OTHER_SCHOOL]
    # A school's policy sees its own school only.
    own = coordinator_only(school_id=OTHER_SCHOOL)
    result = simulate(own, [ours, theirs], NO_HOLIDAYS, NOW, 30, [OTHER_SCHOOL])
    assert {m.school_id for m in result.messages} == {OTHER_SCHOOL}
    assert result.schools_overridden == []


def test_a_date_whose_event_does_not_parse_is_skipped():
    broken = evaluation(IN_20_DAYS)
    broken.data["due_on"] = "soon"
    result = simulate(
        coordinator_only(), [broken, evaluation(date(2026, 10, 16))], NO_HOLIDAYS, NOW, 30
    )
    assert result.dates_considered == 1 and len(result.messages) == 1


def test_digest_policies_are_marked():
    result = simulate(
        coordinator_only(delivery="digest"), [evaluation(IN_20_DAYS)], NO_HOLIDAYS, NOW, 30
    )
    assert result.total == 3 and all(m.digest for m in result.messages)


# -- the orchestration, with fakes of our own interfaces -----------------------------------------


class FakeStore:
    def __init__(self, policies: list[Any], calendar: HolidayCalendar) -> None:
        self._policies = policies
        self._calendar = calendar
        self.writes = 0

    def calendar(self) -> HolidayCalendar:
        return self._calendar

    def policies(self, partnership_id: UUID) -> list[Any]:
        return [p for p in self._policies if p.partnership_id == partnership_id]

    def commit(self) -> None:
        self.writes += 1


class FakeSchedule:
    def __init__(self, dates: list[ScheduledDate]) -> None:
        self.dates = dates
        self.asked: list[tuple[UUID, date, date]] = []

    def scheduled(self, partnership_id: UUID, start: date, end: date) -> list[ScheduledDate]:
        self.asked.append((partnership_id, start, end))
        return [d for d in self.dates if start <= d.due_on <= end]


def test_simulate_policy_asks_for_the_window_plus_the_longest_lead_time_and_writes_nothing():
    draft = coordinator_only(key="plan_evaluation")
    saved_elsewhere = coordinator_only(key="plan_evaluation", school_id=OTHER_SCHOOL)
    store = FakeStore([draft, saved_elsewhere], noord_autumn())

    @contextmanager
    def stores() -> Iterator[FakeStore]:
        yield store

    schedule = FakeSchedule(
        [evaluation(IN_20_DAYS), evaluation(IN_20_DAYS, school=OTHER_SCHOOL, subject=uuid4())]
    )
    result = simulate_policy(draft, stores, schedule, NOW, 30)
    # 30 days on is 14 November; the longest lead time 14 days: dates up to 28 November.
    assert schedule.asked == [(PARTNERSHIP, date(2026, 10, 15), date(2026, 11, 28))]
    assert result.schools_overridden == [OTHER_SCHOOL]
    assert moments(result)[0] == ("lead:14", local(2026, 10, 26, 8))  # the store's holidays
    assert store.writes == 0

    news = coordinator_only(event_types=["development_plan.created"], lead_times_days=[])
    assert simulate_policy(news, stores, schedule, NOW, 30).messages == []
    assert len(schedule.asked) == 1  # nothing to simulate: the cases service is not asked
