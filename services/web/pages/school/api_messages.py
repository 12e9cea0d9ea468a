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
        re.compile(r"Must cover at least one school year: at the earliest (\S+)\."),
        lambda m: _(
            "De verklaring geldt ten minste één schooljaar: tot en met %(day)s of later.",
            day=_day(m.group(1)),
        ),
    ),
    (
        re.compile(r"Not a document of this case: .*"),
        lambda m: _("Kies alleen documenten van dit traject."),
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
    # the TLV application
    "Cannot be empty.": lambda: _("Vul dit in."),
    "This referral has a TLV application: the partnership's decision on it records the "
    "admission statement.": lambda: _(
        "Voor deze verwijzing is er een aanvraag TLV: het besluit van het samenwerkingsverband "
        "legt de verklaring vast."
    ),
    "Must end on 31 July.": lambda: _("De verklaring loopt tot en met 31 juli."),
    "Choose sbo or so.": lambda: _("Kies het soort onderwijs."),
    "A special school needs a category.": lambda: _("Kies de categorie (bij speciaal onderwijs)."),
    "Only a special school (so) has a category.": lambda: _(
        "Alleen speciaal onderwijs (so) heeft een categorie."
    ),
    "Give the start date.": lambda: _("Vul de startdatum in."),
    "Give the end date.": lambda: _("Vul de einddatum in."),
    "Not for a refused application.": lambda: _("Niet bij een afwijzing."),
    "One of the two advices comes from an orthopedagoog or a psycholoog.": lambda: _(
        "Eén van de twee adviezen komt van een orthopedagoog of een psycholoog."
    ),
    "Cannot be before the application was submitted.": lambda: _(
        "Mag niet liggen voor de dag waarop de aanvraag is ingediend."
    ),
    "Cannot be before the draft.": lambda: _("Mag niet liggen voor de start van de aanvraag."),
    "The school's director signs the application off first.": lambda: _(
        "De directeur ondertekent de aanvraag eerst."
    ),
    "The director has not signed the application off yet.": lambda: _(
        "De directeur heeft de aanvraag nog niet ondertekend."
    ),
    "The application was submitted; the school's part can no longer change.": lambda: _(
        "De aanvraag is ingediend; de school kan haar niet meer wijzigen."
    ),
    "Name the guardian(s) who answered.": lambda: _("Kies welke ouder of verzorger antwoordde."),
    "Not a guardian of this pupil.": lambda: _("Kies een ouder of verzorger van deze leerling."),
    "This guardian already agreed; the others are awaited.": lambda: _(
        "Deze ouder stemde al in; de school wacht op de andere ouder."
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
