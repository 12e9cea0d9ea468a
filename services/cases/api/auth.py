"""POST /api/v1/auth/token: e-mail and password in, bearer token out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.api.common import container, uow
from services.cases.api.schemas import TokenRequestSchema, TokenSchema
from services.cases.service_layer import handlers
from shared.auth import InvalidToken, Role, issue_token, verify_token
from shared.errors import Unauthorized
from shared.login_limiter import LOGIN_CLIENT_HEADER, LoginLimits
from shared.web import bearer_token

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in.")


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=[])
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Exchange e-mail and password for a bearer token."""
        c = container()
        limiter = LoginLimits(
            c.redis, c.settings.event_stream, per_client=c.settings.login_failures_per_client
        )
        remote = login_client(c.settings.jwt_secret, c.clock.now())
        limiter.check(data["email"], remote)
        try:
            principal = handlers.authenticate(data["email"], data["password"], uow())
        except Unauthorized:
            limiter.failed(data["email"], remote)
            raise
        ttl = c.settings.token_ttl_seconds
        token = issue_token(principal, c.settings.jwt_secret, c.clock.now(), timedelta(seconds=ttl))
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "role": principal.role.value,
        }


def login_client(secret: str, now: datetime) -> str:
    """The address a log-in comes from: the connection's (after trusted proxies), or, for the
    console logging a person in on their behalf, the browser's address it names in
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
