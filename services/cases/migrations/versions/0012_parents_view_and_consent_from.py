"""the parents' own view on a plan (ouderdeel), and guardians' parental authority

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 05:40:00.000000

Issue 13: parents write their view of their child's needs on the development plan (text, which
guardian, when); whether a guardian has parental authority decides whose agreement counts when
the partnership's `consent_from` setting is `all` (the setting lives in the JSON settings).
Existing guardians have authority. A guardian's "sign out everywhere" refuses their tokens issued
before it (`users.sessions_valid_after`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("development_plans") as batch:
        batch.add_column(sa.Column("parents_view", sa.Text(), nullable=True))
        batch.add_column(sa.Column("parents_view_guardian_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("parents_view_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("sessions_valid_after", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("guardians") as batch:
        batch.add_column(
            sa.Column("parental_authority", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("guardians") as batch:
        batch.drop_column("parental_authority")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("sessions_valid_after")
    with op.batch_alter_table("development_plans") as batch:
        for column in ("parents_view_at", "parents_view_guardian_id", "parents_view"):
            batch.drop_column(column)
