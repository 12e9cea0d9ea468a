"""Dutch and English labels of the report's figures and codes (Dutch first, DESIGN.md §1).

The support domains and referral destinations repeat the cases service's default catalog, since no
service imports another's package; a partnership's own codes fall back to the code itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.dates import written

LANGUAGES = ("nl", "en")

FIGURES: dict[str, tuple[str, str]] = {
    "interventions.started": ("Basisinterventies gestart", "Basic interventions started"),
    "interventions.evaluated": ("Basisinterventies geëvalueerd", "Basic interventions evaluated"),
    "interventions.by_outcome": ("Effect", "Effect"),
    "interventions.evaluated_on_time": ("Op tijd geëvalueerd", "Evaluated on time"),
    "interventions.share_evaluated_on_time": (
        "Aandeel op tijd geëvalueerd",
        "Share evaluated on time",
    ),
    "interventions.median_days": ("Mediane duur (dagen)", "Median duration (days)"),
    "interventions.by_domain": ("Domein", "Domain"),
    "interventions.outside_support_profile": (
        "Interventies buiten het ondersteuningsprofiel",
        "Interventions outside the support profile",
    ),
    "interventions.extra_started": ("Extra interventies gestart", "Extra interventions started"),
    "development_plans.new": ("OPP's nieuw", "Development plans new"),
    "development_plans.active": (
        "OPP's actief op de einddatum",
        "Development plans active at the end of the period",
    ),
    "development_plans.closed": ("OPP's afgesloten", "Development plans closed"),
    "development_plans.closed_by_reason": ("Afgesloten wegens", "Closed because of"),
    "development_plans.evaluation_decisions": ("Besluit na evaluatie", "Decision at evaluation"),
    "consent.agreed": ("Instemming ouders: akkoord", "Parents' consent: agreed"),
    "consent.declined": ("Instemming ouders: niet akkoord", "Parents' consent: declined"),
    "consent.median_days_to_answer": (
        "Mediane dagen tot antwoord ouders",
        "Median days to the parents' answer",
    ),
    "plan_evaluations.due": ("OPP-evaluaties gepland", "Plan evaluations due"),
    "plan_evaluations.on_time": ("OPP-evaluaties op tijd", "Plan evaluations on time"),
    "plan_evaluations.overdue": ("OPP-evaluaties te laat", "Plan evaluations overdue"),
    "plan_evaluations.open": ("OPP-evaluaties nog te houden", "Plan evaluations still to come"),
    "referrals.requested": ("Verwijzingen", "Referrals"),
    "referrals.by_destination": ("Verwijzingen naar", "Referrals to"),
}

# Sub-keys of the per-domain figures.
DOMAIN_FIGURES: dict[str, tuple[str, str]] = {
    "started": ("gestart", "started"),
    "evaluated": ("geëvalueerd", "evaluated"),
    "effective": ("effectief", "effective"),
    "partly_effective": ("deels effectief", "partly effective"),
    "not_effective": ("niet effectief", "not effective"),
}

CODES: dict[str, tuple[str, str]] = {
    "effective": ("Effectief", "Effective"),
    "partly_effective": ("Deels effectief", "Partly effective"),
    "not_effective": ("Niet effectief", "Not effective"),
    "continue": ("Voortzetten", "Continue"),
    "back_to_basic": ("Terug naar basisondersteuning", "Back to basic support"),
    "refer": ("Verwijzen", "Refer"),
    "referred": ("Verwijzing", "Referral"),
    "case_closed": ("Traject afgesloten", "Case closed"),
    # Support domains (seed §1.2 and §1.3)
    "reading_dyslexia": ("Leesproblemen en dyslexie", "Reading problems and dyslexia"),
    "math_dyscalculia": ("Rekenproblemen en dyscalculie", "Arithmetic problems and dyscalculia"),
    "gifted": ("Meer- en hoogbegaafdheid", "Gifted pupils"),
    "social_safety_behaviour": ("Sociale veiligheid en gedrag", "Social safety and behaviour"),
    "basic_diagnostics": ("Basisdiagnostiek", "Basic diagnostics"),
    "medical_protocol": ("Medisch protocol", "Medical protocol"),
    "physical_accessibility": (
        "Fysieke toegankelijkheid en hulpmiddelen",
        "Physical accessibility and aids",
    ),
    "reading_dyslexia_combined": (
        "Ernstige lees- en dyslexieproblemen in combinatie met andere behoeften",
        "Severe reading problems/dyslexia combined with other needs",
    ),
    "math_dyscalculia_combined": (
        "Ernstige reken- en dyscalculieproblemen in combinatie met andere behoeften",
        "Severe arithmetic problems/dyscalculia combined with other needs",
    ),
    "cognition_own_learning_line": ("Cognitie: eigen leerlijnen", "Cognition: own learning lines"),
    "work_attitude_behaviour": (
        "Werkhouding- en/of gedragsproblemen",
        "Work-attitude and/or behaviour problems",
    ),
    "multiple_problems": ("Meervoudige problematiek", "Multiple problems"),
    "gifted_combined": (
        "Meer- en hoogbegaafdheid in combinatie met andere behoeften",
        "Gifted combined with other needs",
    ),
    "complex_medical": ("Complexe medische zorg", "Complex medical needs"),
    "speech_language_combined": (
        "Spraak- en taalproblemen in combinatie met andere behoeften",
        "Speech and language problems combined with other needs",
    ),
    "diagnosed_behaviour_disorder": (
        "Gediagnosticeerde gedragsstoornissen",
        "Diagnosed behaviour disorders",
    ),
    "extended_observation_diagnostics": (
        "Verlengde observatie of diepgaande diagnostiek",
        "Extended observation or in-depth diagnostics",
    ),
    # Referral destinations
    "sbo": ("Speciaal basisonderwijs (sbo)", "Special primary education (sbo)"),
    "so": ("Speciaal onderwijs (so)", "Special education (so)"),
    "vso": ("Voortgezet speciaal onderwijs (vso)", "Secondary special education"),
    "other_regular_school": ("Andere reguliere school", "Another regular school"),
}

COLUMNS: dict[str, tuple[str, str]] = {
    "scope": ("School", "School"),
    "start": ("Begin periode", "Period start"),
    "end": ("Einde periode", "Period end"),
    "total": ("Totaal samenwerkingsverband", "Partnership total"),
    "average": (
        "Gemiddelde per school in het samenwerkingsverband",
        "Partnership average per school",
    ),
}


# What the markers of a suppressed count mean (the legend of the JSON body and the PDF).
MARKERS: dict[str, tuple[str, str]] = {
    "<5": ("een aantal van 1 tot 4 (kleine aantallen)", "a count of 1 to 4 (small numbers)"),
    "x": ("onderdrukt om terugrekenen te voorkomen", "suppressed to prevent back-calculation"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[LANGUAGES.index(lang)]


def code(value: str, lang: str) -> str:
    """The label of a code, or the code itself when it is a partnership's own."""
    pair = CODES.get(value)
    return _pick(pair, lang) if pair else value


def figure(path: tuple[str, ...], lang: str) -> str:
    """The label of a figure by its path in the report, e.g. ('interventions', 'started')."""
    head = ".".join(path[:2])
    if len(path) == 2:
        return _pick(FIGURES[head], lang)
    if head == "interventions.by_domain":  # (…, domain, sub-figure)
        return f"{code(path[2], lang)}: {_pick(DOMAIN_FIGURES[path[3]], lang)}"
    return f"{_pick(FIGURES[head], lang)}: {code(path[2], lang)}"


def column(key: str, lang: str) -> str:
    """The label of one of the table's fixed columns."""
    return _pick(COLUMNS[key], lang)


def labels(lang: str) -> dict[str, dict[str, str]]:
    """Every fixed figure label (by dotted path), code label and marker, for the JSON body."""
    return {
        "figures": {k: _pick(v, lang) for k, v in FIGURES.items()},
        "codes": {k: _pick(v, lang) for k, v in CODES.items()},
        "markers": {k: _pick(v, lang) for k, v in MARKERS.items()},
    }


TITLES: dict[str, tuple[str, str]] = {
    "school": ("Opbrengstrapportage school {subject}", "Outcome report of school {subject}"),
    "partnership": (
        "Opbrengstrapportage samenwerkingsverband {subject}",
        "Outcome report of partnership {subject}",
    ),
    "period": ("{start} t/m {end}", "{start} to {end}"),
}


def school(scope: dict[str, Any]) -> str:
    """A school in a report by its name once `school.registered` told it, else by its id."""
    return scope.get("school_name") or str(scope["school_id"])


def partnership(report: dict[str, Any]) -> str:
    """The partnership of a report by its name once `partnership.registered` told it, else by
    its id."""
    return report.get("partnership_name") or str(report["partnership_id"])


def day(value: date, lang: str) -> str:
    """A date written out, e.g. '1 januari 2026' or '1 January 2026'."""
    return written(value, lang)


def title(kind: str, subject: str, start: date, end: date, lang: str) -> str:
    """A download's title: whose report ('school' or 'partnership') and over which period."""
    period = _pick(TITLES["period"], lang).format(start=day(start, lang), end=day(end, lang))
    return f"{_pick(TITLES[kind], lang).format(subject=subject)}, {period}"
