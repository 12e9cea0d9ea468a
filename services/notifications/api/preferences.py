"""A guardian's message settings, reached through the signed link in every message."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, redirect, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.notifications.bootstrap import Container
from services.notifications.service_layer.handlers import PREFERENCES_PURPOSE
from shared.errors import NotFound
from shared.signing import BadSignature, unsign

blp = Blueprint(
    "preferences",
    __name__,
    url_prefix="/api/v1/preferences",
    description="A guardian's message settings (signed link, no account).",
)


class PreferencesSchema(Schema):
    language = fields.String(
        validate=validate.OneOf(["nl", "en"]),
        allow_none=True,
        load_default=None,
        metadata={"description": "Empty: the language the school has."},
    )
    informational = fields.Boolean(
        load_default=True,
        metadata={
            "description": "Receive informational messages; requests for consent and evaluation "
            "reminders always come."
        },
    )


def _c() -> Container:
    return current_app.extensions["notifications"]


def claims(token: str) -> tuple[UUID, UUID]:
    """The guardian and partnership a preference link was signed for (404 when it is not valid)."""
    try:
        claims = unsign(token, _c().settings.jwt_secret, PREFERENCES_PURPOSE, _c().clock.now())
        return UUID(claims["gid"]), UUID(claims["pid"])
    except (BadSignature, KeyError, ValueError) as err:
        raise NotFound("This link is not valid (any more).", code="invalid_link") from err


@blp.route("/<string:token>")
class Preferences(MethodView):
    @blp.doc(security=[])
    @blp.response(200, PreferencesSchema)
    def get(self, token: str) -> Any:
        """Show the guardian's settings. A browser (asking for HTML) is sent to the web page of
        the console, so the link in older messages opens a page, not JSON."""
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            return redirect(url_for("console.preferences", token=token), code=303)
        guardian_id, _ = claims(token)
        with _c().store() as store:
            prefs = store.preferences(guardian_id)
        return prefs or {"language": None, "informational": True}

    @blp.doc(security=[])
    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, data: dict[str, Any], token: str) -> dict[str, Any]:
        """Change the guardian's settings."""
        guardian_id, partnership_id = claims(token)
        with _c().store() as store:
            store.save_preferences(
                guardian_id,
                partnership_id,
                data["language"],
                data["informational"],
                _c().clock.now(),
            )
            store.commit()
        return data
