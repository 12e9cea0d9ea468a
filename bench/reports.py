"""Benchmark: compiling reports (issue 15) beside the raw SQL aggregate over the same tables.

A read model of one partnership with 10 and with 60 schools of generated facts (many small
counts, so complementary suppression has work). Measured, best of a few runs each, the report
and its raw SQL in turns:

- the school report (exact, beside the partnership's average) and the partnership report, as the
  API compiles them (services/reports/service_layer/compile.py, on a real session);
- the raw SQL aggregate: the very statements the report sends (its GROUP BY queries), recorded
  once and replayed on a bare DB-API cursor, every row fetched: what the database itself costs.

Rows: school report / raw (goal 1.5), partnership report / raw at 60 schools (goal 10), and the
partnership report at 60 schools / at 10 (goal 7: linear growth is 6).

    .venv/bin/python -m bench.reports [--quick]
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert

from bench.common import database_url, drop_databases, kinds
from bench.table import Row, render, row
from services.reports.adapters import orm
from services.reports.adapters.queries import SqlFactReader
from services.reports.domain.report import DECISIONS, OUTCOMES, Period
from services.reports.service_layer import compile as reports
from shared.db import make_engine, session_factory
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parent.parent / "services" / "reports" / "migrations"
PERIOD = Period(date(2026, 8, 1), date(2027, 7, 31))
AS_OF = date(2027, 3, 1)
DOMAINS = ("reading_dyslexia", "math_dyscalculia", "social_safety_behaviour", "language")
PER_SCHOOL = 60  # interventions; plans, evaluations and referrals in proportion


def _day(rng: random.Random) -> date:
    return PERIOD.start + timedelta(days=rng.randint(-30, 364))


def _facts(rng: random.Random, pid: uuid.UUID, sid: uuid.UUID) -> dict[Any, list[dict]]:
    """One school's rows, small counts per domain and outcome."""
    ids = {"partnership_id": pid, "school_id": sid}
    out: dict[Any, list[dict]] = {t: [] for t in (orm.interventions, orm.development_plans)}
    out |= {orm.plan_consents: [], orm.plan_evaluations: [], orm.referrals: []}
    for _ in range(rng.randint(PER_SCHOOL // 2, PER_SCHOOL)):
        started = _day(rng)
        evaluated = started + timedelta(days=rng.randint(20, 120))
        done = rng.random() < 0.7
        out[orm.interventions].append(
            ids
            | {
                "intervention_id": uuid.uuid4(),
                "case_id": uuid.uuid4(),
                "level": rng.choice(["basic", "basic", "basic", "extra"]),
                "domain": rng.choice(DOMAINS),
                "started_on": started,
                "evaluate_by": started + timedelta(days=90),
                "evaluated_on": evaluated if done else None,
                "outcome": rng.choice(OUTCOMES) if done else None,
                "outside_support_profile": rng.random() < 0.1,
            }
        )
    for _ in range(rng.randint(PER_SCHOOL // 6, PER_SCHOOL // 3)):
        plan = uuid.uuid4()
        created = _day(rng)
        closed = created + timedelta(days=rng.randint(60, 300)) if rng.random() < 0.4 else None
        out[orm.development_plans].append(
            ids
            | {
                "plan_id": plan,
                "case_id": uuid.uuid4(),
                "created_on": created,
                "activated_on": created + timedelta(days=14),
                "closed_on": closed,
                "close_reason": rng.choice(["back_to_basic", "referral", "moved"])
                if closed
                else None,
            }
        )
        out[orm.plan_consents].append(
            ids
            | {
                "consent_id": uuid.uuid4(),
                "plan_id": plan,
                "action_plan_version": 1,
                "requested_on": created,
                "recorded_on": created + timedelta(days=rng.randint(1, 20)),
                "decision": rng.choice(["agreed", "agreed", "agreed", "declined"]),
            }
        )
        for n in range(rng.randint(0, 2)):
            due = created + timedelta(days=90 * (n + 1))
            held = due + timedelta(days=rng.randint(-10, 20)) if due < AS_OF else None
            out[orm.plan_evaluations].append(
                ids
                | {
                    "evaluation_id": uuid.uuid4(),
                    "case_id": uuid.uuid4(),
                    "plan_id": plan,
                    "due_on": due,
                    "held_on": held,
                    "decision": rng.choice(DECISIONS) if held else None,
                }
            )
        if closed and rng.random() < 0.5:
            out[orm.referrals].append(
                ids
                | {
                    "referral_id": uuid.uuid4(),
                    "case_id": uuid.uuid4(),
                    "plan_id": plan,
                    "requested_on": closed,
                    "destination": rng.choice(["sbo", "so", "other"]),
                    **_tlv(rng, closed),
                }
            )
    return out


def _tlv(rng: random.Random, requested: date) -> dict[str, Any]:
    """A TLV application on a referral, mostly decided (issue 14): granted for sbo or so (with a
    category) or refused, some without the parents' agreement, some past the deadline."""
    submitted = requested + timedelta(days=rng.randint(7, 40))
    decide_by = submitted + timedelta(weeks=6)
    decided = submitted + timedelta(days=rng.randint(20, 70))
    granted = rng.random() < 0.8
    school_type = rng.choice(["sbo", "so"]) if granted else None
    return {
        "submitted_on": submitted,
        "parents_agreed": rng.random() < 0.9,
        "decide_by": decide_by,
        "decision": ("granted" if granted else "refused") if decided < AS_OF else None,
        "decided_on": decided if decided < AS_OF else None,
        "school_type": school_type if decided < AS_OF else None,
        "category": rng.choice(["low", "medium", "high"]) if school_type == "so" else None,
    }


def _seed(engine: Engine, schools: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    rng = random.Random(schools)
    pid = uuid.UUID(int=rng.getrandbits(128))
    sids = sorted(uuid.UUID(int=rng.getrandbits(128)) for _ in range(schools))
    with engine.begin() as conn:
        conn.execute(insert(orm.partnerships), [{"partnership_id": pid, "name": "Bench"}])
        rows = [
            {"school_id": s, "partnership_id": pid, "name": f"School {i}"}
            for i, s in enumerate(sids)
        ]
        conn.execute(insert(orm.schools), rows)
        for sid in sids:
            for table, facts in _facts(rng, pid, sid).items():
                if facts:
                    conn.execute(insert(table), facts)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    return pid, sids


def _bare(engine: Engine, work: Callable[[], object]) -> Callable[[], None]:
    """The SQL statements `work` sends, replayed as they are on a bare DB-API cursor (each
    statement and its parameters, every row fetched): what the database costs for the report."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", record)

    def replay() -> None:
        conn = engine.raw_connection()
        try:
            cursor = conn.cursor()
            for statement, parameters in sent:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            conn.rollback()
        finally:
            conn.close()

    return replay


def _best(works: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The best of `repeats` runs of each work, in seconds, after one warm-up run of each
    (compiled statements, caches, a connection in the pool). The works take turns within every
    round, so a burst of load from other work on the machine falls on both sides of a ratio;
    the garbage collector runs between runs, not inside one."""
    for work in works.values():
        work()
    best = dict.fromkeys(works, float("inf"))
    for _ in range(repeats):
        for name, work in works.items():
            gc.collect()
            gc.disable()
            try:
                started = time.perf_counter()
                work()
                best[name] = min(best[name], time.perf_counter() - started)
            finally:
                gc.enable()
    return best


def _measure(url: str, schools: int, repeats: int) -> dict[str, float]:
    """Seconds for the school report, the partnership report and the raw aggregate."""
    engine = make_engine(url)
    upgrade(MIGRATIONS, engine)
    pid, sids = _seed(engine, schools)
    sessions = session_factory(engine)

    @contextmanager
    def readers() -> Iterator[SqlFactReader]:
        session = sessions()
        try:
            yield SqlFactReader(session)
        finally:
            session.rollback()
            session.close()

    def school() -> None:
        reports.school_report(readers, pid, sids[0], PERIOD, AS_OF, exact=True)

    def partnership() -> None:
        reports.partnership_report(readers, pid, PERIOD, AS_OF)

    works = {
        "raw school": _bare(engine, school),
        "school": school,
        "raw partnership": _bare(engine, partnership),
        "partnership": partnership,
    }
    out = _best(works, repeats)
    engine.dispose()
    return out


def rows(quick: bool) -> list[Row]:
    """The school report beside the raw aggregate; the partnership report beside it at 60
    schools and beside itself at 10."""
    repeats = 3 if quick else 15
    found = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            for kind in kinds(quick):
                small = _measure(database_url(kind, folder, "reports10"), 10, repeats)
                large = _measure(database_url(kind, folder, "reports60"), 60, repeats)
                ms = {k: v * 1000 for k, v in large.items()}
                found += [
                    row(
                        f"school report vs its raw SQL, 60 schools ({kind})",
                        "ms",
                        ms["school"],
                        ms["raw school"],
                        1.5,
                        "lower",
                    ),
                    row(
                        f"partnership report vs its raw SQL, 60 schools ({kind})",
                        "ms",
                        ms["partnership"],
                        ms["raw partnership"],
                        10.0,
                        "lower",
                    ),
                    row(
                        f"partnership report, 60 vs 10 schools ({kind})",
                        "ms",
                        ms["partnership"],
                        small["partnership"] * 1000,
                        7.0,
                        "lower",
                    ),
                ]
        finally:
            drop_databases()
    return found


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
