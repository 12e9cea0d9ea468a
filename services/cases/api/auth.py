"""POST /api/v1/auth/token: e-mail and password in, bearer token out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.adapters.login_limiter import LoginLimiter
from services.cases.api.common import container, uow
from services.cases.api.schemas import TokenRequestSchema, TokenSchema
from services.cases.service_layer import handlers
from shared.auth import issue_token
from shared.errors import Unauthorized

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in.")


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=[])
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Exchange e-mail and password for a bearer token."""
        c = container()
        limiter = LoginLimiter(c.redis, c.settings.event_stream)
        remote = request.remote_addr or "-"
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
