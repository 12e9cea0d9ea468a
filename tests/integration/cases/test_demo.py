"""The demo's data keeps every rule on any day of the year, in particular rule 6 around the turn
of the school year (1 August): its development plan has an evaluation in the school year it is
drafted in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.cases.demo import load_demo


@pytest.mark.parametrize(
    "day", [datetime(2027, 7, 25, 9, tzinfo=UTC), datetime(2027, 8, 3, 9, tzinfo=UTC)]
)
def test_the_demo_loads_around_the_turn_of_the_school_year(container, clock, day):
    clock.set(day)

    assert load_demo(container).startswith("demo data loaded")
