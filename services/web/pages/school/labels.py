"""The Dutch (and English) words for the API's codes: levels, statuses, flags, outcomes.

The codes every service shows (an intervention's effect, a plan evaluation's decision, the TLV's
school types, categories and decisions) take their words from shared/support_labels.py: English
as written there, Dutch and the parents' other languages through the catalogs, with the Dutch
label as the msgid (`python -m services.web translations` keeps those msgids in the catalogs).
"""

from __future__ import annotations

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from shared import support_labels as vocabulary


def _word(dutch: str, english: str) -> str:
    """English from the shared vocabulary; any other language translated from the Dutch (the
    page's locale is the session's language, app.py)."""
    locale = get_locale()
    return english if locale is not None and locale.language == "en" else gettext(dutch)


def _shared(table: vocabulary.Labels) -> dict[str, LazyString]:
    """A table of the shared vocabulary as the pages' words, chosen when a page shows them (the
    Dutch label is the first argument: the msgid `parent_msgids` reads)."""
    return {code: LazyString(_word, labels["nl"], labels["en"]) for code, labels in table.items()}


LEVELS = {"basic": _l("basisondersteuning"), "extra": _l("extra ondersteuning")}
CASE_STATUSES = {"open": _l("lopend"), "referred": _l("verwezen"), "closed": _l("afgesloten")}
FLAGS = {
    "evaluation_overdue": _l("evaluatie te laat"),
    "no_evaluation_this_year": _l("geen evaluatie dit schooljaar"),
    "plan_deadline_near": _l("OPP-termijn dichtbij"),
    "outside_support_profile": _l("interventie buiten het SOP"),
}
DUE_KINDS = {
    "intervention": _l("evaluatie interventie"),
    "plan_evaluation": _l("evaluatie OPP"),
    "plan": _l("OPP opstellen"),
}
INTERVENTION_STATUSES = {
    "active": _l("loopt"),
    "evaluated": _l("geëvalueerd"),
    "stopped": _l("gestopt"),
}
OUTCOMES = _shared(vocabulary.OUTCOMES)
DECISIONS = _shared(vocabulary.EVALUATION_DECISIONS)
CLOSE_REASONS = {
    "goals_reached": _l("doelen bereikt"),
    "pupil_left": _l("leerling vertrokken"),
    "referred_placed": _l("verwezen en geplaatst"),
    "other": _l("andere reden"),
}


def label(table: dict[str, object], code: str | None) -> str:
    """The word for a code; the code itself when we have none (a new code in the API)."""
    if code is None:
        return ""
    return str(table.get(code, code))


# The TLV application (issue 14): its states, the partnership's decision, the school types,
# the special school's category and the advisers' roles.
APPLICATION_STATUSES = {
    "draft": _l("in voorbereiding"),
    "submitted": _l("ingediend"),
    "ready_for_decision": _l("klaar voor besluit"),
    "decided": _l("besloten"),
}
AGREEMENT_STATUSES = {
    "agreed": _l("ouders stemmen in"),
    "declined": _l("ouders stemmen niet in"),
    "awaited": _l("wacht op de andere ouder"),
    "none": _l("nog geen antwoord"),
}
TLV_DECISIONS = _shared(vocabulary.TLV_DECISIONS)
SCHOOL_TYPES = _shared(vocabulary.SCHOOL_TYPES)
CATEGORIES = _shared(vocabulary.SO_CATEGORIES)
ADVISER_ROLES = {
    "orthopedagoog": _l("orthopedagoog"),
    "psycholoog": _l("psycholoog"),
    "deskundige": _l("deskundige"),
}
