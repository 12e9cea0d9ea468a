"""Benchmark: how long a morning peak of due reminders takes to drain (issue 15: 100,000 in at most
30 minutes here), with 1, 2 and 4 worker processes.

A peak of `count` webhook deliveries (tests/support/due_rows.py: due now, critical) is written,
one dispatch task is queued as beat would, and the clock stops when the last row is recorded as
sent, by the project's real Celery worker (the Procfile's command, prefork with N pool
processes) to the local receiver (tests/support/webhook.py). 100,000 rows take too long on a
shared 2-core machine, so a smaller peak is drained and the 100,000 figure extrapolated at the
measured rate: the drain is a steady stream of the same task (the dispatcher's batches queue
themselves behind the workers), so its rate does not depend on the size of the peak once the
worker runs; the dispatcher's sweep over a million planned rows is measured in bench/dispatch.py.

Each row: the extrapolated minutes for 100,000 (`project`) beside the 30-minute target
(`baseline`), goal ratio at most 1. The seconds measured and the rate are printed too.

    .venv/bin/python -m bench --only peak       # 2,000 rows on PostgreSQL, 1, 2, 4 processes
    .venv/bin/python -m bench.peak 10000        # a peak of 10,000, 1, 2 and 4 processes
    .venv/bin/python -m bench.peak 4000 1,2 --db=postgres   # 4,000 rows, 1 and 2, PostgreSQL
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import drop_databases, kinds
from bench.delivery import Deliveries
from bench.table import Row, render, row

PEAK = 100_000
TARGET_MINUTES = 30.0


def drain(kind: str, count: int, processes: int) -> float:
    """Rows per second drained from one dispatch to the last row sent."""
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as folder:
        bench = Deliveries(kind, Path(folder), processes)
        try:
            return bench.project(count)
        finally:
            bench.close()


def peak_rows(kind: str, count: int, processes: tuple[int, ...]) -> list[Row]:
    found = []
    rates: dict[int, float] = {}
    for p in processes:
        rates[p] = drain(kind, count, p)
        minutes = PEAK / rates[p] / 60
        scale = rates[p] / rates[processes[0]]
        print(
            f"  peak ({kind}) {count:,} rows, {p} process(es): {count / rates[p]:.0f} s, "
            f"{rates[p]:.1f}/s (x{scale:.2f} of {processes[0]}); 100,000 in {minutes:.0f} min",
            file=sys.stderr,
        )
        metric = (
            f"peak of 100,000 due, {p} worker process{'es' * (p > 1)}, "
            f"from {count:,} drained ({kind}; baseline: 30 min)"
        )
        found.append(row(metric, "min", minutes, TARGET_MINUTES, 1.0, "lower"))
    return found


def rows(
    quick: bool,
    count: int | None = None,
    processes: tuple[int, ...] | None = None,
    only: str | None = None,
) -> list[Row]:
    """`make bench`: 2,000 due rows on PostgreSQL (production's database; SQLite when none
    answers) with 1, 2 and 4 processes. Not in `make bench-quick` (it would not fit in its
    3 minutes), unless asked for by name: `python -m bench.peak --quick`."""
    if quick and count is None and processes is None and only is None:
        print("  peak: not in the quick run (python -m bench.peak)", file=sys.stderr)
        return []
    count = count or (1000 if quick else 2000)
    processes = processes or ((1, 2) if quick else (1, 2, 4))
    available = kinds(quick)
    wanted = [only] if only else available[-1:]  # PostgreSQL if it answers
    found: list[Row] = []
    try:
        for kind in available:
            if kind in wanted:
                found += peak_rows(kind, count, processes)
    finally:
        drop_databases()
    return found


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else None
    workers = tuple(int(p) for p in args[1].split(",")) if len(args) > 1 else None
    db = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--db=")), None)
    quick = "--quick" in sys.argv
    print(render(rows(quick, size or (1000 if quick else None), workers, db)))
