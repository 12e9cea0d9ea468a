"""Signing in without a password: the guardian gives an address, the cases service e-mails a
one-time link to a known one, and opening it (then pressing the button: a mail scanner that
fetches links must not spend it) starts a session of limited length.

The answer to "send me a link" is the same page for any address, and comes before the cases
service is asked: the request is handed to a background thread, so neither the page nor the time
it takes tells whether the address is known."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.clients.base import ApiError
from services.web.clients.cases import ask_guardian_link, guardian_session
from services.web.pages.common import (
    LANGUAGES,
    cases,
    container,
    end_session,
    render,
    take_landing,
)
from services.web.pages.parents.blueprint import blp
from services.web.pages.parents.preferences import save_language, saved_language
from shared.auth import service_token

log = logging.getLogger(__name__)
EXTENSION = "web.parents.sign_in"


class LinkRequests:
    """Asks for sign-in links off the request thread; `wait()` lets tests see them done."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sign-in-link")
        self.pending: list[Future[None]] = []

    def submit(self, app: Flask, email: str, browser: str) -> None:
        self.pending = [f for f in self.pending if not f.done()]
        self.pending.append(self.executor.submit(self._ask, app, email, browser))

    @staticmethod
    def _ask(app: Flask, email: str, browser: str) -> None:
        c = app.extensions["web"]
        try:
            ask_guardian_link(c.http, c.settings.cases_url, email, _service(c), browser)
        except ApiError as err:  # logged without the address
            log.warning("sign-in link request refused: %s %s", err.status, err.code)

    def wait(self) -> None:
        for future in self.pending:
            future.result(timeout=30)


def _service(c: Any) -> str:
    return service_token("web", c.settings.jwt_secret, c.clock.now(), timedelta(minutes=5))


def link_requests(app: Flask) -> LinkRequests:
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = LinkRequests()
    return app.extensions[EXTENSION]  # type: ignore[no-any-return]


@blp.route("/inloggen", methods=["GET", "POST"])
def sign_in() -> Any:
    """Ask for a sign-in link by e-mail; the same answer for any address."""
    if request.method == "GET":
        return render("parents/sign_in.html", email="", errors={}, sent=False)
    email = request.form.get("email", "").strip()
    if not email or "@" not in email or len(email) > 254:
        errors = {"email": [_("Vul uw e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")]}
        return render("parents/sign_in.html", 422, email=email, errors=errors, sent=False)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    link_requests(app).submit(app, email, request.remote_addr or "-")
    return render("parents/sign_in.html", email="", errors={}, sent=True)


@blp.route("/inloggen/<token>", methods=["GET", "POST"])
def link(token: str) -> Any:
    """The e-mailed link: a button to sign in (GET spends nothing), then the session, landing on
    the page asked for before signing in (in this browser), else the children."""
    if request.method == "GET":
        return render("parents/link.html", token=token)
    c = container()
    try:
        body = guardian_session(c.http, c.settings.cases_url, token, _service(c))
    except ApiError as err:
        if err.status == 401:
            return redirect(url_for("parents.link_refused"))
        raise
    recorded = body.get("language") if body.get("language") in LANGUAGES else None
    chosen_here = session.get("lang") if session.get("lang") in LANGUAGES else None
    landing = take_landing()  # the page asked for before signing in, e.g. the consent page
    end_session()
    session.update(
        token=body["access_token"],
        guardian_ids=[str(g) for g in body.get("guardian_ids", [])],
    )
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    # A language chosen on these pages before signing in is the guardian's choice: it is kept
    # and saved (messages follow it); else the one they saved before, else the school's record.
    if chosen_here:
        session["lang"] = chosen_here
        save_language(chosen_here)
    else:
        session["lang"] = saved_language() or recorded or "nl"
    return redirect(landing or url_for("parents.home"))


@blp.get("/link-verlopen")
def link_refused() -> Any:
    """A used, expired or broken link: say so, and offer a new one."""
    return render("parents/link_refused.html", 410)


@blp.post("/uitloggen")
def sign_out() -> Response:
    """End the session at once."""
    end_session()
    return redirect(url_for("parents.sign_in", uitgelogd=1))


@blp.post("/overal-uitloggen")
def sign_out_everywhere() -> Response:
    """End every session of this guardian, on every device (the cases service refuses their
    tokens issued before now), and this one at once."""
    cases().sign_out_everywhere()
    end_session()
    flash(_("U bent overal uitgelogd."), "success")
    return redirect(url_for("parents.sign_in"))
