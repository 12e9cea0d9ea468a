"""Benchmark: bulk import of pupils (issue 7). Prints the time of a 1,000-row and a 5,000-row
import and of an unchanged re-import, per row, and the ratio of the per-row times (about 1 means
the import scales linearly: no per-row query that grows with the school).

    .venv/bin/python -m bench.imports                  # SQLite in a temporary folder
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.table import Row, render, row
from services.cases.adapters.spreadsheet import read_sheet
from services.cases.bootstrap import bootstrap
from services.cases.config import CasesSettings
from services.cases.domain import commands as c
from services.cases.domain.imports import ImportPupils
from services.cases.service_layer import handlers as h
from services.cases.service_layer.imports import import_pupils
from shared.auth import configure_password_hashing
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parent.parent / "services" / "cases" / "migrations"
HEADER = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Naam ouder 1;"
    "E-mail ouder 1;Telefoon ouder 1;Taal ouder 1;Naam ouder 2;E-mail ouder 2"
)


def _file(rows: int) -> bytes:
    lines = [HEADER] + [
        f"{100000 + i};Kind{i};;Achternaam{i};{1 + i % 28:02d}-{1 + i % 12:02d}-{2012 + i % 8};"
        f"{1 + i % 8};Ouder {i};ouder{i}@example.nl;06-{10000000 + i};nl;Tweede {i};"
        for i in range(rows)
    ]
    return "\n".join(lines).encode("utf-8-sig")


def _run(folder: str, rows: int) -> tuple[float, float]:
    settings = CasesSettings(
        database_url=f"sqlite:///{folder}/bench-{rows}.db",
        redis_url="redis://127.0.0.1:6379/0",
        jwt_secret="b" * 32,
    )
    container = bootstrap(settings)
    upgrade(MIGRATIONS, container.engine)
    pid = h.create_partnership(
        c.CreatePartnership("SWV", f"a{rows}@b.nl", "A", "x" * 12), container.uow()
    )
    with container.uow() as uow:
        admin = h.principal_of(uow.repo.user_by_email(f"a{rows}@b.nl"), uow)  # type: ignore[arg-type]
    school = h.create_school(c.CreateSchool(pid, "School", "noord"), container.uow(), admin)
    ib = h.create_user(
        c.CreateUser("coordinator", f"ib{rows}@b.nl", "IB", "x" * 12, school),
        container.uow(),
        admin,
    )
    with container.uow() as uow:
        coordinator = h.principal_of(uow.repo.user(ib), uow)  # type: ignore[arg-type]
    content = _file(rows)
    timings = []
    for _ in range(2):  # the first creates, the second finds everything unchanged
        started = time.perf_counter()
        import_pupils(
            ImportPupils(school, content, "export.csv"), container.uow(), coordinator, read_sheet
        )
        timings.append(time.perf_counter() - started)
    container.close()
    return timings[0], timings[1]


def rows(quick: bool) -> list[Row]:
    """Per-row time of a large import beside a 1,000-row one (about 1: linear)."""
    configure_password_hashing(time_cost=1, memory_cost=1024)
    large_rows = 2_000 if quick else 5_000
    with tempfile.TemporaryDirectory() as folder:
        small, small_again = _run(folder, 1_000)
        large, large_again = _run(folder, large_rows)
    per_row = lambda seconds, n: seconds / n * 1000  # noqa: E731
    return [
        row(
            f"pupil import per row, {large_rows:,} vs 1,000 rows",
            "ms/row",
            per_row(large, large_rows),
            per_row(small, 1_000),
            None,  # issue 7: about 1 (linear); issue 15 sets no goal
            "lower",
        ),
        row(
            f"unchanged re-import per row, {large_rows:,} vs 1,000 rows",
            "ms/row",
            per_row(large_again, large_rows),
            per_row(small_again, 1_000),
            None,  # issue 7: about 1 (linear); issue 15 sets no goal
            "lower",
        ),
    ]


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
