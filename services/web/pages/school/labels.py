"""The Dutch (and English) words for the API's codes: levels, statuses, flags, outcomes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
OUTCOMES = {
    "effective": _l("effectief"),
    "partly_effective": _l("deels effectief"),
    "not_effective": _l("niet effectief"),
}
DECISIONS = {
    "continue": _l("doorgaan met het OPP"),
    "back_to_basic": _l("terug naar basisondersteuning"),
    "refer": _l("verwijzen"),
}
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
TLV_DECISIONS = {"granted": _l("toegekend"), "refused": _l("afgewezen")}
SCHOOL_TYPES = {
    "sbo": _l("speciaal basisonderwijs (sbo)"),
    "so": _l("speciaal onderwijs (so)"),
}
CATEGORIES = {"low": _l("laag"), "medium": _l("midden"), "high": _l("hoog")}
ADVISER_ROLES = {
    "orthopedagoog": _l("orthopedagoog"),
    "psycholoog": _l("psycholoog"),
    "deskundige": _l("deskundige"),
}
