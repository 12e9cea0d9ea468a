"""Tables of the reports read model (SQLAlchemy Core). Facts are keyed by the id of what they
describe and hold dates and codes only: no names, no pupil ids. Every date a report filters on has
an index beginning with school_id, since reports are asked per school (or per partnership, whose
schools are few)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    false,
    text,
)

from shared.db import (
    UtcDateTime,
    event_log_cursors_table,
    processed_events_table,
    service_metadata,
)

metadata = service_metadata()

processed_events = processed_events_table(metadata)
event_log_cursors = event_log_cursors_table(metadata)

# The partnerships' names, from `partnership.registered` (an organisation's name is not personal
# data): the reports' titles name the partnership. A partnership without a row is shown by its id.
partnerships = Table(
    "partnerships",
    metadata,
    Column("partnership_id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
)

# The schools of each partnership seen in any event: a school with no activity in a period still
# gets its row of zeros in the partnership's report. Name and BRIN code come from
# `school.registered` (a school's name is not personal data); empty until that event arrives.
schools = Table(
    "schools",
    metadata,
    Column("school_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False, index=True),
    Column("name", String(200)),
    Column("brin", String(12)),
)

# Facts may be created by whichever event of their subject arrives first, so everything but the
# key and the scope is nullable.
interventions = Table(
    "interventions",
    metadata,
    Column("intervention_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("plan_id", Uuid),
    Column("level", String(10)),
    Column("domain", String(64)),
    Column("started_on", Date),
    Column("evaluate_by", Date),
    Column("evaluated_on", Date),
    Column("outcome", String(20)),
    Column("outside_support_profile", Boolean, nullable=False, server_default=false()),
    Index("ix_interventions_school_started", "school_id", "started_on"),
    Index("ix_interventions_school_evaluated", "school_id", "evaluated_on"),
)

development_plans = Table(
    "development_plans",
    metadata,
    Column("plan_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("created_on", Date),
    Column("agreed_end_date", Date),
    Column("activated_on", Date),
    Column("closed_on", Date),
    Column("close_reason", String(64)),
    # The latest consent request and answer; every answer is also a row of plan_consents.
    Column("consent_requested_on", Date),
    Column("consent_recorded_on", Date),
    Column("consent_decision", String(10)),
    Index("ix_development_plans_school_created", "school_id", "created_on"),
    Index("ix_development_plans_school_activated", "school_id", "activated_on"),
    Index("ix_development_plans_school_closed", "school_id", "closed_on"),
)

plan_consents = Table(
    "plan_consents",
    metadata,
    Column("consent_id", Uuid, primary_key=True),  # the id of the consent_recorded event
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid, nullable=False),
    Column("plan_id", Uuid, nullable=False),
    Column("action_plan_version", Integer, nullable=False),
    Column("requested_on", Date),
    Column("recorded_on", Date, nullable=False),
    Column("decision", String(10), nullable=False),
    Index("ix_plan_consents_school_recorded", "school_id", "recorded_on"),
)

plan_evaluations = Table(
    "plan_evaluations",
    metadata,
    Column("evaluation_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("plan_id", Uuid, nullable=False, index=True),
    Column("due_on", Date),
    Column("held_on", Date),
    Column("decision", String(20)),
    Index("ix_plan_evaluations_school_due", "school_id", "due_on"),
    Index("ix_plan_evaluations_school_held", "school_id", "held_on"),
)

referrals = Table(
    "referrals",
    metadata,
    Column("referral_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("plan_id", Uuid),
    Column("requested_on", Date),
    Column("destination", String(64)),
    Column("valid_from", Date),  # the admission statement (TLV), once recorded
    Column("valid_until", Date),
    # The TLV application (`referral.submitted`), the day both expert advices were in, and the
    # partnership's decision (`referral.decided`): granted or refused, the type of school (sbo,
    # so) and for so the category (low, medium, high).
    Column("submitted_on", Date),
    Column("parents_agreed", Boolean),
    Column("decide_by", Date),
    Column("complete_on", Date),
    Column("decision", String(10)),
    Column("decided_on", Date),
    Column("school_type", String(10)),
    Column("category", String(10)),
    Index("ix_referrals_school_requested", "school_id", "requested_on"),
    Index("ix_referrals_school_submitted", "school_id", "submitted_on"),
    Index("ix_referrals_school_decided", "school_id", "decided_on"),
)

# Periodic reports as compiled, one per school, kind and period: the unique constraint makes a
# second compile of the same period (a second beat, a retried task) a no-op. Rows not yet
# announced (published_at empty) are this service's outbox for `report.ready`.
compiled_reports = Table(
    "compiled_reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid, nullable=False),
    Column("period_kind", String(12), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("compiled_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
    Column("published_at", UtcDateTime),
    UniqueConstraint(
        "school_id", "period_kind", "period_start", name="uq_compiled_reports_school_period"
    ),
    Index(
        "ix_compiled_reports_unpublished",
        "compiled_at",
        postgresql_where=text("published_at IS NULL"),
        sqlite_where=text("published_at IS NULL"),
    ),
)

# Which periodic reports a school gets: a partnership's default (school_id empty) and schools' own
# schedules, at most one row each (the two partial unique indexes). `kinds` is a JSON list of
# month / quarter / school_year; an empty list means no periodic reports. Not part of the read
# model: a rebuild keeps them.
report_schedules = Table(
    "report_schedules",
    metadata,
    Column("schedule_id", Integer, primary_key=True, autoincrement=True),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid),
    Column("kinds", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", Uuid, nullable=False),
    Index(
        "uq_report_schedules_partnership",
        "partnership_id",
        unique=True,
        postgresql_where=text("school_id IS NULL"),
        sqlite_where=text("school_id IS NULL"),
    ),
    Index(
        "uq_report_schedules_school",
        "school_id",
        unique=True,
        postgresql_where=text("school_id IS NOT NULL"),
        sqlite_where=text("school_id IS NOT NULL"),
    ),
)

FACTS = {
    "partnerships": partnerships,
    "schools": schools,
    "interventions": interventions,
    "development_plans": development_plans,
    "plan_consents": plan_consents,
    "plan_evaluations": plan_evaluations,
    "referrals": referrals,
}
# What a rebuild empties, children first.
READ_MODEL = (*FACTS.values(), processed_events)
