"""Complementary suppression: hand-written tables before and after, a brute-force check that no
hidden count of a single group can be worked out, and the report-level groups (schools and the
partnership's total, a school beside the partnership's average).

Notation in the tables: the group's total first, then its parts; "<5" is a count of 1 to 4
(primary suppression), "x" a count of 5 or more hidden to prevent back-calculation.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from services.reports.domain import suppression
from services.reports.domain.report import Figures, View, render, total
from services.reports.domain.suppression import Grid, Group, State, audit, disclosed, protect


def group(total_value: int, *parts: int) -> Grid:
    """One additive group, every figure shown (1 to 4 as "<5")."""
    grid = Grid()
    keys = [("t", ("total",))] + [("t", (f"part{i}",)) for i in range(len(parts))]
    for key, value in zip(keys, (total_value, *parts), strict=True):
        grid.add(key, value, State.SHOWN)
    grid.groups.append(Group(keys[0], tuple(keys[1:])))
    return grid


def shown(grid: Grid) -> list[object]:
    """The group as the reader sees it, total first."""
    marks = {State.PRIMARY: "<5", State.COMPLEMENT: "x"}
    return [marks.get(grid.states[k], grid.values[k]) for k in grid.values]


@pytest.mark.parametrize(
    "table, before, after",
    [
        # One "<5": 20 - 5 - 12 = 3 gives it back, so the smallest other part goes too:
        # <5 + x = 8 with x at least 5 leaves the "<5" anything from 1 to 3.
        ((20, 3, 5, 12), [20, "<5", 5, 12], [20, "<5", "x", 12]),
        # Hiding the 5 would not do: <5 + x = 6 only fits 1 + 5. The 10 does: <5 + x = 11.
        ((16, 1, 5, 10), [16, "<5", 5, 10], [16, "<5", 5, "x"]),
        # Two "<5" adding up to 5 (20 - 15): 1 + 4, 2 + 3, 3 + 2 or 4 + 1. Nothing more needed.
        ((20, 3, 2, 15), [20, "<5", "<5", 15], [20, "<5", "<5", 15]),
        # ... but two "<5" adding up to 2 can only be 1 + 1, and to 8 only 4 + 4.
        ((12, 1, 1, 10), [12, "<5", "<5", 10], [12, "<5", "<5", "x"]),
        ((20, 4, 4, 12), [20, "<5", "<5", 12], [20, "<5", "<5", "x"]),
        # A zero identifies nobody: it stays, and the 5 goes (<5 + x = 7: the "<5" is 1 or 2).
        ((7, 0, 2, 5), [7, 0, "<5", 5], [7, 0, "<5", "x"]),
        # No part that helps (<5 + x = 6 is 1 + 5) and the rest zeros: the total goes instead,
        # and the 5 shows again (x = <5 + 5 leaves the "<5" anything from 1 to 4).
        ((6, 1, 5, 0), [6, "<5", 5, 0], ["x", "<5", 5, 0]),
        # The total is itself "<5": <5 = <5 + <5 + 0 pins nothing (3 = 1 + 2, 2 + 1, ...).
        ((3, 1, 2, 0), ["<5", "<5", "<5", 0], ["<5", "<5", "<5", 0]),
        ((2, 2, 0, 0), ["<5", "<5", 0, 0], ["<5", "<5", 0, 0]),
        # Nothing suppressed, nothing to protect.
        ((17, 0, 5, 12), [17, 0, 5, 12], [17, 0, 5, 12]),
    ],
)
def test_a_group_before_and_after_complementary_suppression(table, before, after):
    grid = group(*table)
    assert shown(grid) == before
    assert shown(protect(grid)) == after
    assert disclosed(grid) == []


def possible_values(grid: Grid) -> dict[tuple, set[int]]:
    """Every value each figure can have given what the single group shows (brute force)."""
    keys = list(grid.values)
    total_key, *part_keys = keys
    ranges = []
    for key in keys:
        low, high = grid.known(key)
        ranges.append(range(int(low), int(min(high, 40)) + 1))
    seen: dict[tuple, set[int]] = {k: set() for k in keys}
    for combo in itertools.product(*ranges):
        if combo[0] == sum(combo[1:]):
            for key, value in zip(keys, combo, strict=True):
                seen[key].add(value)
    return seen


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_count_of_a_group_has_only_one_possible_value(seed):
    rng = random.Random(seed)
    parts = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 13]) for _ in range(rng.randint(2, 4))]
    grid = protect(group(sum(parts), *parts))
    values = possible_values(grid)
    for key, state in grid.states.items():
        if state in (State.PRIMARY, State.COMPLEMENT):
            assert len(values[key]) > 1, (parts, shown(grid), key)
        assert grid.values[key] in values[key]  # the truth is always among them


def test_a_hidden_count_pinned_through_a_chain_of_groups_is_found():
    # Partnership: A 2 + B 6 = 8 started, all in reading. B's 6 goes ("x") so A's "<5" stays
    # hidden in the row of started ones; but B's started = B's reading started (its only domain),
    # and the total's reading started = A's + B's, so B's reading 6 has to go as well.
    a = Figures(interventions=Counter(started=2), by_domain={"reading": Counter(started=2)})
    b = Figures(interventions=Counter(started=6), by_domain={"reading": Counter(started=6)})
    (mask_a, mask_b), mask_total = suppression.partnership_masks([a, b], total([a, b]))
    assert mask_a == {
        ("interventions", "started"): "<5",
        ("interventions", "by_domain", "reading", "started"): "<5",
    }
    assert mask_b == {
        ("interventions", "started"): "x",
        ("interventions", "by_domain", "reading", "started"): "x",
    }
    assert mask_total == {}  # 8 and 8 stay: A's is 1 to 3, B's 5 to 7


def test_evaluated_late_is_a_hidden_part_of_evaluated():
    # 10 evaluated, 9 on time: 1 late, which the report does not show but a reader subtracts.
    f = Figures(interventions=Counter(evaluated=10, effective=10, evaluated_on_time=9))
    (mask,), mask_total = suppression.partnership_masks([f], f)
    assert mask[("interventions", "evaluated_on_time")] == "x"
    sections = render(f, View(suppress=True), mask)["interventions"]
    assert sections["evaluated_on_time"] == "x"
    assert sections["share_evaluated_on_time"] is None  # 0.9 of 10 would give the 9 back
    assert sections["evaluated"] == 10


def test_a_share_goes_when_its_numerator_reads_less_than_5():
    f = Figures(interventions=Counter(evaluated=10, effective=10, evaluated_on_time=3))
    sections = render(f, View(suppress=True))["interventions"]
    assert sections["evaluated_on_time"] == "<5"
    assert sections["share_evaluated_on_time"] is None  # 0.3 of 10 would say 3


def test_the_average_beside_a_schools_exact_figures_hides_what_the_others_have_together():
    # Two schools: this one referred 6 pupils to sbo, the other 1. The average 3.5 a school
    # gives the total 7 back, and 7 - 6 = 1 tells the school its neighbour's single referral.
    mine = Figures(referrals=Counter(sbo=6))
    theirs = Figures(referrals=Counter(sbo=1))
    own, average = suppression.school_masks(mine, total([mine, theirs]), exact=True)
    assert own == {}  # the school's own figures are exact
    assert average == {("referrals", "by_destination", "sbo"): "x", ("referrals", "requested"): "x"}
    shown_average = render(total([mine, theirs]), View(suppress=True, per=2), average)
    assert shown_average["referrals"] == {"requested": "x", "by_destination": {"sbo": "x"}}


def test_the_average_stays_when_the_other_schools_have_none_or_5_or_more():
    mine = Figures(referrals=Counter(sbo=6))
    for theirs in (Figures(), Figures(referrals=Counter(sbo=5))):
        _, average = suppression.school_masks(mine, total([mine, theirs]), exact=True)
        assert average == {}


def test_a_report_with_figures_breaking_the_rules_still_adds_up():
    # An evaluation without an effect (data from before the rule): evaluated 7, effects 6.
    f = Figures(interventions=Counter(evaluated=7, effective=6, evaluated_on_time=7))
    grid = Grid()
    cells = suppression._scope(grid, "s", f, State.SHOWN)
    assert cells[("interventions", "evaluated", "~outcomes")] == 1
    bounds = audit(grid)
    assert all(low <= grid.values[k] <= high for k, (low, high) in bounds.items())
