"""documents attached to a case, with the parents' sharing decision

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:40:00.000000

Issue 14: staff attach files to a case; the bytes live in the document store (local folder or
S3) under a random key; parents decide per document whether the partnership may see it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "case_id", sa.Uuid(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("partnership_id", sa.Uuid(), sa.ForeignKey("partnerships.id"), nullable=False),
        sa.Column("school_id", sa.Uuid(), sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), sa.ForeignKey("pupils.id"), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False, unique=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        sa.Column(
            "shared_with_partnership", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
        sa.Column("sharing_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sharing_decided_by", sa.Uuid(), nullable=True),
    )
    op.create_index("ix_documents_case_id", "documents", ["case_id"])
    op.create_index("ix_documents_pupil_id", "documents", ["pupil_id"])


def downgrade() -> None:
    op.drop_index("ix_documents_pupil_id", "documents")
    op.drop_index("ix_documents_case_id", "documents")
    op.drop_table("documents")
