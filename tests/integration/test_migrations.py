"""Each service's migrations build exactly the schema its tables describe, on SQLite and on
PostgreSQL: a model change without a migration fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db import make_engine
from tests.conftest import ROOT
from tests.support.databases import DatabaseFactory


def _metadata(service: str):
    if service == "cases":
        from services.cases.adapters.orm import metadata
    elif service == "notifications":
        from services.notifications.adapters.orm import metadata
    else:
        from services.reports.adapters.orm import metadata
    return metadata


@pytest.mark.parametrize("service", ["cases", "notifications", "reports"])
@pytest.mark.parametrize("db_kind", ["sqlite", "postgres"])
def test_migrations_match_the_tables(service: str, db_kind: str, tmp_path: Path) -> None:
    factory = DatabaseFactory(ROOT / "services" / service / "migrations", tmp_path)
    try:
        engine = make_engine(factory.make(db_kind))
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), _metadata(service))
        engine.dispose()
    finally:
        factory.drop_all()
    assert diff == []
