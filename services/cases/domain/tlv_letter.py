"""The decision letter on a TLV application (issue 14), in the parents' six languages (the fixed
texts in tlv_letter_texts.py, the OPP's languages; Arabic right to left): the decision, the
type of school and category, the validity, the advices it rests on, and the way to object —
bezwaar within six weeks to the partnership, which asks the Landelijke Bezwaaradviescommissie
Passend Onderwijs (at Onderwijsgeschillen) for advice before it decides on the objection.

Pure: it takes the application as plain values (service_layer/tlv_view.view) and the names of the
pupil, school and partnership, and gives the values the template lays out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.cases.domain.plan_document import choose_language, day
from services.cases.domain.plan_texts import LANGUAGES, RIGHT_TO_LEFT
from services.cases.domain.tlv_letter_texts import ADVISERS, CATEGORIES, SCHOOL_TYPES, TEXTS, Six

__all__ = ["LANGUAGES", "Names", "choose", "letter"]


@dataclass(frozen=True)
class Names:
    """Who the letter names: the pupil, the applying school and the partnership."""

    pupil: str
    date_of_birth: date | None
    school: str
    partnership: str


def choose(asked: str | None, accepted: list[str] | None = None) -> str:
    """One of LANGUAGES: the one asked for, else the reader's first accepted, else Dutch (as the
    OPP chooses)."""
    return choose_language(asked, accepted or ())


def _t(key: str, lang: str, **values: str) -> str:
    return TEXTS[key][LANGUAGES.index(lang)].format(**values)


def _pick(table: Mapping[str, Six], code: str | None, lang: str) -> str:
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
        "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
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
