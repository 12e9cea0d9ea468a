"""What the PDF's charts draw, taken from a report's rendered figures (never recomputed).

A suppressed count ("<5", or "x" where it is hidden so that no "<5" can be worked out) is never
drawn as a bar: its height would tell exactly what the suppression hides. It is left out of the
chart (no bar, its marker where the bar would be) and named in a footnote under it. A school
report's charts put the school beside the partnership's average per school, as its JSON does.

Each series has a look that means something: an effect its own colour (effective green, partly
effective amber, not effective red), told apart without colour too, by a pattern (solid,
hatched, cross-hatched) and by lightness, for colour-blind readers and grey prints. The scopes
compared (the school, the average) have looks no effect uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.reports.domain import formats, labels
from services.reports.domain.report import (
    COMPLEMENTARY,
    DECISIONS,
    EVALUATION_STATES,
    OUTCOMES,
    SUPPRESSED,
    WITHHELD,
    Shown,
)

Scope = tuple[str, dict[str, Any]]  # (label, rendered sections)

TITLES: dict[str, tuple[str, str]] = {
    "effect_by_domain": (
        "Effect van geëvalueerde basisinterventies per domein",
        "Effect of evaluated basic interventions per domain",
    ),
    "decisions": ("Besluit na OPP-evaluatie", "Decision at plan evaluation"),
    "evaluations": ("OPP-evaluaties op tijd en te laat", "Plan evaluations on time and overdue"),
}
FOOTNOTE = (
    "Niet getekend, want een aantal van 1 tot 4 (<5): {items}.",
    "Not drawn, as a count of 1 to 4 (<5): {items}.",
)
FOOTNOTE_WITHHELD = (
    "Niet getekend, want onderdrukt om terugrekenen te voorkomen (x): {items}.",
    "Not drawn, as suppressed to prevent back-calculation (x): {items}.",
)
FOOTNOTE_OMITTED = (
    "Niet getekend, want weggelaten om terugrekenen te voorkomen (–): {items}.",
    "Not drawn, as left out to prevent back-calculation (–): {items}.",
)


class Pattern(StrEnum):
    """What is drawn over a bar's colour, so that series differ without colour."""

    SOLID = "solid"
    HATCHED = "hatched"  # diagonal lines
    CROSS_HATCHED = "cross_hatched"  # lines both ways


@dataclass(frozen=True)
class Look:
    """How a series' bars (and its legend swatch) are drawn: a '#rrggbb' colour and a pattern."""

    colour: str
    pattern: Pattern = Pattern.SOLID


# Green, amber and red, far apart in lightness (dark, light, medium) as well as in pattern.
OUTCOME_LOOKS: dict[str, Look] = {
    "effective": Look("#00441B", Pattern.SOLID),
    "partly_effective": Look("#F2A900", Pattern.HATCHED),
    "not_effective": Look("#E0402A", Pattern.CROSS_HATCHED),
}
# The scopes compared: the school (or the total) in blue, the partnership's average in grey.
SCOPE_LOOKS: tuple[Look, ...] = (Look("#2C6FB7"), Look("#9A9A9A", Pattern.HATCHED))


@dataclass(frozen=True)
class Series:
    """One kind of bars: a label, its look, a height per category (None: no bar), and the
    marker ("<5", "x") shown where a suppressed bar is left out."""

    name: str
    values: tuple[float | None, ...]
    markers: tuple[str | None, ...] = ()
    look: Look = SCOPE_LOOKS[0]
    texts: tuple[str, ...] = ()  # each value as the tables write it (domain/formats.py)


@dataclass(frozen=True)
class Chart:
    """A bar chart's data: categories, series, and the suppressed values left out of it: "<5"
    (`left_out`), "x" (`withheld`) and "–" (`omitted`: a count small numbers alone would give
    away, domain/suppression.py)."""

    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    left_out: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    omitted: tuple[str, ...] = ()

    def has_bars(self) -> bool:
        """Whether any bar is higher than zero."""
        return any(v for s in self.series for v in s.values)

    def highest(self) -> float:
        """The highest bar (0 without any)."""
        return max((v for s in self.series for v in s.values if v is not None), default=0.0)


def plottable(value: Shown) -> float | None:
    """A figure as a bar's height: a number as it is; "<5", "x" (or a figure left out) as no
    bar."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[labels.LANGUAGES.index(lang)]


def bars(
    key: str,
    categories: list[str],
    series: list[tuple[str, list[Shown]]],
    lang: str,
    looks: list[Look] | tuple[Look, ...] = SCOPE_LOOKS,
) -> Chart:
    """A chart of figures per category and series (each with its look, in order); suppressed
    ones left out and listed."""
    return Chart(
        key=key,
        title=_pick(TITLES[key], lang),
        categories=tuple(categories),
        series=tuple(
            Series(
                name,
                tuple(plottable(v) for v in values),
                tuple(v if isinstance(v, str) else None for v in values),
                looks[i % len(looks)],
                tuple(formats.shown(v, (), lang) for v in values),
            )
            for i, (name, values) in enumerate(series)
        ),
        left_out=_hidden(categories, series, SUPPRESSED),
        withheld=_hidden(categories, series, COMPLEMENTARY),
        omitted=_hidden(categories, series, WITHHELD),
    )


def _hidden(
    categories: list[str], series: list[tuple[str, list[Shown]]], marker: str
) -> tuple[str, ...]:
    """The categories (with their series' name when there are several) showing `marker`."""
    out = []
    for name, values in series:
        hidden = [c for c, v in zip(categories, values, strict=True) if v == marker]
        if hidden:
            out.append(", ".join(hidden) if len(series) == 1 else f"{name}: {', '.join(hidden)}")
    return tuple(out)


def effect_by_domain(sections: dict[str, Any], lang: str) -> Chart:
    """Effective, partly and not effective per domain with evaluations, bars by effect."""
    domains = sections["interventions"]["by_domain"]
    shown = [d for d, counts in domains.items() if counts.get("evaluated", 0) != 0]
    series = [(labels.code(o, lang), [domains[d].get(o, 0) for d in shown]) for o in OUTCOMES]
    looks = [OUTCOME_LOOKS[o] for o in OUTCOMES]
    return bars("effect_by_domain", [labels.code(d, lang) for d in shown], series, lang, looks)


def decisions(scopes: list[Scope], lang: str) -> Chart:
    """The decisions at plan evaluations (continue, back to basic, refer), a bar per scope."""
    series = [
        (name, [s["development_plans"]["evaluation_decisions"].get(d, 0) for d in DECISIONS])
        for name, s in scopes
    ]
    return bars("decisions", [labels.code(d, lang) for d in DECISIONS], series, lang)


def evaluations(scopes: list[Scope], lang: str) -> Chart:
    """Plan evaluations held on time, overdue and still to come, a bar per scope."""
    categories = [labels.figure(("plan_evaluations", s), lang) for s in EVALUATION_STATES]
    series = [(name, [s["plan_evaluations"][st] for st in EVALUATION_STATES]) for name, s in scopes]
    return bars("evaluations", categories, series, lang)


def scopes(report: dict[str, Any]) -> list[Scope]:
    """What a report's charts compare: the school beside the partnership's average per school,
    or the partnership's total."""
    lang = report["language"]
    if report["kind"] == "school":
        return [
            (labels.column("scope", lang), report["figures"]),
            (labels.column("average", lang), report["partnership_average"]["figures"]),
        ]
    return [(labels.column("total", lang), report["total"]["figures"])]


def report_charts(report: dict[str, Any]) -> list[Chart]:
    """The charts of a report: the effect per domain of its subject (the school, or the
    partnership's total), and the plan evaluations' decisions and timeliness per scope."""
    lang = report["language"]
    compared = scopes(report)
    return [
        effect_by_domain(compared[0][1], lang),
        decisions(compared, lang),
        evaluations(compared, lang),
    ]


def footnote(chart: Chart, lang: str) -> str | None:
    """The footnote naming what a chart leaves out, None when it leaves nothing out."""
    notes = [
        _pick(text, lang).format(items="; ".join(items))
        for text, items in (
            (FOOTNOTE, chart.left_out),
            (FOOTNOTE_WITHHELD, chart.withheld),
            (FOOTNOTE_OMITTED, chart.omitted),
        )
        if items
    ]
    return " ".join(notes) or None


DESCRIPTION = (
    "Staafdiagram. {title}. {items}.",
    "Bar chart. {title}. {items}.",
)


def description(chart: Chart, lang: str) -> str:
    """What a chart shows, in words: its alt text for a reader who cannot see it. Per category,
    each series' value as the tables write it ("<5" or "x" where a bar is left out)."""
    items = [
        f"{category}: {', '.join(f'{s.name} {s.texts[c]}' for s in chart.series)}"
        for c, category in enumerate(chart.categories)
    ]
    return _pick(DESCRIPTION, lang).format(title=chart.title, items="; ".join(items))
