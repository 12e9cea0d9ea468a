"""valid-after instants: users' tokens and guardians' preference links

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 02:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("guardians") as batch:
        batch.add_column(sa.Column("links_valid_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("guardians") as batch:
        batch.drop_column("links_valid_after")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("tokens_valid_after")
