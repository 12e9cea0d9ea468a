"""Benchmark: complementary suppression of a partnership report (issue 4). Prints the time to
compute the masks of a partnership with 10 and with 60 schools of generated, consistent figures
(many small counts: the hard case), and the ratio of the two (6 means the work grows linearly with
the schools; more means it grows faster). The two sizes are timed in turns, best of several
rounds each after a warm-up, so that the load of other work on the machine cancels out.

    .venv/bin/python -m bench.suppression
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections import Counter

from bench.table import Row, render, row
from services.reports.domain import suppression
from services.reports.domain.report import DECISIONS, EVALUATION_STATES, OUTCOMES, Figures, total

DOMAINS = ("reading_dyslexia", "math_dyscalculia", "social_safety_behaviour", "language")
REASONS = ("back_to_basic", "referral", "moved")
DESTINATIONS = ("sbo", "so", "other")


def _school(rng: random.Random) -> Figures:
    """A school's figures: counts that add up as the report's groups say."""
    by_domain: dict[str, Counter[str]] = {}
    for domain in DOMAINS:
        outcomes = Counter({o: rng.choice([0, 1, 2, 3, 4, 6, 9]) for o in OUTCOMES})
        evaluated = sum(outcomes.values())
        by_domain[domain] = Counter(
            started=evaluated + rng.choice([0, 1, 3, 7]), evaluated=evaluated, **outcomes
        )
    interventions: Counter[str] = Counter()
    for counts in by_domain.values():
        interventions.update(counts)
    interventions["evaluated_on_time"] = rng.randint(0, interventions["evaluated"])
    interventions["outside_support_profile"] = rng.choice([0, 1, 2, 5])
    interventions["extra_started"] = rng.choice([0, 1, 3, 8])
    closed_by_reason = Counter({r: rng.choice([0, 1, 2, 6]) for r in REASONS})
    plans = Counter(new=rng.choice([0, 2, 5, 11]), active=rng.choice([1, 4, 12, 30]), closed=0)
    plans["closed"] = sum(closed_by_reason.values())
    return Figures(
        interventions=interventions,
        by_domain=by_domain,
        plans=plans,
        closed_by_reason=closed_by_reason,
        decisions=Counter({d: rng.choice([0, 1, 3, 7]) for d in DECISIONS}),
        consent=Counter(agreed=rng.choice([0, 2, 6, 14]), declined=rng.choice([0, 1, 2])),
        evaluations=Counter({s: rng.choice([0, 1, 4, 9]) for s in EVALUATION_STATES}),
        referrals=Counter({d: rng.choice([0, 1, 2, 5]) for d in DESTINATIONS}),
        tlv=_tlv(rng),
    )


def _tlv(rng: random.Random) -> Counter[str]:
    """A school's TLV applications and decisions (issue 14), adding up as their groups say."""
    categories = Counter({c: rng.choice([0, 0, 1, 2]) for c in ("low", "medium", "high")})
    tlv = Counter(sbo=rng.choice([0, 1, 2, 4]), so=sum(categories.values()), **categories)
    tlv.update(granted=tlv["sbo"] + tlv["so"], refused=rng.choice([0, 0, 1]))
    tlv.update(submitted=rng.choice([0, 1, 3, 6]))
    tlv.update(submitted_without_agreement=rng.randint(0, tlv["submitted"]))
    tlv.update(decided_late=rng.randint(0, tlv["granted"] + tlv["refused"]))
    return tlv


def _partnership(schools: int) -> tuple[list[Figures], Figures]:
    """A generated partnership: the same figures on every run (the seed is the schools' count;
    the masks do not depend on the interpreter's hash seed either)."""
    rng = random.Random(schools)
    figures = [_school(rng) for _ in range(schools)]
    return figures, total(figures)


def _times(sizes: tuple[int, ...], rounds: int) -> list[float]:
    """The best of `rounds` runs, in seconds, per partnership size, after one warm-up run of
    each. The sizes take turns within every round, so a burst of load from the other work on the
    machine falls on both sides of the ratio instead of on one; the garbage collector runs
    between runs, not inside one."""
    partnerships = [_partnership(n) for n in sizes]
    for figures, everyone in partnerships:
        suppression.partnership_masks(figures, everyone)  # warm-up
    best = [float("inf")] * len(sizes)
    for _ in range(rounds):
        for i, (figures, everyone) in enumerate(partnerships):
            gc.collect()
            gc.disable()
            try:
                started = time.perf_counter()
                suppression.partnership_masks(figures, everyone)
                best[i] = min(best[i], time.perf_counter() - started)
            finally:
                gc.enable()
    return best


def rows(quick: bool) -> list[Row]:
    """The masks of 60 schools beside those of 10 (linear growth: 6; the issue allows 7)."""
    small, large = 10, 60
    t_small, t_large = _times((small, large), 3 if quick else 15)
    metric = f"partnership suppression, {large} vs {small} schools"
    return [row(metric, "ms", t_large * 1000, t_small * 1000, 7.0, "lower")]


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
