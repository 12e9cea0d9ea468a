"""Tables of the cases database (the domain classes are mapped onto them in `orm.py`).

Every schema change here is an Alembic migration in `services/cases/migrations`;
tests/integration/test_migrations.py checks that the two agree.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    true,
)
from sqlalchemy.types import TypeDecorator

from services.cases.domain import school
from shared.db import SeqType, UtcDateTime, service_metadata

metadata = service_metadata()


class SettingsType(TypeDecorator[school.PartnershipSettings]):
    """PartnershipSettings stored as JSON."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return dataclasses.asdict(value) if value is not None else None

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        known = {f.name for f in dataclasses.fields(school.PartnershipSettings)}
        return school.PartnershipSettings(**{k: v for k, v in value.items() if k in known})


def _owner(name: str, parent: str) -> Column[Any]:
    """The id of the row that owns this one: never missing, deleted with its owner, indexed to
    find an owner's rows."""
    return Column(
        name, Uuid, ForeignKey(f"{parent}.id", ondelete="CASCADE"), nullable=False, index=True
    )


def _pupil_record(*, pupil_index: bool) -> tuple[Column[Any], ...]:
    """Whose record a row is: partnership, school and pupil (what `queries.scope` limits on)."""
    return (
        Column("partnership_id", Uuid, ForeignKey("partnerships.id"), nullable=False),
        Column("school_id", Uuid, ForeignKey("schools.id"), nullable=False),
        Column("pupil_id", Uuid, ForeignKey("pupils.id"), nullable=False, index=pupil_index),
    )


partnerships = Table(
    "partnerships",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("settings", SettingsType, nullable=False),
)

schools = Table(
    "schools",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("region", String(20), nullable=False),
    Column("brin", String(12)),
)

support_profiles = Table(
    "support_profiles",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, ForeignKey("partnerships.id"), nullable=False),
    Column("school_id", Uuid, ForeignKey("schools.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("basic_domains", JSON, nullable=False),
    Column("extra_domains", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("review_by", Date, nullable=False, index=True),
    Column("published_on", Date, nullable=False),
    UniqueConstraint("school_id", "version", name="uq_support_profiles_school_version"),
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("school_id", Uuid, ForeignKey("schools.id"), index=True),
    Column("role", String(20), nullable=False),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200)),
    Column("language", String(2), nullable=False),
    Column("phone", String(32)),
    Column("active", Boolean, nullable=False),
    # The second factor: the TOTP secret sealed by shared.crypto.SecretBox, whether a first code
    # confirmed it, the last time step used (no replay), and the unused recovery codes' hashes.
    Column("totp_secret", String(300)),
    Column("totp_enabled", Boolean, nullable=False, server_default=false()),
    Column("totp_last_step", BigInteger),
    Column("recovery_code_hashes", JSON),
    # Tokens issued up to this instant are refused (set on disable, kept on re-enable).
    Column("tokens_valid_after", UtcDateTime),
    # A guardian's "sign out everywhere": their tokens issued up to this instant are refused.
    Column("sessions_valid_after", UtcDateTime),
)

pupils = Table(
    "pupils",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, ForeignKey("partnerships.id"), nullable=False),
    Column("school_id", Uuid, ForeignKey("schools.id"), nullable=False, index=True),
    Column("given_name", String(100), nullable=False),
    Column("family_name", String(100), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("group", String(20), nullable=False),
    Column("enrolled_on", Date, nullable=False),
    Column("pupil_number", String(32)),
    Column("left_on", Date),
    Column("anonymised_on", Date),
    UniqueConstraint("school_id", "pupil_number", name="uq_pupils_school_pupil_number"),
)

guardians = Table(
    "guardians",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("pupil_id", "pupils"),
    Column("name", String(200), nullable=False),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("language", String(2), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.id"), index=True),
    # The guardian's preference links signed up to this instant are refused.
    Column("links_valid_after", UtcDateTime),
    # Whether this guardian has parental authority (gezag): under the partnership setting
    # `consent_from: all`, every guardian with it must agree to the action plan.
    Column("parental_authority", Boolean, nullable=False, server_default=true()),
)

pupil_staff = Table(
    "pupil_staff",
    metadata,
    Column("pupil_id", Uuid, ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), primary_key=True),
    Column("role", String(20), primary_key=True),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Uuid, primary_key=True),
    *_pupil_record(pupil_index=True),
    Column("level", String(10), nullable=False),
    Column("status", String(10), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("plan_due_by", Date),
    Column("version", Integer, nullable=False),
    Index("ix_cases_school_status_level", "school_id", "status", "level"),
)

interventions = Table(
    "interventions",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("case_id", "cases"),
    Column("plan_id", Uuid, ForeignKey("development_plans.id")),
    Column("level", String(10), nullable=False),
    Column("domain", String(64), nullable=False),
    Column("goal", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("evaluate_by", Date, nullable=False),
    Column("status", String(12), nullable=False),
    Column("outcome", String(20)),
    Column("evaluation_note", Text),
    Column("evaluated_on", Date),
    Column("outside_support_profile", Boolean, nullable=False),
    Index("ix_interventions_status_evaluate_by", "status", "evaluate_by"),
)

development_plans = Table(
    "development_plans",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("case_id", "cases"),
    Column("status", String(20), nullable=False, index=True),
    Column("exit_destination", String(64), nullable=False),
    Column("hindering_factors", JSON, nullable=False),
    Column("supporting_factors", JSON, nullable=False),
    Column("action_plan", Text, nullable=False),
    Column("deviations", Text),
    Column("action_plan_version", Integer, nullable=False),
    Column("consented_version", Integer),
    Column("agreed_end_date", Date, nullable=False),
    Column("created_on", Date, nullable=False),
    Column("consultation_on", Date),
    Column("consultation_participants", JSON, nullable=False),
    Column("pupil_view_on", Date),
    Column("pupil_view_summary", Text),
    Column("consent_requested_on", Date),
    Column("activated_on", Date),
    Column("closed_on", Date),
    Column("close_reason", String(32)),
    # Issue 13: the parents' own view (ouderdeel), which guardian record wrote it, and when.
    Column("parents_view", Text),
    Column("parents_view_guardian_id", Uuid),
    Column("parents_view_at", UtcDateTime),
)

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("plan_id", "development_plans"),
    Column("position", Integer, nullable=False),
    Column("expected_effect", Text, nullable=False),
    Column("review_by", Date, nullable=False),
)

plan_evaluations = Table(
    "plan_evaluations",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("plan_id", "development_plans"),
    Column("due_on", Date, nullable=False),
    Column("status", String(12), nullable=False),
    Column("held_on", Date),
    Column("decision", String(20)),
    Column("next_evaluation_on", Date),
    Column("note", Text),
    Column("meeting_starts_at", UtcDateTime),
    Column("meeting_minutes", Integer),
    Column("meeting_location", String(200)),
    Column("meeting_video_url", String(500)),
    Column("meeting_sequence", Integer, nullable=False, server_default="0"),
    Column("meeting_cancelled", Boolean, nullable=False, server_default="0"),
    Index("ix_plan_evaluations_status_due_on", "status", "due_on"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("plan_id", "development_plans"),
    Column("action_plan_version", Integer, nullable=False),
    Column("decision", String(10), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("guardian_ids", JSON, nullable=False),
    # Issue 13: how the answer came (online | paper), the hash of the action plan's text the
    # guardian read, when and from which address, who recorded it, and an optional reason.
    Column("channel", String(10), nullable=False, server_default="paper"),
    Column("content_hash", String(64)),
    Column("recorded_at", UtcDateTime),
    Column("from_address", String(64)),
    Column("recorded_by", Uuid),
    Column("reason", Text),
)

# One-time sign-in links for guardians (issue 13): the link's id is the nonce its signed token
# carries; `used_at` makes it single-use, `expires_at` short-lived. The address is kept here so
# the exchange finds every record of that guardian in the partnership.
guardian_sign_in_links = Table(
    "guardian_sign_in_links",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("partnership_id", Uuid, ForeignKey("partnerships.id"), nullable=False),
    Column("guardian_id", Uuid, ForeignKey("guardians.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(254), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("used_at", UtcDateTime),
)

referrals = Table(
    "referrals",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("case_id", "cases"),
    Column("plan_id", Uuid, ForeignKey("development_plans.id"), nullable=False),
    Column("destination", String(64), nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("admission_statement_from", Date),
    Column("admission_statement_until", Date, index=True),
)

# Files attached to a case (issue 14): the bytes live in the document store under
# `storage_key` (random, never the user's file name); the parents' sharing decision is here.
documents_table = Table(
    "documents",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("case_id", "cases"),
    *_pupil_record(pupil_index=True),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(120), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("storage_key", String(64), nullable=False, unique=True),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Column("uploaded_by", Uuid, nullable=False),
    Column("shared_with_partnership", Boolean, nullable=False, server_default=false()),
    Column("sharing_decided_at", UtcDateTime),
    Column("sharing_decided_by", Uuid),
)

# The TLV application of a referral (issue 14): one per referral, with its own version.
tlv_applications = Table(
    "tlv_applications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("referral_id", Uuid, ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False),
    _owner("case_id", "cases"),
    *_pupil_record(pupil_index=False),
    Column("plan_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_on", Date, nullable=False),
    Column("created_by", Uuid, nullable=False),
    Column("document_ids", JSON, nullable=False),
    Column("motivation", Text),
    Column("parents_view", Text),
    Column("parents_view_channel", String(10)),
    Column("parents_view_guardian_id", Uuid),
    Column("parents_view_by", Uuid),
    Column("parents_view_at", UtcDateTime),
    Column("signed_off_by", Uuid),
    Column("signed_off_on", Date),
    Column("needed_guardian_ids", JSON),
    Column("submitted_on", Date),
    Column("submitted_by", Uuid),
    Column("parents_agreed", Boolean),
    Column("decide_by", Date),
    Column("decision", String(10)),
    Column("decided_on", Date),
    Column("decided_by", Uuid),
    Column("school_type", String(10)),
    Column("category", String(10)),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("version", Integer, nullable=False),
    UniqueConstraint("referral_id", name="uq_tlv_applications_referral"),
    Index("ix_tlv_applications_partnership_status", "partnership_id", "status"),
    Index("ix_tlv_applications_school_status", "school_id", "status"),
)

tlv_advices = Table(
    "tlv_advices",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("application_id", "tlv_applications"),
    Column("position", Integer, nullable=False),
    Column("adviser_role", String(20), nullable=False),
    Column("adviser_name", String(200), nullable=False),
    Column("conclusion", Text, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("recorded_by", Uuid, nullable=False),
)

tlv_parent_answers = Table(
    "tlv_parent_answers",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner("application_id", "tlv_applications"),
    Column("position", Integer, nullable=False),
    Column("decision", String(10), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("guardian_ids", JSON, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("recorded_by", Uuid, nullable=False),
    Column("recorded_at", UtcDateTime),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("type", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("partnership_id", Uuid, nullable=False),
    Column("school_id", Uuid),
    Column("subject_kind", String(40), nullable=False),
    Column("subject_id", Uuid, nullable=False),
    Column("case_id", Uuid, index=True),
    Column("envelope", Text, nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("request_id", String(128)),  # X-Request-ID of the request that wrote the event
    # Who caused the event, for the case timeline ("... door Ineke"): the user and their role, or
    # role "system" for scheduled tasks; NULL for rows written before this was kept. Never part
    # of the envelope, so no stream or event log carries it.
    Column("actor_id", Uuid),
    Column("actor_role", String(20)),
    Index("ix_outbox_unpublished", "published_at", "seq"),
    Index("ix_outbox_partnership_seq", "partnership_id", "seq"),
)

# One row per (subject, due date, kind) of the reminders beat emits: the unique key is what makes
# `*.evaluation_approaching` / `*.evaluation_overdue` exactly-once, also when beat runs twice.
scheduled_notices = Table(
    "scheduled_notices",
    metadata,
    Column("subject_kind", String(40), primary_key=True),
    Column("subject_id", Uuid, primary_key=True),
    Column("due_on", Date, primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("emitted_at", DateTime(timezone=True), nullable=False),
)

# Who read or changed a pupil's data, when and from where: append-only (nothing in the code
# updates or deletes a row), queried by the partnership's administrator. No pupil free text: the
# endpoint template and the id in the path say what was touched.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("partnership_id", Uuid, index=True),
    Column("user_id", Uuid, nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(5), nullable=False),
    Column("method", String(7), nullable=False),
    Column("endpoint", String(200), nullable=False),
    Column("resource_id", Uuid, index=True),
    Column("status", Integer, nullable=False),
    Column("ip", String(45)),
    Index("ix_audit_log_partnership_at", "partnership_id", "at"),
)

# A user's subscribable calendar feed (GET /api/v1/calendar/<token>.ics). Only the sha256 of the
# secret token is stored: a copy of the database does not give anyone the URLs. One feed per user;
# rotating replaces the row.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)
