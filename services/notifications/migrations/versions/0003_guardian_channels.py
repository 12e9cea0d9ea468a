"""guardian channel choice

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00.000000

The channels a guardian chose on their preference page: "email", "sms" or "email,sms". Nullable:
null leaves the choice to the policy, as before this column existed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("guardian_preferences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channels", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("guardian_preferences", schema=None) as batch_op:
        batch_op.drop_column("channels")
