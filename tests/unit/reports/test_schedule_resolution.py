"""Which periodic reports a school gets: its own schedule, else its partnership's default, else the
service's setting; an empty schedule is a choice (no periodic reports), not a gap."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from services.reports.domain.schedule import (
    Effective,
    PeriodKind,
    Schedules,
    ScheduleSource,
    StoredSchedule,
    ordered,
    schedules_of,
)

P = UUID("00000000-0000-4000-8000-00000000000a")
Q = UUID("00000000-0000-4000-8000-00000000000b")
A = UUID("00000000-0000-4000-8000-0000000000a1")
B = UUID("00000000-0000-4000-8000-0000000000b2")
C = UUID("00000000-0000-4000-8000-0000000000c3")
USER = UUID("00000000-0000-4000-8000-000000000001")
AT = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
MONTH, QUARTER, YEAR = PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.SCHOOL_YEAR
SETTING = ("quarter", "school_year")


def stored(school_id: UUID | None, *kinds: str, partnership_id: UUID = P) -> StoredSchedule:
    return StoredSchedule(partnership_id, school_id, ordered(kinds), AT, USER)


def test_kinds_come_out_once_each_shortest_period_first():
    assert ordered(["school_year", "month", "quarter", "month"]) == (MONTH, QUARTER, YEAR)
    assert ordered([]) == ()
    with pytest.raises(ValueError, match="weekly"):
        ordered(["month", "weekly"])


def test_without_any_schedule_the_setting_applies():
    schedules = schedules_of(SETTING, [])
    assert schedules.effective(P, A) == Effective((QUARTER, YEAR), ScheduleSource.SETTING)


def test_the_schools_own_wins_over_the_default_which_wins_over_the_setting():
    schedules = schedules_of(SETTING, [stored(None, "quarter"), stored(A, "month")])
    assert schedules.effective(P, A) == Effective((MONTH,), ScheduleSource.SCHOOL)
    assert schedules.effective(P, B) == Effective((QUARTER,), ScheduleSource.PARTNERSHIP)
    # Another partnership's default does not reach a school of P, nor P's reach Q's schools.
    other = schedules_of(SETTING, [stored(None, "month", partnership_id=Q)])
    assert other.effective(P, B) == Effective((QUARTER, YEAR), ScheduleSource.SETTING)
    assert schedules.effective(Q, C) == Effective((QUARTER, YEAR), ScheduleSource.SETTING)


def test_an_empty_schedule_means_no_periodic_reports_and_does_not_fall_through():
    schedules = schedules_of(SETTING, [stored(None), stored(A), stored(B, "school_year")])
    assert schedules.effective(P, A) == Effective((), ScheduleSource.SCHOOL)
    assert schedules.effective(P, C) == Effective((), ScheduleSource.PARTNERSHIP)
    # A school's own schedule still gives it reports under an empty default.
    assert schedules.effective(P, B) == Effective((YEAR,), ScheduleSource.SCHOOL)


def test_an_empty_setting_gives_none_unless_chosen():
    schedules = Schedules(setting=(), schools={A: (MONTH,)})
    assert schedules.effective(P, A).kinds == (MONTH,)
    assert schedules.effective(P, B) == Effective((), ScheduleSource.SETTING)


def test_stored_kinds_are_normalised():
    row = StoredSchedule(P, A, ("school_year", "month"), AT, USER)  # type: ignore[arg-type]
    assert schedules_of(SETTING, [row]).effective(P, A).kinds == (MONTH, YEAR)
