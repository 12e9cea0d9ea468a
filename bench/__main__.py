"""`make bench` (`python -m bench`): every figure of issue 15 beside its bare baseline, measured
in this one invocation, printed as one table and written to bench/results/latest.json.

    .venv/bin/python -m bench            # the full run (about 17 minutes on this 2-core machine)
    .venv/bin/python -m bench --quick    # fewer rows and rounds (under 3 minutes)
    .venv/bin/python -m bench --only delivery,streams

PostgreSQL is measured beside SQLite when BENCH_POSTGRES_URL or TEST_POSTGRES_URL (or the tests'
default, postgresql://postgres@127.0.0.1:5432/test) answers; see bench/common.py.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from pathlib import Path

from bench.table import Row, render, write

# In the order they run; each module has rows(quick) -> list[Row].
FIGURES = (
    "delivery",
    "mail",
    "streams",
    "consumers",
    "api",
    "dispatch",
    "imports",
    "suppression",
    "reports",
    "web",
    "peak",
)
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a reduced run (under 3 minutes)")
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated figures")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    names = args.only.split(",")
    for name in names:
        if name not in FIGURES:
            parser.error(f"unknown figure {name!r}; choose from {', '.join(FIGURES)}")
    rows: list[Row] = []
    logging.disable(logging.INFO)  # the services' own INFO lines (migrations, requests)
    try:
        for name in names:
            started = time.monotonic()
            rows += importlib.import_module(f"bench.{name}").rows(args.quick)
            print(f"[{name}: {time.monotonic() - started:.0f} s]", file=sys.stderr, flush=True)
    finally:
        logging.disable(logging.NOTSET)  # a caller in the same process logs as before
    print(render(rows))
    write(rows, args.out)
    print(f"\nwritten to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
