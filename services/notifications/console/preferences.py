"""A guardian's message settings as a web page, reached through the signed link in every message
(no account: the link's token is the authorization, as in `api.preferences`)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, session, url_for
from marshmallow import ValidationError

from services.notifications.api import preferences as api
from services.notifications.console.web import blp, container, render, t


@blp.route("/preferences/<string:token>", methods=["GET", "POST"])
def preferences(token: str) -> Any:
    """Show and change the language, the channel and whether informational messages come."""
    guardian_id, partnership_id = api.claims(token)  # 404 page for a bad or expired link
    c = container()
    if request.method == "POST":
        channels = request.form.get("channels") or None  # "email", "sms" or "email,sms"
        raw = {
            "language": request.form.get("language") or None,
            "informational": request.form.get("informational") is not None,
            "channels": channels.split(",") if channels else None,
        }
        try:
            data = api.PreferencesSchema().load(raw)
        except ValidationError:
            data = {"language": None, "informational": raw["informational"], "channels": None}
        with c.store() as store:
            store.save_preferences(
                guardian_id,
                partnership_id,
                data["language"],
                data["informational"],
                c.clock.now(),
                channels=data["channels"],
            )
            store.commit()
        if data["language"] and "lang" not in request.args:
            session["lang"] = data["language"]  # the page follows the chosen language
        flash(t("prefs.saved"), "success")
        return redirect(url_for("console.preferences", token=token))
    with c.store() as store:
        prefs = store.preferences(guardian_id) or {
            "language": None,
            "informational": True,
            "channels": None,
        }
    chosen = ",".join(prefs["channels"] or [])
    if "lang" not in session and prefs["language"]:
        session["lang"] = prefs["language"]
    return render("preferences.html", prefs=prefs, chosen=chosen, token=token)
