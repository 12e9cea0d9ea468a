"""The Dutch public holidays on which schools are closed, beside the school holidays file.

From the `holidays` package (its "public" category for NL): Nieuwjaarsdag, Tweede Paasdag,
Koningsdag (26 April when the 27th is a Sunday), Bevrijdingsdag only in lustrum years (2025,
2030, ...), Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag (and the Sundays
Eerste Paas- and Pinksterdag). Goede Vrijdag is no national day off: many schools close, others
do not, so it counts only for a policy that says so (`skip_good_friday`, off by default).
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

GOOD_FRIDAY = "Goede vrijdag"


@cache
def _year(year: int) -> dict[date, str]:
    found = holidays.country_holidays("NL", years=year, language="nl", categories=("public",))
    return dict(found.items())


def public_holiday(day: date, good_friday: bool = False) -> str | None:
    """The Dutch name of the public holiday on which schools are closed that day, if any."""
    name = _year(day.year).get(day)
    if name is None or (name.lower() == GOOD_FRIDAY.lower() and not good_friday):
        return None
    return name
