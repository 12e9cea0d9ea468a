"""Support profiles (SOP) of schools, and pupils with their guardians and staff."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from services.cases.adapters import orm, queries
from services.cases.api.common import actor, read_session, uow
from services.cases.api.pupil_schemas import (
    PupilInSchema,
    PupilPageSchema,
    PupilQueryArgsSchema,
    PupilSchema,
    SupportProfileInSchema,
    SupportProfileSchema,
)
from services.cases.domain import commands
from services.cases.domain.school import Pupil, School, SupportProfile
from services.cases.service_layer import handlers
from shared.errors import NotFound
from shared.web import LOCATION, created

blp = Blueprint(
    "pupils", __name__, url_prefix="/api/v1", description="Support profiles and pupils."
)


@blp.route("/schools/<uuid:school_id>/support-profiles")
class SupportProfiles(MethodView):
    @blp.response(200, SupportProfileSchema(many=True))
    def get(self, school_id: UUID) -> list[SupportProfile]:
        """All versions of a school's support profile, newest first."""
        with read_session() as session:
            school = session.get(School, school_id)
            if school is None or not actor().sees_partnership(school.partnership_id):
                raise NotFound("No such school.")
            query = (
                select(SupportProfile)
                .where(orm.support_profiles.c.school_id == school_id)
                .order_by(orm.support_profiles.c.version.desc())
            )
            return list(session.execute(query).scalars())

    @blp.arguments(SupportProfileInSchema)
    @blp.response(201, SupportProfileSchema)
    def post(self, data: dict[str, Any], school_id: UUID) -> SupportProfile:
        """Publish a new version of the school's support profile."""
        profile_id = handlers.publish_support_profile(
            commands.PublishSupportProfile(school_id=school_id, **data), uow(), actor()
        )
        with read_session() as session:
            return session.get(SupportProfile, profile_id)  # type: ignore[return-value]


@blp.route("/pupils")
class Pupils(MethodView):
    @blp.arguments(PupilQueryArgsSchema, location="query")
    @blp.response(200, PupilPageSchema)
    def get(self, args: dict[str, Any]) -> queries.Page:
        """List pupils in the caller's scope."""
        with read_session() as session:
            return queries.list_pupils(session, actor(), args)

    @blp.arguments(PupilInSchema)
    @blp.response(201, PupilSchema, headers=LOCATION)
    def post(self, data: dict[str, Any]) -> Any:
        """Register a pupil with guardians and the staff around them."""
        pupil_id = handlers.register_pupil(commands.RegisterPupil(**data), uow(), actor())
        with read_session() as session:
            pupil = queries.get_pupil(session, actor(), pupil_id)
        return created(pupil, ".PupilView", pupil_id=pupil_id)


@blp.route("/pupils/<uuid:pupil_id>")
class PupilView(MethodView):
    @blp.response(200, PupilSchema)
    def get(self, pupil_id: UUID) -> Pupil:
        """Show a pupil."""
        with read_session() as session:
            return queries.get_pupil(session, actor(), pupil_id)


@blp.route("/pupils/<uuid:pupil_id>/guardians/<uuid:guardian_id>/revoke-links")
class GuardianLinks(MethodView):
    @blp.response(204)
    def post(self, pupil_id: UUID, guardian_id: UUID) -> None:
        """Revoke every preference link sent to this guardian so far (the school's coordinator
        or the administrator): they stop opening at once; links in later messages work."""
        handlers.revoke_guardian_links(pupil_id, guardian_id, uow(), actor())


class LeaveSchema(Schema):
    left_on = fields.Date(required=True)


@blp.route("/pupils/<uuid:pupil_id>/leave")
class PupilLeaving(MethodView):
    @blp.arguments(LeaveSchema)
    @blp.response(200, PupilSchema)
    def post(self, data: dict[str, Any], pupil_id: UUID) -> Pupil:
        """Record that the pupil left the school; the retention period starts (rule 9)."""
        handlers.record_leaving(pupil_id, data["left_on"], uow(), actor())
        with read_session() as session:
            return queries.get_pupil(session, actor(), pupil_id)
