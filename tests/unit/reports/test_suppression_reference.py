"""The audit and protection by number (domain/disclosure.py: `Net`, `Audit`) against the way
they were written before, by key (tests/unit/reports/reference/, kept unchanged as the oracle):
on random partnerships, large and small, and on a school beside the partnership's average, the
same figures are hidden ("x"), left out ("–") and shown, and every audit derives the same bounds.
The new code follows the same steps in the same order, so it must agree figure by figure, not
just be as safe.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from services.reports.domain import disclosure, suppression
from services.reports.domain.report import Figures, total
from tests.unit.reports.reference import disclosure as old_disclosure
from tests.unit.reports.reference import suppression as old_suppression
from tests.unit.reports.test_suppression_properties import partnership, school, tlv_only

SIZES = [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 9]


def crowded(seed: int) -> tuple[list[Figures], Figures]:
    """Up to 40 schools of mostly tiny counts (the bench's hard case): long chains through the
    partnership's totals, many rounds of hiding and leaving out."""
    rng = random.Random(seed)
    schools = []
    for _ in range(rng.randint(2, 40)):
        figures = school(rng)
        figures.referrals = Counter({d: rng.choice(SIZES) for d in ("sbo", "so", "other")})
        figures.consent = Counter(agreed=rng.choice(SIZES), declined=rng.choice(SIZES))
        schools.append(figures)
    return schools, total(schools)


def states(grid: object) -> dict[object, str]:
    return {key: state.value for key, state in grid.states.items()}  # type: ignore[attr-defined]


def both_partnership(schools: list[Figures], everyone: Figures) -> None:
    new = suppression.partnership_grid(schools, everyone)
    old = old_suppression.partnership_grid(schools, everyone)
    assert states(new) == states(old)
    assert new.masks() == old.masks()
    assert dict(disclosure.audit(new)) == old_disclosure.audit(old)


@pytest.mark.parametrize("seed", range(40))
def test_a_random_partnership_is_protected_as_before(seed):
    both_partnership(*partnership(seed))


@pytest.mark.parametrize("seed", range(25))
def test_a_crowded_partnership_is_protected_as_before(seed):
    both_partnership(*crowded(seed))


@pytest.mark.parametrize("seed", range(25))
def test_a_tlv_only_partnership_is_protected_as_before(seed):
    both_partnership(*tlv_only(seed))


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("exact", [True, False])
def test_a_school_beside_the_average_is_protected_as_before(seed, exact):
    schools, everyone = crowded(seed) if seed % 2 else partnership(seed)
    own = schools[seed % len(schools)]
    new = suppression.school_grid(own, everyone, exact=exact)
    old = old_suppression.school_grid(own, everyone, exact=exact)
    assert states(new) == states(old)
    assert suppression.school_masks(own, everyone, exact=exact) == old_suppression.school_masks(
        own, everyone, exact=exact
    )


@pytest.mark.parametrize("seed", range(30))
def test_auditing_a_randomly_hidden_grid_gives_the_old_bounds(seed):
    """Not only at the end of protection: any mix of shown, "<5", "x" and "–", audited whole and
    again after more is hidden, derives what the old audit derives (a whole audit of the grid)."""
    rng = random.Random(seed)
    schools, everyone = crowded(seed)
    new = suppression.Grid()
    old = old_suppression.Grid()
    names = [f"school{i}" for i in range(len(schools))]
    for grid, module in ((new, suppression), (old, old_suppression)):
        for name, figures in zip(names, schools, strict=True):
            module._scope(grid, name, figures, module.State.SHOWN)
        module._scope(grid, "total", everyone, module.State.SHOWN)
        module._sum_across(grid, "total", names)
    bounds = disclosure.audit(new)
    assert dict(bounds) == old_disclosure.audit(old)
    for _ in range(4):
        # As protection does: an "x" for a shown figure (never below 5), a "–" for any.
        keys = [k for k in new.values if new.hideable(k) or new.states[k].value == "primary"]
        chosen = rng.sample(keys, min(len(keys), rng.randint(1, 12)))
        for key in chosen:
            state = rng.choice(["complement", "withheld"]) if new.hideable(key) else "withheld"
            new.states[key] = disclosure.State(state)
            old.states[key] = old_disclosure.State(state)
        bounds = disclosure.reaudit(new, bounds, chosen)
        expected = old_disclosure.audit(old)
        assert dict(bounds) == expected
        assert disclosure.disclosed(new, bounds) == old_disclosure.disclosed(old, expected)
