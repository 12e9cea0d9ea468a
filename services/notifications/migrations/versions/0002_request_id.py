"""planned notification request id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00.000000

The request id the event carried (its envelope's `request_id`), kept on every notification it
planned, so a delivery's log line names the HTTP request that started it. Nullable.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("planned_notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("planned_notifications", schema=None) as batch_op:
        batch_op.drop_column("request_id")
