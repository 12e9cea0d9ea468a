"""What the PDF's charts draw: the report's own figures, a suppressed count ("<5") never as a bar
but left out and named in a footnote; a school beside the partnership's average per school."""

from __future__ import annotations

import colorsys
import itertools
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
    assert decisions.categories == ("Continue the plan", "Back to basic support", "Refer")
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


def test_a_count_left_out_is_no_bar_and_named_in_the_footnote_as_left_out():
    # A count small numbers alone would give away is left out ("–", domain/suppression.py).
    mask = {("interventions", "by_domain", "reading_dyslexia", "effective"): "–"}
    chart = charts.effect_by_domain(render(figures(), SUPPRESSED, mask), "nl")
    assert [s.values for s in chart.series][0] == (None,)
    assert chart.omitted == ("Effectief: Leesproblemen en dyslexie",)
    assert charts.footnote(chart, "nl").endswith(
        "Niet getekend, want weggelaten om terugrekenen te voorkomen (–): "
        "Effectief: Leesproblemen en dyslexie."
    )
    assert "Not drawn, as left out to prevent back-calculation (–): Effective: Reading" in (
        charts.footnote(charts.effect_by_domain(render(figures(), SUPPRESSED, mask), "en"), "en")
    )


# -- what the bars look like (issue 11, item 16) ----------------------------------------------


def hue(colour: str) -> float:
    """The hue of a '#rrggbb' colour in degrees (0 red, 40 amber, 120 green)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def lightness(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b  # relative luminance (sRGB weights)


def test_each_effect_is_drawn_in_a_meaningful_colour():
    chart = charts.effect_by_domain(render(figures(), EXACT), "nl")
    looks = {s.name: s.look for s in chart.series}
    effective, partly, not_effective = (
        looks[n] for n in ("Effectief", "Deels effectief", "Niet effectief")
    )
    assert 90 <= hue(effective.colour) <= 160  # green
    assert 30 <= hue(partly.colour) <= 50  # amber
    assert hue(not_effective.colour) <= 15 or hue(not_effective.colour) >= 345  # red
    assert charts.OUTCOME_LOOKS["not_effective"] == not_effective  # by outcome, not by position


def test_the_effects_differ_without_colour_too():
    looks = [charts.OUTCOME_LOOKS[o] for o in ("effective", "partly_effective", "not_effective")]
    assert len({look.pattern for look in looks}) == 3  # solid, hatched, cross-hatched
    shades = sorted(lightness(look.colour) for look in looks)
    assert min(b - a for a, b in itertools.pairwise(shades)) > 0.1  # apart in a grey print too


def test_the_scopes_compared_have_looks_of_their_own():
    decisions = charts.decisions(charts.scopes(school_report("nl")), "nl")
    school, average = (s.look for s in decisions.series)
    assert school != average and school.pattern != average.pattern
    effect_colours = {look.colour for look in charts.OUTCOME_LOOKS.values()}
    assert not {school.colour, average.colour} & effect_colours  # no colour means two things


def test_the_pdf_fills_and_hatches_each_effects_bars_by_its_look():
    from xml.etree import ElementTree

    from services.reports.adapters import chart_svg

    chart = charts.effect_by_domain(render(figures(), EXACT), "en")
    svg = ElementTree.fromstring(chart_svg.svg(chart, 400, "en"))
    ns = "{http://www.w3.org/2000/svg}"
    fills = [r.get("fill").lower() for r in svg.iter(f"{ns}rect")]
    looks = {o: look.colour.lower() for o, look in charts.OUTCOME_LOOKS.items()}
    # The bars (reading: effective and partly effective) and the legend's three swatches.
    assert sorted(fills) == sorted([looks["effective"], looks["partly_effective"], *looks.values()])
    hatching = [x for x in svg.iter(f"{ns}line") if x.get("stroke") == "#FFFFFF"]
    assert hatching  # partly effective hatched, not effective cross-hatched (its swatch)
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert {"Effective", "Partly effective", "Not effective"} <= set(texts)  # the legend
    assert "Reading problems and dyslexia" in texts


def test_a_charts_alt_text_says_its_figures_in_words_as_the_tables_write_them():
    chart = charts.decisions(charts.scopes(school_report("nl")), "nl")
    text = charts.description(chart, "nl")
    assert text.startswith("Staafdiagram. Besluit na OPP-evaluatie. Doorgaan met het OPP: School ")
    # The average's back to basic (3 over three schools, a total below 5) is "<5", as in the
    # table; its continue 9 over three schools is 3,0, one decimal as an average.
    assert "Gemiddelde per school in het samenwerkingsverband 3,0" in text
    back = text.split("Terug naar basisondersteuning: ")[1].split(";")[0]
    assert back.endswith("Gemiddelde per school in het samenwerkingsverband <5"), back
    assert text.endswith(
        "Verwijzen: School 0, Gemiddelde per school in het samenwerkingsverband 0,0."
    )
    english = charts.description(charts.decisions(charts.scopes(school_report("en")), "en"), "en")
    assert english.startswith("Bar chart. Decision at plan evaluation. Continue the plan: School ")
