"""event log cursor

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 02:50:00.000000

Where the consumer's catch-up from the cases event log stands: after Redis lost its data, the
events the stream held are read again from there (shared.event_log.catch_up).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_log_cursors",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_log_cursors")),
    )


def downgrade() -> None:
    op.drop_table("event_log_cursors")
