"""The benchmark table (issue 15): one row per figure, the project beside the bare component it
stands on, measured in the same run, and the ratio the issue asks of it.

A row is {"metric", "unit", "project", "baseline", "ratio", "goal", "better"}: `ratio` is
project / baseline; `better` says which way is good ("higher" for rates, "lower" for times), and
`goal` is the ratio the row must reach (at least, for "higher"; at most, for "lower"). A row with
no bare counterpart (a growth figure: the same code at two sizes) has the smaller size as its
baseline. `goal` may be None where the issue sets none."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Better = Literal["higher", "lower"]
FIELDS = ("metric", "unit", "project", "baseline", "ratio", "goal", "better")


@dataclass(frozen=True)
class Row:
    metric: str
    unit: str
    project: float
    baseline: float
    ratio: float
    goal: float | None
    better: Better

    @property
    def met(self) -> bool | None:
        """Whether the ratio reaches the goal (None without a goal)."""
        if self.goal is None:
            return None
        return self.ratio >= self.goal if self.better == "higher" else self.ratio <= self.goal


def row(
    metric: str, unit: str, project: float, baseline: float, goal: float | None, better: Better
) -> Row:
    """A row with its ratio, project / baseline (rounded to what a reader compares)."""
    if baseline <= 0:
        raise ValueError(f"{metric}: the baseline must be positive, got {baseline}")
    return Row(metric, unit, project, baseline, round(project / baseline, 4), goal, better)


def interleaved(
    project: Callable[[], float], baseline: Callable[[], float], rounds: int
) -> tuple[float, float]:
    """The medians of `rounds` alternating runs of each (baseline first, then project), so a
    noisy neighbour on the machine weighs on both alike."""
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(rounds):
        bare.append(baseline())
        ours.append(project())
    return statistics.median(ours), statistics.median(bare)


def rate(count: int, work: Callable[[], object]) -> float:
    """`count` divided by the seconds `work` took."""
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value < 1 else f"{value:.1f}"


def render(rows: Sequence[Row]) -> str:
    """A fixed-width table: metric, unit, project, bare baseline, ratio, goal, met."""
    head = ("metric", "unit", "project", "bare", "ratio", "goal", "met")
    body = [
        (
            r.metric,
            r.unit,
            _number(r.project),
            _number(r.baseline),
            f"{r.ratio:.3f}",
            "" if r.goal is None else ("≥ " if r.better == "higher" else "≤ ") + f"{r.goal:g}",
            {True: "yes", False: "NO", None: ""}[r.met],
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
        for line in [head, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def to_json(rows: Sequence[Row]) -> list[dict[str, object]]:
    return [asdict(r) for r in rows]


def write(rows: Sequence[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(rows), indent=2) + "\n", encoding="utf-8")
