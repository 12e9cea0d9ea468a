"""Service-to-service endpoints for the notifications service: who is around a case or school,
which dates are scheduled in a partnership (to simulate a reminder policy), where an
evaluation meeting is (to write the place into its calendar invitation at send time), which
versions of a plan's action plan the parents answered (to re-check a consent request at send
time), and whether an intervention is still running (to re-check "support started" at send time).

Only service accounts may call them. The audience holds contact details, so it is never cached
by the caller beyond the planning of one event; the scheduled dates hold ids, codes and dates; a
meeting's place and video link are free text that events never carry, read for one message.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.adapters import audience_query, orm, queries
from services.cases.api.common import actor, read_session
from services.cases.domain.evaluation import PlanEvaluation
from services.cases.domain.intervention import Intervention
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan
from services.cases.domain.school import (
    Guardian,
    Partnership,
    Pupil,
    School,
    User,
    guardian_link_validity,
)
from shared.auth import Role
from shared.errors import Forbidden, NotFound
from shared.web import PageArgsSchema, page_schema

blp = Blueprint(
    "internal",
    __name__,
    url_prefix="/api/v1/internal",
    description="For other services (service accounts only).",
)

T = TypeVar("T")


def _as_service(refusal: str) -> None:
    """Refuse (403, with `refusal`) anyone but a service account."""
    if actor().role is not Role.SERVICE:
        raise Forbidden(refusal)


def _found(session: Session, model: type[T], key: UUID, missing: str) -> T:
    """The row of `model` with this key; 404 (with `missing`) when there is none."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(missing)
    return row


class AudienceArgsSchema(Schema):
    case_id = fields.UUID()
    school_id = fields.UUID()
    partnership_consultants = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also every active consultant of the partnership, as role "
            "all_consultants (whether or not one is assigned to the pupil)."
        },
    )
    guardian_id = fields.UUID(
        metadata={"description": "One guardian alone (their sign-in link, issue 13)."}
    )

    @validates_schema
    def one_of(self, data: dict[str, Any], **_: Any) -> None:
        if sum(k in data for k in ("case_id", "school_id", "guardian_id")) != 1:
            raise ValidationError(
                "Give exactly one of case_id, school_id and guardian_id.", "case_id"
            )


class RecipientSchema(Schema):
    kind = fields.String(metadata={"description": "guardian or user"})
    id = fields.UUID()
    role = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    language = fields.String()


class AudienceSchema(Schema):
    school_id = fields.UUID()
    partnership_id = fields.UUID()
    school_name = fields.String()
    region = fields.String()
    case_status = fields.String(allow_none=True)
    pupil_given_name = fields.String(allow_none=True)
    recipients = fields.List(fields.Nested(RecipientSchema))


@blp.route("/audience")
class Audience(MethodView):
    @blp.arguments(AudienceArgsSchema, location="query")
    @blp.response(200, AudienceSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The guardians and staff around a case, or the staff of a school; with the
        partnership's administrators."""
        _as_service("Only service accounts may read audiences.")
        with read_session() as session:
            return audience_query.audience(session, args)


MAX_AUDIENCES = 500  # the consumer asks once per batch read (at most 500 events)


class AudiencesArgsSchema(Schema):
    queries = fields.List(
        fields.Nested(AudienceArgsSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_AUDIENCES),
        metadata={"description": f"1 to {MAX_AUDIENCES} audience queries."},
    )


class AudiencesSchema(Schema):
    audiences = fields.List(
        fields.Nested(AudienceSchema, allow_none=True),
        metadata={"description": "One per query, in order; null where it names nothing."},
    )


@blp.route("/audiences")
class Audiences(MethodView):
    @blp.arguments(AudiencesArgsSchema)
    @blp.response(200, AudiencesSchema)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Many audiences in one call (the notifications consumer's batch), in one read session;
        a query whose case, school or guardian is gone answers null."""
        _as_service("Only service accounts may read audiences.")
        found: list[dict[str, Any] | None] = []
        with read_session() as session:
            for query in args["queries"]:
                try:
                    found.append(audience_query.audience(session, query))
                except NotFound:
                    found.append(None)
        return {"audiences": found}


# The longest window asked at once: the longest lead time a policy may have (365 days) and the
# longest simulation (60 days), with room to spare.
MAX_SCHEDULED_DAYS = 500


class ScheduledArgsSchema(PageArgsSchema):
    partnership_id = fields.UUID(required=True)
    start = fields.Date(required=True, data_key="from", metadata={"description": "First day."})
    end = fields.Date(required=True, data_key="to", metadata={"description": "Last day."})

    @validates_schema
    def window(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data:
            if data["end"] < data["start"]:
                raise ValidationError("Must not be before 'from'.", "to")
            if (data["end"] - data["start"]).days > MAX_SCHEDULED_DAYS:
                raise ValidationError(f"At most {MAX_SCHEDULED_DAYS} days after 'from'.", "to")


class ScheduledDateSchema(Schema):
    subject_kind = fields.String(
        metadata={
            "description": "intervention, plan_evaluation, meeting (of a plan evaluation: its "
            "id), admission_statement or support_profile"
        }
    )
    subject_id = fields.UUID()
    school_id = fields.UUID()
    region = fields.String(allow_none=True, metadata={"description": "The school's holidays."})
    case_id = fields.UUID(allow_none=True)
    date = fields.Date(metadata={"description": "The scheduled date."})
    event_type = fields.String(metadata={"description": "The event that set the date."})
    data = fields.Dict(
        keys=fields.String(),
        metadata={"description": "That event's payload as consumers receive it (ids and dates)."},
    )


ScheduledDatePageSchema = page_schema(ScheduledDateSchema, "ScheduledDatePage")


@blp.route("/scheduled")
class Scheduled(MethodView):
    @blp.arguments(ScheduledArgsSchema, location="query")
    @blp.response(200, ScheduledDatePageSchema)
    def get(self, args: dict[str, Any]) -> queries.Page:
        """The dates scheduled for open subjects of a partnership in a window, by date."""
        _as_service("Only service accounts may read the scheduled dates.")
        with read_session() as session:
            return queries.scheduled_dates(
                session,
                args["partnership_id"],
                args["start"],
                args["end"],
                args["page"],
                args["page_size"],
            )


class MeetingPlaceSchema(Schema):
    evaluation_id = fields.UUID()
    starts_at = fields.AwareDateTime(metadata={"description": "UTC"})
    duration_minutes = fields.Integer()
    location = fields.String(allow_none=True, metadata={"description": "Free text"})
    video_url = fields.String(allow_none=True)
    sequence = fields.Integer(metadata={"description": "The calendar SEQUENCE of the meeting"})
    cancelled = fields.Boolean()
    organizer_email = fields.String(
        allow_none=True,
        metadata={"description": "The partnership's meeting organizer (null: none set)"},
    )
    organizer_name = fields.String(metadata={"description": "The partnership's name"})


@blp.route("/meetings/<uuid:evaluation_id>")
class MeetingPlace(MethodView):
    @blp.response(200, MeetingPlaceSchema)
    def get(self, evaluation_id: UUID) -> dict[str, Any]:
        """An evaluation meeting as planned now, with its place and video link and the
        partnership's meeting organizer (404 when the evaluation or its meeting is gone)."""
        _as_service("Only service accounts may read meetings.")
        with read_session() as session:
            evaluation = session.get(PlanEvaluation, evaluation_id)
            if evaluation is None or evaluation.meeting_starts_at is None:
                raise NotFound("No such meeting.")
            partnership = session.execute(
                select(orm.partnerships.c.name, orm.partnerships.c.settings)
                .join(orm.cases, orm.cases.c.partnership_id == orm.partnerships.c.id)
                .join(orm.development_plans, orm.development_plans.c.case_id == orm.cases.c.id)
                .where(orm.development_plans.c.id == evaluation.plan_id)
            ).one()
            return {
                "evaluation_id": evaluation.id,
                "starts_at": evaluation.meeting_starts_at,
                "duration_minutes": evaluation.meeting_minutes,
                "location": evaluation.meeting_location,
                "video_url": evaluation.meeting_video_url,
                "sequence": evaluation.meeting_sequence,
                "cancelled": evaluation.meeting_cancelled,
                "organizer_email": partnership.settings.meeting_organizer,
                "organizer_name": partnership.name,
            }


class ConsentStateSchema(Schema):
    plan_id = fields.UUID()
    action_plan_version = fields.Integer(metadata={"description": "The current version"})
    answered_versions = fields.List(
        fields.Integer(), metadata={"description": "Versions the parents agreed to or declined"}
    )
    answer_by = fields.Date(
        allow_none=True,
        metadata={
            "description": "The day the school hopes for an answer by: the request's day plus "
            "the partnership's consent_answer_days (null while none is asked)"
        },
    )
    school_name = fields.String()
    partnership_name = fields.String()
    contact_name = fields.String(
        allow_none=True,
        metadata={"description": "The pupil's coordinator, else the school's (null: none)"},
    )
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)


@blp.route("/plans/<uuid:plan_id>/consent")
class ConsentState(MethodView):
    @blp.response(200, ConsentStateSchema)
    def get(self, plan_id: UUID) -> dict[str, Any]:
        """The current version of a plan's action plan and the versions already answered (404
        when the plan is gone): a consent request for an answered or replaced version is stale.
        With what the request's message tells the parents: the day the school hopes for an
        answer by, the school, its contact (the pupil's coordinator, else the school's) and the
        partnership. A version still asked about (under `consent_from: all`, while guardians
        with authority have yet to agree) is not answered yet."""
        _as_service("Only service accounts may read consent states.")
        with read_session() as session:
            plan = _found(session, DevelopmentPlan, plan_id, "No such plan.")
            case = _found(session, Case, plan.case_id, "No such plan.")
            school = _found(session, School, case.school_id, "No such plan.")
            partnership = _found(session, Partnership, case.partnership_id, "No such plan.")
            asked_on = plan.consent_requested_on
            days = partnership.settings.consent_answer_days
            contact = _coordinator(session, case.pupil_id, school.id)
            answered = {c.action_plan_version for c in plan.consents}
            if plan.consent_status == "requested":  # asked (again), or others still awaited
                answered.discard(plan.action_plan_version)
            return {
                "plan_id": plan.id,
                "action_plan_version": plan.action_plan_version,
                "answered_versions": sorted(answered),
                "answer_by": asked_on + timedelta(days=days) if asked_on else None,
                "school_name": school.name,
                "partnership_name": partnership.name,
                "contact_name": contact.name if contact else None,
                "contact_email": contact.email if contact else None,
                "contact_phone": contact.phone if contact else None,
            }


def _coordinator(session: Session, pupil_id: UUID, school_id: UUID) -> User | None:
    """Whom parents ask about their child's plan: the pupil's own active coordinator, else the
    school's first active coordinator by name."""
    pupil = session.get(Pupil, pupil_id)
    for assignment in pupil.staff if pupil else []:
        user = session.get(User, assignment.user_id)
        if assignment.role == "coordinator" and user is not None and user.active:
            return user
    query = (
        select(User)
        .where(
            orm.users.c.school_id == school_id,
            orm.users.c.role == "coordinator",
            orm.users.c.active.is_(True),
        )
        .order_by(orm.users.c.name, orm.users.c.id)
    )
    return session.execute(query).scalars().first()


class InterventionStateSchema(Schema):
    intervention_id = fields.UUID()
    status = fields.String(metadata={"description": "active, evaluated or stopped"})


@blp.route("/interventions/<uuid:intervention_id>")
class InterventionState(MethodView):
    @blp.response(200, InterventionStateSchema)
    def get(self, intervention_id: UUID) -> dict[str, Any]:
        """Whether an intervention still runs (404 when it is gone): a message that it started
        says nothing any more once it was evaluated or stopped."""
        _as_service("Only service accounts may read intervention states.")
        with read_session() as session:
            item = _found(session, Intervention, intervention_id, "No such intervention.")
            return {"intervention_id": item.id, "status": item.status}


class ValiditySchema(Schema):
    id = fields.UUID(metadata={"description": "The user's or guardian's id."})
    active = fields.Boolean(metadata={"description": "False: refuse every token or link."})
    valid_after = fields.DateTime(
        allow_none=True,
        metadata={"description": "Tokens or links issued up to this instant are refused."},
    )


@blp.route("/users/<uuid:user_id>/validity")
class UserValidity(MethodView):
    @blp.response(200, ValiditySchema)
    def get(self, user_id: UUID) -> dict[str, Any]:
        """Whether an account's tokens are accepted (the other services' check of a person's
        token, cached by them for a minute): active, and issued after `tokens_valid_after`."""
        _as_service("Only services ask for an account's validity.")
        with read_session() as session:
            user = _found(session, User, user_id, "No such user.")
            validity = user.token_validity()
            return {"id": user.id, "active": user.active, "valid_after": validity.valid_after}


@blp.route("/guardians/<uuid:guardian_id>/validity")
class GuardianLinkValidity(MethodView):
    @blp.response(200, ValiditySchema)
    def get(self, guardian_id: UUID) -> dict[str, Any]:
        """Whether a guardian's preference links open (asked by notifications for every link
        opened): 404 once the guardian is removed from the pupil; links signed up to
        `valid_after` are refused (revoked by the school, or the guardian's account disabled),
        and every link while the guardian's account is disabled."""
        _as_service("Only services ask for a link's validity.")
        with read_session() as session:
            guardian = _found(session, Guardian, guardian_id, "No such guardian.")
            user = session.get(User, guardian.user_id) if guardian.user_id else None
            validity = guardian_link_validity(guardian, user)
            return {
                "id": guardian.id,
                "active": validity.active,
                "valid_after": validity.valid_after,
            }
