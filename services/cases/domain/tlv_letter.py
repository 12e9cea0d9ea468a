"""The decision letter on a TLV application (issue 14), in Dutch or English: the decision, the
type of school and category, the validity, the advices it rests on, and the way to object —
bezwaar within six weeks to the partnership, which asks the Landelijke Bezwaaradviescommissie
Passend Onderwijs (at Onderwijsgeschillen) for advice before it decides on the objection.

Pure: it takes the application as plain values (service_layer/tlv.view) and the names of the
pupil, school and partnership, and gives the values the template lays out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.cases.domain.plan_document import day

LANGUAGES = ("nl", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "title": (
        "Besluit op de aanvraag van een toelaatbaarheidsverklaring",
        "Decision on the application for an admission statement (toelaatbaarheidsverklaring)",
    ),
    "reference": ("Kenmerk", "Reference"),
    "date": ("Datum besluit", "Date of decision"),
    "pupil": ("Leerling", "Pupil"),
    "born": ("Geboortedatum", "Date of birth"),
    "school": ("Aanvragende school", "Applying school"),
    "submitted": ("Aanvraag ingediend op", "Application submitted on"),
    "decision": ("Besluit", "Decision"),
    "granted": (
        "{partnership} geeft een toelaatbaarheidsverklaring af.",
        "{partnership} grants an admission statement.",
    ),
    "refused": (
        "{partnership} geeft geen toelaatbaarheidsverklaring af.",
        "{partnership} does not grant an admission statement.",
    ),
    "type": ("Soort onderwijs", "Type of education"),
    "category": ("Categorie", "Category"),
    "validity": ("Geldig", "Valid"),
    "from_until": ("van {start} tot en met {end}", "from {start} up to and including {end}"),
    "advices": ("Adviezen van deskundigen", "Expert advices"),
    "advice": ("{role}, advies van {on}", "{role}, advice of {on}"),
    "no_agreement": (
        "De school heeft de aanvraag ingediend zonder instemming van de ouders.",
        "The school submitted the application without the parents' agreement.",
    ),
    "objection": ("Bezwaar maken", "How to object"),
    "objection_text": (
        "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van dit "
        "besluit schriftelijk bezwaar maken bij {partnership}, volgens de bezwaarprocedure van "
        "het samenwerkingsverband. Zet in uw bezwaarschrift uw naam en adres, de datum, het "
        "kenmerk van dit besluit en waarom u het er niet mee eens bent, en onderteken het.",
        "If you do not agree with this decision, you may object (bezwaar) in writing to "
        "{partnership} within six weeks of the date of this decision, following the "
        "partnership's objection procedure. Give your name and address, the date, the reference "
        "of this decision and why you disagree, and sign it.",
    ),
    "lbc_text": (
        "Voordat het samenwerkingsverband op uw bezwaar beslist, vraagt het advies aan de "
        "Landelijke Bezwaaradviescommissie Passend Onderwijs. Die commissie is ondergebracht "
        "bij Onderwijsgeschillen in Utrecht (www.onderwijsgeschillen.nl).",
        "Before the partnership decides on your objection, it asks the national objection "
        "advisory committee for appropriate education (Landelijke Bezwaaradviescommissie "
        "Passend Onderwijs) for advice. The committee is part of Onderwijsgeschillen in "
        "Utrecht (www.onderwijsgeschillen.nl).",
    ),
    "signature": ("Namens {partnership}", "On behalf of {partnership}"),
}

SCHOOL_TYPES = {
    "sbo": ("speciaal basisonderwijs (SBO)", "special primary school (SBO)"),
    "so": ("speciaal onderwijs (SO)", "special school (SO)"),
}
CATEGORIES = {
    "low": ("laag (categorie 1)", "low (category 1)"),
    "medium": ("midden (categorie 2)", "medium (category 2)"),
    "high": ("hoog (categorie 3)", "high (category 3)"),
}
ADVISERS = {
    "orthopedagoog": ("Orthopedagoog", "Educational psychologist (orthopedagoog)"),
    "psycholoog": ("Psycholoog", "Psychologist"),
    "deskundige": ("Tweede deskundige", "Second expert"),
}


@dataclass(frozen=True)
class Names:
    """Who the letter names: the pupil, the applying school and the partnership."""

    pupil: str
    date_of_birth: date | None
    school: str
    partnership: str


def choose(asked: str | None, accepted: list[str] | None = None) -> str:
    """nl or en: the one asked for, else the reader's first accepted, else Dutch."""
    for candidate in ([asked] if asked else []) + list(accepted or []):
        base = candidate.strip().lower()[:2]
        if base in LANGUAGES:
            return base
    return "nl"


def _t(key: str, lang: str, **values: str) -> str:
    return TEXTS[key][LANGUAGES.index(lang)].format(**values)


def _pick(table: Mapping[str, tuple[str, str]], code: str | None, lang: str) -> str:
    if code is None or code not in table:
        return code or "–"
    return table[code][LANGUAGES.index(lang)]


def letter(application: Mapping[str, Any], names: Names, lang: str) -> dict[str, Any]:
    """The letter's values; the application must be decided."""
    decision = application["decision"]
    assert decision is not None, "a letter follows the decision"
    partnership = names.partnership
    facts = [
        (_t("reference", lang), f"TLV-{str(application['referral_id'])[:8]}"),
        (_t("date", lang), day(decision["decided_on"])),
        (_t("pupil", lang), names.pupil),
        (_t("born", lang), day(names.date_of_birth)),
        (_t("school", lang), names.school),
        (_t("submitted", lang), day(application["submitted_on"])),
    ]
    grant: list[tuple[str, str]] = []
    if decision["decision"] == "granted":
        grant.append((_t("type", lang), _pick(SCHOOL_TYPES, decision["school_type"], lang)))
        if decision["category"]:
            grant.append((_t("category", lang), _pick(CATEGORIES, decision["category"], lang)))
        span = _t(
            "from_until", lang, start=day(decision["valid_from"]), end=day(decision["valid_until"])
        )
        grant.append((_t("validity", lang), span))
    return {
        "lang": lang,
        "title": _t("title", lang),
        "t": {key: _t(key, lang, partnership=partnership) for key in _PLAIN},
        "facts": facts,
        "outcome": _t(decision["decision"], lang, partnership=partnership),
        "grant": grant,
        "advices": [
            _t(
                "advice",
                lang,
                role=_pick(ADVISERS, advice["adviser_role"], lang),
                on=day(advice["recorded_on"]),
            )
            for advice in application["advices"]
        ],
        "without_agreement": application["parents_agreed"] is False,
    }


_PLAIN = (
    "decision",
    "advices",
    "no_agreement",
    "objection",
    "objection_text",
    "lbc_text",
    "signature",
)
