"""A guardian's language and message settings (issue 13).

- The language switch on every parents' page: the pages follow it at once, and for a signed-in
  guardian it is saved as their language in the notifications service, so messages follow too.
- /ouders/voorkeuren/<token>: the page the link in every message to a guardian opens (the same
  signed, revocable token; no account needed): language, informational messages and channels.
  The notifications service keeps the settings and checks the token on every call."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.clients.base import ApiError
from services.web.clients.preferences import PreferencesClient, preferences_token
from services.web.pages.common import LANGUAGES, container, current_user, render, safe_next
from services.web.pages.parents.blueprint import blp
from shared.auth import service_token

log = logging.getLogger(__name__)
CHANNELS = ("email", "sms", "email,sms")
NOT_SET = {"language": None, "informational": True, "channels": None}


def _client() -> PreferencesClient | None:
    c = container()
    if not c.settings.notifications_url:
        return None
    token = service_token("web", c.settings.jwt_secret, c.clock.now(), timedelta(minutes=5))
    return PreferencesClient(c.http, c.settings.notifications_url, token)


def _own_tokens() -> list[str]:
    """Preference links for the signed-in guardian's own records (one per child)."""
    user = current_user()
    if user is None or user.partnership_id is None:
        return []
    c = container()
    return [
        preferences_token(c.settings.jwt_secret, UUID(gid), user.partnership_id, c.clock.now())
        for gid in session.get("guardian_ids", [])
    ]


def saved_language() -> str | None:
    """The language the signed-in guardian chose before (None: none, or it cannot be asked)."""
    client = _client()
    for token in _own_tokens() if client else []:
        try:
            language = client.get(token).get("language")  # type: ignore[union-attr]
        except ApiError as err:
            log.warning("guardian preferences not read: %s %s", err.status, err.code)
            return None
        if language in LANGUAGES:
            return str(language)
    return None


def save_language(language: str) -> None:
    """Save the language for each of the guardian's records, keeping their other settings."""
    client = _client()
    for token in _own_tokens() if client else []:
        try:
            prefs = {**NOT_SET, **client.get(token)}  # type: ignore[union-attr]
            client.put(token, {**prefs, "language": language})  # type: ignore[union-attr]
        except ApiError as err:  # the pages still switch; messages keep the old language
            log.warning("guardian language not saved: %s %s", err.status, err.code)
            return


@blp.post("/taal")
def language() -> Response:
    """Switch the parents' pages to another language; back to the page the parent was on."""
    chosen = request.form.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        save_language(chosen)
    return redirect(safe_next(request.form.get("next")) or url_for("parents.home"))


@blp.route("/voorkeuren/<token>", methods=["GET", "POST"])
def preferences(token: str) -> Any:
    """The settings a message's link opens: language, which messages, which channel."""
    client = _client()
    if client is None:
        return render("parents/preferences_refused.html", 404)
    try:
        prefs = {**NOT_SET, **client.get(token)}
    except ApiError as err:
        if err.status == 404:
            return render("parents/preferences_refused.html", 404)
        raise
    if request.method == "POST":
        language = request.form.get("language") or None
        channels = request.form.get("channels") or None
        settings = {
            "language": language if language in LANGUAGES else None,
            "informational": request.form.get("informational") is not None,
            "channels": channels.split(",") if channels in CHANNELS else None,
        }
        client.put(token, settings)
        if settings["language"]:
            session["lang"] = settings["language"]  # the page follows the chosen language
        flash(_("Uw instellingen zijn opgeslagen."), "success")
        return redirect(url_for("parents.preferences", token=token))
    if "lang" not in session and prefs["language"] in LANGUAGES:
        session["lang"] = prefs["language"]
    chosen = ",".join(prefs["channels"] or [])
    return render("parents/preferences.html", prefs=prefs, chosen=chosen, token=token)
