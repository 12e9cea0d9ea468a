"""Complementary suppression on random partnerships: the audit (interval propagation through every
group, domain/suppression.py) is the oracle. After protection it finds no hidden figure that
closes to one value; the true values always lie within what it derives; and the quick way of
showing added "x"s again (carrying the last audit's bounds on) ends where showing them again with
a whole audit per try ends.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from services.reports.domain import suppression
from services.reports.domain.report import DECISIONS, EVALUATION_STATES, OUTCOMES, Figures, total
from services.reports.domain.suppression import Grid, State, audit, disclosed

SMALL = [0, 0, 1, 2, 3, 4, 5, 7, 12]


def school(rng: random.Random) -> Figures:
    """A school's figures whose counts add up as the report's groups say (mostly small)."""
    by_domain: dict[str, Counter[str]] = {}
    for domain in rng.sample(["reading", "math", "behaviour", "language"], rng.randint(0, 4)):
        outcomes = Counter({o: rng.choice(SMALL) for o in OUTCOMES})
        evaluated = sum(outcomes.values())
        by_domain[domain] = Counter(
            started=evaluated + rng.choice(SMALL), evaluated=evaluated, **outcomes
        )
    interventions: Counter[str] = Counter()
    for counts in by_domain.values():
        interventions.update(counts)
    interventions["evaluated_on_time"] = rng.randint(0, interventions["evaluated"])
    interventions["extra_started"] = rng.choice(SMALL)
    reasons = Counter({r: rng.choice(SMALL) for r in ("moved", "referral")})
    return Figures(
        interventions=interventions,
        by_domain=by_domain,
        plans=Counter(new=rng.choice(SMALL), closed=sum(reasons.values())),
        closed_by_reason=reasons,
        decisions=Counter({d: rng.choice(SMALL) for d in DECISIONS}),
        evaluations=Counter({s: rng.choice(SMALL) for s in EVALUATION_STATES}),
        referrals=Counter({d: rng.choice(SMALL) for d in ("sbo", "so")}),
    )


def partnership(seed: int) -> tuple[list[Figures], Figures]:
    rng = random.Random(seed)
    schools = [school(rng) for _ in range(rng.randint(1, 12))]
    return schools, total(schools)


@pytest.mark.parametrize("seed", range(30))
def test_no_hidden_figure_of_a_random_partnership_closes_to_one_value(seed):
    grid = suppression.partnership_grid(*partnership(seed))
    bounds = audit(grid)
    assert disclosed(grid, bounds) == []
    for key, (low, high) in bounds.items():
        assert low <= grid.values[key] <= high, key  # the audit never rules the truth out
    hidden = {k for k, s in grid.states.items() if s is State.COMPLEMENT}
    assert all(grid.values[k] >= 5 for k in hidden)  # an "x" reads as 5 or more: it is


@pytest.mark.parametrize("seed", range(30))
def test_the_masks_hide_every_figure_the_grid_hides(seed):
    schools, everyone = partnership(seed)
    masks, total_mask = suppression.partnership_masks(schools, everyone)
    grid = suppression.partnership_grid(schools, everyone)
    assert [grid.mask(f"school{i}") for i in range(len(schools))] == masks
    assert grid.mask("total") == total_mask


def reference_protect(grid: Grid) -> Grid:
    """Protection with a whole audit for every "x" tried again (the slow way)."""
    added = []
    while True:
        bounds = audit(grid)
        pinned = set(disclosed(grid, bounds))
        chosen = suppression._next_complements(grid, bounds, pinned) if pinned else []
        if not chosen:
            break
        for key in chosen:
            grid.states[key] = State.COMPLEMENT
        added.extend(chosen)
    before = set(disclosed(grid))
    for key in reversed(added):
        grid.states[key] = State.SHOWN
        if set(disclosed(grid)) - before:
            grid.states[key] = State.COMPLEMENT
    return grid


@pytest.mark.parametrize("seed", range(30))
def test_showing_an_x_again_decides_as_a_whole_audit_would(seed):
    schools, everyone = partnership(seed)
    quick = suppression.partnership_grid(schools, everyone)
    slow = Grid()
    names = [f"school{i}" for i in range(len(schools))]
    for name, figures in zip(names, schools, strict=True):
        suppression._scope(slow, name, figures, State.SHOWN)
    suppression._scope(slow, "total", everyone, State.SHOWN)
    suppression._sum_across(slow, "total", names)
    assert quick.states == reference_protect(slow).states


@pytest.mark.parametrize("seed", range(20))
def test_a_school_beside_the_average_discloses_nothing_when_it_leaves_the_school(seed):
    schools, everyone = partnership(seed)
    grid = suppression.school_grid(schools[0], everyone, exact=False)
    assert disclosed(grid) == []
    own, average = suppression.school_masks(schools[0], everyone, exact=False)
    assert (own, average) == (grid.mask("own"), grid.mask("total"))


@pytest.mark.parametrize("seed", range(20))
def test_the_average_beside_exact_figures_hides_what_the_other_schools_have(seed):
    # The school's own figures are exact by design; nothing the other schools have together (the
    # unshown remainder) may close to one value. An average "<5" can only be pinned where the
    # others have nothing (a 4 of its own beside an average total of 4): that tells no one's
    # small number. (With one school only, the average is the school's own figures: two here.)
    schools = [*partnership(seed)[0], school(random.Random(-seed))]
    grid = suppression.school_grid(schools[0], total(schools), exact=True)
    pinned = disclosed(grid)
    assert [k for k in pinned if k[0] == "rest"] == []
    assert all(grid.values[("rest", path)] == 0 for scope, path in pinned if scope == "total")
