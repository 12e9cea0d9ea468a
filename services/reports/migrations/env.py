"""Alembic environment of the reports database (see shared.migrations)."""

from services.reports.adapters.orm import metadata
from shared.migrations import run_env

run_env(metadata)
