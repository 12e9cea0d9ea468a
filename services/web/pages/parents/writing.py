"""A text the parents write on their pages (their own view on a plan, their view on a TLV
application): required, at most MAX_LENGTH characters, refused by the API once it is too late."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.pages.common import render

MAX_LENGTH = 4000


def text_form(
    template: str,
    written: str,
    save: Callable[[str], object],
    back: Callable[[], str],
    *,
    missing: str,
    too_late: str,
    thanks: str,
    **context: Any,
) -> Any:
    """GET: the form with the text written so far. POST: the text checked and saved, then the
    thanks and back; what is wrong (or `too_late` when the API refuses with 409 or 422) with 422."""
    if request.method == "GET":
        return render(template, **context, errors={}, text=written)
    text = request.form.get("text", "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [missing]
    elif len(text) > MAX_LENGTH:
        errors["text"] = [_("Gebruik hoogstens %(count)s tekens.", count=MAX_LENGTH)]
    if not errors:
        try:
            save(text)
        except ApiError as err:
            if err.status not in (409, 422):
                raise
            errors["text"] = [too_late]
    if errors:
        return render(template, 422, **context, errors=errors, text=text)
    flash(thanks, "success")
    return redirect(back())
