"""Links in messages sent before the administrators' console moved to the web front end (issue
12): `/console/...` on this service is answered with a permanent redirect to the web page that
replaced it, so an old e-mail's link still opens something. Nothing is read or changed here; the
web page checks a guardian's link itself (a forged or revoked one gets its polite 404 page)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, current_app, redirect
from werkzeug.wrappers import Response

from services.notifications.service_layer.messages import preferences_page

PREFIX = "/console"
# The console's old pages and their places on the web front end; anything else: its home page.
PAGES = {
    "login": "/inloggen",
    "policies": "/beheer/berichten",
    "deliveries": "/beheer/bezorging",
    "reports": "/beheer/rapporten",
    "evaluations": "/evaluaties",
}

blp = Blueprint("old_links", __name__, url_prefix=PREFIX)


def _web_url() -> str:
    return current_app.extensions["notifications"].settings.web_url


@blp.get("/preferences/<string:token>")
def preferences(token: str) -> Response:
    """A guardian's settings link from an older message: the web's parents' settings page."""
    return redirect(preferences_page(_web_url(), quote(token, safe="")), code=308)


@blp.get("/", defaults={"rest": ""}, strict_slashes=False)
@blp.get("/<path:rest>")
def console(rest: str) -> Response:
    """Any other old console address: the web page that took its place, or the web's home."""
    return redirect(_web_url() + PAGES.get(rest.split("/", 1)[0], "/"), code=308)
