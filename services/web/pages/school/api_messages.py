"""The cases API's field messages (English, DESIGN.md §5) in the user's language. Messages this
table does not know are shown as the API wrote them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "d MMMM yyyy")


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"A short intervention is evaluated within (\d+) weeks \(at the latest (\S+)\)\."
        ),
        lambda m: _(
            "Een korte interventie wordt binnen %(weeks)s weken geëvalueerd (uiterlijk %(day)s).",
            weeks=m.group(1),
            day=_day(m.group(2)),
        ),
    ),
    (
        re.compile(r"Length must be between 1 and (\d+)\."),
        lambda m: _("Vul dit in (hoogstens %(max)s tekens).", max=m.group(1)),
    ),
    (
        re.compile(r"'(\w+)' is not a basic support domain of the partnership\."),
        lambda m: _("Kies een domein voor basisondersteuning."),
    ),
]
FIXED: dict[str, Callable[[], str]] = {
    "Must be after starts_on.": lambda: _("Moet na de startdatum liggen."),
    "Cannot be before the case was opened.": lambda: _(
        "Mag niet voor de start van het traject liggen."
    ),
    "Missing data for required field.": lambda: _("Vul dit in."),
    "Not a valid date.": lambda: _("Vul een geldige datum in."),
    "Must be a lowercase code.": lambda: _("Kies een domein."),
    "Cannot be in the future.": lambda: _("Mag niet in de toekomst liggen."),
    "Cannot be before the intervention started.": lambda: _(
        "Mag niet voor de start van de interventie liggen."
    ),
    "The intervention was already evaluated or stopped.": lambda: _(
        "Deze interventie is al geëvalueerd of gestopt."
    ),
    "The pupil already has an open case.": lambda: _("Deze leerling heeft al een lopend traject."),
    "Cannot be before the pupil's enrolment.": lambda: _(
        "Mag niet voor de inschrijving van de leerling liggen."
    ),
    "Extra interventions need an active development plan.": lambda: _(
        "Voor extra ondersteuning is eerst een OPP nodig waarmee de ouders instemmen."
    ),
    "The case is closed; it cannot change.": lambda: _("Dit traject is afgesloten."),
    "The case is referred; it cannot change.": lambda: _(
        "Dit traject is verwezen; er kan geen interventie meer bij."
    ),
}


def translate(message: str) -> str:
    """One API message in the user's language."""
    if message in FIXED:
        return FIXED[message]()
    for pattern, words in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return words(match)
    return message
