"""A guardian's message settings, reached through the signed link in every message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import current_app, redirect, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, post_load, validate

from services.notifications.bootstrap import Container
from services.notifications.domain.channel_choice import GUARDIAN_CHANNELS, normalise
from services.notifications.domain.languages import LANGUAGES
from services.notifications.service_layer.messages import PREFERENCES_PURPOSE, preferences_page
from shared.errors import NotFound, ServiceUnavailable
from shared.revocation import ValidityUnavailable
from shared.signing import BadSignature, unsign

blp = Blueprint(
    "preferences",
    __name__,
    url_prefix="/api/v1/preferences",
    description="A guardian's message settings (signed link, no account).",
)


class PreferencesSchema(Schema):
    language = fields.String(
        validate=validate.OneOf(LANGUAGES),
        allow_none=True,
        load_default=None,
        metadata={"description": "nl, en, tr, ar, pl or uk. Empty: the language the school has."},
    )
    informational = fields.Boolean(
        load_default=True,
        metadata={
            "description": "Receive informational messages; requests for consent and evaluation "
            "reminders always come."
        },
    )
    channels = fields.List(
        fields.String(validate=validate.OneOf(GUARDIAN_CHANNELS)),
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1),
        metadata={
            "description": "The channels the guardian chose: ['email'], ['sms'] or "
            "['email', 'sms']. Absent or null: every channel the school's policies use. A choice "
            "narrows, never silences: a message the policies send on none of the chosen channels "
            "still comes on theirs (by e-mail when SMS is chosen and the school has no phone "
            "number)."
        },
    )

    @post_load
    def _ordered(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        chosen = normalise(data.get("channels"))
        data["channels"] = list(chosen) if chosen else None
        return data


def _c() -> Container:
    return current_app.extensions["notifications"]


def claims(token: str) -> tuple[UUID, UUID]:
    """The guardian and partnership a preference link was signed for: 404 when it is not valid,
    also when the guardian was removed from the pupil, their links were revoked after it was
    signed, or their account is disabled (asked of the cases service: 503 while it cannot say)."""
    try:
        claims = unsign(token, _c().settings.jwt_secret, PREFERENCES_PURPOSE, _c().clock.now())
        guardian_id, partnership_id = UUID(claims["gid"]), UUID(claims["pid"])
        signed_at = datetime.fromtimestamp(int(claims["iat"]), UTC)
    except (BadSignature, KeyError, ValueError, TypeError, OverflowError, OSError) as err:
        raise NotFound("This link is not valid (any more).", code="invalid_link") from err
    try:
        validity = _c().guardian_links(guardian_id)
    except ValidityUnavailable as err:
        raise ServiceUnavailable("This link cannot be checked now; try again shortly.") from err
    if validity is None or not validity.accepts(signed_at):
        raise NotFound("This link is not valid (any more).", code="invalid_link")
    return guardian_id, partnership_id


@blp.route("/<string:token>")
class Preferences(MethodView):
    @blp.doc(security=[])
    @blp.response(200, PreferencesSchema)
    def get(self, token: str) -> Any:
        """Show the guardian's settings. A browser (asking for HTML) is sent to the web page of
        the parents' pages, so the link in older messages opens a page, not JSON."""
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            return redirect(preferences_page(_c().settings.web_url, token), code=303)
        guardian_id, _ = claims(token)
        with _c().store() as store:
            prefs = store.preferences(guardian_id)
        return prefs or {"language": None, "informational": True, "channels": None}

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
                channels=data["channels"],
            )
            store.commit()
        return data


@blp.route("/<string:token>/unsubscribe")
class Unsubscribe(MethodView):
    @blp.doc(security=[])
    @blp.response(200, PreferencesSchema)
    def post(self, token: str) -> dict[str, Any]:
        """One-click unsubscribe (RFC 8058), the List-Unsubscribe link of every message to a
        guardian: turns informational messages off at once, keeping the language and channels
        (requests for consent and evaluation reminders still come). The signed link is the
        authorization; the body (`List-Unsubscribe=One-Click`) is not needed."""
        guardian_id, partnership_id = claims(token)
        with _c().store() as store:
            prefs = store.preferences(guardian_id)
            language = prefs.language if prefs else None
            channels = prefs.channels if prefs else None
            store.save_preferences(
                guardian_id, partnership_id, language, False, _c().clock.now(), channels=channels
            )
            store.commit()
        return {"language": language, "informational": False, "channels": channels}

    @blp.doc(security=[])
    @blp.response(303)
    def get(self, token: str) -> Any:
        """A browser that opens the unsubscribe link is shown the settings page (a GET changes
        nothing: link checkers and previews fetch links)."""
        claims(token)
        return redirect(preferences_page(_c().settings.web_url, token), code=303)
