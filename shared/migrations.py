"""Run a service's Alembic migrations without an alembic.ini on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Engine, MetaData


def alembic_config(migrations_dir: Path, engine: Engine) -> Config:
    """An Alembic config pointing at a service's migrations and an engine."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.attributes["engine"] = engine
    return config


def upgrade(migrations_dir: Path, engine: Engine, revision: str = "head") -> None:
    """Bring the database to a revision (default: the newest)."""
    command.upgrade(alembic_config(migrations_dir, engine), revision)


def run_env(metadata: MetaData) -> None:
    """The body of every service's migrations/env.py: migrate the engine handed over by
    `upgrade` (batch mode on SQLite, whose ALTER TABLE is limited)."""
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
