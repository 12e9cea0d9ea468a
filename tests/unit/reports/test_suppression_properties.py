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

from services.reports.domain import disclosure, suppression
from services.reports.domain.report import (
    DECISIONS,
    EVALUATION_STATES,
    OUTCOMES,
    TLV,
    TLV_CATEGORIES,
    Figures,
    total,
)
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


def tlv(rng: random.Random) -> Counter[str]:
    """A school's TLV applications and decisions, adding up as the section's groups say:
    granted = sbo + so, so = the categories; without agreement and late ones within their
    totals."""
    categories = Counter({c: rng.choice(SMALL) for c in TLV_CATEGORIES})
    counts = Counter(sbo=rng.choice(SMALL), so=sum(categories.values()), **categories)
    counts["granted"] = counts["sbo"] + counts["so"]
    counts["refused"] = rng.choice(SMALL)
    counts["submitted"] = rng.choice(SMALL)
    counts["submitted_without_agreement"] = rng.randint(0, counts["submitted"])
    counts["decided_late"] = rng.randint(0, counts["granted"] + counts["refused"])
    return counts


def partnership(seed: int) -> tuple[list[Figures], Figures]:
    rng = random.Random(seed)
    schools = [school(rng) for _ in range(rng.randint(1, 12))]
    # The TLV section from a stream of its own: the other figures stay those each seed gave
    # before the section came.
    other = random.Random(10_000 + seed)
    for figures in schools:
        figures.tlv = tlv(other)
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
    suppression._withhold(grid)
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


def tlv_only(seed: int) -> tuple[list[Figures], Figures]:
    """A partnership whose schools have TLV figures only, nearly all small: the section's
    groups alone, the hard case for them."""
    rng = random.Random(seed)
    schools = [Figures(tlv=tlv(rng)) for _ in range(rng.randint(1, 8))]
    return schools, total(schools)


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_tlv_figure_closes_to_one_value(seed):
    schools, everyone = tlv_only(seed)
    grid = suppression.partnership_grid(schools, everyone)
    bounds = audit(grid)
    assert disclosed(grid, bounds) == []
    assert all(low <= grid.values[k] <= high for k, (low, high) in bounds.items())
    for key, state in grid.states.items():
        if key[1][0] == TLV and 1 <= grid.values[key] <= 4 and state is not State.UNSHOWN:
            assert state is State.PRIMARY, key  # every small TLV count reads "<5"
    school_grid = suppression.school_grid(schools[0], everyone, exact=False)
    assert disclosed(school_grid) == []


@pytest.mark.parametrize("seed", range(40))
def test_the_tlv_groups_are_audited(seed):
    # Every group of the section is in the grid: each total's bounds are what its parts allow.
    schools, everyone = tlv_only(seed)
    grid = suppression.partnership_grid(schools, everyone)
    totals = {g.total[1] for g in grid.groups if g.total[0] == "total" and g.total[1][0] == TLV}
    assert totals >= {
        (TLV, "submitted"),
        (TLV, "decided"),
        (TLV, "granted"),
        (TLV, "granted_by_school_type", "so"),
    }


def unprotected(seed: int, schools_at_least: int = 1) -> Grid:
    """A random partnership's report as a grid, before anything is hidden (with more schools
    than `partnership` gives when asked)."""
    schools, everyone = partnership(seed)
    rng = random.Random(seed)
    while len(schools) < schools_at_least:
        schools += partnership(rng.randrange(10**6))[0]
    everyone = total(schools)
    grid = Grid()
    names = [f"school{i}" for i in range(len(schools))]
    for name, figures in zip(names, schools, strict=True):
        suppression._scope(grid, name, figures, State.SHOWN)
    suppression._scope(grid, "total", everyone, State.SHOWN)
    suppression._sum_across(grid, "total", names)
    return grid


@pytest.mark.parametrize("seed", range(40))
def test_auditing_again_after_hiding_gives_what_a_whole_audit_gives(seed):
    """reaudit (only the region a newly hidden figure can widen) ends where a whole audit ends,
    round after round of hiding ("x") and leaving out ("–"), as protection does."""
    grid, rng = unprotected(seed), random.Random(seed)
    bounds = audit(grid)
    for _ in range(6):
        shown = [k for k in grid.values if grid.hideable(k)]
        marked = [k for k in grid.values if grid.states[k] in (State.PRIMARY, State.COMPLEMENT)]
        hidden = rng.sample(shown, min(len(shown), rng.randint(1, 8)))
        left_out = rng.sample(marked, min(len(marked), rng.randint(0, 3)))
        for key in hidden:
            grid.states[key] = State.COMPLEMENT
        for key in left_out:
            grid.states[key] = State.WITHHELD
        bounds = suppression.reaudit(grid, bounds, [*hidden, *left_out])
        assert bounds == audit(grid)


def fresh_sums_hold(bounds: disclosure.Audit) -> None:
    """The sums kept for the large groups are what summing their parts anew gives (the widest
    part: at least as wide as the widest is now)."""
    net, lo, hi, tally = bounds.net, bounds.lo, bounds.hi, bounds.tally
    anew = disclosure.Tally.of(net, lo, hi)
    kept = [i for i, ps in enumerate(net.parts) if len(ps) >= disclosure.KEPT]
    assert kept, "a total over enough schools has its sums kept"
    for i in kept:
        assert (tally.low[i], tally.high[i], tally.unbounded[i]) == (
            anew.low[i],
            anew.high[i],
            anew.unbounded[i],
        )
        assert tally.wide[i] >= anew.wide[i]


@pytest.mark.parametrize("seed", range(12))
def test_the_sums_kept_for_a_total_over_many_schools_follow_every_change(seed):
    """A total over many schools is not summed again whenever one school's figure narrows: its
    sums are kept as the bounds change (disclosure.Tally). Round after round of hiding and
    leaving out (reaudit), showing a figure again (narrow_to) and taking that back (restore), they
    stay what summing the parts anew gives, and the bounds what a whole audit gives."""
    grid, rng = unprotected(seed, schools_at_least=disclosure.KEPT + 4), random.Random(seed)
    bounds = audit(grid)
    fresh_sums_hold(bounds)
    for _ in range(6):
        shown = [k for k in grid.values if grid.hideable(k)]
        marked = [k for k in grid.values if grid.states[k] in (State.PRIMARY, State.COMPLEMENT)]
        hidden = rng.sample(shown, min(len(shown), rng.randint(1, 8)))
        left_out = rng.sample(marked, min(len(marked), rng.randint(0, 3)))
        for key in hidden:
            grid.states[key] = State.COMPLEMENT
        for key in left_out:
            grid.states[key] = State.WITHHELD
        bounds = suppression.reaudit(grid, bounds, [*hidden, *left_out])
        assert bounds == audit(grid)
        fresh_sums_hold(bounds)
        again = rng.choice(hidden)
        trail = disclosure.narrow_to(bounds, again, (grid.values[again],) * 2)
        grid.states[again] = State.SHOWN
        assert bounds == audit(grid)
        fresh_sums_hold(bounds)
        grid.states[again] = State.COMPLEMENT
        disclosure.restore(bounds, trail)
        assert bounds == audit(grid)
        fresh_sums_hold(bounds)
