"""The additive groups of a report's figures (a shown total = the sum of its parts), which
complementary suppression (domain/suppression.py) audits: see its docstring for the list."""

from __future__ import annotations

from collections.abc import Mapping

from services.reports.domain.report import (
    EVALUATION_STATES,
    OUTCOMES,
    TLV,
    TLV_CATEGORIES,
    TLV_DECISIONS,
    TLV_SCHOOL_TYPES,
    Figures,
    Path,
    counts,
)

I = "interventions"  # noqa: E741 - the section's initial


def remainder(path: Path) -> bool:
    """Whether a path names a remainder: a figure the report does not show."""
    return path[-1].startswith("~")


def within(cells: Mapping[Path, int]) -> list[tuple[str, Path, list[Path], bool]]:
    """One scope's additive groups: (name, total, parts, whether the parts cover the total by the
    cases service's rules: every evaluation has an effect, every intervention a domain)."""
    domains = sorted({p[2] for p in cells if p[:2] == (I, "by_domain")})

    def per_domain(key: str) -> list[Path]:
        return [(I, "by_domain", d, key) for d in domains]

    plans, evaluations, referrals = "development_plans", "plan_evaluations", "referrals"
    return [
        ("outcomes", (I, "evaluated"), [(I, "by_outcome", o) for o in OUTCOMES], True),
        ("late", (I, "evaluated"), [(I, "evaluated_on_time")], False),
        ("domains_started", (I, "started"), per_domain("started"), True),
        ("domains_evaluated", (I, "evaluated"), per_domain("evaluated"), True),
        *((f"domains_{o}", (I, "by_outcome", o), per_domain(o), True) for o in OUTCOMES),
        *((f"outcomes_{d}", (I, "by_domain", d, "evaluated"), _effects(d), True) for d in domains),
        ("reasons", (plans, "closed"), _under(cells, plans, "closed_by_reason"), True),
        ("states", (evaluations, "due"), [(evaluations, s) for s in EVALUATION_STATES], True),
        (
            "destinations",
            (referrals, "requested"),
            _under(cells, referrals, "by_destination"),
            True,
        ),
        *_tlv_groups(),
    ]


def _tlv_groups() -> list[tuple[str, Path, list[Path], bool]]:
    """The additive groups of the TLV section; a grant has a school type and a grant for so a
    category by the cases service's rules, so those parts cover their totals."""
    return [
        ("tlv_agreement", (TLV, "submitted"), [(TLV, "submitted_without_agreement")], False),
        ("tlv_decisions", (TLV, "decided"), [(TLV, d) for d in TLV_DECISIONS], True),
        ("tlv_late", (TLV, "decided"), [(TLV, "decided_late")], False),
        (
            "tlv_types",
            (TLV, "granted"),
            [(TLV, "granted_by_school_type", t) for t in TLV_SCHOOL_TYPES],
            True,
        ),
        (
            "tlv_categories",
            (TLV, "granted_by_school_type", "so"),
            [(TLV, "so_by_category", c) for c in TLV_CATEGORIES],
            True,
        ),
    ]


def _effects(domain: str) -> list[Path]:
    return [(I, "by_domain", domain, o) for o in OUTCOMES]


def _under(cells: Mapping[Path, int], section: str, key: str) -> list[Path]:
    return [p for p in cells if p[:2] == (section, key)]


def layout(figures: Figures) -> tuple[dict[Path, int], list[tuple[Path, list[Path]]]]:
    """A scope's counts by path, with a remainder (path ending in '~name') for each group whose
    parts leave some of the total over (always 'late'; the others only when the data break the
    rules), and its groups."""
    cells = counts(figures)
    groups = []
    for name, total, parts, complete in within(cells):
        rest = cells[total] - sum(cells[p] for p in parts)
        if not complete or rest:
            extra = (*total, f"~{name}")
            cells[extra] = rest
            parts = [*parts, extra]
        groups.append((total, parts))
    return cells, groups
