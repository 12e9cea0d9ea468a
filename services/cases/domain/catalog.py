"""The default catalog of support domains (seed §1.2 and §1.3) with Dutch and English labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # school.py imports this module
    from services.cases.domain.school import PartnershipSettings

BASIC_DOMAINS: dict[str, dict[str, str]] = {
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

EXTRA_DOMAINS: dict[str, dict[str, str]] = {
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
        "en": "Gifted combined with other needs",
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

EXIT_DESTINATIONS: dict[str, dict[str, str]] = {
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

REFERRAL_DESTINATIONS: dict[str, dict[str, str]] = {
    "sbo": {"nl": "Speciaal basisonderwijs (sbo)", "en": "Special primary education (sbo)"},
    "so": {"nl": "Speciaal onderwijs (so)", "en": "Special education (so)"},
    "vso": {"nl": "Voortgezet speciaal onderwijs (vso)", "en": "Secondary special education"},
    "other_regular_school": {
        "nl": "Andere reguliere school",
        "en": "Another regular school",
    },
}


def domain_rows(settings: PartnershipSettings) -> list[dict[str, str]]:
    """A partnership's domains, basic then extra, labelled from the catalog (else the code)."""
    rows = []
    for level, codes, catalog in (
        ("basic", settings.basic_domains, BASIC_DOMAINS),
        ("extra", settings.extra_domains, EXTRA_DOMAINS),
    ):
        for code in codes:
            labels = catalog.get(code) or BASIC_DOMAINS.get(code) or EXTRA_DOMAINS.get(code) or {}
            rows.append(
                {
                    "code": code,
                    "level": level,
                    "label_nl": labels.get("nl", code),
                    "label_en": labels.get("en", code),
                }
            )
    return rows


def labelled(codes: list[str], catalog: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """Codes with their Dutch and English labels, in the given order; a partnership's own code
    that the catalog does not know is its own label."""
    return [{"code": code, **catalog.get(code, {"nl": code, "en": code})} for code in codes]


def choices_text(catalog: dict[str, dict[str, str]]) -> str:
    """'code (Dutch label), ...' for an API description."""
    return ", ".join(f"`{code}` ({labels['nl']})" for code, labels in catalog.items())
