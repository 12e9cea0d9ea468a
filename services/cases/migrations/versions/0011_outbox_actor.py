"""outbox actor: who caused an event, for the case timeline

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:30:00.000000

The timeline says "gestart door Ineke de Vries": the user id and role of the request that wrote
an event, or role "system" for scheduled tasks. Kept in the row, never in the envelope, so no
stream or event log carries it. Nullable: older rows do not know who.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("actor_role", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("actor_role")
        batch_op.drop_column("actor_id")
