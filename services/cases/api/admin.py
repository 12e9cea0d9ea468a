"""Partnership settings, schools and accounts: the administrator's part of the cases API."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import redis
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from services.cases.adapters import orm
from services.cases.adapters.repositories import SqlAlchemyRepository
from services.cases.api.admin_schemas import (
    CodeListsSchema,
    DomainArgsSchema,
    DomainSchema,
    PartnershipSchema,
    SchoolInSchema,
    SchoolSchema,
    SettingsSchema,
    UserInSchema,
    UserSchema,
)
from services.cases.api.common import actor, container, read_session, today, uow
from services.cases.api.schemas import text
from services.cases.domain import commands
from services.cases.domain.catalog import (
    BASIC_DOMAINS,
    EXIT_DESTINATIONS,
    EXTRA_DOMAINS,
    REFERRAL_DESTINATIONS,
    domain_rows,
    labelled,
)
from services.cases.domain.school import Partnership, School, User, current_profile
from services.cases.service_layer import admin_handlers, handlers
from shared.auth import SCHOOL_ROLES, Role
from shared.errors import Forbidden, NotFound

log = logging.getLogger(__name__)

blp = Blueprint(
    "admin",
    __name__,
    url_prefix="/api/v1",
    description="Partnership settings, schools and accounts.",
)


@blp.route("/partnerships/<uuid:partnership_id>")
class PartnershipView(MethodView):
    @blp.response(200, PartnershipSchema)
    def get(self, partnership_id: UUID) -> Partnership:
        """Show a partnership and its settings."""
        with read_session() as session:
            partnership = session.get(Partnership, partnership_id)
            if partnership is None or not actor().sees_partnership(partnership_id):
                raise NotFound("No such partnership.")
            return partnership


@blp.route("/partnerships/<uuid:partnership_id>/domains")
class PartnershipDomains(MethodView):
    @blp.arguments(DomainArgsSchema, location="query")
    @blp.response(200, DomainSchema(many=True))
    def get(self, args: dict[str, Any], partnership_id: UUID) -> list[dict[str, Any]]:
        """The partnership's support domains, basic then extra, with their Dutch and English
        labels (the code itself for a domain outside the catalog); with `school_id`, whether
        that school's support profile in force `on` a day (default today) offers each."""
        if not actor().sees_partnership(partnership_id):
            raise NotFound("No such partnership.")
        with read_session() as session:
            partnership = session.get(Partnership, partnership_id)
            if partnership is None:
                raise NotFound("No such partnership.")
            rows = domain_rows(partnership.settings)
            if args.get("school_id") is None:
                return [{**row, "in_support_profile": None} for row in rows]
            school = session.get(School, args["school_id"])
            if school is None or not actor().sees_school(partnership_id, school.id):
                raise NotFound("No such school.")
            profile = current_profile(
                SqlAlchemyRepository(session).profiles(school.id), args.get("on") or today()
            )
            offered = profile.offers if profile else (lambda _code: False)
            return [{**row, "in_support_profile": offered(row["code"])} for row in rows]


@blp.route("/partnerships/<uuid:partnership_id>/code-lists")
class CodeListsView(MethodView):
    @blp.response(200, CodeListsSchema)
    def get(self, partnership_id: UUID) -> dict[str, Any]:
        """The codes the API takes, with Dutch and English labels: the partnership's domain lists
        and the fixed exit and referral destinations."""
        with read_session() as session:
            partnership = session.get(Partnership, partnership_id)
            if partnership is None or not actor().sees_partnership(partnership_id):
                raise NotFound("No such partnership.")
            settings = partnership.settings
        domains = {**BASIC_DOMAINS, **EXTRA_DOMAINS}
        return {
            "basic_domains": labelled(settings.basic_domains, domains),
            "extra_domains": labelled(settings.extra_domains, domains),
            "exit_destinations": labelled(list(EXIT_DESTINATIONS), EXIT_DESTINATIONS),
            "referral_destinations": labelled(list(REFERRAL_DESTINATIONS), REFERRAL_DESTINATIONS),
        }


@blp.route("/partnerships/<uuid:partnership_id>/settings")
class PartnershipSettingsView(MethodView):
    @blp.arguments(SettingsSchema)
    @blp.response(200, PartnershipSchema)
    def patch(self, data: dict[str, Any], partnership_id: UUID) -> Partnership:
        """Change settings: domain lists, deadlines and reminder horizons."""
        handlers.update_partnership_settings(
            commands.UpdatePartnershipSettings(partnership_id, data), uow(), actor()
        )
        with read_session() as session:
            return session.get(Partnership, partnership_id)  # type: ignore[return-value]


@blp.route("/schools")
class Schools(MethodView):
    @blp.response(200, SchoolSchema(many=True))
    def get(self) -> list[School]:
        """List the schools the caller may see."""
        p = actor()
        if p.role is Role.GUARDIAN:
            raise Forbidden("Guardians do not list schools.")
        with read_session() as session:
            query = select(School).order_by(orm.schools.c.name, orm.schools.c.id)
            if p.role is not Role.SERVICE:
                query = query.where(orm.schools.c.partnership_id == p.partnership_id)
            if p.role in SCHOOL_ROLES:
                query = query.where(orm.schools.c.id.in_(p.school_ids))
            return list(session.execute(query).scalars())

    @blp.arguments(SchoolInSchema)
    @blp.response(201, SchoolSchema)
    def post(self, data: dict[str, Any]) -> School:
        """Add a school to the partnership (administrator)."""
        if actor().partnership_id is None:
            raise Forbidden("Only a partnership administrator may add schools.")
        school_id = handlers.create_school(
            commands.CreateSchool(partnership_id=actor().partnership_id, **data), uow(), actor()
        )
        with read_session() as session:
            return session.get(School, school_id)  # type: ignore[return-value]


class SchoolChangeSchema(Schema):
    name = text(200)
    region = fields.String(validate=validate.OneOf(["noord", "midden", "zuid"]))
    brin = fields.String(
        validate=validate.Regexp(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$"), allow_none=True
    )


class RoleChangeSchema(Schema):
    role = fields.String(
        required=True,
        validate=validate.OneOf(sorted(r.value for r in admin_handlers.ASSIGNABLE)),
    )
    school_id = fields.UUID(load_default=None, allow_none=True)


@blp.route("/schools/<uuid:school_id>")
class SchoolView(MethodView):
    @blp.arguments(SchoolChangeSchema)
    @blp.response(200, SchoolSchema)
    def patch(self, data: dict[str, Any], school_id: UUID) -> School:
        """Change a school's name, region or BRIN (administrator; only the fields sent)."""
        admin_handlers.update_school(commands.UpdateSchool(school_id, data), uow(), actor())
        with read_session() as session:
            return session.get(School, school_id)  # type: ignore[return-value]


@blp.route("/users")
class Users(MethodView):
    @blp.response(200, UserSchema(many=True))
    def get(self) -> list[User]:
        """List the partnership's accounts (administrator)."""
        if actor().role.value != "admin":
            raise Forbidden("Only the partnership's administrator lists accounts.")
        with read_session() as session:
            query = (
                select(User)
                .where(orm.users.c.partnership_id == actor().partnership_id)
                .order_by(orm.users.c.email)
            )
            return list(session.execute(query).scalars())

    @blp.arguments(UserInSchema)
    @blp.response(201, UserSchema)
    def post(self, data: dict[str, Any]) -> User:
        """Create a staff or guardian account (administrator)."""
        user_id = handlers.create_user(commands.CreateUser(**data), uow(), actor())
        with read_session() as session:
            return session.get(User, user_id)  # type: ignore[return-value]


@blp.route("/users/<uuid:user_id>")
class UserView(MethodView):
    @blp.arguments(RoleChangeSchema)
    @blp.response(200, UserSchema)
    def patch(self, data: dict[str, Any], user_id: UUID) -> User:
        """Give a staff account another role and school (administrator). Its tokens issued so
        far are refused in every service at once (they name the old role): the user logs in
        again."""
        revocations = container().revocations
        command = commands.ChangeUserRole(user_id, data["role"], data["school_id"])
        validity = admin_handlers.change_user_role(
            command, uow(), actor(), on_change=revocations.remember
        )
        try:
            revocations.remember(user_id, validity)
        except redis.RedisError:  # the write before the commit counted; the cache expires anyway
            log.warning("validity cache not refreshed after the commit")
        with read_session() as session:
            return session.get(User, user_id)  # type: ignore[return-value]


@blp.route("/users/<uuid:user_id>/disable")
class DisableUser(MethodView):
    @blp.response(200, UserSchema)
    def post(self, user_id: UUID) -> User:
        """Disable an account (administrator): its tokens stop working in every service at once,
        and those issued so far stay refused after a re-enable."""
        _set_active(user_id, active=False)
        with read_session() as session:
            return session.get(User, user_id)  # type: ignore[return-value]


@blp.route("/users/<uuid:user_id>/enable")
class EnableUser(MethodView):
    @blp.response(200, UserSchema)
    def post(self, user_id: UUID) -> User:
        """Re-enable a disabled account (administrator); the user logs in again (tokens issued
        before the disable stay refused)."""
        _set_active(user_id, active=True)
        with read_session() as session:
            return session.get(User, user_id)  # type: ignore[return-value]


def _set_active(user_id: UUID, active: bool) -> None:
    """Change the account in the database, writing the shared cache through before and after
    the commit (shared.revocation)."""
    revocations = container().revocations
    command = commands.SetUserActive(user_id=user_id, active=active)
    validity = handlers.set_user_active(command, uow(), actor(), on_change=revocations.remember)
    try:
        revocations.remember(user_id, validity)
    except redis.RedisError:  # the write before the commit counted; the cache expires anyway
        log.warning("validity cache not refreshed after the commit")


@blp.route("/users/<uuid:user_id>/second-factor/disable")
class DisableSecondFactor(MethodView):
    @blp.response(200, UserSchema)
    def post(self, user_id: UUID) -> User:
        """Remove an account's second factor (administrator), e.g. for a lost phone; the user
        enrols again."""
        handlers.disable_second_factor(commands.DisableSecondFactor(user_id), uow(), actor())
        with read_session() as session:
            return session.get(User, user_id)  # type: ignore[return-value]
