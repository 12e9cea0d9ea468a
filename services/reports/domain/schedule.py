"""Which periods a periodic report covers: the last whole month, calendar quarter or school year
(1 August - 31 July) before a day; and which of those kinds each school gets (its own schedule,
else its partnership's default, else the service's setting)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from services.reports.domain.report import Period
from shared.clock import school_year_of


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SCHOOL_YEAR = "school_year"


def last_complete(kind: PeriodKind, today: date) -> Period:
    """The latest period of this kind that ended before `today`."""
    if kind is PeriodKind.MONTH:
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    if kind is PeriodKind.QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        end = today.replace(month=first_month, day=1) - timedelta(days=1)
        return Period(end.replace(month=end.month - 2, day=1), end)
    year = school_year_of(school_year_of(today).start - timedelta(days=1))
    return Period(year.start, year.end)


# -- which kinds each school gets -------------------------------------------------------------


class ScheduleSource(StrEnum):
    """Where a school's effective schedule comes from."""

    SCHOOL = "school"  # the school's own schedule
    PARTNERSHIP = "partnership"  # the partnership's default
    SETTING = "setting"  # neither is set: the service's REPORTS_PERIODS


def ordered(kinds: Iterable[str | PeriodKind]) -> tuple[PeriodKind, ...]:
    """Kinds without repeats, shortest period first (month, quarter, school year); an unknown
    kind raises ValueError."""
    chosen = {PeriodKind(k) for k in kinds}
    return tuple(k for k in PeriodKind if k in chosen)


@dataclass(frozen=True)
class Effective:
    """The kinds a school gets and where that choice was made; no kinds: no periodic reports."""

    kinds: tuple[PeriodKind, ...]
    source: ScheduleSource


@dataclass(frozen=True)
class Schedules:
    """Every stored schedule: partnership defaults and schools' own (each an ordered tuple of
    kinds; an empty one means no periodic reports), and the service's setting beneath them."""

    setting: tuple[PeriodKind, ...]
    partnerships: Mapping[UUID, tuple[PeriodKind, ...]] = field(default_factory=dict)
    schools: Mapping[UUID, tuple[PeriodKind, ...]] = field(default_factory=dict)

    def effective(self, partnership_id: UUID, school_id: UUID) -> Effective:
        """The school's own schedule if it has one, else its partnership's default, else the
        setting. An empty schedule is a choice too: it does not fall through."""
        if school_id in self.schools:
            return Effective(self.schools[school_id], ScheduleSource.SCHOOL)
        if partnership_id in self.partnerships:
            return Effective(self.partnerships[partnership_id], ScheduleSource.PARTNERSHIP)
        return Effective(self.setting, ScheduleSource.SETTING)


@dataclass(frozen=True)
class StoredSchedule:
    """A schedule as stored: a partnership's default (no school) or a school's own."""

    partnership_id: UUID
    school_id: UUID | None
    kinds: tuple[PeriodKind, ...]
    updated_at: datetime
    updated_by: UUID


def schedules_of(setting: Iterable[str], stored: Iterable[StoredSchedule]) -> Schedules:
    """The stored schedules as one lookup, over the service's setting."""
    partnerships: dict[UUID, tuple[PeriodKind, ...]] = {}
    schools: dict[UUID, tuple[PeriodKind, ...]] = {}
    for s in stored:
        if s.school_id is None:
            partnerships[s.partnership_id] = ordered(s.kinds)
        else:
            schools[s.school_id] = ordered(s.kinds)
    return Schedules(ordered(setting), partnerships, schools)
