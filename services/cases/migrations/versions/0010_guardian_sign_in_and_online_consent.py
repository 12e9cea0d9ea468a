"""guardian sign-in links, and consents recorded online (channel, version hash, when, where)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 03:20:00.000000

Issue 13: a guardian signs in through a one-time link (a nonce per link, single use, short-lived)
and agrees or declines online. Consents recorded before this are paper ones.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guardian_sign_in_links",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("partnership_id", sa.Uuid(), sa.ForeignKey("partnerships.id"), nullable=False),
        sa.Column(
            "guardian_id",
            sa.Uuid(),
            sa.ForeignKey("guardians.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_guardian_sign_in_links_expires_at", "guardian_sign_in_links", ["expires_at"]
    )
    with op.batch_alter_table("consents") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=10), nullable=False, server_default="paper")
        )
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("from_address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("recorded_by", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        for column in ("reason", "recorded_by", "from_address", "recorded_at", "content_hash"):
            batch.drop_column(column)
        batch.drop_column("channel")
    op.drop_index("ix_guardian_sign_in_links_expires_at", "guardian_sign_in_links")
    op.drop_table("guardian_sign_in_links")
