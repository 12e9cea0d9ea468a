"""Run a service's Alembic migrations without an alembic.ini on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(migrations_dir: Path, engine: Engine) -> Config:
    """An Alembic config pointing at a service's migrations and an engine."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.attributes["engine"] = engine
    return config


def upgrade(migrations_dir: Path, engine: Engine, revision: str = "head") -> None:
    """Bring the database to a revision (default: the newest)."""
    command.upgrade(alembic_config(migrations_dir, engine), revision)
