"""POST /api/v1/auth/token: e-mail, password and a second factor (when the account has one) in,
bearer token out; POST /api/v1/auth/second-factor/enrolment: a TOTP secret for a staff account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.api.admin_schemas import (
    EnrolmentSchema,
    GuardianLinkExchangeSchema,
    GuardianLinkRequestSchema,
    LogInSchema,
    TokenRequestSchema,
    TokenSchema,
)
from services.cases.api.common import actor, container, uow
from services.cases.domain import commands
from services.cases.domain.second_factor import Enrolment
from services.cases.service_layer import guardian_access, handlers
from shared.auth import InvalidToken, Role, issue_token, verify_token
from shared.errors import Forbidden, Unauthorized
from shared.login_limiter import LOGIN_CLIENT_HEADER, LoginLimiter, LoginLimits
from shared.web import bearer_token

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in.")
T = TypeVar("T")


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(LogInSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=[])
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Exchange e-mail, password and (when the account has one) a second factor for a
        bearer token."""
        c = container()
        result = limited(
            data["email"],
            lambda: handlers.log_in(commands.LogIn(**data), uow(), c.clock.now(), c.secret_box),
        )
        ttl = c.settings.token_ttl_seconds
        token = issue_token(
            result.principal, c.settings.jwt_secret, c.clock.now(), timedelta(seconds=ttl)
        )
        answer: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "role": result.principal.role.value,
        }
        if result.recovery_codes:
            answer["recovery_codes"] = result.recovery_codes
        return answer


@blp.route("/second-factor/enrolment")
class SecondFactorEnrolment(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, EnrolmentSchema)
    @blp.doc(security=[])
    def post(self, data: dict[str, Any]) -> Enrolment:
        """Start (or restart) enrolling an authenticator app: a new secret, shown once. The next
        log-in with a code from the app confirms it and answers the recovery codes."""
        c = container()
        return limited(
            data["email"],
            lambda: handlers.enrol_second_factor(
                commands.EnrolSecondFactor(**data), uow(), c.secret_box
            ),
        )


@blp.route("/guardian-link")
class GuardianLink(MethodView):
    @blp.arguments(GuardianLinkRequestSchema)
    @blp.response(202)
    def post(self, data: dict[str, Any]) -> None:
        """(web only) A guardian asks for a sign-in link by e-mail. The answer is the same
        whether the address is known or not; a known one gets a link through notifications."""
        c = container()
        _web_only()
        link_limits(data["email"], login_client(c.settings.jwt_secret, c.clock.now()))
        guardian_access.request_link(
            data["email"],
            uow(),
            c.clock.now(),
            timedelta(seconds=c.settings.guardian_link_seconds),
        )


@blp.route("/guardian-session")
class GuardianSession(MethodView):
    @blp.arguments(GuardianLinkExchangeSchema)
    @blp.response(200, TokenSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """(web only) Exchange a sign-in link's token, once, for the guardian's bearer token
        (their own children only, a limited time). A used, expired or forged link is a 401."""
        c = container()
        _web_only()
        signed_in = guardian_access.exchange_link(
            data["token"], uow(), c.settings.jwt_secret, c.clock.now()
        )
        ttl = c.settings.guardian_session_seconds
        token = issue_token(
            signed_in.principal, c.settings.jwt_secret, c.clock.now(), timedelta(seconds=ttl)
        )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "role": Role.GUARDIAN.value,
            "language": signed_in.language,
            "guardian_ids": list(signed_in.guardian_ids),
        }


@blp.route("/guardian-sign-out")
class GuardianSignOut(MethodView):
    @blp.response(204)
    def post(self) -> None:
        """(a guardian) Sign out everywhere: every session of this guardian ends, on every
        device; tokens issued before now are refused on every request from here on."""
        c = container()
        validity = guardian_access.sign_out_everywhere(uow(), actor(), c.clock.now())
        c.revocations.remember(actor().user_id, validity)  # the other services, at once


def link_limits(email: str, client: str) -> None:
    """Sign-in link requests, counted per address and per client in an hour (known and unknown
    addresses alike, keys hashed); over either limit a 429, which the web front end only logs:
    the person sees the same page either way."""
    c = container()
    settings, namespace = c.settings, c.settings.event_stream
    limiters = (
        (
            LoginLimiter(
                c.redis, namespace, settings.guardian_links_per_address, 3600, name="guardian-links"
            ),
            (email,),
        ),
        (
            LoginLimiter(
                c.redis,
                namespace,
                settings.guardian_links_per_client,
                3600,
                name="guardian-links-client",
            ),
            (client,),
        ),
    )
    for limiter, parts in limiters:
        limiter.check(*parts)
    for limiter, parts in limiters:
        limiter.failed(*parts)  # counts every request, not only failures


def _web_only() -> None:
    """The guardian sign-in endpoints answer only another service (the web front end)."""
    if actor().role is not Role.SERVICE:
        raise Forbidden("Only the web front end signs guardians in.")


def limited(email: str, attempt: Callable[[], T]) -> T:
    """Run a log-in attempt under the log-in limits: refused while over them, and every 401
    (wrong password, missing or wrong second factor) counted."""
    c = container()
    limiter = LoginLimits(
        c.redis, c.settings.event_stream, per_client=c.settings.login_failures_per_client
    )
    remote = login_client(c.settings.jwt_secret, c.clock.now())
    limiter.check(email, remote)
    try:
        return attempt()
    except Unauthorized:
        limiter.failed(email, remote)
        raise


def login_client(secret: str, now: datetime) -> str:
    """The address a log-in comes from: the connection's (after trusted proxies), or, for the
    web front end logging a person in on their behalf, the browser's address it names in
    X-Login-Client — believed only next to a valid service token."""
    remote = request.remote_addr or "-"
    named = request.headers.get(LOGIN_CLIENT_HEADER, "").strip()
    token = bearer_token()
    if not named or token is None:
        return remote
    try:
        caller = verify_token(token, secret, now)
    except InvalidToken:
        return remote
    return named[:64] if caller.role is Role.SERVICE else remote
