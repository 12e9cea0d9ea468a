"""report schedules and school names

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_schedules",
        sa.Column("schedule_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("schedule_id", name=op.f("pk_report_schedules")),
    )
    with op.batch_alter_table("report_schedules", schema=None) as batch_op:
        batch_op.create_index(
            "uq_report_schedules_partnership",
            ["partnership_id"],
            unique=True,
            postgresql_where=sa.text("school_id IS NULL"),
            sqlite_where=sa.text("school_id IS NULL"),
        )
        batch_op.create_index(
            "uq_report_schedules_school",
            ["school_id"],
            unique=True,
            postgresql_where=sa.text("school_id IS NOT NULL"),
            sqlite_where=sa.text("school_id IS NOT NULL"),
        )

    # Filled by `school.registered`; schools seen before stay nameless until it arrives (or a
    # rebuild replays it).
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("brin", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_column("brin")
        batch_op.drop_column("name")

    with op.batch_alter_table("report_schedules", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_report_schedules_school",
            postgresql_where=sa.text("school_id IS NOT NULL"),
            sqlite_where=sa.text("school_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_report_schedules_partnership",
            postgresql_where=sa.text("school_id IS NULL"),
            sqlite_where=sa.text("school_id IS NULL"),
        )

    op.drop_table("report_schedules")
