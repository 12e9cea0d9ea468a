"""What the PDF's charts draw: the report's own figures, a suppressed count ("<5") never as a bar
but left out and named in a footnote; a school beside the partnership's average per school."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from services.reports.domain import charts
from services.reports.domain.report import Figures, View, render

EXACT, SUPPRESSED = View(suppress=False), View(suppress=True)


def figures() -> Figures:
    """Reading: 6 evaluated (5 effective, 1 partly); math: 2 started, none evaluated; plan
    decisions: continue 6, back to basic 2; plan evaluations: 7 on time, 3 overdue."""
    return Figures(
        by_domain={
            "reading_dyslexia": Counter(started=6, evaluated=6, effective=5, partly_effective=1),
            "math_dyscalculia": Counter(started=2),
        },
        decisions=Counter({"continue": 6, "back_to_basic": 2}),
        evaluations=Counter(on_time=7, overdue=3),
    )


def school_report(lang: str) -> dict[str, Any]:
    # Over three schools: continue 9 → 3.0 a school, back to basic 3 (a total below 5) → "<5".
    partnership = Figures(decisions=Counter({"continue": 9, "back_to_basic": 3}))
    return {
        "kind": "school",
        "language": lang,
        "figures": render(figures(), EXACT),
        "partnership_average": {"figures": render(partnership, View(suppress=True, per=3))},
    }


@pytest.mark.parametrize(
    "value, height", [(0, 0.0), (7, 7.0), (2.7, 2.7), ("<5", None), ("x", None), (None, None)]
)
def test_a_suppressed_or_left_out_figure_is_no_bar(value, height):
    assert charts.plottable(value) == height


def test_the_effect_per_domain_leaves_a_suppressed_count_out_and_says_so():
    chart = charts.effect_by_domain(render(figures(), SUPPRESSED), "nl")
    assert chart.title == "Effect van geëvalueerde basisinterventies per domein"
    assert chart.categories == ("Leesproblemen en dyslexie",)  # math: nothing evaluated
    assert [s.name for s in chart.series] == ["Effectief", "Deels effectief", "Niet effectief"]
    assert [s.values for s in chart.series] == [(5.0,), (None,), (0.0,)]  # partly: 1 → "<5"
    assert chart.left_out == ("Deels effectief: Leesproblemen en dyslexie",)
    assert charts.footnote(chart, "nl") == (
        "Niet getekend, want een aantal van 1 tot 4 (<5): "
        "Deels effectief: Leesproblemen en dyslexie."
    )


def test_exact_figures_are_all_drawn_without_a_footnote():
    chart = charts.effect_by_domain(render(figures(), EXACT), "en")
    assert chart.categories == ("Reading problems and dyslexia",)
    assert [s.values for s in chart.series] == [(5.0,), (1.0,), (0.0,)]
    assert chart.left_out == ()
    assert charts.footnote(chart, "en") is None
    assert chart.has_bars() and chart.highest() == 5.0


def test_a_school_report_charts_the_school_beside_the_partnerships_average():
    effect, decisions, evaluations = charts.report_charts(school_report("en"))
    assert effect.series[0].values == (5.0,)  # the school's own
    assert decisions.categories == ("Continue", "Back to basic support", "Refer")
    assert [(s.name, s.values) for s in decisions.series] == [
        ("School", (6.0, 2.0, 0.0)),
        ("Partnership average per school", (3.0, None, 0.0)),
    ]
    assert decisions.left_out == ("Partnership average per school: Back to basic support",)
    assert charts.footnote(decisions, "en") == (
        "Not drawn, as a count of 1 to 4 (<5): "
        "Partnership average per school: Back to basic support."
    )
    assert evaluations.series[0].values == (7.0, 3.0, 0.0)
    assert evaluations.series[1].values == (0.0, 0.0, 0.0)


def test_a_partnership_report_charts_its_total():
    report = {
        "kind": "partnership",
        "language": "nl",
        "total": {"figures": render(figures(), SUPPRESSED)},
    }
    _, _, evaluations = charts.report_charts(report)
    assert evaluations.categories == (
        "OPP-evaluaties op tijd",
        "OPP-evaluaties te laat",
        "OPP-evaluaties nog te houden",
    )
    assert [(s.name, s.values) for s in evaluations.series] == [
        ("Totaal samenwerkingsverband", (7.0, None, 0.0))
    ]
    assert evaluations.left_out == ("OPP-evaluaties te laat",)  # one series: no name needed


def test_a_period_without_figures_has_no_bars():
    effect, decisions, _ = charts.report_charts(
        {"kind": "partnership", "language": "nl", "total": {"figures": render(Figures(), EXACT)}}
    )
    assert effect.categories == () and not effect.has_bars()
    assert not decisions.has_bars() and decisions.highest() == 0.0
    assert charts.footnote(decisions, "nl") is None


def test_a_count_hidden_to_prevent_back_calculation_is_no_bar_and_has_its_own_footnote():
    # The mask complementary suppression hands over: the reading domain's 5 effective read "x".
    mask = {("interventions", "by_domain", "reading_dyslexia", "effective"): "x"}
    chart = charts.effect_by_domain(render(figures(), SUPPRESSED, mask), "en")
    assert [s.values for s in chart.series] == [(None,), (None,), (0.0,)]
    assert [s.markers for s in chart.series] == [("x",), ("<5",), (None,)]  # drawn at the bar
    assert chart.left_out == ("Partly effective: Reading problems and dyslexia",)
    assert chart.withheld == ("Effective: Reading problems and dyslexia",)
    assert charts.footnote(chart, "en") == (
        "Not drawn, as a count of 1 to 4 (<5): Partly effective: Reading problems and dyslexia. "
        "Not drawn, as suppressed to prevent back-calculation (x): "
        "Effective: Reading problems and dyslexia."
    )
