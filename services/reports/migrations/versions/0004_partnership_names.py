"""partnership names

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:35:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled by `partnership.registered` (cases migration 0007 appends it for partnerships made
    # before it existed); a rebuild replays it.
    op.create_table(
        "partnerships",
        sa.Column("partnership_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("partnership_id", name=op.f("pk_partnerships")),
    )


def downgrade() -> None:
    op.drop_table("partnerships")
