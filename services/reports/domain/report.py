"""An outcome report: the figures of a school (or of several together) over a period, and how they
are shown — exact inside the school, with small numbers suppressed anywhere else.

Suppression (kleine aantallen): in a report that leaves the school every count from 1 to 4 is
shown as "<5"; 0 stays 0, since it identifies nobody. A median or share computed over 1 to 4 rows
would tell as much as the rows themselves, so it is left out (None) as well; its base count beside
it reads "<5". An average per school is shown as "<5" when the total behind it is 1 to 4.
Differencing (a total minus the visible parts) is not guarded against yet.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.errors import RuleViolation

SUPPRESSED = "<5"
OUTCOMES = ("effective", "partly_effective", "not_effective")
DECISIONS = ("continue", "back_to_basic", "refer")
CONSENT = ("agreed", "declined")
EVALUATION_STATES = ("on_time", "overdue", "open")

Shown = int | float | str | None


@dataclass(frozen=True)
class Period:
    """A report period: both dates inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise RuleViolation(
                "The period ends before it starts.",
                code="invalid_period",
                errors={"end": ["Must not be before start."]},
            )


@dataclass
class Figures:
    """The raw figures of one scope over one period (counts, and the day spans behind medians)."""

    interventions: Counter[str] = field(default_factory=Counter)
    intervention_days: list[int] = field(default_factory=list)
    by_domain: dict[str, Counter[str]] = field(default_factory=dict)
    plans: Counter[str] = field(default_factory=Counter)
    closed_by_reason: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    consent: Counter[str] = field(default_factory=Counter)
    consent_days: list[int] = field(default_factory=list)
    evaluations: Counter[str] = field(default_factory=Counter)
    referrals: Counter[str] = field(default_factory=Counter)

    def __add__(self, other: Figures) -> Figures:
        domains = {d: self.by_domain.get(d, Counter()) for d in self.by_domain | other.by_domain}
        return Figures(
            interventions=self.interventions + other.interventions,
            intervention_days=self.intervention_days + other.intervention_days,
            by_domain={d: c + other.by_domain.get(d, Counter()) for d, c in domains.items()},
            plans=self.plans + other.plans,
            closed_by_reason=self.closed_by_reason + other.closed_by_reason,
            decisions=self.decisions + other.decisions,
            consent=self.consent + other.consent,
            consent_days=self.consent_days + other.consent_days,
            evaluations=self.evaluations + other.evaluations,
            referrals=self.referrals + other.referrals,
        )


def total(figures: list[Figures]) -> Figures:
    """The figures of several scopes together."""
    result = Figures()
    for item in figures:
        result = result + item
    return result


def rounded(value: float, digits: int) -> float:
    """Rounded half up, as people round (Python's round() takes 2.25 to 2.2)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def median(days: list[int]) -> float | None:
    """The median of day spans, None without any."""
    return float(statistics.median(days)) if days else None


@dataclass(frozen=True)
class View:
    """How figures are shown: exact or suppressed, as totals or as an average over `per` schools."""

    suppress: bool
    per: int = 1

    def count(self, n: int) -> Shown:
        """A count (or, with `per` > 1, the average per school behind it)."""
        if self.suppress and 1 <= n <= 4:
            return SUPPRESSED
        return n if self.per == 1 else rounded(n / self.per, 1)

    def derived(self, value: float | None, base: int, digits: int = 1) -> float | None:
        """A median or share over `base` rows; hidden when the base is suppressed."""
        if value is None or (self.suppress and 1 <= base <= 4):
            return None
        return rounded(value, digits)


def render(f: Figures, view: View) -> dict[str, Any]:
    """The figures as the report's JSON sections."""
    c = view.count
    i = f.interventions
    evaluated = i["evaluated"]
    on_time_share = i["evaluated_on_time"] / evaluated if evaluated else None
    return {
        "interventions": {
            "started": c(i["started"]),
            "evaluated": c(evaluated),
            "by_outcome": {o: c(i[o]) for o in OUTCOMES},
            "evaluated_on_time": c(i["evaluated_on_time"]),
            "share_evaluated_on_time": view.derived(on_time_share, evaluated, 3),
            "median_days": view.derived(median(f.intervention_days), len(f.intervention_days)),
            "by_domain": {
                domain: {k: c(counts[k]) for k in ("started", "evaluated", *OUTCOMES)}
                for domain, counts in sorted(f.by_domain.items())
            },
            "outside_support_profile": c(i["outside_support_profile"]),
            "extra_started": c(i["extra_started"]),
        },
        "development_plans": {
            "new": c(f.plans["new"]),
            "active": c(f.plans["active"]),
            "closed": c(f.plans["closed"]),
            "closed_by_reason": {r: c(n) for r, n in sorted(f.closed_by_reason.items())},
            "evaluation_decisions": {d: c(f.decisions[d]) for d in DECISIONS},
        },
        "consent": {
            **{k: c(f.consent[k]) for k in CONSENT},
            "median_days_to_answer": view.derived(median(f.consent_days), len(f.consent_days)),
        },
        "plan_evaluations": {
            "due": c(sum(f.evaluations[s] for s in EVALUATION_STATES)),
            **{s: c(f.evaluations[s]) for s in EVALUATION_STATES},
        },
        "referrals": {
            "requested": c(sum(f.referrals.values())),
            "by_destination": {d: c(n) for d, n in sorted(f.referrals.items())},
        },
    }
