"""What the school's forms share: reading dates, and the API's refusals as errors per field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.pages.common import edited_elsewhere
from services.web.pages.school.api_messages import translate

Errors = dict[str, list[str]]


def edited_elsewhere_text() -> str:
    """What a refused save (412) says, at the top of the form."""
    return _(
        "Iemand anders heeft dit plan intussen gewijzigd. Wat u hebt ingevuld staat hieronder "
        "nog. Bekijk eerst de wijziging (bijvoorbeeld in een nieuw tabblad) en sla daarna "
        "opnieuw op."
    )


def read(fields: tuple[str, ...]) -> dict[str, str]:
    """The form's values as typed (trimmed), so a refused form shows them again."""
    return {name: request.form.get(name, "").strip() for name in fields}


def check_dates(values: dict[str, str], names: tuple[str, ...], errors: Errors) -> None:
    """A date field must hold a date (YYYY-MM-DD, what a date input sends)."""
    for name in names:
        if not values[name]:
            errors[name] = [_("Vul een datum in.")]
            continue
        try:
            date.fromisoformat(values[name])
        except ValueError:
            errors[name] = [_("Vul een geldige datum in, bijvoorbeeld 2026-11-30.")]


def submit(call: Callable[[], Any], place: Callable[[str], str] | None = None) -> Errors:
    """Run one API call; its field errors (409, 422) in the user's language, else none. With
    `place`, each error's full path ("scenarios.1.review_by") names the form field it goes to."""
    try:
        call()
    except ApiError as err:
        if err.status == 412:  # someone else saved since this form was built: keep the input
            edited_elsewhere()
            return {"_form": [edited_elsewhere_text()]}
        if err.status not in (409, 422):
            raise
        errors: Errors = {}
        for path, messages in (err.paths if place else err.errors).items():
            name = place(path) if place else path
            errors.setdefault(name, []).extend(translate(m) for m in messages)
        return errors or {"_form": [translate(err.message)]}
    return {}
