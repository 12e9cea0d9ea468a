"""An outcome report: the figures of a school (or of several together) over a period, and how they
are shown — exact inside the school, with small numbers suppressed anywhere else.

Suppression (kleine aantallen): in a report that leaves the school every count from 1 to 4 is
shown as "<5"; 0 stays 0, since it identifies nobody. A median or share computed over 1 to 4 rows
would tell as much as the rows themselves, so it is left out (None) as well; its base count beside
it reads "<5". An average per school is shown as "<5" when the total behind it is 1 to 4.
Differencing (a total minus the visible parts) is guarded against by complementary suppression
(domain/suppression.py): it hands `render` a mask of further counts to show as "x". A share whose
numerator or denominator is hidden is left out too, since it would give the hidden count back.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.errors import RuleViolation

SUPPRESSED = "<5"
# A count of 5 or more hidden so that no "<5" can be worked out from the others (back-calculation).
COMPLEMENTARY = "x"
# A count left out as neither "<5" nor "x" could keep it from being worked out (the same dash as a
# median left out, formats.HIDDEN): four "<5" parts of a "<5" total of 4 can only all be 1.
WITHHELD = "–"
MARKERS = (SUPPRESSED, COMPLEMENTARY, WITHHELD)
OUTCOMES = ("effective", "partly_effective", "not_effective")
DECISIONS = ("continue", "back_to_basic", "refer")
CONSENT = ("agreed", "declined")
EVALUATION_STATES = ("on_time", "overdue", "open")
# The partnership's decisions on TLV applications (shared/events/case_events/base.py, TLV_*).
TLV = "admission_statements"  # the section of toelaatbaarheidsverklaringen
TLV_DECISIONS = ("granted", "refused")
TLV_SCHOOL_TYPES = ("sbo", "so")
TLV_CATEGORIES = ("low", "medium", "high")
# A lead time over fewer decisions is not shown, in any report: it would say little, and outside
# the school it would tell as much as the decisions themselves.
LEAD_TIME_BASE = 5

Shown = int | float | str | None
Path = tuple[str, ...]
Mask = dict[Path, str]  # the hidden counts of one scope, by path, and their marker


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
    # TLV applications and decisions: submitted, submitted_without_agreement, granted, refused,
    # the school types and categories of the grants, decided_late; and the days from the
    # application to each decision.
    tlv: Counter[str] = field(default_factory=Counter)
    tlv_days: list[int] = field(default_factory=list)

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
            tlv=self.tlv + other.tlv,
            tlv_days=self.tlv_days + other.tlv_days,
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


def counts(f: Figures) -> dict[Path, int]:
    """Every count of the figures by its path in the rendered report, in the report's order."""
    I, i, plans = "interventions", f.interventions, "development_plans"  # noqa: E741
    out: dict[Path, int] = {(I, "started"): i["started"], (I, "evaluated"): i["evaluated"]}
    out |= {(I, "by_outcome", o): i[o] for o in OUTCOMES}
    out[(I, "evaluated_on_time")] = i["evaluated_on_time"]
    for domain, n in sorted(f.by_domain.items()):
        out |= {(I, "by_domain", domain, k): n[k] for k in ("started", "evaluated", *OUTCOMES)}
    out[(I, "outside_support_profile")] = i["outside_support_profile"]
    out[(I, "extra_started")] = i["extra_started"]
    out |= {(plans, k): f.plans[k] for k in ("new", "active", "closed")}
    out |= {(plans, "closed_by_reason", r): n for r, n in sorted(f.closed_by_reason.items())}
    out |= {(plans, "evaluation_decisions", d): f.decisions[d] for d in DECISIONS}
    out |= {("consent", k): f.consent[k] for k in CONSENT}
    out[("plan_evaluations", "due")] = sum(f.evaluations[s] for s in EVALUATION_STATES)
    out |= {("plan_evaluations", s): f.evaluations[s] for s in EVALUATION_STATES}
    out[("referrals", "requested")] = sum(f.referrals.values())
    out |= {("referrals", "by_destination", d): n for d, n in sorted(f.referrals.items())}
    return out | tlv_counts(f.tlv)


def tlv_counts(tlv: Counter[str]) -> dict[Path, int]:
    """The counts of the section on TLV applications and decisions, by path."""
    out: dict[Path, int] = {
        (TLV, "submitted"): tlv["submitted"],
        (TLV, "submitted_without_agreement"): tlv["submitted_without_agreement"],
        (TLV, "decided"): sum(tlv[d] for d in TLV_DECISIONS),
    }
    out |= {(TLV, d): tlv[d] for d in TLV_DECISIONS}
    out |= {(TLV, "granted_by_school_type", t): tlv[t] for t in TLV_SCHOOL_TYPES}
    out |= {(TLV, "so_by_category", c): tlv[c] for c in TLV_CATEGORIES}
    out[(TLV, "decided_late")] = tlv["decided_late"]
    return out


def render(f: Figures, view: View, mask: Mask | None = None) -> dict[str, Any]:
    """The figures as the report's JSON sections; `mask` names counts to show as its marker
    instead ("<5", "x"), as complementary suppression decided."""
    every = counts(f)

    def c(*path: str) -> Shown:
        return mask[path] if mask and path in mask else view.count(every[path])

    def under(*prefix: str) -> dict[str, Shown]:
        n = len(prefix)
        return {p[n]: c(*p) for p in every if p[:n] == prefix and len(p) == n + 1}

    I = "interventions"  # noqa: E741 - the section's initial
    i = f.interventions
    evaluated = i["evaluated"]
    on_time_share = i["evaluated_on_time"] / evaluated if evaluated else None
    if isinstance(c(I, "evaluated"), str) or isinstance(c(I, "evaluated_on_time"), str):
        on_time_share = None  # with one of its two counts beside it, it gives the other back
    return {
        I: {
            "started": c(I, "started"),
            "evaluated": c(I, "evaluated"),
            "by_outcome": under(I, "by_outcome"),
            "evaluated_on_time": c(I, "evaluated_on_time"),
            "share_evaluated_on_time": view.derived(on_time_share, evaluated, 3),
            "median_days": view.derived(median(f.intervention_days), len(f.intervention_days)),
            "by_domain": {d: under(I, "by_domain", d) for d in sorted(f.by_domain)},
            "outside_support_profile": c(I, "outside_support_profile"),
            "extra_started": c(I, "extra_started"),
        },
        "development_plans": {
            "new": c("development_plans", "new"),
            "active": c("development_plans", "active"),
            "closed": c("development_plans", "closed"),
            "closed_by_reason": under("development_plans", "closed_by_reason"),
            "evaluation_decisions": under("development_plans", "evaluation_decisions"),
        },
        "consent": {
            **{k: c("consent", k) for k in CONSENT},
            "median_days_to_answer": view.derived(median(f.consent_days), len(f.consent_days)),
        },
        "plan_evaluations": {
            "due": c("plan_evaluations", "due"),
            **{s: c("plan_evaluations", s) for s in EVALUATION_STATES},
        },
        "referrals": {
            "requested": c("referrals", "requested"),
            "by_destination": under("referrals", "by_destination"),
        },
        TLV: _tlv_section(f, view, c, under),
    }


def _tlv_section(
    f: Figures,
    view: View,
    c: Callable[..., Shown],
    under: Callable[..., dict[str, Shown]],
) -> dict[str, Any]:
    """The section on TLV applications and decisions (toelaatbaarheidsverklaringen)."""
    return {
        "submitted": c(TLV, "submitted"),
        "submitted_without_agreement": c(TLV, "submitted_without_agreement"),
        "decided": c(TLV, "decided"),
        **{d: c(TLV, d) for d in TLV_DECISIONS},
        "granted_by_school_type": under(TLV, "granted_by_school_type"),
        "so_by_category": under(TLV, "so_by_category"),
        "median_days_to_decision": view.derived(lead_time(f.tlv_days), len(f.tlv_days)),
        "decided_late": c(TLV, "decided_late"),
    }


def lead_time(days: list[int]) -> float | None:
    """The median days from application to decision; None over fewer than LEAD_TIME_BASE."""
    return median(days) if len(days) >= LEAD_TIME_BASE else None
