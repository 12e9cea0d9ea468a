"""Every figure of a report says what it counts, in Dutch and English (issue 11, item 16)."""

from __future__ import annotations

import pytest

from services.reports.domain import labels
from services.reports.domain.report import Figures, View, render
from services.reports.domain.table import flatten


def test_every_figure_is_explained_in_both_languages():
    assert set(labels.EXPLANATIONS) == set(labels.FIGURES)
    for key, (nl, en) in labels.EXPLANATIONS.items():
        assert nl.strip() and en.strip() and nl != en, key


def test_every_figure_of_a_rendered_report_has_its_explanation():
    paths = {".".join(p[:2]) for p, _ in flatten(render(Figures(), View(suppress=False)))}
    assert paths <= set(labels.EXPLANATIONS)


@pytest.mark.parametrize("lang", labels.LANGUAGES)
def test_the_explanations_list_each_figure_then_the_markers(lang):
    rows = labels.explanations(lang)
    assert [label for label, _ in rows] == [
        *(labels.figure(tuple(k.split(".")), lang) for k in labels.FIGURES),
        "<5",
        "x",
        "–",
    ]
    assert all(text for _, text in rows)


def test_the_decisions_and_the_evaluations_on_time_say_why_they_can_differ():
    # "OPP-evaluaties op tijd 0" beside "Besluit: voortzetten 1": one counts meetings held in the
    # period, the other evaluations planned in it.
    decisions = labels.EXPLANATIONS["development_plans.evaluation_decisions"]
    assert "gehouden" in decisions[0] and "geplande datum" in decisions[0]
    assert "held" in decisions[1] and "planned date" in decisions[1]
    due = labels.EXPLANATIONS["plan_evaluations.due"]
    assert "niet instemden" in due[0] and "did not agree" in due[1]


def test_the_json_labels_carry_the_explanations():
    assert labels.labels("en")["explanations"]["plan_evaluations.open"] == (
        "Of the plan evaluations due: the date is still to come (after the day of compiling)."
    )
