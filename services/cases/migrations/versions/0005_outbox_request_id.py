"""outbox request id

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:00:00.000000

The X-Request-ID of the request that wrote an event, so the logs of the relay, the consumers and
the deliveries can be joined with the request's. Nullable: older rows and events written by
scheduled tasks have none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("request_id")
