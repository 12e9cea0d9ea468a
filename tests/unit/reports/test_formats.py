"""How a report's numbers are written, once for every output (issue 17, item 8)."""

from __future__ import annotations

import pytest

from services.reports.domain import formats

SHARE = ("interventions", "share_evaluated_on_time")
MEDIAN = ("interventions", "median_days")
COUNT = ("interventions", "started")


@pytest.mark.parametrize(
    ("value", "path", "nl", "en"),
    [
        (0.429, SHARE, "42,9%", "42.9%"),
        (1.0, SHARE, "100,0%", "100.0%"),
        (44.0, MEDIAN, "44,0", "44.0"),  # one decimal, also when it is whole
        (59.5, MEDIAN, "59,5", "59.5"),
        (5, COUNT, "5", "5"),
        (12345, COUNT, "12.345", "12,345"),  # thousands grouped
        (3.7, COUNT, "3,7", "3.7"),  # a count averaged per school
        (1234.5, COUNT, "1.234,5", "1,234.5"),
        (None, SHARE, "–", "–"),  # left out: the same dash everywhere
        (None, MEDIAN, "–", "–"),
        ("<5", COUNT, "<5", "<5"),
        ("x", COUNT, "x", "x"),
    ],
)
def test_each_kind_of_number_is_written_one_way_per_language(value, path, nl, en):
    assert (formats.shown(value, path, "nl"), formats.shown(value, path, "en")) == (nl, en)


def test_a_workbook_formats_each_kind_as_the_text_does():
    assert formats.xlsx_format(SHARE, 0.429) == "0.0%"
    assert formats.xlsx_format(MEDIAN, 44.0) == "#,##0.0"
    assert formats.xlsx_format(COUNT, 3.7) == "#,##0.0"
    assert formats.xlsx_format(COUNT, 5) == "#,##0"
