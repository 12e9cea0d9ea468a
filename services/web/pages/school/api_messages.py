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
    (
        re.compile(r"Rule 6: no evaluation in the school year (\S+) \(1 Aug–31 Jul\)\."),
        lambda m: _(
            "Plan ten minste één evaluatie in schooljaar %(year)s (1 augustus tot 31 juli).",
            year=m.group(1),
        ),
    ),
    (
        re.compile(r"Rule 6: more than 12 months without an evaluation \((\S+) to (\S+)\)\."),
        lambda m: _(
            "Tussen %(start)s en %(end)s zit meer dan 12 maanden zonder evaluatie.",
            start=_day(m.group(1)),
            end=_day(m.group(2)),
        ),
    ),
    (
        re.compile(r"Must be one of: .*"),
        lambda m: _("Kies een van de mogelijkheden uit de lijst."),
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
    # the development plan (OPP) and its steps
    "Must be after the plan's creation date.": lambda: _("Moet na de datum van het OPP liggen."),
    "Must be after the creation date and not after the agreed end date.": lambda: _(
        "Moet na de datum van het OPP liggen en niet na de afgesproken einddatum."
    ),
    "Must fall between the creation date and the agreed end date.": lambda: _(
        "Moet tussen de datum van het OPP en de afgesproken einddatum liggen."
    ),
    "Dates must differ.": lambda: _("Vul verschillende datums in."),
    "The case already has an open development plan.": lambda: _(
        "Dit traject heeft al een OPP dat loopt."
    ),
    "The plan is not ready for the parents' consent.": lambda: _(
        "Het OPP is nog niet klaar voor de instemming van de ouders."
    ),
    "Record the consultation with the parents (OOGO) first.": lambda: _(
        "Leg eerst het OOGO met de ouders vast."
    ),
    "Record that the pupil was heard first.": lambda: _(
        "Leg eerst vast dat de leerling is gehoord."
    ),
    "The parents already agreed to this version of the action plan.": lambda: _(
        "De ouders stemden al in met deze versie van het handelingsdeel."
    ),
    "The development plan is closed.": lambda: _("Dit OPP is afgesloten."),
    "Only an active plan can be evaluated.": lambda: _(
        "Alleen een OPP dat loopt kan worden geëvalueerd."
    ),
    "Only an active plan's evaluation gets a meeting.": lambda: _(
        "Een gesprek plant u pas als het OPP loopt."
    ),
    "The evaluation was already held or cancelled.": lambda: _(
        "Deze evaluatie is al gehouden of vervallen."
    ),
    "Cannot be before the plan took effect.": lambda: _(
        "Mag niet liggen voor de dag waarop het OPP inging."
    ),
    "Continuing needs a next evaluation date after this one.": lambda: _(
        "Vul bij doorgaan de datum van de volgende evaluatie in (na deze)."
    ),
    "Must not be after the plan's agreed end date.": lambda: _(
        "Mag niet na de afgesproken einddatum van het OPP liggen."
    ),
    "A referral needs a destination.": lambda: _("Kies waarheen de leerling wordt verwezen."),
    "Cannot be in the past.": lambda: _("Mag niet in het verleden liggen."),
    "Must be in the future.": lambda: _("Moet in de toekomst liggen."),
    "15 to 240 minutes.": lambda: _("Tussen 15 en 240 minuten."),
    "Not a valid URL.": lambda: _("Vul een geldige link in die begint met https://."),
    "Must be after valid_from.": lambda: _("Moet na de datum 'geldig vanaf' liggen."),
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
