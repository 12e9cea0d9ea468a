"""Message templates (Jinja2, sandboxed) with defaults in Dutch and English.

Template keys are event types, `<event type>.lead` for reminders before a date and
`<event type>.escalation` for escalations. Policies may override a key per language (nl, en).
The messages a guardian receives are also in Turkish, Arabic, Polish and Ukrainian: their
Dutch texts translated through the gettext catalogs (`languages.py`), text by text, Dutch where
a translation is missing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from services.notifications.domain import tlv
from services.notifications.domain.languages import (
    CATALOG_LANGUAGES,
    MOMENT,
    known,
    translate,
    written_date,
)
from services.notifications.domain.template_keys import template_event
from services.notifications.domain.tlv_texts import TLV_TEXTS
from shared.clock import AMSTERDAM
from shared.dates import written
from shared.errors import RuleViolation
from shared.events import CATALOG
from shared.support_labels import LANGUAGES, SUPPORT_DOMAINS

log = logging.getLogger(__name__)

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)

# The support domain of an intervention's message, in the words every service uses.
DOMAIN_LABELS = {
    lang: {code: labels[lang] for code, labels in SUPPORT_DOMAINS.items()} for lang in LANGUAGES
}

# Every link stands on a line of its own, never followed by a full stop: mail programs would link
# the stop too (`…/<id>.`, a 404).
_GREETING = {"nl": "Beste {{ recipient_name }},\n\n", "en": "Dear {{ recipient_name }},\n\n"}
# `link`: the web page the message is about (staff and group channels; see shared.web_links).
_FOOTER = {
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
# Same wording for the variants that mean the same thing.
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


def _notice(nl: tuple[str, str], en: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return {"nl": nl, "en": en}


# A plain default for every other event a policy may name, so no message ever falls back to a
# bare reference. Staff are the usual readers of these; they name the case by its reference.
DEFAULTS.update(
    {
        "case.level_changed": _notice(
            (
                "Ondersteuningsniveau gewijzigd ({{ reference }})",
                "Het ondersteuningsniveau van {{ pupil }} is gewijzigd.",
            ),
            (
                "Support level changed ({{ reference }})",
                "The support level of {{ pupil }} has changed.",
            ),
        ),
        "development_plan.action_plan_changed": _notice(
            (
                "Handelingsdeel van het OPP gewijzigd ({{ reference }})",
                "Het handelingsdeel van het ontwikkelingsperspectiefplan van {{ pupil }} is "
                "gewijzigd; de ouders worden om instemming met de nieuwe versie gevraagd.",
            ),
            (
                "Action plan changed ({{ reference }})",
                "The action plan in {{ pupil }}'s development plan was changed; the parents are "
                "asked to consent to the new version.",
            ),
        ),
        "development_plan.closed": _notice(
            (
                "Ontwikkelingsperspectiefplan afgesloten ({{ reference }})",
                "Het ontwikkelingsperspectiefplan van {{ pupil }} is afgesloten.",
            ),
            (
                "Development plan closed ({{ reference }})",
                "{{ pupil }}'s development plan was closed.",
            ),
        ),
        "development_plan.consent_recorded": _notice(
            (
                "Antwoord van de ouders op het OPP vastgelegd ({{ reference }})",
                "Het antwoord van de ouders op het handelingsdeel van het "
                "ontwikkelingsperspectiefplan van {{ pupil }} is vastgelegd.",
            ),
            (
                "Parents' answer on the plan recorded ({{ reference }})",
                "The parents' answer on the action plan in {{ pupil }}'s development plan was "
                "recorded.",
            ),
        ),
        "development_plan.consultation_recorded": _notice(
            (
                "Overleg met de ouders vastgelegd ({{ reference }})",
                "Het overleg met de ouders (OOGO) over het ontwikkelingsperspectiefplan van "
                "{{ pupil }} is vastgelegd.",
            ),
            (
                "Consultation with the parents recorded ({{ reference }})",
                "The consultation with the parents about {{ pupil }}'s development plan was "
                "recorded.",
            ),
        ),
        "development_plan.pupil_view_recorded": _notice(
            (
                "Mening van de leerling vastgelegd ({{ reference }})",
                "De mening van {{ pupil }} over het ontwikkelingsperspectiefplan is vastgelegd.",
            ),
            (
                "Pupil's view recorded ({{ reference }})",
                "{{ pupil }}'s view on the development plan was recorded.",
            ),
        ),
        "development_plan.evaluated": _notice(
            (
                "Ontwikkelingsperspectiefplan geëvalueerd ({{ reference }})",
                "Het ontwikkelingsperspectiefplan van {{ pupil }} is geëvalueerd.",
            ),
            (
                "Development plan evaluated ({{ reference }})",
                "{{ pupil }}'s development plan was evaluated.",
            ),
        ),
        "development_plan.evaluation_scheduled": _notice(
            (
                "Evaluatie van het OPP gepland op {{ due_on }}",
                "De evaluatie van het ontwikkelingsperspectiefplan van {{ pupil }} is gepland "
                "op {{ due_on }}.",
            ),
            (
                "Development plan evaluation scheduled on {{ due_on }}",
                "The evaluation of {{ pupil }}'s development plan is scheduled on {{ due_on }}.",
            ),
        ),
        "development_plan.evaluation_rescheduled": _notice(
            (
                "Evaluatie van het OPP verplaatst naar {{ due_on }}",
                "De evaluatie van het ontwikkelingsperspectiefplan van {{ pupil }} is verplaatst "
                "naar {{ due_on }}.",
            ),
            (
                "Development plan evaluation moved to {{ due_on }}",
                "The evaluation of {{ pupil }}'s development plan moved to {{ due_on }}.",
            ),
        ),
        "intervention.evaluated": _notice(
            (
                "Interventie geëvalueerd ({{ reference }})",
                "De interventie voor {{ pupil }} is geëvalueerd.",
            ),
            (
                "Intervention evaluated ({{ reference }})",
                "The intervention for {{ pupil }} was evaluated.",
            ),
        ),
        "referral.requested": _notice(
            (
                "Verwijzing aangevraagd ({{ reference }})",
                "Voor {{ pupil }} is een verwijzing naar een gespecialiseerde onderwijsplek "
                "aangevraagd.",
            ),
            (
                "Referral requested ({{ reference }})",
                "A referral to a specialised setting was requested for {{ pupil }}.",
            ),
        ),
        "referral.admission_statement_recorded": _notice(
            (
                "Toelaatbaarheidsverklaring vastgelegd ({{ reference }})",
                "De toelaatbaarheidsverklaring van traject {{ reference }} is vastgelegd; zij is "
                "geldig tot en met {{ valid_until }}.",
            ),
            (
                "Admission statement recorded ({{ reference }})",
                "The admission statement of case {{ reference }} was recorded; it is valid until "
                "{{ valid_until }}.",
            ),
        ),
        "support_profile.published": _notice(
            (
                "Schoolondersteuningsprofiel gepubliceerd",
                "Een nieuwe versie van het schoolondersteuningsprofiel is gepubliceerd; herzien "
                "uiterlijk {{ review_by }}.",
            ),
            (
                "School support profile published",
                "A new version of the school support profile was published; to be reviewed by "
                "{{ review_by }}.",
            ),
        ),
        "pupil.enrolled": _notice(
            ("Nieuwe leerling ingeschreven", "Er is een nieuwe leerling ingeschreven."),
            ("New pupil enrolled", "A new pupil was enrolled."),
        ),
        "school.registered": _notice(
            (
                "School aangemeld bij het samenwerkingsverband",
                "{{ school }} is aangemeld bij het samenwerkingsverband.",
            ),
            (
                "School registered with the partnership",
                "{{ school }} was registered with the partnership.",
            ),
        ),
    }
)

# Issue 14: the TLV application (domain/tlv_texts.py).
DEFAULTS.update(TLV_TEXTS)

_GROUP = {
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


DATE_KEYS = (
    "plan_due_by",
    "left_on",
    "due_on",
    "evaluate_by",
    "valid_until",
    "review_by",
    "starts_on",
    "period_start",
    "period_end",
    "answer_by",
    "decide_by",
    "valid_from",
)


def long_date(iso: str, language: str) -> str:
    """'2026-10-15' as '15 oktober 2026' (nl) or '15 October 2026' (en), '15 Ekim 2026' (tr)."""
    if language in CATALOG_LANGUAGES:
        return written_date(date.fromisoformat(iso), language)
    return written(date.fromisoformat(iso), language)


def long_moment(iso: str, language: str) -> str:
    """An instant in Amsterdam time: '20 oktober 2026 om 15:30' (nl), '... at 15:30' (en)."""
    local = datetime.fromisoformat(iso).astimezone(AMSTERDAM)
    pattern = "{date} at {time}" if language == "en" else translate(MOMENT, language)
    return pattern.format(date=long_date(local.date().isoformat(), language), time=f"{local:%H:%M}")


def _in(texts: dict[str, Any], language: str) -> Any:
    """A text in `language`: written beside the Dutch (nl, en), else the Dutch translated."""
    if language in texts:
        return texts[language]
    dutch = texts["nl"]
    if isinstance(dutch, tuple):
        return tuple(translate(part, language) for part in dutch)
    if isinstance(dutch, dict):
        return {k: translate(v, language) for k, v in dutch.items()}
    return translate(dutch, language)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def render(
    template: str,
    language: str,
    context: dict[str, Any],
    group: bool = False,
    overrides: dict[str, dict[str, tuple[str, str]]] | None = None,
    strict: bool = False,
) -> Message:
    """Render a message; group channels always get the neutral reference-only text. An
    administrator's own text that fails on this message's data falls back to the default text
    (a message is never lost to a typo), unless `strict` (the check when a text is saved)."""
    language = known(language)
    ctx = {
        "preferences_url": None,
        "link": None,
        "reports_url": None,
        "sign_in_url": None,
        **dict.fromkeys(CONSENT_VARIABLES),
        **dict.fromkeys(tlv.PARENTS_VARIABLES),
        "valid_from": None,  # a refused TLV has no validity
        "valid_until": None,
        "pupil": "uw kind",
        "domain_label": None,
        **context,
    }
    for key in DATE_KEYS:
        if isinstance(ctx.get(key), str):
            ctx[key] = long_date(ctx[key], language)
    if isinstance(ctx.get("meeting_at"), str):
        ctx["meeting_at"] = long_moment(ctx["meeting_at"], language)
    if "domain" in ctx:
        ctx["domain_label"] = _in(DOMAIN_LABELS, language).get(ctx["domain"])
    if group:
        subject, body = _in(_GROUP, language)
        return Message(_render(subject, ctx), _render(body, ctx))
    subject, body = _variant(template, language, overrides or {})
    try:
        return Message(
            _render(subject, ctx),
            _render(_in(_GREETING, language) + body + _in(_FOOTER, language), ctx),
        )
    except Exception:  # an administrator's text that fails on this message's data
        if strict or not overrides or template not in overrides:
            raise
        log.warning("own text of %s failed to render; the default text is used", template)
        return render(template, language, context, group, None)


def _variant(
    template: str, language: str, overrides: dict[str, dict[str, tuple[str, str]]]
) -> tuple[str, str]:
    """The policy's own text in the reader's language, else the default in that language (for a
    catalog language: the Dutch default translated, text by text); Dutch only when neither
    exists in the reader's language."""
    sources = [
        overrides.get(template),
        DEFAULTS.get(template),
        DEFAULTS.get(template.rsplit(".", 1)[0]),
    ]
    if language in CATALOG_LANGUAGES:
        for source in sources[1:]:
            if source and "nl" in source:
                subject, body = _in(source, language)
                return subject, body
    for lang in (language, "nl"):
        for source in sources:
            if source and lang in source:
                subject, body = source[lang]
                return subject, body
    # Unreachable for the catalog's events (each has a default); a readable last resort.
    if language == "en":
        return "Notice about case {{ reference }}", "There is news about case {{ reference }}."
    return "Bericht over traject {{ reference }}", "Er is nieuws over traject {{ reference }}."


SAMPLE_CONTEXT = {
    "recipient_name": "Eva Mulder",
    "pupil": "Daan",
    "school": "OBS De Regenboog",
    "reference": "1a2b3c4d",
    "due_on": "2026-10-29",
    "evaluate_by": "2026-10-29",
    "valid_until": "2027-07-31",
    "review_by": "2029-07-31",
    "starts_on": "2026-10-15",
    "domain": "reading_dyslexia",
    "meeting_at": "2026-10-29T14:30:00+00:00",
    "period_start": "2026-09-01",
    "period_end": "2026-09-30",
    "report_id": "00000000-0000-4000-8000-000000000001",
    "plan_due_by": "2026-10-26",
    "left_on": "2026-10-15",
    "school_year": "2026-2027",
    "link": "http://127.0.0.1:8000/trajecten/1a2b3c4d-0000-4000-8000-000000000001",
    "consent_url": "http://127.0.0.1:8000/ouders/plannen/1a2b3c4d-0000-4000-8000-000000000002/"
    "instemming",
    "answer_by": "2026-10-29",
    "contact_name": "Fatima el Amrani",
    "contact_email": "ib@regenboog.example",
    "contact_phone": "020 123 4567",
    "partnership": "SWV Amstelland",
    "decide_by": "2026-11-26",
    "valid_from": "2026-11-01",
    "parents_agreed": False,
    "decision": "granted",
    "school_type": "so",
    "category": "medium",
    "decision_url": "http://127.0.0.1:8000/ouders/aanvragen/1a2b3c4d-0000-4000-8000-000000000003",
}


# What every personal message has; the rest follows from the event's payload (see the planner's
# context: its dates, its domain, a meeting's start, a report's period).
COMMON_VARIABLES = ("recipient_name", "school", "reference", "preferences_url", "link")
PAYLOAD_DATES = (
    "due_on",
    "evaluate_by",
    "valid_until",
    "review_by",
    "starts_on",
    "plan_due_by",
    "left_on",
    "decide_by",
    "valid_from",
)
PAYLOAD_CODES = ("school_year",)  # payload fields a message shows as they are
# What a consent request to a guardian has besides (issue 13): the consent page's address, the
# date the school hopes for an answer by, its contact and the partnership's name (at send time).
CONSENT_VARIABLES = (
    "consent_url",
    "answer_by",
    "contact_name",
    "contact_email",
    "contact_phone",
    "partnership",
)


@cache
def message_variables(template: str) -> frozenset[str]:
    """The variables a message of this template key has: a text that uses another would find
    nothing there at delivery."""
    if template == tlv.PARENTS_TEMPLATE:  # no payload dates: a TLV's validity tells the decision
        return frozenset({*COMMON_VARIABLES, *tlv.variables(template)})
    event_type = template_event(template)
    spec = CATALOG.get(event_type)
    payload = set(spec.schema().fields) if spec is not None else set()
    names = set(COMMON_VARIABLES)
    names |= {k for k in (*PAYLOAD_DATES, *PAYLOAD_CODES) if k in payload}
    if "case_id" in payload:
        names.add("pupil")
    if "domain" in payload:
        names |= {"domain", "domain_label"}
    if "starts_at" in payload:
        names.add("meeting_at")
    if "report_id" in payload:
        names |= {"report_id", "period_start", "period_end", "reports_url"}
    if event_type == "development_plan.consent_requested":
        names |= set(CONSENT_VARIABLES)
    return frozenset(names | tlv.variables(template))


def sample_context(template: str) -> dict[str, Any]:
    """SAMPLE_CONTEXT narrowed to what a message of this template has."""
    names = message_variables(template)
    return {k: v for k, v in SAMPLE_CONTEXT.items() if k in names}


def check_override(template: str, language: str, subject: str, body: str) -> str | None:
    """Why an administrator's text cannot be used (None when it can): it must compile in the
    sandbox, use only the variables this message has, and render with them."""
    allowed = message_variables(template)
    try:
        used = set().union(
            *(meta.find_undeclared_variables(_env.parse(p)) for p in (subject, body))
        )
        unknown = sorted(used - allowed - set(_env.globals))
        if unknown:
            return (
                f"'{unknown[0]}' is not available in this message; it has: "
                f"{', '.join(sorted(allowed))}."
            )
        overrides = {template: {language: (subject, body)}}
        render(template, language, sample_context(template), overrides=overrides, strict=True)
    except TemplateError as err:
        return str(err)
    except Exception as err:  # e.g. {{ 1/0 }}: the sandbox lets it compile, rendering fails
        return f"Cannot be filled in: {err}"
    return None


@lru_cache(maxsize=1024)
def _compiled(source: str) -> Template:
    """A template compiled once per source text (compiling costs more than rendering); the
    source is the key, so an edited policy text is compiled anew."""
    return _env.from_string(source)


def _render(source: str, context: dict[str, Any]) -> str:
    return _compiled(source).render(**context)


def check_template(source: str) -> None:
    """Refuse a template that does not compile in the sandbox."""
    try:
        _env.from_string(source)
    except TemplateError as err:
        raise RuleViolation(
            "The template does not compile.", errors={"templates": [str(err)]}
        ) from err


_DIGEST = {
    "nl": ("Dagoverzicht: {n} meldingen", "Beste {name},\n\nHier zijn de meldingen van vandaag:"),
    "en": ("Daily summary: {n} notices", "Dear {name},\n\nHere are today's notices:"),
}


def render_digest(items: list[Message], language: str, context: dict[str, Any]) -> Message:
    """A staff member's daily digest: each item's subject and text, one after the other."""
    language = language if language in ("nl", "en") else "nl"  # staff only: nl or en
    subject, intro = _DIGEST[language]
    name = context.get("recipient_name") or ""
    parts = [intro.format(name=name)]
    for item in items:
        body = item.body.split("\n\n", 1)[-1]  # without the repeated greeting
        body = body.rsplit("\n\n", 1)[0] if "\n\n" in body else body  # nor the sign-off
        parts.append(f"- {item.subject}\n  {body.strip()}")
    return Message(subject.format(n=len(items)), "\n\n".join(parts))
