"""When a notification may go out: quiet hours, weekends, school holidays, critical messages and
the two daylight-saving changes of Europe/Amsterdam (25 October 2026, 28 March 2027).

The default window: send at 08:00, quiet from 20:00 to 07:00, no weekends, no holidays. Quiet
hours end at 07:00; a weekend or holiday defers to the send hour of the next allowed day.
"""

from __future__ import annotations

from datetime import UTC, date, time

import pytest

from services.notifications.domain.holidays import parse_rijksoverheid
from services.notifications.domain.timing import (
    Holiday,
    HolidayCalendar,
    SendWindow,
    at_local,
    next_allowed,
    reminder_moment,
)
from tests.conftest import NOW, ROOT
from tests.unit.notifications.builders import NO_HOLIDAYS, local, noord_autumn, utc

WINDOW = SendWindow()
# Easter 2027 (Sunday 28 and Monday 29 March) falls on the spring change: the daylight-saving
# tests use a calendar without public holidays.
NO_CLOSED_DAYS = HolidayCalendar([], public_holidays=False)


def shipped_calendar() -> HolidayCalendar:
    import json

    path = ROOT / "services" / "notifications" / "data" / "schoolvakanties.json"
    years = parse_rijksoverheid(json.loads(path.read_text(encoding="utf-8")))
    return HolidayCalendar([h for holidays in years.values() for h in holidays])


# -- quiet hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 10, 15, 21, 30), local(2026, 10, 16, 7)),  # evening: next morning
        (local(2026, 10, 16, 2, 0), local(2026, 10, 16, 7)),  # after midnight: same morning
        (local(2026, 10, 15, 6, 59), local(2026, 10, 15, 7)),
        (local(2026, 10, 15, 7, 0), local(2026, 10, 15, 7)),  # the end is not quiet any more
        (local(2026, 10, 15, 19, 59), local(2026, 10, 15, 19, 59)),
        (local(2026, 10, 15, 20, 0), local(2026, 10, 16, 7)),  # the start is quiet already
    ],
)
def test_quiet_hours_across_midnight_defer_to_their_end(moment, expected):
    result = next_allowed(moment, WINDOW, NO_HOLIDAYS, "noord")
    assert result == expected
    assert result.tzinfo == UTC


def test_quiet_hours_within_one_day_defer_to_their_end_that_day():
    lunch = SendWindow(quiet_start=time(12, 0), quiet_end=time(13, 30))
    assert next_allowed(local(2026, 10, 15, 12, 15), lunch, NO_HOLIDAYS, None) == local(
        2026, 10, 15, 13, 30
    )
    assert next_allowed(local(2026, 10, 15, 21, 0), lunch, NO_HOLIDAYS, None) == local(
        2026, 10, 15, 21, 0
    )


def test_without_quiet_hours_any_time_of_a_weekday_is_allowed():
    window = SendWindow(quiet_start=None, quiet_end=None)
    assert next_allowed(local(2026, 10, 15, 23, 30), window, NO_HOLIDAYS, None) == local(
        2026, 10, 15, 23, 30
    )


# -- weekends ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 11, 27, 21, 0), local(2026, 11, 30, 8)),  # Friday evening
        (local(2026, 11, 28, 10, 0), local(2026, 11, 30, 8)),  # Saturday
        (local(2026, 11, 29, 23, 30), local(2026, 11, 30, 8)),  # Sunday night
        (local(2026, 11, 30, 3, 0), local(2026, 11, 30, 7)),  # Monday, still quiet
    ],
)
def test_a_weekend_defers_to_monday_morning(moment, expected):
    assert next_allowed(moment, WINDOW, NO_HOLIDAYS, "noord") == expected


def test_weekends_are_allowed_when_the_policy_says_so():
    window = SendWindow(skip_weekends=False)
    saturday = local(2026, 11, 28, 10, 0)
    assert next_allowed(saturday, window, NO_HOLIDAYS, "noord") == saturday


# -- holidays ------------------------------------------------------------------------------------


def test_a_holiday_of_the_schools_region_defers_to_the_day_after_it_ends():
    wednesday_in_autumn_holiday = local(2026, 10, 21, 10, 0)
    # Region noord's holiday ends on Sunday 25 October: Monday 26 October is the first school day.
    assert next_allowed(wednesday_in_autumn_holiday, WINDOW, noord_autumn(), "noord") == local(
        2026, 10, 26, 8
    )


def test_a_holiday_ending_midweek_defers_to_the_next_day_not_to_monday():
    calendar = HolidayCalendar(
        [Holiday("noord", "Studiedagen", date(2026, 11, 9), date(2026, 11, 11))]
    )
    tuesday = local(2026, 11, 10, 10, 0)
    assert next_allowed(tuesday, WINDOW, calendar, "noord") == local(2026, 11, 12, 8)


def test_another_regions_holiday_or_an_unknown_region_does_not_defer():
    wednesday = local(2026, 10, 21, 10, 0)
    assert next_allowed(wednesday, WINDOW, noord_autumn(), "zuid") == wednesday
    assert next_allowed(wednesday, WINDOW, noord_autumn(), None) == wednesday


def test_holidays_are_sent_through_when_the_policy_says_so():
    wednesday = local(2026, 10, 21, 10, 0)
    window = SendWindow(skip_holidays=False)
    assert next_allowed(wednesday, window, noord_autumn(), "noord") == wednesday


def test_the_shipped_spring_holidays_differ_per_region():
    calendar = shipped_calendar()
    wednesday = local(2027, 2, 24, 10, 0)
    # noord 20-28 Feb, midden 27 Feb-7 Mar, zuid 13-21 Feb 2027.
    assert next_allowed(wednesday, WINDOW, calendar, "noord") == local(2027, 3, 1, 8)
    assert next_allowed(wednesday, WINDOW, calendar, "midden") == wednesday
    assert next_allowed(wednesday, WINDOW, calendar, "zuid") == wednesday
    # Christmas is 'heel Nederland': every region waits until Monday 4 January 2027.
    for region in ("noord", "midden", "zuid"):
        assert next_allowed(local(2026, 12, 23, 9), WINDOW, calendar, region) == local(
            2027, 1, 4, 8
        )


# -- critical messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        local(2026, 10, 15, 23, 0),  # quiet hours
        local(2026, 11, 28, 10, 0),  # Saturday
        local(2026, 10, 21, 10, 0),  # autumn holiday of noord
    ],
)
def test_a_critical_message_bypasses_quiet_hours_weekends_and_holidays(moment):
    assert next_allowed(moment, WINDOW, noord_autumn(), "noord", critical=True) == moment
    assert next_allowed(moment, WINDOW, noord_autumn(), "noord") > moment


# -- reminder moments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (14, local(2026, 11, 16, 8)),  # Monday two weeks ahead, at the send hour
        (3, local(2026, 11, 27, 8)),  # Friday
        (2, local(2026, 11, 30, 8)),  # Saturday: deferred to Monday, at the send hour
        (0, local(2026, 11, 30, 8)),  # the day itself
    ],
)
def test_a_reminder_goes_at_the_send_hour_of_its_lead_day(lead, expected):
    due = date(2026, 11, 30)  # a Monday
    assert reminder_moment(due, lead, WINDOW, NO_HOLIDAYS, "noord", NOW) == expected


def test_a_reminder_is_never_planned_before_now():
    today = date(2026, 10, 15)  # NOW is 10:00; the send hour 08:00 has passed
    assert reminder_moment(today, 0, WINDOW, NO_HOLIDAYS, "noord", NOW) == NOW
    evening = local(2026, 10, 15, 21, 0)
    assert reminder_moment(today, 0, WINDOW, NO_HOLIDAYS, "noord", evening) == local(
        2026, 10, 16, 7
    )


def test_a_reminder_on_a_holiday_moves_past_the_holiday():
    due = date(2026, 10, 23)  # Friday in noord's autumn holiday
    assert reminder_moment(due, 0, WINDOW, noord_autumn(), "noord", NOW) == local(2026, 10, 26, 8)
    assert reminder_moment(due, 0, WINDOW, noord_autumn(), "zuid", NOW) == local(2026, 10, 23, 8)


# -- daylight saving time ------------------------------------------------------------------------


def test_the_send_hour_is_local_on_both_sides_of_the_autumn_change():
    # Summer time (UTC+2) on Friday 23 October, winter time (UTC+1) from Sunday 25 October 03:00.
    assert reminder_moment(date(2026, 10, 23), 0, WINDOW, NO_HOLIDAYS, None, NOW) == utc(
        2026, 10, 23, 6
    )
    assert reminder_moment(date(2026, 10, 26), 0, WINDOW, NO_HOLIDAYS, None, NOW) == utc(
        2026, 10, 26, 7
    )


def test_a_weekend_spanning_the_autumn_change_ends_at_8_winter_time():
    friday_evening = utc(2026, 10, 23, 19, 0)  # 21:00 summer time
    assert next_allowed(friday_evening, WINDOW, NO_HOLIDAYS, None) == utc(2026, 10, 26, 7)


@pytest.mark.parametrize(
    "moment",
    [
        utc(2026, 10, 24, 21, 0),  # Saturday 23:00 summer time
        utc(2026, 10, 25, 0, 30),  # 02:30 summer time, the first time
        utc(2026, 10, 25, 1, 30),  # 02:30 winter time, the second time
    ],
)
def test_the_25_hour_night_is_quiet_until_7_winter_time(moment):
    window = SendWindow(skip_weekends=False)
    assert next_allowed(moment, window, NO_HOLIDAYS, None) == utc(2026, 10, 25, 6)


def test_the_send_hour_is_local_on_both_sides_of_the_spring_change():
    # Winter time (UTC+1) on Friday 26 March, summer time (UTC+2) from Sunday 28 March 02:00.
    assert reminder_moment(date(2027, 3, 26), 0, WINDOW, NO_CLOSED_DAYS, None, NOW) == utc(
        2027, 3, 26, 7
    )
    assert reminder_moment(date(2027, 3, 29), 0, WINDOW, NO_CLOSED_DAYS, None, NOW) == utc(
        2027, 3, 29, 6
    )


def test_a_weekend_spanning_the_spring_change_ends_at_8_summer_time():
    friday_evening = local(2027, 3, 26, 20, 30)
    assert next_allowed(friday_evening, WINDOW, NO_CLOSED_DAYS, None) == utc(2027, 3, 29, 6)
    window = SendWindow(skip_weekends=False)
    assert next_allowed(local(2027, 3, 27, 22), window, NO_CLOSED_DAYS, None) == utc(2027, 3, 28, 5)


def test_a_send_hour_that_does_not_exist_that_night_becomes_the_hour_after():
    # 02:00 does not exist on 28 March 2027; the instant is 03:00 summer time.
    assert at_local(date(2027, 3, 28), 2) == utc(2027, 3, 28, 1)


# -- issue 11, item 20: public holidays on which schools are closed ----------------------------


def test_a_message_due_on_ascension_day_2027_goes_on_the_next_school_day():
    # Thursday 6 May 2027 is Hemelvaartsdag (no school holidays loaded here): Friday 7 May.
    assert next_allowed(local(2027, 5, 6, 8), WINDOW, NO_HOLIDAYS, "noord") == local(2027, 5, 7, 8)
    assert NO_HOLIDAYS.closed_on(None, date(2027, 5, 6)) == "Hemelvaartsdag"  # in every region


def test_kings_day_2027_a_tuesday_outside_the_may_holiday_defers_to_wednesday():
    calendar = shipped_calendar()  # the May holiday of 2027 starts on 1 May
    assert calendar.holiday_on("noord", date(2027, 4, 27)) is None
    assert next_allowed(local(2027, 4, 27, 8), WINDOW, calendar, "noord") == local(2027, 4, 28, 8)
    # Tweede Pinksterdag, Monday 17 May 2027: Tuesday.
    assert next_allowed(local(2027, 5, 17, 8), WINDOW, calendar, "zuid") == local(2027, 5, 18, 8)


def test_liberation_day_closes_schools_in_lustrum_years_only():
    window = SendWindow(skip_weekends=False)  # 5 May 2030 is a Sunday
    assert next_allowed(local(2030, 5, 5, 8), window, NO_HOLIDAYS, "noord") == local(2030, 5, 6, 8)
    assert next_allowed(local(2027, 5, 5, 8), window, NO_HOLIDAYS, "noord") == local(2027, 5, 5, 8)
    assert NO_HOLIDAYS.closed_on("midden", date(2025, 5, 5)) == "Bevrijdingsdag"


def test_good_friday_counts_only_where_the_policy_says_the_school_closes():
    good_friday = local(2027, 3, 26, 8)
    assert next_allowed(good_friday, WINDOW, NO_HOLIDAYS, "noord") == good_friday
    closed = SendWindow(skip_good_friday=True)
    # Then the weekend and Tweede Paasdag (Monday 29 March): Tuesday 30 March.
    assert next_allowed(good_friday, closed, NO_HOLIDAYS, "noord") == local(2027, 3, 30, 8)
    # A policy that sends in holidays sends on public holidays too; critical ones always may.
    anyway = SendWindow(skip_holidays=False)
    assert next_allowed(local(2027, 5, 6, 8), anyway, NO_HOLIDAYS, "noord") == local(2027, 5, 6, 8)
    critical = next_allowed(local(2027, 5, 6, 8), WINDOW, NO_HOLIDAYS, "noord", critical=True)
    assert critical == local(2027, 5, 6, 8)


def test_a_reminder_whose_day_is_ascension_day_is_planned_for_the_next_school_day():
    from services.notifications.domain.planning import plan_event
    from services.notifications.domain.policy import Policy
    from tests.unit.notifications.builders import COORDINATOR, PARTNERSHIP, audience, envelope

    policy = Policy(
        PARTNERSHIP,
        "k",
        "n",
        ["intervention.started"],
        ["coordinator"],
        {"coordinator": ["email"]},
        lead_times_days=[7],
    )
    event = envelope("intervention.started", evaluate_by=date(2027, 5, 13))
    [row] = plan_event(event, [policy], audience(COORDINATOR), NO_HOLIDAYS, NOW)
    assert row.send_at == local(2027, 5, 7, 8)  # not Thursday 6 May, Hemelvaartsdag
