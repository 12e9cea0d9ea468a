"""Time as a dependency: the clock, Europe/Amsterdam and the Dutch school year (1 Aug - 31 Jul)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """Anything that tells the current instant (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until it is moved; for tests and demos."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        """Return the instant the clock stands at."""
        return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._at += delta

    def set(self, at: datetime) -> None:
        """Put the clock at an instant."""
        self._at = at.astimezone(UTC)


def local_today(clock: Clock) -> date:
    """The calendar date in the Netherlands at the clock's instant."""
    return clock.now().astimezone(AMSTERDAM).date()


@dataclass(frozen=True)
class SchoolYear:
    """A Dutch school year, 1 August to 31 July inclusive."""

    start: date
    end: date

    @property
    def label(self) -> str:
        """'2026-2027'."""
        return f"{self.start.year}-{self.end.year}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def school_year_of(day: date) -> SchoolYear:
    """The school year a date falls in."""
    first = day.year if day.month >= 8 else day.year - 1
    return SchoolYear(date(first, 8, 1), date(first + 1, 7, 31))


def utc_iso(moment: datetime) -> str:
    """An instant as UTC ISO 8601 with offset."""
    return moment.astimezone(UTC).isoformat()


class FileClock:
    """A clock read from a file holding an ISO instant: lets end-to-end tests and demos move the
    time of running processes. Never configured in production (CLOCK_FILE unset)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def now(self) -> datetime:
        """The instant written in the file; the real time if the file is empty or missing."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                text = handle.read().strip()
        except FileNotFoundError:
            text = ""
        if not text:
            return datetime.now(UTC)
        return datetime.fromisoformat(text).astimezone(UTC)


def clock_for(clock_file: str | None) -> Clock:
    """The system clock, or a FileClock when a clock file is configured."""
    return FileClock(clock_file) if clock_file else SystemClock()
