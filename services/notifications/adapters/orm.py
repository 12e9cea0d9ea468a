"""Tables of the notifications database (SQLAlchemy Core; rows map to domain dataclasses in the
repository)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from shared.db import (
    SeqType,
    UtcDateTime,
    event_log_cursors_table,
    processed_events_table,
    service_metadata,
)

metadata = service_metadata()

policies = Table(
    "policies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False, index=True),
    Column("school_id", Uuid),
    # "*" for a partnership-wide policy, else the school id: unique with the key, so two
    # processes creating the defaults at once cannot both succeed.
    Column("scope", String(36), nullable=False),
    Column("key", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("spec", JSON, nullable=False),
    Column("group_urls", Text, nullable=False),  # encrypted JSON list of Apprise URLs
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("partnership_id", "scope", "key", name="uq_policies_scope_key"),
)

processed_events = processed_events_table(metadata)
event_log_cursors = event_log_cursors_table(metadata)

planned_notifications = Table(
    "planned_notifications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("dedupe_key", String(400), nullable=False, unique=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid),
    Column("case_id", Uuid, index=True),
    Column("plan_id", Uuid, index=True),
    Column("subject_kind", String(40), nullable=False),
    Column("subject_id", Uuid, nullable=False),
    Column("event_id", Uuid, nullable=False, index=True),
    Column("event_type", String(64), nullable=False),
    Column("policy_key", String(64), nullable=False),
    Column("recipient_kind", String(10), nullable=False),
    Column("recipient_id", String(64), nullable=False),
    Column("recipient_role", String(20), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("address", Text, nullable=False),  # encrypted for group channels (webhook secrets)
    Column("language", String(2), nullable=False),
    Column("template", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("due_on", Date),
    Column("send_at", UtcDateTime, nullable=False),
    Column("critical", Boolean, nullable=False),
    Column("context", JSON, nullable=False),
    Column("digest_key", String(300), index=True),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("status_changed_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    Column("last_error", String(300)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("request_id", String(128)),  # the envelope's request_id, for the delivery's log line
    Index("ix_planned_notifications_subject", "subject_kind", "subject_id"),
    Index("ix_planned_notifications_school_status", "school_id", "status"),
    # The dispatcher reads only due, planned rows: a partial index keeps that cost independent of
    # how many reminders wait for later dates or were sent long ago.
    Index(
        "ix_planned_notifications_due",
        "send_at",
        postgresql_where=text("status = 'planned'"),
        sqlite_where=text("status = 'planned'"),
    ),
    Index(
        "ix_planned_notifications_inflight",
        "status_changed_at",
        postgresql_where=text("status IN ('queued', 'sending')"),
        sqlite_where=text("status IN ('queued', 'sending')"),
    ),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column(
        "notification_id",
        Uuid,
        ForeignKey("planned_notifications.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("attempt", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("outcome", String(20), nullable=False),  # sending|sent|failed|interrupted
    Column("error", String(300)),
)

holidays = Table(
    "holidays",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("region", String(10), nullable=False),
    Column("name", String(100), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("school_year", String(9), nullable=False, index=True),
)

# A guardian's own choices, set through the signed link in every message (no account needed).
guardian_preferences = Table(
    "guardian_preferences",
    metadata,
    Column("guardian_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("language", String(2)),
    Column("informational", Boolean, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # "email", "sms" or "email,sms"; null: every channel the policy has for guardians.
    Column("channels", String(20)),
)
