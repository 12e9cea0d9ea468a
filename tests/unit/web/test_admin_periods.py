"""The date helpers of the evaluations and reports pages (once the console's): evaluations by week
(empty weeks kept), Dutch and English dates, meeting times in Amsterdam, and the last complete
month, quarter and school year to download."""

from __future__ import annotations

from datetime import date

import pytest

from services.web.pages.admin_messages import periods


def test_items_land_in_their_iso_week_and_empty_weeks_are_kept() -> None:
    items = [
        {"date": "2026-11-02", "id": "a"},
        {"date": "2026-11-08", "id": "b"},  # a Sunday: still week 45
        {"date": date(2026, 11, 30), "id": "c"},
    ]
    weeks = periods.by_week(items, date(2026, 10, 15), date(2026, 12, 10))
    assert [w.number for w in weeks] == [42, 43, 44, 45, 46, 47, 48, 49, 50]
    assert weeks[0].monday == date(2026, 10, 12) and weeks[0].sunday == date(2026, 10, 18)
    assert {w.number: [i["id"] for i in w.items] for w in weeks if w.items} == {
        45: ["a", "b"],
        49: ["c"],
    }


def test_dates_and_times_read_as_people_write_them() -> None:
    assert periods.long_date(date(2026, 10, 15), "nl") == "donderdag 15 oktober 2026"
    assert periods.long_date(date(2026, 10, 15), "en") == "Thursday 15 October 2026"
    assert periods.short_date(date(2027, 3, 1), "nl") == "1 maart 2027"
    assert periods.local_clock("2026-11-30T13:00:00+00:00") == "14:00"  # CET
    assert periods.local_clock("2026-06-30T13:00:00+00:00") == "15:00"  # CEST
    assert periods.local_clock(None) == ""
    assert periods.parse_day("2026-10-15") == date(2026, 10, 15)
    assert periods.parse_day("15-10-2026") is None and periods.parse_day("") is None


@pytest.mark.parametrize(
    ("today", "month", "quarter", "year"),
    [
        (
            date(2026, 10, 15),
            (date(2026, 9, 1), date(2026, 9, 30)),
            (date(2026, 7, 1), date(2026, 9, 30)),
            (date(2025, 8, 1), date(2026, 7, 31)),
        ),
        (  # January: last year's December and fourth quarter; the school year that ended in July
            date(2027, 1, 1),
            (date(2026, 12, 1), date(2026, 12, 31)),
            (date(2026, 10, 1), date(2026, 12, 31)),
            (date(2025, 8, 1), date(2026, 7, 31)),
        ),
        (  # 1 August: the school year that ended yesterday
            date(2026, 8, 1),
            (date(2026, 7, 1), date(2026, 7, 31)),
            (date(2026, 4, 1), date(2026, 6, 30)),
            (date(2025, 8, 1), date(2026, 7, 31)),
        ),
    ],
)
def test_the_last_complete_periods(today, month, quarter, year) -> None:
    got = [(p.kind, p.start, p.end) for p in periods.report_periods(today)]
    assert got == [("month", *month), ("quarter", *quarter), ("school_year", *year)]
