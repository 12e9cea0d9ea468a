"""The default message texts, in Dutch and English, per template key (an event type,
`<event type>.lead` for reminders before a date, `<event type>.escalation` for escalations), and
the parts every message shares: greeting, sign-off, the group channels' neutral text, the staff
digest's heading and the support domains' labels. Rendering is `templates.py`'s; the other
languages translate these Dutch texts through the gettext catalogs (`languages.py`).
"""

from __future__ import annotations

from services.notifications.domain.notice_texts import NOTICE_TEXTS
from services.notifications.domain.tlv_texts import TLV_TEXTS
from shared.support_labels import LANGUAGES, SUPPORT_DOMAINS

# The support domain of an intervention's message, in the words every service uses.
DOMAIN_LABELS = {
    lang: {code: labels[lang] for code, labels in SUPPORT_DOMAINS.items()} for lang in LANGUAGES
}

# Every link stands on a line of its own, never followed by a full stop: mail programs would link
# the stop too (`…/<id>.`, a 404).
GREETING = {"nl": "Beste {{ recipient_name }},\n\n", "en": "Dear {{ recipient_name }},\n\n"}
# `link`: the web page the message is about (staff and group channels; see shared.web_links).
FOOTER = {
    "nl": "{% if link %}\n\nBekijk het na inloggen:\n{{ link }}{% endif %}"
    "\n\nMet vriendelijke groet,\n{{ school }}"
    "{% if preferences_url %}\n\nUw berichtinstellingen:\n{{ preferences_url }}{% endif %}",
    "en": "{% if link %}\n\nSee it after logging in:\n{{ link }}{% endif %}"
    "\n\nKind regards,\n{{ school }}"
    "{% if preferences_url %}\n\nYour message settings:\n{{ preferences_url }}{% endif %}",
}

DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    "intervention.started": {
        "nl": (
            "Ondersteuning gestart voor {{ pupil }}",
            "Voor {{ pupil }} is op {{ starts_on }} extra begeleiding gestart"
            "{% if domain_label %} ({{ domain_label }}){% endif %}. "
            "We bekijken uiterlijk {{ evaluate_by }} samen hoe het gaat.",
        ),
        "en": (
            "Support started for {{ pupil }}",
            "On {{ starts_on }} we started additional support for {{ pupil }}"
            "{% if domain_label %} ({{ domain_label }}){% endif %}. "
            "We will review how it is going by {{ evaluate_by }}.",
        ),
    },
    "intervention.started.lead": {
        "nl": (
            "Evaluatie interventie {{ reference }} op {{ evaluate_by }}",
            "De interventie voor {{ pupil }} wordt uiterlijk {{ evaluate_by }} geëvalueerd.",
        ),
        "en": (
            "Intervention {{ reference }} to be evaluated by {{ evaluate_by }}",
            "The intervention for {{ pupil }} is to be evaluated by {{ evaluate_by }}.",
        ),
    },
    "development_plan.created": {
        "nl": (
            "Ontwikkelingsperspectiefplan opgesteld ({{ reference }})",
            "Er is een ontwikkelingsperspectiefplan (OPP) opgesteld voor {{ pupil }}.",
        ),
        "en": (
            "Development plan drafted ({{ reference }})",
            "A development plan (OPP) was drafted for {{ pupil }}.",
        ),
    },
    # Issue 13: how to answer (the consent page, after the e-mailed sign-in), by when, whom to
    # ask, and where to go on disagreeing. The details are the cases service's, asked at send time.
    "development_plan.consent_requested": {
        "nl": (
            "Uw instemming gevraagd met het plan voor {{ pupil }}",
            "De school vraagt uw instemming met het handelingsdeel van het "
            "ontwikkelingsperspectiefplan van {{ pupil }}. De intern begeleider bespreekt het "
            "plan graag met u."
            "{% if consent_url %}\n\nLees het plan en geef uw antwoord op deze pagina (u logt in "
            "met een link die u per e-mail krijgt):\n{{ consent_url }}{% endif %}"
            "{% if answer_by %}\n\nDe school hoort graag uiterlijk {{ answer_by }} van u."
            "{% endif %}"
            "\n\nVragen? Neem contact op met "
            "{% if contact_name %}{{ contact_name }} van {% endif %}{{ school }}"
            "{% if contact_email or contact_phone %}:{% else %}.{% endif %}"
            "{% if contact_email %}\n{{ contact_email }}{% endif %}"
            "{% if contact_phone %}\n{{ contact_phone }}{% endif %}"
            "\n\nBent u het niet eens met het plan? Bespreek het eerst met de school. Komt u er "
            "samen niet uit, dan kunt u terecht bij het samenwerkingsverband"
            "{% if partnership %} {{ partnership }}{% endif %}. Daarna kunt u naar de "
            "Geschillencommissie passend onderwijs:\nhttps://onderwijsgeschillen.nl",
        ),
        "en": (
            "Your consent is asked for {{ pupil }}'s plan",
            "The school asks your consent to the action plan in {{ pupil }}'s development "
            "plan. The support coordinator is happy to discuss it with you."
            "{% if consent_url %}\n\nRead the plan and give your answer on this page (you sign "
            "in with a link we e-mail to you):\n{{ consent_url }}{% endif %}"
            "{% if answer_by %}\n\nThe school hopes to hear from you by {{ answer_by }}."
            "{% endif %}"
            "\n\nQuestions? Please contact "
            "{% if contact_name %}{{ contact_name }} at {% endif %}{{ school }}"
            "{% if contact_email or contact_phone %}:{% else %}.{% endif %}"
            "{% if contact_email %}\n{{ contact_email }}{% endif %}"
            "{% if contact_phone %}\n{{ contact_phone }}{% endif %}"
            "\n\nDo you disagree with the plan? Talk to the school first. If you cannot agree "
            "together, you can turn to the partnership"
            "{% if partnership %} {{ partnership }}{% endif %}. After that, you can go to the "
            "Geschillencommissie passend onderwijs (the disputes committee for inclusive "
            "education):\nhttps://onderwijsgeschillen.nl",
        ),
    },
    # Issue 13: the guardian's sign-in link, signed at send time. No child is named.
    "guardian.sign_in_requested": {
        "nl": (
            "Uw inloglink voor de ouderpagina's",
            "U vroeg om in te loggen op de ouderpagina's van {{ school }}."
            "{% if sign_in_url %} Open deze link om in te loggen:\n\n{{ sign_in_url }}\n\n"
            "De link werkt één keer en is 20 minuten geldig."
            "{% else %} Deze link is al verlopen; vraag een nieuwe aan.{% endif %}\n\n"
            "Vroeg u hier niet om? Dan kunt u dit bericht negeren.",
        ),
        "en": (
            "Your sign-in link for the parents' pages",
            "You asked to sign in to the parents' pages of {{ school }}."
            "{% if sign_in_url %} Open this link to sign in:\n\n{{ sign_in_url }}\n\n"
            "The link works once and for 20 minutes."
            "{% else %} This link has already expired; please ask for a new one.{% endif %}\n\n"
            "Did you not ask for this? Then you can ignore this message.",
        ),
    },
    "development_plan.evaluation_scheduled.lead": {
        "nl": (
            "Evaluatiegesprek op {{ due_on }}",
            "Op {{ due_on }} evalueren we het ontwikkelingsperspectiefplan van {{ pupil }}.",
        ),
        "en": (
            "Evaluation meeting on {{ due_on }}",
            "On {{ due_on }} we will evaluate {{ pupil }}'s development plan.",
        ),
    },
    "development_plan.evaluation_overdue": {
        "nl": (
            "Evaluatie verlopen ({{ reference }})",
            "De evaluatie van {{ due_on }} van traject {{ reference }} is nog niet vastgelegd.",
        ),
        "en": (
            "Evaluation overdue ({{ reference }})",
            "The evaluation due {{ due_on }} of case {{ reference }} has not been recorded.",
        ),
    },
    "referral.admission_statement_recorded.lead": {
        "nl": (
            "Toelaatbaarheidsverklaring loopt af op {{ valid_until }}",
            "De toelaatbaarheidsverklaring van traject {{ reference }} loopt af op "
            "{{ valid_until }}. Plan de herbeoordeling.",
        ),
        "en": (
            "Admission statement ends on {{ valid_until }}",
            "The admission statement of case {{ reference }} ends on {{ valid_until }}. "
            "Plan the re-assessment.",
        ),
    },
    "support_profile.published.lead": {
        "nl": (
            "Schoolondersteuningsprofiel herzien vóór {{ review_by }}",
            "Het schoolondersteuningsprofiel moet uiterlijk {{ review_by }} herzien zijn.",
        ),
        "en": (
            "Review the school support profile by {{ review_by }}",
            "The school support profile is due for review by {{ review_by }}.",
        ),
    },
}
# The same wording for the variants that mean the same thing: a reminder planned from the date
# and the beat's "approaching" event say the same to the reader.
for _alias, _source in (
    ("development_plan.evaluation_rescheduled.lead", "development_plan.evaluation_scheduled.lead"),
    ("development_plan.evaluation_approaching", "development_plan.evaluation_scheduled.lead"),
    ("intervention.evaluation_approaching", "intervention.started.lead"),
    ("referral.admission_statement_expiring", "referral.admission_statement_recorded.lead"),
    ("support_profile.expiring", "support_profile.published.lead"),
):
    DEFAULTS[_alias] = DEFAULTS[_source]
DEFAULTS["report.ready"] = {
    "nl": (
        "Opbrengstenrapport {{ period_start }} – {{ period_end }}",
        "Het opbrengstenrapport van de ondersteuning van {{ period_start }} tot en met "
        "{{ period_end }} staat klaar.",
    ),
    "en": (
        "Outcome report {{ period_start }} – {{ period_end }}",
        "The outcome report of support from {{ period_start }} to {{ period_end }} is ready.",
    ),
}
DEFAULTS["case.opened"] = {
    "nl": (
        "Nieuw ondersteuningstraject ({{ reference }})",
        "Er is een ondersteuningstraject geopend voor {{ pupil }}.",
    ),
    "en": ("New support case ({{ reference }})", "A support case was opened for {{ pupil }}."),
}
DEFAULTS["case.closed"] = {
    "nl": (
        "Ondersteuningstraject afgesloten ({{ reference }})",
        "Het ondersteuningstraject van {{ pupil }} is afgesloten.",
    ),
    "en": ("Support case closed ({{ reference }})", "The support case of {{ pupil }} was closed."),
}
DEFAULTS["development_plan.activated"] = {
    "nl": (
        "Ontwikkelingsperspectiefplan van kracht ({{ reference }})",
        "De ouders hebben ingestemd; het plan voor {{ pupil }} is van kracht.",
    ),
    "en": (
        "Development plan in effect ({{ reference }})",
        "The parents agreed; the plan for {{ pupil }} is in effect.",
    ),
}
DEFAULTS["intervention.evaluation_overdue"] = {
    "nl": (
        "Evaluatie interventie verlopen ({{ reference }})",
        "De evaluatie van interventie {{ reference }} (uiterlijk {{ evaluate_by }}) is nog "
        "niet vastgelegd.",
    ),
    "en": (
        "Intervention evaluation overdue ({{ reference }})",
        "The evaluation of intervention {{ reference }} (due {{ evaluate_by }}) has not been "
        "recorded.",
    ),
}
DEFAULTS["development_plan.meeting_planned"] = {
    "nl": (
        "Uitnodiging evaluatiegesprek {{ meeting_at }}",
        "U bent uitgenodigd voor het evaluatiegesprek over het ontwikkelingsperspectiefplan van "
        "{{ pupil }} op {{ meeting_at }}. De uitnodiging voor uw agenda zit in de bijlage.",
    ),
    "en": (
        "Invitation: evaluation meeting {{ meeting_at }}",
        "You are invited to the evaluation meeting about {{ pupil }}'s development plan on "
        "{{ meeting_at }}. The calendar invitation is attached.",
    ),
}
DEFAULTS["development_plan.meeting_moved"] = {
    "nl": (
        "Evaluatiegesprek verplaatst naar {{ meeting_at }}",
        "Het evaluatiegesprek over het ontwikkelingsperspectiefplan van {{ pupil }} is "
        "verplaatst naar {{ meeting_at }}. De bijlage werkt uw agenda bij.",
    ),
    "en": (
        "Evaluation meeting moved to {{ meeting_at }}",
        "The evaluation meeting about {{ pupil }}'s development plan moved to {{ meeting_at }}. "
        "The attachment updates your calendar.",
    ),
}
DEFAULTS["development_plan.meeting_cancelled"] = {
    "nl": (
        "Evaluatiegesprek van {{ meeting_at }} gaat niet door",
        "Het evaluatiegesprek over het ontwikkelingsperspectiefplan van {{ pupil }} op "
        "{{ meeting_at }} gaat niet door. De bijlage haalt het uit uw agenda.",
    ),
    "en": (
        "Evaluation meeting of {{ meeting_at }} cancelled",
        "The evaluation meeting about {{ pupil }}'s development plan on {{ meeting_at }} is "
        "cancelled. The attachment removes it from your calendar.",
    ),
}
for _key in ("development_plan.evaluation_overdue", "intervention.evaluation_overdue"):
    DEFAULTS[f"{_key}.escalation"] = DEFAULTS[_key]
# A reminder before a planned (or moved) meeting: it carries no invitation, the calendar has it.
DEFAULTS["development_plan.meeting_planned.lead"] = {
    "nl": (
        "Herinnering: evaluatiegesprek {{ meeting_at }}",
        "Herinnering: het evaluatiegesprek over het ontwikkelingsperspectiefplan van {{ pupil }} "
        "is op {{ meeting_at }}. Tijd en plaats staan in de agenda-uitnodiging die u kreeg.",
    ),
    "en": (
        "Reminder: evaluation meeting {{ meeting_at }}",
        "A reminder: the evaluation meeting about {{ pupil }}'s development plan is on "
        "{{ meeting_at }}. Time and place are in the calendar invitation you received.",
    ),
}
DEFAULTS["development_plan.meeting_moved.lead"] = DEFAULTS["development_plan.meeting_planned.lead"]

# Rule 5 (the plan deadline) and rule 9 (a pupil who left with a case open), for staff.
DEFAULTS["case.plan_deadline_approaching"] = {
    "nl": (
        "OPP uiterlijk {{ plan_due_by }} ({{ reference }})",
        "Voor {{ pupil }} moet uiterlijk {{ plan_due_by }} een ontwikkelingsperspectiefplan "
        "vastgesteld zijn (binnen 6 weken na inschrijving). Er is nog geen plan van kracht.",
    ),
    "en": (
        "Development plan due by {{ plan_due_by }} ({{ reference }})",
        "{{ pupil }} needs a development plan in effect by {{ plan_due_by }} (within 6 weeks of "
        "enrolment). No plan is in effect yet.",
    ),
}
DEFAULTS["case.plan_overdue"] = {
    "nl": (
        "OPP te laat ({{ reference }})",
        "De termijn voor het ontwikkelingsperspectiefplan van {{ pupil }} is op "
        "{{ plan_due_by }} verstreken en er is nog geen plan van kracht.",
    ),
    "en": (
        "Development plan overdue ({{ reference }})",
        "The deadline of {{ plan_due_by }} for {{ pupil }}'s development plan has passed and no "
        "plan is in effect yet.",
    ),
}
# Issue 14: documents of a case. No file name in a message: only that there is one.
DEFAULTS["document.attached"] = {
    "nl": (
        "Document toegevoegd aan het traject van {{ pupil }} ({{ reference }})",
        "Er is een document toegevoegd aan het ondersteuningstraject van {{ pupil }}. Ouders "
        "kiezen op de ouderpagina's of het samenwerkingsverband het mag inzien; zonder hun keuze "
        "ziet het samenwerkingsverband het niet.",
    ),
    "en": (
        "Document added to {{ pupil }}'s case ({{ reference }})",
        "A document was added to {{ pupil }}'s support case. Parents choose on the parents' "
        "pages whether the partnership may see it; until they do, the partnership does not.",
    ),
}
DEFAULTS["document.removed"] = {
    "nl": (
        "Document verwijderd uit het traject van {{ pupil }} ({{ reference }})",
        "Er is een document verwijderd uit het ondersteuningstraject van {{ pupil }}.",
    ),
    "en": (
        "Document removed from {{ pupil }}'s case ({{ reference }})",
        "A document was removed from {{ pupil }}'s support case.",
    ),
}
DEFAULTS["document.sharing_decided"] = {
    "nl": (
        "Keuze over het delen van een document ({{ reference }})",
        "De ouders van {{ pupil }} hebben gekozen of het samenwerkingsverband een document uit "
        "het ondersteuningstraject mag inzien.",
    ),
    "en": (
        "Choice about sharing a document ({{ reference }})",
        "{{ pupil }}'s parents chose whether the partnership may see a document of the support "
        "case.",
    ),
}
DEFAULTS["pupil.left_with_open_case"] = {
    "nl": (
        "Leerling vertrokken, traject nog open ({{ reference }})",
        "{{ pupil }} heeft de school op {{ left_on }} verlaten, maar traject {{ reference }} is "
        "nog open. Sluit het traject af: pas daarna gaat de bewaartermijn lopen en worden de "
        "gegevens later geanonimiseerd.",
    ),
    "en": (
        "Pupil left, case still open ({{ reference }})",
        "{{ pupil }} left the school on {{ left_on }}, but case {{ reference }} is still open. "
        "Close the case: only then does the retention period start and the data is later "
        "anonymised.",
    ),
}

# Rule 6 and rule 8 (DESIGN.md §4): their default policies go to the coordinator and to the
# partnership's consultants.
DEFAULTS["development_plan.evaluation_missing"] = {
    "nl": (
        "Nog geen evaluatie van het OPP in schooljaar {{ school_year }} ({{ reference }})",
        "Het ontwikkelingsperspectiefplan van {{ pupil }} heeft in schooljaar {{ school_year }} "
        "nog geen evaluatie met de ouders gepland. Een OPP wordt minstens eens per schooljaar "
        "met de ouders geëvalueerd: plan het evaluatiegesprek.",
    ),
    "en": (
        "No development plan evaluation yet in school year {{ school_year }} ({{ reference }})",
        "{{ pupil }}'s development plan has no evaluation with the parents scheduled in school "
        "year {{ school_year }}. A plan is evaluated with the parents at least once per school "
        "year: please schedule the evaluation meeting.",
    ),
}
DEFAULTS["intervention.outside_support_profile"] = {
    "nl": (
        "Interventie buiten het schoolondersteuningsprofiel ({{ reference }})",
        "{{ school }} is voor {{ pupil }} een interventie gestart"
        "{% if domain_label %} ({{ domain_label }}){% endif %} die het "
        "schoolondersteuningsprofiel van de school niet biedt. De school mag dat besluiten; "
        "bekijk of de school hierbij ondersteuning van het samenwerkingsverband nodig heeft.",
    ),
    "en": (
        "Intervention outside the school support profile ({{ reference }})",
        "{{ school }} started an intervention for {{ pupil }}"
        "{% if domain_label %} ({{ domain_label }}){% endif %} that the school's support "
        "profile does not offer. The school may decide so; please consider whether it needs "
        "the partnership's support with it.",
    ),
}

# A plain default for every other event a policy may name (domain/notice_texts.py).
DEFAULTS.update(NOTICE_TEXTS)

# Issue 14: the TLV application (domain/tlv_texts.py).
DEFAULTS.update(TLV_TEXTS)

GROUP = {
    "nl": (
        "Melding {{ reference }}",
        "Er is een melding over traject {{ reference }}. "
        "Bekijk het in het systeem{% if link %}:\n{{ link }}{% else %}.{% endif %}",
    ),
    "en": (
        "Notice {{ reference }}",
        "There is a notice about case {{ reference }}. "
        "See it in the system{% if link %}:\n{{ link }}{% else %}.{% endif %}",
    ),
}

# The staff digest's subject and opening (str.format, not Jinja).
DIGEST = {
    "nl": ("Dagoverzicht: {n} meldingen", "Beste {name},\n\nHier zijn de meldingen van vandaag:"),
    "en": ("Daily summary: {n} notices", "Dear {name},\n\nHere are today's notices:"),
}
