"""tlv applications and decisions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 14:40:00.000000

The TLV application and the partnership's decision on it (issue 14) as columns of the referral's
fact row: `referral.submitted`, `referral.advice_recorded` (the day the application was complete)
and `referral.decided`, with an index per date a report filters on. Nullable: the rows of
referrals from before the application flow have none of them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("submitted_on", sa.Date()),
    ("parents_agreed", sa.Boolean()),
    ("decide_by", sa.Date()),
    ("complete_on", sa.Date()),
    ("decision", sa.String(length=10)),
    ("decided_on", sa.Date()),
    ("school_type", sa.String(length=10)),
    ("category", sa.String(length=10)),
)


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.create_index(
            "ix_referrals_school_submitted", ["school_id", "submitted_on"], unique=False
        )
        batch_op.create_index(
            "ix_referrals_school_decided", ["school_id", "decided_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_school_decided")
        batch_op.drop_index("ix_referrals_school_submitted")
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
