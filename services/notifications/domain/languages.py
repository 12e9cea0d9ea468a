"""The languages a guardian reads messages in (issue 13), and the gettext catalogs of the ones
that are not written beside the Dutch in `message_texts.py`.

Dutch is the source: every Dutch default text of a message a guardian can receive is a msgid in
services/notifications/translations/messages.pot, and tr, ar, pl and uk translate it in their
.po (compiled to the committed .mo). English stays beside the Dutch in `message_texts.py` (the
administrators' own texts are in nl and en too). A text a catalog lacks - or whose Dutch changed
since it was translated - comes out in Dutch, never as a key or code.

    python -m services.notifications translations   # extract, update the .po, compile the .mo
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date

LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
CATALOG_LANGUAGES = ("tr", "ar", "pl", "uk")  # from the gettext catalogs, not message_texts.py
RIGHT_TO_LEFT = frozenset({"ar"})
CATALOGS = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"

# Every template key a guardian can receive with the default policies (and the sign-in link).
PARENT_TEMPLATES = (
    "intervention.started",
    "development_plan.consent_requested",
    "guardian.sign_in_requested",
    "development_plan.evaluation_scheduled.lead",
    "development_plan.evaluation_rescheduled.lead",
    "development_plan.evaluation_approaching",
    "development_plan.meeting_planned",
    "development_plan.meeting_moved",
    "development_plan.meeting_cancelled",
    "development_plan.meeting_planned.lead",
    "development_plan.meeting_moved.lead",
    "referral.decided.parents",  # issue 14: a decision was taken on the TLV application
)

# "15 oktober 2026 om 14:30": the Dutch pattern of a meeting's moment, translated in the catalogs.
MOMENT = "{date} om {time}"


def known(language: str | None) -> str:
    """The language if messages can be written in it, else Dutch."""
    return language if language in LANGUAGES else "nl"


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(DOMAIN, CATALOGS, languages=[language])
    except OSError:  # no .mo: every text in Dutch
        return gettext.NullTranslations()


def translate(dutch: str, language: str) -> str:
    """The catalog's translation of a Dutch text; the Dutch text itself where it has none."""
    if language not in CATALOG_LANGUAGES or not dutch:
        return dutch
    return _catalog(language).gettext(dutch)


def has_translation(dutch: str, language: str) -> bool:
    """Whether the catalog of `language` translates this Dutch text (the completeness test)."""
    catalog = _catalog(language)
    return isinstance(catalog, gettext.GNUTranslations) and dutch in catalog._catalog  # type: ignore[attr-defined]


def written_date(day: date, language: str) -> str:
    """'15 Ekim 2026', '15 października 2026': a catalog language's long date (CLDR)."""
    return format_date(day, "d MMMM y", locale=language)
