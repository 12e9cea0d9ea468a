"""The benchmark harness's rows (bench/table.py): the ratio, whether a goal is met either way, the
interleaving of project and baseline, and the documented JSON shape of bench/results/latest.json.
No timing is asserted: the figures come from stand-in functions."""

from __future__ import annotations

import json

import pytest

from bench import __main__ as harness
from bench.table import FIELDS, interleaved, render, row, to_json, write


def test_a_row_holds_project_over_baseline_and_knows_which_way_is_better() -> None:
    rate = row("relay", "events/s", 30.0, 100.0, 0.3, "higher")
    assert rate.ratio == 0.3 and rate.met is True
    assert row("relay", "events/s", 29.0, 100.0, 0.3, "higher").met is False
    time = row("sweep", "ms", 15.0, 10.0, 1.5, "lower")
    assert time.ratio == 1.5 and time.met is True
    assert row("sweep", "ms", 16.0, 10.0, 1.5, "lower").met is False
    assert row("import", "ms/row", 1.0, 1.0, None, "lower").met is None


def test_a_baseline_of_zero_is_refused_rather_than_divided_by() -> None:
    with pytest.raises(ValueError, match="baseline"):
        row("x", "1/s", 1.0, 0.0, 1.0, "higher")


def test_interleaving_alternates_baseline_and_project_and_takes_medians() -> None:
    calls: list[str] = []
    bare_values, our_values = iter([10.0, 30.0, 20.0]), iter([1.0, 9.0, 2.0])

    def bare() -> float:
        calls.append("bare")
        return next(bare_values)

    def ours() -> float:
        calls.append("ours")
        return next(our_values)

    assert interleaved(ours, bare, 3) == (2.0, 20.0)
    assert calls == ["bare", "ours"] * 3


def test_the_json_is_a_list_of_rows_with_the_documented_fields(tmp_path) -> None:
    rows = [
        row("webhook delivery", "msgs/s", 50.0, 200.0, 0.6, "higher"),
        row("import", "ms/row", 1.2, 1.0, None, "lower"),
    ]
    path = tmp_path / "results" / "latest.json"
    write(rows, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == to_json(rows)
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        assert (
            tuple(item)
            == FIELDS
            == ("metric", "unit", "project", "baseline", "ratio", "goal", "better")
        )
        assert isinstance(item["metric"], str) and isinstance(item["unit"], str)
        assert all(isinstance(item[k], float) for k in ("project", "baseline", "ratio"))
        assert item["goal"] is None or isinstance(item["goal"], float)
        assert item["better"] in ("higher", "lower")
    assert data[0]["ratio"] == 0.25 and data[0]["goal"] == 0.6


def test_the_table_names_every_metric_and_says_whether_its_goal_is_met() -> None:
    text = render([row("relay", "events/s", 10.0, 100.0, 0.3, "higher")])
    assert "relay" in text and "0.100" in text and "≥ 0.3" in text and "NO" in text


def test_the_harness_runs_only_named_figures_and_writes_their_rows(tmp_path, monkeypatch) -> None:
    """`python -m bench --only` with a stand-in figure module: one table, one JSON file."""
    import types

    figure = types.ModuleType("bench.standin")
    figure.rows = lambda quick: [row(f"standin quick={quick}", "1/s", 2.0, 4.0, 0.5, "higher")]
    monkeypatch.setitem(__import__("sys").modules, "bench.standin", figure)
    monkeypatch.setattr(harness, "FIGURES", ("standin",))
    out = tmp_path / "latest.json"
    assert harness.main(["--quick", "--only", "standin", "--out", str(out)]) == 0
    [item] = json.loads(out.read_text(encoding="utf-8"))
    assert item["metric"] == "standin quick=True" and item["ratio"] == 0.5
