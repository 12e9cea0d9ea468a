"""Error pages: an ended session goes to log-in; refusals and absences get a calm page."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.web.clients.base import ApiError, SessionEnded
from services.web.pages.common import end_session, render, to_login


def install(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(SessionEnded)
    def _session_ended(_err: SessionEnded) -> Any:
        end_session()
        return to_login()

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError) -> Any:
        if err.status in (403, 404):
            return _page(404, _("Niet gevonden"), _("Deze pagina bestaat niet of is niet voor u."))
        return _page(
            503, _("Even niet beschikbaar"), _("Probeer het over een paar minuten opnieuw.")
        )

    @app.errorhandler(CSRFError)
    def _csrf(_err: CSRFError) -> Any:
        return _page(
            400,
            _("Formulier verlopen"),
            _("Ga terug, laad de pagina opnieuw en probeer het nog eens."),
        )

    @app.errorhandler(404)
    def _not_found(_err: HTTPException) -> Any:
        return _page(404, _("Niet gevonden"), _("Deze pagina bestaat niet of is niet voor u."))


def _page(status: int, title: str, text: str) -> Any:
    return render("error.html", status, title=title, text=text)
