"""Real databases for tests: a fresh, migrated SQLite file or PostgreSQL database per test.

Migrations run once per session into a template (a SQLite file, a PostgreSQL template database);
each test gets a copy, so tests are isolated and may run in any order.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from shared.db import make_engine
from shared.migrations import upgrade

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_conninfo(url: str) -> str:
    parsed = make_url(url)
    return (
        f"host={parsed.host or '127.0.0.1'} port={parsed.port or 5432} "
        f"user={parsed.username or 'postgres'} dbname={parsed.database}"
    )


def _pg_url(name: str) -> str:
    parsed = make_url(PG_ADMIN_URL).set(database=name)
    return parsed.render_as_string(hide_password=False)


class DatabaseFactory:
    """Hands out migrated databases of one service, on SQLite or PostgreSQL."""

    def __init__(self, migrations: Path, workdir: Path) -> None:
        self.migrations = migrations
        self.workdir = workdir
        self.tag = f"{migrations.parent.name}_{uuid.uuid4().hex[:8]}"
        self._sqlite_template: Path | None = None
        self._pg_template: str | None = None
        self._pg_created: list[str] = []

    def sqlite(self) -> str:
        if self._sqlite_template is None:
            template = self.workdir / f"{self.tag}-template.db"
            engine = make_engine(f"sqlite:///{template}")
            upgrade(self.migrations, engine)
            engine.dispose()
            self._sqlite_template = template
        target = self.workdir / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self._sqlite_template, target)
        return f"sqlite:///{target}"

    def postgres(self) -> str:
        if self._pg_template is None:
            name = f"tpl_{self.tag}"
            self._admin(f'CREATE DATABASE "{name}"')
            self._pg_created.append(name)
            engine = make_engine(_pg_url(name))
            upgrade(self.migrations, engine)
            engine.dispose()
            self._pg_template = name
        name = f"t_{self.tag}_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._pg_template}"')
        self._pg_created.append(name)
        return _pg_url(name)

    def make(self, kind: str) -> str:
        return {"sqlite": self.sqlite, "postgres": self.postgres}[kind]()

    def at_revision(self, kind: str, revision: str) -> str:
        """A database of its own migrated only up to `revision` (to test a later migration)."""
        if kind == "sqlite":
            url = f"sqlite:///{self.workdir / f'{uuid.uuid4().hex}.db'}"
        else:
            name = f"t_{self.tag}_{uuid.uuid4().hex[:10]}"
            self._admin(f'CREATE DATABASE "{name}"')
            self._pg_created.append(name)
            url = _pg_url(name)
        engine = make_engine(url)
        upgrade(self.migrations, engine, revision)
        engine.dispose()
        return url

    def _admin(self, sql: str) -> None:
        with psycopg.connect(_pg_conninfo(PG_ADMIN_URL), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def drop_all(self) -> None:
        """Drop every PostgreSQL database this factory made, the templates last. PostgreSQL 15
        waits for a checkpoint in each DROP DATABASE (seconds on a busy disk); drops issued
        together share one, so they go out at once, a few at a time."""
        templates = [name for name in self._pg_created if name.startswith("tpl_")]
        copies = [name for name in self._pg_created if name not in templates]
        drop_databases(copies)
        drop_databases(templates)


def drop_databases(names: list[str], at_once: int = 16) -> None:
    """Drop these PostgreSQL databases, `at_once` at a time (their checkpoints shared)."""
    if not names:
        return

    def drop(name: str) -> None:
        try:
            with psycopg.connect(_pg_conninfo(PG_ADMIN_URL), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        except psycopg.Error:
            pass

    with ThreadPoolExecutor(max_workers=min(at_once, len(names))) as pool:
        list(pool.map(drop, names))


DbMaker = Callable[[str], str]
