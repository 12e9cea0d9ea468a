"""The words for the notifications API's codes (roles, channels, statuses, event types, message
templates, a text's variables) in the user's language, and the Dutch wording of the API's
validation messages (English keeps the API's own)."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.pages.common import current_language

ROLES = {
    "admin": _l("beheerder"),
    "coordinator": _l("intern begeleider"),
    "director": _l("directeur"),
    "teacher": _l("leerkracht"),
    "consultant": _l("consulent"),
    "all_consultants": _l("consulenten van het samenwerkingsverband"),
    "guardian": _l("ouder/verzorger"),
}
CHANNELS = {
    "email": _l("e-mail"),
    "sms": _l("sms"),
    "group": _l("groepskanaal"),
}
STATUSES = {
    "planned": _l("gepland"),
    "queued": _l("in de wachtrij"),
    "sending": _l("wordt verstuurd"),
    "sent": _l("verstuurd"),
    "failed": _l("mislukt"),
    "dead": _l("onbestelbaar"),
    "cancelled": _l("geannuleerd"),
}
VARIABLES = {
    "domain": _l("code van het ondersteuningsgebied"),
    "domain_label": _l(
        "ondersteuningsgebied, bijvoorbeeld Leesproblemen en dyslexie (bij interventies)"
    ),
    "due_on": _l("datum van de evaluatie (OPP)"),
    "evaluate_by": _l("uiterste evaluatiedatum (interventies)"),
    "meeting_at": _l("datum en tijd van het gesprek"),
    "preferences_url": _l("link naar de berichtinstellingen (alleen ouders)"),
    "link": _l("link naar de pagina in het systeem (na inloggen; niet voor ouders)"),
    "period_end": _l("laatste dag van de rapportageperiode"),
    "period_start": _l("eerste dag van de rapportageperiode"),
    "pupil": _l("voornaam van de leerling"),
    "recipient_name": _l("naam van de ontvanger"),
    "reference": _l("dossiernummer (8 tekens)"),
    "reports_url": _l("adres van de rapportagedienst"),
    "report_id": _l("nummer van het rapport (voor de link)"),
    "review_by": _l("herzieningsdatum van het SOP"),
    "school": _l("naam van de school"),
    "school_year": _l("schooljaar, zoals 2026-2027"),
    "starts_on": _l("startdatum (interventies)"),
    "plan_due_by": _l("uiterste datum voor het OPP"),
    "left_on": _l("datum van vertrek van de leerling"),
    "valid_until": _l("einddatum van de TLV"),
    "consent_url": _l("adres van de instemmingspagina voor ouders"),
    "answer_by": _l("datum waarop de school graag antwoord heeft"),
    "contact_name": _l("naam van de intern begeleider"),
    "contact_email": _l("e-mailadres van de school"),
    "contact_phone": _l("telefoonnummer van de school"),
    "partnership": _l("naam van het samenwerkingsverband"),
}
DELIVERY = {
    "immediate": _l("Elk bericht apart"),
    "digest": _l("Dagelijkse samenvatting (alleen personeel)"),
}
KINDS = {
    "role": ROLES,
    "channel": CHANNELS,
    "status": STATUSES,
    "var": VARIABLES,
    "form.delivery": DELIVERY,
}

# Event types as people call them (event codes stay visible next to them).
EVENTS = {
    "partnership.registered": _l("Samenwerkingsverband aangemaakt"),
    "school.registered": _l("School aangemeld"),
    "pupil.enrolled": _l("Leerling ingeschreven"),
    "pupil.anonymised": _l("Leerling geanonimiseerd"),
    "guardian.sign_in_requested": _l("Inloglink ouder gevraagd"),
    "pupil.left_with_open_case": _l("Leerling vertrokken met open traject"),
    "case.opened": _l("Ondersteuningstraject geopend"),
    "document.attached": _l("Document toegevoegd"),
    "document.removed": _l("Document verwijderd"),
    "document.sharing_decided": _l("Ouders kozen over delen van een document"),
    "case.plan_deadline_approaching": _l("Termijn OPP nadert"),
    "case.plan_overdue": _l("Termijn OPP verstreken"),
    "case.level_changed": _l("Ondersteuningsniveau gewijzigd"),
    "case.closed": _l("Ondersteuningstraject gesloten"),
    "intervention.started": _l("Interventie gestart"),
    "intervention.outside_support_profile": _l("Interventie buiten het SOP"),
    "intervention.evaluated": _l("Interventie geëvalueerd"),
    "intervention.evaluation_approaching": _l("Evaluatie interventie nadert"),
    "intervention.evaluation_overdue": _l("Evaluatie interventie verlopen"),
    "development_plan.created": _l("OPP opgesteld"),
    "development_plan.consultation_recorded": _l("OOGO vastgelegd"),
    "development_plan.pupil_view_recorded": _l("Mening leerling vastgelegd"),
    "development_plan.action_plan_changed": _l("Handelingsdeel gewijzigd"),
    "development_plan.consent_requested": _l("Instemming ouders gevraagd"),
    "development_plan.consent_recorded": _l("Instemming ouders vastgelegd"),
    "development_plan.activated": _l("OPP van kracht"),
    "development_plan.evaluation_scheduled": _l("Evaluatie OPP gepland"),
    "development_plan.evaluation_rescheduled": _l("Evaluatie OPP verplaatst"),
    "development_plan.evaluation_approaching": _l("Evaluatie OPP nadert"),
    "development_plan.evaluation_overdue": _l("Evaluatie OPP verlopen"),
    "development_plan.evaluation_missing": _l("Geen evaluatie OPP dit schooljaar"),
    "development_plan.evaluated": _l("OPP geëvalueerd"),
    "development_plan.meeting_planned": _l("Evaluatiegesprek gepland"),
    "development_plan.meeting_moved": _l("Evaluatiegesprek verzet"),
    "development_plan.meeting_cancelled": _l("Evaluatiegesprek afgezegd"),
    "development_plan.closed": _l("OPP afgesloten"),
    "referral.requested": _l("Verwijzing aangevraagd"),
    "referral.submitted": _l("Aanvraag TLV ingediend"),
    "referral.advice_recorded": _l("Deskundigenadvies vastgelegd"),
    "referral.decided": _l("Besluit over TLV"),
    "referral.admission_statement_recorded": _l("TLV vastgelegd"),
    "referral.admission_statement_expiring": _l("TLV loopt af"),
    "support_profile.published": _l("SOP gepubliceerd"),
    "support_profile.expiring": _l("SOP moet worden herzien"),
    "report.ready": _l("Rapport klaar"),
}


def code_label(kind: str, code: object) -> str:
    """A code of the API in words ("status", "dead" -> "onbestelbaar"); the code if unknown."""
    value = getattr(code, "value", code)
    found = KINDS.get(kind, {}).get(str(value))
    return str(found) if found is not None else str(value)


def event_label(event_type: str) -> str:
    """An event type as people call it; the code when it has no label."""
    found = EVENTS.get(event_type)
    return str(found) if found is not None else event_type


def template_label(template: str) -> str:
    """A message template (an event type, or with .lead, .overdue, .parents or .escalation) as
    people call it."""
    if template.endswith(".lead"):
        return _("%(event)s (herinnering)", event=event_label(template.removesuffix(".lead")))
    if template.endswith(".overdue"):
        return _(
            "%(event)s (termijn verstreken)", event=event_label(template.removesuffix(".overdue"))
        )
    if template.endswith(".parents"):
        return _(
            "%(event)s (bericht aan ouders)", event=event_label(template.removesuffix(".parents"))
        )
    if template.endswith(".escalation"):
        event = event_label(template.removesuffix(".escalation"))
        return _("%(event)s (escalatie)", event=event)
    return event_label(template)


# The API's validation messages (marshmallow's and the domain's) in Dutch; English keeps the
# original. Patterns capture the parts that vary.
API_MESSAGES_NL: list[tuple[str, str]] = [
    ("Missing data for required field\\.", "Dit veld is verplicht."),
    ("Field may not be null\\.", "Dit veld is verplicht."),
    ("Not a valid integer\\.", "Vul een heel getal in."),
    ("Not a valid time(\\.|;.*)", "Vul een tijd in als uu:mm."),
    ("Not a valid UUID\\.", "Kies een geldige waarde."),
    ("Not a valid string\\.", "Vul tekst in."),
    ("Must be one of: .*\\.", "Kies een van de mogelijkheden."),
    (
        "Must be a lowercase code\\.",
        "Alleen kleine letters, cijfers en _, te beginnen met een letter.",
    ),
    ("Length must be between (\\d+) and (\\d+)\\.", "Tussen \\1 en \\2 tekens."),
    ("Shorter than minimum length (\\d+)\\.", "Minstens \\1."),
    ("Longer than maximum length (\\d+)\\.", "Hoogstens \\1."),
    ("Unknown event type '(.+)'\\.", "Onbekende gebeurtenis '\\1'."),
    ("Name at least one event type\\.", "Kies minstens één gebeurtenis."),
    ("Unknown role '(.+)'\\.", "Onbekende rol '\\1'."),
    (
        "Name at least one recipient role or group channel\\.",
        "Kies minstens één ontvanger met een kanaal, of een groepskanaal.",
    ),
    ("'(.+)' is not a recipient\\.", "'\\1' is geen ontvanger."),
    ("Give '(.+)' a channel\\.", "Geef '\\1' een kanaal."),
    ("Unknown channel '(.+)'.*", "Onbekend kanaal '\\1'."),
    ("Lead times are 0 to 365 days\\.", "Herinneringen liggen 0 tot 365 dagen vooraf."),
    ("Lead times must differ\\.", "Elke herinnering een ander aantal dagen."),
    (
        "Lead times need an event type with a due date\\.",
        "Herinneringen vooraf vragen een gebeurtenis met een datum (zoals een evaluatie).",
    ),
    ("An hour from 0 to 23\\.", "Een uur van 0 tot en met 23."),
    (
        "Give both the start and the end of the quiet hours, or neither\\.",
        "Vul begin én einde van de stille uren in, of geen van beide.",
    ),
    ("Quiet hours cannot cover the whole day\\.", "Stille uren kunnen niet de hele dag duren."),
    ("The send hour falls in the quiet hours\\.", "Het verzenduur valt in de stille uren."),
    (
        "Digests are for staff; parents get their messages one by one\\.",
        "Een samenvatting is voor personeel; ouders krijgen elk bericht apart.",
    ),
    ("1 to 90 days\\.", "1 tot en met 90 dagen."),
    ("link or attachment\\.", "Kies link of bijlage."),
    (
        "A report is attached only to messages about report\\.ready\\.",
        "Een rapport gaat alleen als bijlage mee bij 'Rapport klaar'.",
    ),
    (
        "Escalation follows an \\*_overdue event type\\.",
        "Escalatie volgt op een 'verlopen'-gebeurtenis.",
    ),
    ("'(.+)' is not a staff role\\.", "'\\1' is geen personeelsrol."),
    ("Already in use\\.", "Deze sleutel is al in gebruik voor dit bereik."),
    ("Give whole numbers separated by commas\\.", "Vul hele getallen in, gescheiden door komma's."),
    ("Not a school of this partnership\\.", "Geen school van dit samenwerkingsverband."),
    (
        "The cases service does not answer; try again\\.",
        "De leerlingadministratie antwoordt nu niet; probeer het zo opnieuw.",
    ),
    ("Apprise cannot use this URL", "Deze URL is niet bruikbaar als groepskanaal."),
    ("Not a valid date and time.*", "Vul een geldige datum en tijd in."),
    ("Not a valid date(\\.|;.*)", "Vul een geldige datum in."),
    ("Must not be before (start|'from')\\.", "Mag niet voor de begindatum liggen."),
    ("At most one year after 'from'\\.", "Hoogstens een jaar na de begindatum."),
    ("Each kind at most once\\.", "Kies elke soort hoogstens één keer."),
    (
        "'(.+)' is not available in this message; it has: (.+)\\.",
        "'\\1' hoort niet bij dit bericht; wel: \\2.",
    ),
    (
        "'(.+)' is undefined",
        "Onbekend gegeven '\\1'; gebruik alleen de gegevens die hierbij staan.",
    ),
    (
        "'.+ object' has no attribute '(.+)'",
        "'\\1' bestaat niet; gebruik alleen de gegevens die hierbij staan.",
    ),
    (
        "access to attribute '(.+)' of '.+' object is unsafe\\.",
        "Niet toegestaan in een bericht: '\\1' is afgeschermd.",
    ),
    (".+ is not safely callable", "Niet toegestaan in een bericht: deze aanroep is afgeschermd."),
    ("No filter named '(.+)'\\.", "Onbekend filter '\\1'."),
    ("No test named '(.+)'\\.", "Onbekende test '\\1'."),
    ("Encountered unknown tag '(.+)'\\..*", "Onbekende opdracht '\\1' tussen {% en %}."),
    (
        "Unexpected end of template\\..*",
        "De tekst houdt te vroeg op: sluit {% if %} af met {% endif %} en {% for %} met "
        "{% endfor %}.",
    ),
    (
        "unexpected end of template.*",
        "De tekst houdt te vroeg op: sluit {{ af met }} en {% met %}.",
    ),
    ("unexpected '(.+)'", "Onverwacht '\\1': kijk de {{ }} en {% %} in de tekst na."),
    ("expected token 'end of print statement', got .+", "Sluit {{ af met }}."),
    ("expected token 'end of statement block', got .+", "Sluit {% af met %}."),
    ("expected token '(.+)', got '(.+)'", "Hier hoort '\\1', maar er staat '\\2'."),
    ("Expected an expression, got .+", "Er ontbreekt iets tussen {{ }} of {% %}."),
    ("At most (\\d+) characters\\.", "Hoogstens \\1 tekens."),
    ("Cannot be filled in: (.*)", "Kan niet worden ingevuld: \\1"),
]
_COMPILED = [(re.compile(f"^{pattern}$", re.DOTALL), nl) for pattern, nl in API_MESSAGES_NL]


def api_text(original: str) -> str:
    """An API validation message in the page's language (English: unchanged)."""
    if current_language() != "nl":
        return original
    for pattern, dutch in _COMPILED:
        if pattern.match(original):
            return pattern.sub(dutch, original)
    return original
