"""School holidays in the shape of the Rijksoverheid open data (infotype schoolholidays)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from services.notifications.domain.holidays import (
    REGIONS,
    missing_school_years,
    parse_rijksoverheid,
)
from services.notifications.domain.timing import Holiday
from tests.conftest import ROOT

SHIPPED = ROOT / "services" / "notifications" / "data" / "schoolvakanties.json"


def document(*regions: dict[str, str], name: str = "Herfstvakantie") -> dict[str, Any]:
    return {
        "content": [
            {
                "schoolyear": "2026-2027 ",
                "vacations": [{"type": f" {name} ", "regions": list(regions)}],
            }
        ]
    }


def test_the_shipped_file_names_its_source_and_parses():
    raw = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert "rijksoverheid" in raw["source"].lower()
    years = parse_rijksoverheid(raw)
    assert set(years) == {"2026-2027"}
    holidays = years["2026-2027"]
    names = {h.name for h in holidays}
    assert {"Herfstvakantie", "Kerstvakantie", "Voorjaarsvakantie", "Meivakantie"} <= names
    assert "Zomervakantie" in names
    for region in REGIONS:  # every region has every holiday
        assert {h.name for h in holidays if h.region == region} == names
    assert all(h.start <= h.end for h in holidays)
    # Haarlemmermeer is region noord.
    noord_autumn = next(h for h in holidays if h.region == "noord" and h.name == "Herfstvakantie")
    assert (noord_autumn.start, noord_autumn.end) == (date(2026, 10, 17), date(2026, 10, 25))


def test_heel_nederland_applies_to_all_three_regions():
    years = parse_rijksoverheid(
        document(
            {
                "region": "heel Nederland",
                "startdate": "2026-12-19T00:00:00.000Z",
                "enddate": "2027-01-03T00:00:00.000Z",
            },
            name="Kerstvakantie",
        )
    )
    assert years == {
        "2026-2027": [
            Holiday(region, "Kerstvakantie", date(2026, 12, 19), date(2027, 1, 3))
            for region in ("noord", "midden", "zuid")
        ]
    }


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-10-17T00:00:00.000Z", "2026-10-25T00:00:00.000Z"),
        ("2026-10-16T22:00:00.000Z", "2026-10-24T22:00:00.000Z"),  # midnight in summer time
        ("2026-10-17", "2026-10-25"),
    ],
)
def test_midnight_instants_and_plain_dates_mean_the_dutch_calendar_day(start, end):
    years = parse_rijksoverheid(document({"region": "Noord", "startdate": start, "enddate": end}))
    [holiday] = years["2026-2027"]
    assert holiday == Holiday("noord", "Herfstvakantie", date(2026, 10, 17), date(2026, 10, 25))


@pytest.mark.parametrize("region", ["oost", "Noord-Holland", ""])
def test_an_unknown_region_is_refused(region):
    with pytest.raises(ValueError, match="region"):
        parse_rijksoverheid(
            document({"region": region, "startdate": "2026-10-17", "enddate": "2026-10-25"})
        )


def test_a_holiday_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end before start"):
        parse_rijksoverheid(
            document({"region": "zuid", "startdate": "2026-10-25", "enddate": "2026-10-17"})
        )


@pytest.mark.parametrize(
    ("today", "loaded", "missing"),
    [
        (date(2026, 10, 15), {"2026-2027"}, []),
        (date(2027, 3, 31), {"2026-2027"}, []),  # the next year is not needed yet
        (date(2027, 4, 1), {"2026-2027"}, ["2027-2028"]),
        (date(2027, 7, 31), {"2026-2027", "2027-2028"}, []),
        (date(2027, 8, 1), {"2026-2027"}, ["2027-2028"]),  # a new school year began
        (date(2027, 8, 1), {"2027-2028"}, []),
        (date(2028, 5, 1), set(), ["2027-2028", "2028-2029"]),
    ],
)
def test_the_school_years_planning_needs_but_lacks(today, loaded, missing):
    assert missing_school_years(loaded, today) == missing
