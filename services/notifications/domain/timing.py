"""When a notification may go out: the local send hour, quiet hours, weekends, school holidays and
the public holidays on which schools are closed.

Quiet hours, weekends and holidays defer a message to the next allowed moment, never drop it
(DESIGN.md §6); a critical message (a consent request) may bypass quiet hours and weekends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.notifications.domain.public_holidays import public_holiday
from shared.clock import AMSTERDAM


@dataclass(frozen=True)
class Holiday:
    """A school holiday of one region, both dates inclusive."""

    region: str
    name: str
    start: date
    end: date


class HolidayCalendar:
    """School holidays per region (noord, midden, zuid), and the national public holidays on
    which schools are closed (everywhere, also without a region)."""

    def __init__(self, holidays: list[Holiday], public_holidays: bool = True) -> None:
        self.holidays = sorted(holidays, key=lambda h: h.start)
        self.public_holidays = public_holidays

    def closed_on(self, region: str | None, day: date, good_friday: bool = False) -> str | None:
        """Why schools of the region are closed on a day (a school or public holiday), if so."""
        holiday = self.holiday_on(region, day)
        if holiday is not None:
            return holiday.name
        return public_holiday(day, good_friday) if self.public_holidays else None

    def holiday_on(self, region: str | None, day: date) -> Holiday | None:
        """The holiday of the region that covers a day, if any."""
        if region is None:
            return None
        for holiday in self.holidays:
            if holiday.region == region and holiday.start <= day <= holiday.end:
                return holiday
        return None


@dataclass(frozen=True)
class SendWindow:
    """A policy's rules for when messages may be sent."""

    send_hour: int = 8
    quiet_start: time | None = time(20, 0)
    quiet_end: time | None = time(7, 0)
    skip_weekends: bool = True
    skip_holidays: bool = True
    skip_good_friday: bool = False  # where the school is closed on Goede Vrijdag

    def blocks(self, day: date, calendar: HolidayCalendar, region: str | None) -> bool:
        """Whether nothing but critical messages goes out that day: a weekend, a school
        holiday of the region or a public holiday (as this window says)."""
        if self.skip_weekends and day.weekday() >= 5:
            return True
        return self.skip_holidays and (
            calendar.closed_on(region, day, self.skip_good_friday) is not None
        )

    def in_quiet_hours(self, moment: time) -> bool:
        """Whether a local time of day falls in the quiet hours (which may span midnight)."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= moment < self.quiet_end
        return moment >= self.quiet_start or moment < self.quiet_end

    def covers_whole_day(self) -> bool:
        """Quiet hours that leave no minute to send in."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        return self.quiet_start == self.quiet_end


def at_local(day: date, hour: int) -> datetime:
    """A local wall-clock hour on a day, as a UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM).astimezone(UTC)


def next_allowed(
    moment: datetime,
    window: SendWindow,
    calendar: HolidayCalendar,
    region: str | None,
    critical: bool = False,
) -> datetime:
    """The first instant at or after `moment` that the window allows (a UTC instant)."""
    local = moment.astimezone(AMSTERDAM)
    for _ in range(400):  # bounded: a year of days is more than any holiday and weekend chain
        day = local.date()
        if not critical and window.blocks(
            day, calendar, region
        ):  # a weekend or holiday: the next day at the policy's send hour
            local = datetime.combine(
                day + timedelta(days=1), time(window.send_hour), tzinfo=AMSTERDAM
            )
            continue
        if not critical and window.in_quiet_hours(local.timetz().replace(tzinfo=None)):
            shifted = _after_quiet(local, window)
            if shifted.date() != day:
                local = shifted
                continue
            local = shifted
        return local.astimezone(UTC)
    raise ValueError("no allowed send moment within a year")


def _after_quiet(local: datetime, window: SendWindow) -> datetime:
    """The end of the quiet period that `local` is in (same or next day)."""
    if window.quiet_end is None or not window.in_quiet_hours(local.time()):
        return local
    end = datetime.combine(local.date(), window.quiet_end, tzinfo=AMSTERDAM)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), window.quiet_end, tzinfo=AMSTERDAM)
    return end


def reminder_moment(
    due_on: date,
    lead_days: int,
    window: SendWindow,
    calendar: HolidayCalendar,
    region: str | None,
    now: datetime,
    critical: bool = False,
) -> datetime:
    """When the reminder `lead_days` before a due date goes out: the send hour of that day,
    deferred past quiet hours, weekends and holidays; never before now."""
    planned = at_local(due_on - timedelta(days=lead_days), window.send_hour)
    return next_allowed(max(planned, now), window, calendar, region, critical)


def previous_allowed(
    before: date,
    now: datetime,
    window: SendWindow,
    calendar: HolidayCalendar,
    region: str | None,
) -> datetime | None:
    """The send hour of the last allowed day on or before `before` that is not in the past."""
    day = before
    today = now.astimezone(AMSTERDAM).date()
    while day >= today:
        if not window.blocks(day, calendar, region):
            moment = at_local(day, window.send_hour)
            if moment >= now:
                return moment
        day -= timedelta(days=1)
    return None
