"""Default texts of the TLV application's messages (issue 14), in Dutch and English; the
guardians' version of the decision is also translated to tr, ar, pl and uk through the catalogs
(its key is in `languages.PARENT_TEMPLATES`). See domain/tlv.py for who reads which."""

from __future__ import annotations

# The decision as staff read it: codes written out in the text itself (staff read nl and en).
_DECISION_NL = (
    "{% if decision == 'granted' %}toegekend"
    "{% if school_type == 'so' %} voor het speciaal onderwijs"
    "{% if category %} (categorie {% if category == 'low' %}laag{% elif category == 'medium' %}"
    "midden{% else %}hoog{% endif %}){% endif %}"
    "{% elif school_type == 'sbo' %} voor het speciaal basisonderwijs{% endif %}"
    "{% if valid_from and valid_until %}, geldig van {{ valid_from }} tot en met "
    "{{ valid_until }}{% endif %}"
    "{% else %}afgewezen{% endif %}"
)
_DECISION_EN = (
    "{% if decision == 'granted' %}granted"
    "{% if school_type == 'so' %} for a special school"
    "{% if category %} (category {% if category == 'low' %}low{% elif category == 'medium' %}"
    "medium{% else %}high{% endif %}){% endif %}"
    "{% elif school_type == 'sbo' %} for a special primary school{% endif %}"
    "{% if valid_from and valid_until %}, valid from {{ valid_from }} to {{ valid_until }}"
    "{% endif %}"
    "{% else %}refused{% endif %}"
)

_OVERDUE = {
    "nl": (
        "Besluit over aanvraag TLV te laat ({{ reference }})",
        "De termijn voor het besluit over de aanvraag van een toelaatbaarheidsverklaring van "
        "{{ school }} voor {{ pupil }} is op {{ decide_by }} verstreken"
        "{% if not parents_agreed %} (ingediend zonder instemming van de ouders){% endif %}. "
        "Neem het besluit zo snel mogelijk.",
    ),
    "en": (
        "Decision on admission statement application overdue ({{ reference }})",
        "The deadline for the decision on {{ school }}'s application for an admission statement "
        "for {{ pupil }} passed on {{ decide_by }}"
        "{% if not parents_agreed %} (submitted without the parents' agreement){% endif %}. "
        "Please decide as soon as possible.",
    ),
}

TLV_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "referral.submitted": {
        "nl": (
            "Aanvraag toelaatbaarheidsverklaring ingediend ({{ reference }})",
            "{{ school }} heeft voor {{ pupil }} een toelaatbaarheidsverklaring aangevraagd bij "
            "het samenwerkingsverband{% if not parents_agreed %}, zonder instemming van de "
            "ouders{% endif %}. Het besluit volgt uiterlijk {{ decide_by }}.",
        ),
        "en": (
            "Admission statement requested ({{ reference }})",
            "{{ school }} applied to the partnership for an admission statement for {{ pupil }}"
            "{% if not parents_agreed %}, without the parents' agreement{% endif %}. The "
            "decision is due by {{ decide_by }}.",
        ),
    },
    # The consultants' reminder before the partnership's deadline.
    "referral.submitted.lead": {
        "nl": (
            "Besluit over aanvraag TLV uiterlijk {{ decide_by }} ({{ reference }})",
            "Het samenwerkingsverband besluit uiterlijk {{ decide_by }} over de aanvraag van een "
            "toelaatbaarheidsverklaring van {{ school }} voor {{ pupil }}."
            "{% if not parents_agreed %} De aanvraag is ingediend zonder instemming van de "
            "ouders.{% endif %}",
        ),
        "en": (
            "Decision on admission statement application due {{ decide_by }} ({{ reference }})",
            "The partnership is to decide by {{ decide_by }} on {{ school }}'s application for an "
            "admission statement for {{ pupil }}."
            "{% if not parents_agreed %} The application was submitted without the parents' "
            "agreement.{% endif %}",
        ),
    },
    "referral.submitted.overdue": _OVERDUE,
    "referral.submitted.escalation": {
        "nl": ("Nog geen besluit over aanvraag TLV ({{ reference }})", _OVERDUE["nl"][1]),
        "en": (
            "Still no decision on admission statement application ({{ reference }})",
            _OVERDUE["en"][1],
        ),
    },
    # Only once both advices are in (domain/tlv.py: notifies).
    "referral.advice_recorded": {
        "nl": (
            "Aanvraag TLV klaar voor besluit ({{ reference }})",
            "Beide deskundigenadviezen over de aanvraag van een toelaatbaarheidsverklaring voor "
            "{{ pupil }} zijn vastgelegd. De aanvraag is klaar voor het besluit van het "
            "samenwerkingsverband.",
        ),
        "en": (
            "Admission statement application ready for decision ({{ reference }})",
            "Both expert advices on the application for an admission statement for {{ pupil }} "
            "are recorded. The application is ready for the partnership's decision.",
        ),
    },
    # Staff: the decision itself.
    "referral.decided": {
        "nl": (
            "Besluit over de toelaatbaarheidsverklaring ({{ reference }})",
            "Het samenwerkingsverband heeft besloten over de aanvraag van een "
            "toelaatbaarheidsverklaring voor {{ pupil }}: " + _DECISION_NL + "."
            "{% if not parents_agreed %} De aanvraag was ingediend zonder instemming van de "
            "ouders.{% endif %} De ouders kunnen binnen zes weken bezwaar maken tegen het "
            "besluit.",
        ),
        "en": (
            "Decision on the admission statement ({{ reference }})",
            "The partnership decided on the application for an admission statement for "
            "{{ pupil }}: " + _DECISION_EN + "."
            "{% if not parents_agreed %} The application was submitted without the parents' "
            "agreement.{% endif %} The parents may object to the decision within six weeks.",
        ),
    },
    # Guardians: that a decision was taken, where to read it, how to object, whom to ask. Never
    # the decision itself: it is in the letter behind the sign-in.
    "referral.decided.parents": {
        "nl": (
            "Besluit over de aanvraag voor {{ pupil }}",
            "Het samenwerkingsverband heeft een besluit genomen over de aanvraag van een "
            "toelaatbaarheidsverklaring voor {{ pupil }}. Het besluit staat in een brief op de "
            "ouderpagina's."
            "{% if decision_url %}\n\nLees de brief op deze pagina (u logt in met een link die u "
            "per e-mail krijgt):\n{{ decision_url }}{% endif %}"
            "\n\nBent u het niet eens met het besluit? Dan kunt u binnen zes weken bezwaar maken "
            "bij het samenwerkingsverband. Het samenwerkingsverband vraagt dan advies aan de "
            "Landelijke Bezwaaradviescommissie Passend Onderwijs. In de brief staat hoe u bezwaar "
            "maakt."
            "\n\nVragen? Neem contact op met "
            "{% if contact_name %}{{ contact_name }} van {% endif %}{{ school }}"
            "{% if contact_email or contact_phone %}:{% else %}.{% endif %}"
            "{% if contact_email %}\n{{ contact_email }}{% endif %}"
            "{% if contact_phone %}\n{{ contact_phone }}{% endif %}",
        ),
        "en": (
            "Decision on the application for {{ pupil }}",
            "The partnership has taken a decision on the application for an admission statement "
            "(toelaatbaarheidsverklaring) for {{ pupil }}. The decision is in a letter on the "
            "parents' pages."
            "{% if decision_url %}\n\nRead the letter on this page (you sign in with a link we "
            "e-mail to you):\n{{ decision_url }}{% endif %}"
            "\n\nDo you disagree with the decision? You can object (bezwaar) to the partnership "
            "within six weeks. The partnership then asks the Landelijke Bezwaaradviescommissie "
            "Passend Onderwijs (the national objections advisory committee for inclusive "
            "education) for advice. The letter says how to object."
            "\n\nQuestions? Please contact "
            "{% if contact_name %}{{ contact_name }} at {% endif %}{{ school }}"
            "{% if contact_email or contact_phone %}:{% else %}.{% endif %}"
            "{% if contact_email %}\n{{ contact_email }}{% endif %}"
            "{% if contact_phone %}\n{{ contact_phone }}{% endif %}",
        ),
    },
}
