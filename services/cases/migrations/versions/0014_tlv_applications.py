"""TLV applications: the school's application on a referral and the partnership's handling

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 14:30:00.000000

Issue 14: one application per referral (its own version), the expert advices and the parents'
answers. The partnership's `tlv_decision_weeks` lives in the JSON settings (default 6).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Uuid(),
            sa.ForeignKey("tlv_applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
    )
    op.create_index(f"ix_{name}_application_id", name, ["application_id"])


def upgrade() -> None:
    op.create_table(
        "tlv_applications",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "referral_id",
            sa.Uuid(),
            sa.ForeignKey("referrals.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "case_id", sa.Uuid(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("partnership_id", sa.Uuid(), sa.ForeignKey("partnerships.id"), nullable=False),
        sa.Column("school_id", sa.Uuid(), sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), sa.ForeignKey("pupils.id"), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=True),
        sa.Column("parents_view", sa.Text(), nullable=True),
        sa.Column("parents_view_channel", sa.String(length=10), nullable=True),
        sa.Column("parents_view_guardian_id", sa.Uuid(), nullable=True),
        sa.Column("parents_view_by", sa.Uuid(), nullable=True),
        sa.Column("parents_view_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_off_by", sa.Uuid(), nullable=True),
        sa.Column("signed_off_on", sa.Date(), nullable=True),
        sa.Column("needed_guardian_ids", sa.JSON(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("parents_agreed", sa.Boolean(), nullable=True),
        sa.Column("decide_by", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("school_type", sa.String(length=10), nullable=True),
        sa.Column("category", sa.String(length=10), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("referral_id", name="uq_tlv_applications_referral"),
    )
    op.create_index("ix_tlv_applications_case_id", "tlv_applications", ["case_id"])
    op.create_index(
        "ix_tlv_applications_partnership_status", "tlv_applications", ["partnership_id", "status"]
    )
    op.create_index(
        "ix_tlv_applications_school_status", "tlv_applications", ["school_id", "status"]
    )
    _child(
        "tlv_advices",
        sa.Column("adviser_role", sa.String(length=20), nullable=False),
        sa.Column("adviser_name", sa.String(length=200), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
    )
    _child(
        "tlv_parent_answers",
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("guardian_ids", sa.JSON(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    for name in ("tlv_parent_answers", "tlv_advices"):
        op.drop_index(f"ix_{name}_application_id", name)
        op.drop_table(name)
    op.drop_index("ix_tlv_applications_school_status", "tlv_applications")
    op.drop_index("ix_tlv_applications_partnership_status", "tlv_applications")
    op.drop_index("ix_tlv_applications_case_id", "tlv_applications")
    op.drop_table("tlv_applications")
