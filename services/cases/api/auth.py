"""POST /api/v1/auth/token: e-mail and password in, bearer token out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.api.common import container, uow
from services.cases.api.schemas import TokenRequestSchema, TokenSchema
from services.cases.service_layer import handlers
from shared.auth import issue_token

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in.")


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=[])
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Exchange e-mail and password for a bearer token."""
        c = container()
        principal = handlers.authenticate(data["email"], data["password"], uow())
        ttl = c.settings.token_ttl_seconds
        token = issue_token(principal, c.settings.jwt_secret, c.clock.now(), timedelta(seconds=ttl))
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "role": principal.role.value,
        }
