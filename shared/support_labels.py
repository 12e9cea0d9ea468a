"""The codes of passend onderwijs that every service and the web show, with their Dutch and
English labels: support domains (seed §1.2 and §1.3), exit and referral destinations, the effect
of an intervention, the decision at a plan's evaluation and the TLV's school types, categories and
decisions (issue 16).

The one place these words are written: cases' catalog, the messages of notifications, the reports
and the web's pages read them from here, so a label reads the same everywhere and its English is a
translation of its Dutch. Dutch is what users see by default (DESIGN.md §1). A partnership's own
code that is not here is its own label. Pure data and two small functions; no framework.
"""

from __future__ import annotations

Labels = dict[str, dict[str, str]]  # code -> {"nl": ..., "en": ...}

LANGUAGES = ("nl", "en")

# The default catalog of support domains; a partnership may choose from it and add its own codes.
BASIC_DOMAINS: Labels = {
    "reading_dyslexia": {"nl": "Leesproblemen en dyslexie", "en": "Reading problems and dyslexia"},
    "math_dyscalculia": {
        "nl": "Rekenproblemen en dyscalculie",
        "en": "Arithmetic problems and dyscalculia",
    },
    "gifted": {"nl": "Meer- en hoogbegaafdheid", "en": "Gifted pupils"},
    "social_safety_behaviour": {
        "nl": "Sociale veiligheid en gedrag",
        "en": "Social safety and behaviour",
    },
    "basic_diagnostics": {"nl": "Basisdiagnostiek", "en": "Basic diagnostics"},
    "medical_protocol": {"nl": "Medisch protocol", "en": "Medical protocol"},
    "physical_accessibility": {
        "nl": "Fysieke toegankelijkheid en hulpmiddelen",
        "en": "Physical accessibility and aids",
    },
}

EXTRA_DOMAINS: Labels = {
    "reading_dyslexia_combined": {
        "nl": "Ernstige lees- en dyslexieproblemen in combinatie met andere behoeften",
        "en": "Severe reading problems/dyslexia combined with other needs",
    },
    "math_dyscalculia_combined": {
        "nl": "Ernstige reken- en dyscalculieproblemen in combinatie met andere behoeften",
        "en": "Severe arithmetic problems/dyscalculia combined with other needs",
    },
    "cognition_own_learning_line": {
        "nl": "Cognitie: eigen leerlijnen",
        "en": "Cognition: own learning lines",
    },
    "work_attitude_behaviour": {
        "nl": "Werkhouding- en/of gedragsproblemen",
        "en": "Work-attitude and/or behaviour problems",
    },
    "multiple_problems": {"nl": "Meervoudige problematiek", "en": "Multiple problems"},
    "gifted_combined": {
        "nl": "Meer- en hoogbegaafdheid in combinatie met andere behoeften",
        "en": "Gifted pupils combined with other needs",
    },
    "complex_medical": {"nl": "Complexe medische zorg", "en": "Complex medical needs"},
    "speech_language_combined": {
        "nl": "Spraak- en taalproblemen in combinatie met andere behoeften",
        "en": "Speech and language problems combined with other needs",
    },
    "diagnosed_behaviour_disorder": {
        "nl": "Gediagnosticeerde gedragsstoornissen",
        "en": "Diagnosed behaviour disorders",
    },
    "extended_observation_diagnostics": {
        "nl": "Verlengde observatie of diepgaande diagnostiek",
        "en": "Extended observation or in-depth diagnostics",
    },
}

SUPPORT_DOMAINS: Labels = {**BASIC_DOMAINS, **EXTRA_DOMAINS}

# Where a pupil with a development plan is expected to go (uitstroombestemming).
EXIT_DESTINATIONS: Labels = {
    "regular_primary": {"nl": "Regulier basisonderwijs", "en": "Regular primary education"},
    "praktijkonderwijs": {"nl": "Praktijkonderwijs", "en": "Practical education"},
    "vmbo_bb": {"nl": "vmbo basisberoepsgerichte leerweg", "en": "vmbo basic vocational"},
    "vmbo_kb": {"nl": "vmbo kaderberoepsgerichte leerweg", "en": "vmbo advanced vocational"},
    "vmbo_gt": {"nl": "vmbo gemengde/theoretische leerweg", "en": "vmbo mixed/theoretical"},
    "havo": {"nl": "havo", "en": "havo (senior general secondary)"},
    "vwo": {"nl": "vwo", "en": "vwo (pre-university)"},
    "vso_vervolgonderwijs": {
        "nl": "Voortgezet speciaal onderwijs, vervolgonderwijs",
        "en": "Secondary special education, further education",
    },
    "vso_arbeidsmarkt": {
        "nl": "Voortgezet speciaal onderwijs, arbeidsmarkt",
        "en": "Secondary special education, labour market",
    },
    "vso_dagbesteding": {
        "nl": "Voortgezet speciaal onderwijs, dagbesteding",
        "en": "Secondary special education, day care",
    },
}

# The effect of a basic intervention at its evaluation (lower case: they stand inside a sentence).
OUTCOMES: Labels = {
    "effective": {"nl": "effectief", "en": "effective"},
    "partly_effective": {"nl": "deels effectief", "en": "partly effective"},
    "not_effective": {"nl": "niet effectief", "en": "not effective"},
}

# What the evaluation of a development plan decides (rule 7).
EVALUATION_DECISIONS: Labels = {
    "continue": {"nl": "doorgaan met het OPP", "en": "continue the plan"},
    "back_to_basic": {"nl": "terug naar basisondersteuning", "en": "back to basic support"},
    "refer": {"nl": "verwijzen", "en": "refer"},
}

# The school types a TLV is for (rule 10), which are also referral destinations.
SCHOOL_TYPES: Labels = {
    "sbo": {"nl": "speciaal basisonderwijs (sbo)", "en": "special primary education (sbo)"},
    "so": {"nl": "speciaal onderwijs (so)", "en": "special education (so)"},
}

# The funding category of a TLV for special education (so): 1, 2 and 3.
SO_CATEGORIES: Labels = {
    "low": {"nl": "laag", "en": "low"},
    "medium": {"nl": "midden", "en": "medium"},
    "high": {"nl": "hoog", "en": "high"},
}
SO_CATEGORY_NUMBERS = {"low": 1, "medium": 2, "high": 3}

# The partnership's decision on a TLV application.
TLV_DECISIONS: Labels = {
    "granted": {"nl": "toegekend", "en": "granted"},
    "refused": {"nl": "afgewezen", "en": "refused"},
}


def capitalised(labels: dict[str, str]) -> dict[str, str]:
    """The labels with a capital first letter, for where one begins a line or a heading."""
    return {lang: text[:1].upper() + text[1:] for lang, text in labels.items()}


# Where a referral leads (sbo, so and vso need a TLV).
REFERRAL_DESTINATIONS: Labels = {
    **{code: capitalised(labels) for code, labels in SCHOOL_TYPES.items()},
    "vso": {
        "nl": "Voortgezet speciaal onderwijs (vso)",
        "en": "Secondary special education (vso)",
    },
    "other_regular_school": {
        "nl": "Andere reguliere school",
        "en": "Another regular school",
    },
}


def label(table: Labels, code: str, lang: str) -> str:
    """A code's label in `lang` (Dutch for a language without its own); a code the table does
    not know (a partnership's own) is its own label."""
    labels = table.get(code)
    if labels is None:
        return code
    return labels.get(lang) or labels["nl"]
