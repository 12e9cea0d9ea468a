"""What the administrator's pages share: the admin client, the partnership, paging a list the
API returns whole, and the API's refusals as errors at the form's fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from flask import request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.admin import AdminClient
from services.web.clients.base import ApiClient
from services.web.clients.cases import Page
from services.web.pages.common import container, current_user
from services.web.pages.school.api_messages import translate
from services.web.pages.school.forms import submit

T = TypeVar("T")
Errors = dict[str, list[str]]
PAGE_SIZE = 25

ROLES = {
    "coordinator": _l("intern begeleider"),
    "teacher": _l("leerkracht"),
    "director": _l("directeur"),
    "consultant": _l("consulent"),
    "admin": _l("beheerder"),
    "guardian": _l("ouder/verzorger"),
}
# The roles an administrator gives staff accounts (as the cases API takes them).
STAFF_ROLE_CODES = ("coordinator", "teacher", "director", "consultant")
SCHOOL_ROLE_CODES = ("coordinator", "teacher", "director")
REGIONS = {"noord": _l("noord"), "midden": _l("midden"), "zuid": _l("zuid")}


def admin() -> AdminClient:
    """The cases API's administrator endpoints as the signed-in administrator."""
    c = container()
    return AdminClient(ApiClient(c.http, c.settings.cases_url, session["token"]))


def partnership_id() -> UUID:
    user = current_user()
    assert user is not None and user.partnership_id is not None
    return user.partnership_id


def page_number() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1


def paged(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> Page:
    """One page of a list the API hands out whole (accounts, schools)."""
    pages = max(1, -(-len(items) // size))
    page = min(page, pages)
    return Page(list(items[(page - 1) * size : page * size]), page, size, len(items))


_RANGE = re.compile(r"Must be greater than or equal to (\d+) and less than or equal to (\d+)\.")
ADMIN_MESSAGES: dict[str, Callable[[], str]] = {
    "Not a valid integer.": lambda: _("Vul een heel getal in."),
    "Not a valid email address.": lambda: _("Vul een geldig e-mailadres in."),
    "Not a valid UUID.": lambda: _("Kies een school uit de lijst."),
    "Already in use.": lambda: _("Er is al een account met dit e-mailadres."),
    "School staff need a school.": lambda: _("Kies de school van deze medewerker."),
    "Only school staff belong to a school.": lambda: _(
        "Alleen medewerkers van een school horen bij een school; kies geen school."
    ),
    "Ask another administrator.": lambda: _("Vraag een andere beheerder om dit te doen."),
    "Only a staff account's role can change.": lambda: _(
        "Alleen de rol van een medewerker kan veranderen."
    ),
    "Shorter than minimum length 1.": lambda: _("Kies ten minste één."),
    "Length must be between 12 and 200.": lambda: _("Een wachtwoord heeft ten minste 12 tekens."),
    "Field may not be null.": lambda: _("Vul dit in."),
    # the import's rows
    "Missing.": lambda: _("Ontbreekt."),
    "Not a valid e-mail address.": lambda: _("Geen geldig e-mailadres."),
    "Not a valid phone number.": lambda: _("Geen geldig telefoonnummer."),
    "Unknown language; use nl or en.": lambda: _("Onbekende taal; gebruik nl of en."),
    "Not a date; use dd-mm-jjjj or jjjj-mm-dd.": lambda: _(
        "Geen datum; schrijf dd-mm-jjjj of jjjj-mm-dd."
    ),
    "This e-mail address is already in use by another account.": lambda: _(
        "Dit e-mailadres is al in gebruik bij een ander account."
    ),
    "This e-mail address belongs to another account of the partnership.": lambda: _(
        "Dit e-mailadres hoort bij een ander account van het samenwerkingsverband."
    ),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"No column for this field \(usually (.*)\)\."),
        lambda m: _("Geen kolom voor dit gegeven (meestal %(usual)s).", usual=m[1]),
    ),
    (
        re.compile(r"Unknown role '(.*)' \(leerkracht, intern begeleider, directeur\)\."),
        lambda m: _(
            "Onbekende rol '%(role)s' (leerkracht, intern begeleider, directeur).", role=m[1]
        ),
    ),
    (
        re.compile(r"Also on row (.*) of the file\."),
        lambda m: _("Staat ook op regel %(rows)s van het bestand.", rows=m[1]),
    ),
]
# The import's fields by the column names a school's file uses.
IMPORT_FIELDS = {
    "name": "Naam",
    "email": "E-mail",
    "role": "Rol",
    "phone": "Telefoon",
    "language": "Taal",
    "pupil_number": "Leerlingnummer",
    "given_name": "Roepnaam",
    "family_name": "Achternaam",
    "date_of_birth": "Geboortedatum",
    "group": "Groep",
    "enrolled_on": "Inschrijfdatum",
}


def admin_translate(message: str) -> str:
    """An API message in the user's language: the admin pages' own, then the school pages'."""
    if message in ADMIN_MESSAGES:
        return ADMIN_MESSAGES[message]()
    found = _RANGE.fullmatch(message)
    if found:
        return _("Kies een getal van %(low)s tot en met %(high)s.", low=found[1], high=found[2])
    for pattern, words in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return words(match)
    if message.startswith("String does not match expected pattern"):
        return _("Dit heeft niet de goede vorm.")
    return translate(message)


def send(call: Callable[[], Any]) -> Errors:
    """Run one API call; its field errors at the form's fields (a list's rows at the list)."""
    errors = submit(call, place=lambda path: path.split(".")[0])
    return {name: [admin_translate(m) for m in messages] for name, messages in errors.items()}
