"""meeting reminder for partnerships created before it existed

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 18:30:00.000000

New partnerships get the "evaluation_meeting" policy with a reminder the day before the meeting
(lead time 1 day). Before meeting reminders existed, that policy could hold no lead times at all
(validation refused them), so an empty list there is not an administrator's choice: give those
policies, partnership-wide and per school, the same day-before reminder. A policy that already
has lead times is left as its administrator set it. The downgrade leaves the data: the older code
ignores lead times on meeting events.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEY = "evaluation_meeting"
DEFAULT_LEAD_TIMES = [1]

policies = sa.table(
    "policies",
    sa.column("id", sa.Uuid),
    sa.column("key", sa.String),
    sa.column("spec", sa.JSON),
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(policies.c.id, policies.c.spec).where(policies.c.key == KEY))
    for policy_id, spec in rows.all():
        if not needs_reminder(spec):
            continue
        conn.execute(
            policies.update()
            .where(policies.c.id == policy_id)
            .values(spec={**spec, "lead_times_days": DEFAULT_LEAD_TIMES})
        )


def needs_reminder(spec: dict[str, Any]) -> bool:
    meeting_events = {"development_plan.meeting_planned", "development_plan.meeting_moved"}
    return not spec.get("lead_times_days") and bool(meeting_events & set(spec["event_types"]))


def downgrade() -> None:
    pass
