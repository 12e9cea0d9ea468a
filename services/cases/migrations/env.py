"""Alembic environment of the cases database (see shared.migrations)."""

from services.cases.adapters.orm import metadata
from shared.migrations import run_env

run_env(metadata)
