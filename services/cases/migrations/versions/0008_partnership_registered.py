"""partnership.registered for the partnerships made before the event existed

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 02:30:00.000000

The reports service names a partnership from its `partnership.registered` event (issue 11, item
15), and rebuilds its read model by replaying this outbox. A partnership bootstrapped before the
event existed gets it once here, appended to the outbox like any other event: the relay publishes
it and a replay finds it. A partnership that already has one gets none.
"""

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TYPE = "partnership.registered"

partnerships = sa.table("partnerships", sa.column("id", sa.Uuid), sa.column("name", sa.String))
outbox = sa.table(
    "outbox",
    sa.column("id", sa.Uuid),
    sa.column("type", sa.String),
    sa.column("version", sa.Integer),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("partnership_id", sa.Uuid),
    sa.column("school_id", sa.Uuid),
    sa.column("subject_kind", sa.String),
    sa.column("subject_id", sa.Uuid),
    sa.column("case_id", sa.Uuid),
    sa.column("envelope", sa.Text),
)


def _envelope(event_id: uuid.UUID, partnership_id: uuid.UUID, name: str, now: datetime) -> str:
    """The envelope as shared.events writes it (compact JSON, sorted keys); written out here so
    the migration does not change when the code does."""
    body = {
        "data": {"name": name},
        "id": str(event_id),
        "occurred_at": now.isoformat(),
        "partnership_id": str(partnership_id),
        "school_id": None,
        "subject": {"id": str(partnership_id), "kind": "partnership"},
        "type": TYPE,
        "version": 1,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def upgrade() -> None:
    conn = op.get_bind()
    told = sa.select(outbox.c.partnership_id).where(outbox.c.type == TYPE)
    missing = conn.execute(
        sa.select(partnerships.c.id, partnerships.c.name)
        .where(partnerships.c.id.not_in(told))
        .order_by(partnerships.c.name, partnerships.c.id)
    ).all()
    now = datetime.now(UTC)
    for partnership_id, name in missing:  # one by one: seq follows this order on every database
        event_id = uuid.uuid4()
        conn.execute(
            outbox.insert().values(
                id=event_id,
                type=TYPE,
                version=1,
                occurred_at=now,
                partnership_id=partnership_id,
                school_id=None,
                subject_kind="partnership",
                subject_id=partnership_id,
                case_id=None,
                envelope=_envelope(event_id, partnership_id, name, now),
            )
        )


def downgrade() -> None:
    # The events stay: they are part of the log other services have read.
    pass
