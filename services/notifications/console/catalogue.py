"""Every text of what remains of the console (log-in, enrolment, the guardian's preference page) in
Dutch (the default) and English, and the Dutch wording of the API's validation messages. Plain
Python: a template asks `t("key")`. The administrators' pages and their texts moved to services/web
(its gettext catalogs)."""

from __future__ import annotations

import re

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

# key: (Dutch, English)
TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Beheerconsole meldingen", "Notifications console"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.web": ("Naar de werkplek", "To the workspace"),
    "moved.title": ("De beheerpagina's zijn verhuisd", "The administration pages have moved"),
    "moved.intro": (
        "Meldingsbeleid, het verzendlog, rapportages en evaluaties staan nu in de werkplek, "
        "met dezelfde inlog.",
        "Notification policies, the delivery log, reports and evaluations are in the workspace "
        "now, with the same log-in.",
    ),
    "nav.logout": ("Uitloggen", "Log out"),
    "nav.language": ("English", "Nederlands"),
    "nav.language_label": ("Switch to English", "Schakel naar Nederlands"),
    "nav.signed_in": ("Ingelogd als {role}", "Signed in as {role}"),
    "login.title": ("Inloggen", "Log in"),
    "login.intro": (
        "Log in met het account van het samenwerkingsverband of van uw school.",
        "Log in with your partnership or school account.",
    ),
    "login.email": ("E-mailadres", "E-mail address"),
    "login.password": ("Wachtwoord", "Password"),
    "login.submit": ("Inloggen", "Log in"),
    "login.failed": (
        "Het e-mailadres of het wachtwoord klopt niet.",
        "The e-mail address or the password is not right.",
    ),
    "login.too_many": (
        "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.",
        "Too many failed attempts. Please try again in a quarter of an hour.",
    ),
    "login.unavailable": (
        "Inloggen lukt nu niet; probeer het later opnieuw.",
        "Logging in is not possible right now; please try again later.",
    ),
    "login.not_for_role": (
        "Deze console is voor medewerkers van de scholen en het samenwerkingsverband.",
        "This console is for the staff of the schools and the partnership.",
    ),
    "login.expired": (
        "Uw sessie is verlopen. Log opnieuw in.",
        "Your session has expired. Please log in again.",
    ),
    "login.code": ("Code uit uw authenticator-app", "Code from your authenticator app"),
    "login.code_hint": (
        "Zes cijfers, of een van uw herstelcodes als u uw telefoon niet bij de hand hebt.",
        "Six digits, or one of your recovery codes if you do not have your phone at hand.",
    ),
    "login.code_needed": (
        "Vul uw wachtwoord opnieuw in, met de code uit uw authenticator-app.",
        "Enter your password again, with the code from your authenticator app.",
    ),
    "login.code_invalid": (
        "De code klopt niet of is al gebruikt. Vul uw wachtwoord en een nieuwe code in.",
        "The code is not right or was already used. Enter your password and a new code.",
    ),
    "enrol.title": ("Tweede factor instellen", "Set up a second factor"),
    "enrol.intro": (
        "Uw samenwerkingsverband vraagt bij het inloggen ook een code uit een authenticator-app "
        "(bijvoorbeeld FreeOTP, Google Authenticator of Microsoft Authenticator). Voeg deze "
        "sleutel toe aan de app, via de link op uw telefoon of door hem over te typen. U ziet "
        "hem maar één keer.",
        "Your partnership asks for a code from an authenticator app as well when you log in "
        "(for instance FreeOTP, Google Authenticator or Microsoft Authenticator). Add this key to "
        "the app, through the link on your phone or by typing it. It is shown only once.",
    ),
    "enrol.key": ("Sleutel", "Key"),
    "enrol.link": ("Openen in de authenticator-app", "Open in the authenticator app"),
    "enrol.confirm": (
        "Bevestig met uw wachtwoord en de eerste code die de app toont.",
        "Confirm with your password and the first code the app shows.",
    ),
    "enrol.submit": ("Bevestigen en inloggen", "Confirm and log in"),
    "recovery.title": ("Uw herstelcodes", "Your recovery codes"),
    "recovery.intro": (
        "De tweede factor is ingesteld. Bewaar deze codes op een veilige plek: met elk ervan "
        "logt u één keer in als u uw telefoon kwijt bent. U ziet ze maar één keer.",
        "The second factor is set up. Keep these codes in a safe place: each of them logs you "
        "in once if you lose your phone. They are shown only once.",
    ),
    "recovery.continue": ("Verder", "Continue"),
    "logout.done": ("U bent uitgelogd.", "You are logged out."),
    "role.admin": ("beheerder", "administrator"),
    "role.coordinator": ("intern begeleider", "support coordinator"),
    "role.director": ("directeur", "director"),
    "role.teacher": ("leerkracht", "teacher"),
    "role.consultant": ("consulent", "consultant"),
    "role.all_consultants": (
        "consulenten van het samenwerkingsverband",
        "the partnership's consultants",
    ),
    "role.guardian": ("ouder/verzorger", "parent/guardian"),
    "error.title": ("Er ging iets mis", "Something went wrong"),
    "error.not_found": ("Niet gevonden.", "Not found."),
    "error.forbidden": (
        "U mag dit niet doen met uw account.",
        "Your account may not do this.",
    ),
    "error.csrf": (
        "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
        "The form has expired. Please reload the page and try again.",
    ),
    "error.invalid_link": (
        "Deze link is niet (meer) geldig. Gebruik de link uit het nieuwste bericht.",
        "This link is not valid (any more). Use the link in the latest message.",
    ),
    "error.internal": (
        "Er ging aan onze kant iets mis. Probeer het later opnieuw.",
        "Something went wrong on our side. Please try again later.",
    ),
    "error.unavailable": (
        "De console kan de database, Redis of de cases-service nu niet bereiken. Probeer het zo "
        "opnieuw.",
        "The console cannot reach its database, Redis or the cases service just now. Please try "
        "again shortly.",
    ),
    "error.back": ("Terug naar de console", "Back to the console"),
}

# The API's validation messages (marshmallow's and the domain's) in Dutch; English keeps the
# original. Patterns capture the parts that vary.
_MESSAGES_NL: list[tuple[str, str]] = [
    (r"Missing data for required field\.", "Dit veld is verplicht."),
    (r"Field may not be null\.", "Dit veld is verplicht."),
    (r"Not a valid integer\.", "Vul een heel getal in."),
    (r"Not a valid time(\.|;.*)", "Vul een tijd in als uu:mm."),
    (r"Not a valid UUID\.", "Kies een geldige waarde."),
    (r"Not a valid string\.", "Vul tekst in."),
    (r"Must be one of: .*\.", "Kies een van de mogelijkheden."),
    (
        r"Must be a lowercase code\.",
        "Alleen kleine letters, cijfers en _, te beginnen met een letter.",
    ),
    (r"Length must be between (\d+) and (\d+)\.", r"Tussen \1 en \2 tekens."),
    (r"Shorter than minimum length (\d+)\.", r"Minstens \1."),
    (r"Longer than maximum length (\d+)\.", r"Hoogstens \1."),
    (r"Unknown event type '(.+)'\.", r"Onbekende gebeurtenis '\1'."),
    (r"Name at least one event type\.", "Kies minstens één gebeurtenis."),
    (r"Unknown role '(.+)'\.", r"Onbekende rol '\1'."),
    (
        r"Name at least one recipient role or group channel\.",
        "Kies minstens één ontvanger met een kanaal, of een groepskanaal.",
    ),
    (r"'(.+)' is not a recipient\.", r"'\1' is geen ontvanger."),
    (r"Give '(.+)' a channel\.", r"Geef '\1' een kanaal."),
    (r"Unknown channel '(.+)'.*", r"Onbekend kanaal '\1'."),
    (r"Lead times are 0 to 365 days\.", "Herinneringen liggen 0 tot 365 dagen vooraf."),
    (r"Lead times must differ\.", "Elke herinnering een ander aantal dagen."),
    (
        r"Lead times need an event type with a due date\.",
        "Herinneringen vooraf vragen een gebeurtenis met een datum (zoals een evaluatie).",
    ),
    (r"An hour from 0 to 23\.", "Een uur van 0 tot en met 23."),
    (
        r"Give both the start and the end of the quiet hours, or neither\.",
        "Vul begin én einde van de stille uren in, of geen van beide.",
    ),
    (r"Quiet hours cannot cover the whole day\.", "Stille uren kunnen niet de hele dag duren."),
    (r"The send hour falls in the quiet hours\.", "Het verzenduur valt in de stille uren."),
    (
        r"Digests are for staff; parents get their messages one by one\.",
        "Een samenvatting is voor personeel; ouders krijgen elk bericht apart.",
    ),
    (r"1 to 90 days\.", "1 tot en met 90 dagen."),
    (r"link or attachment\.", "Kies link of bijlage."),
    (
        r"A report is attached only to messages about report\.ready\.",
        "Een rapport gaat alleen als bijlage mee bij 'Rapport klaar'.",
    ),
    (
        r"Escalation follows an \*_overdue event type\.",
        "Escalatie volgt op een 'verlopen'-gebeurtenis.",
    ),
    (r"'(.+)' is not a staff role\.", r"'\1' is geen personeelsrol."),
    (r"Already in use\.", "Deze sleutel is al in gebruik voor dit bereik."),
    (r"Give whole numbers separated by commas\.", "Vul hele getallen in, gescheiden door komma's."),
    (r"Not a school of this partnership\.", "Geen school van dit samenwerkingsverband."),
    (
        r"The cases service does not answer; try again\.",
        "De leerlingadministratie antwoordt nu niet; probeer het zo opnieuw.",
    ),
    (r"Apprise cannot use this URL", "Deze URL is niet bruikbaar als groepskanaal."),
    (r"Not a valid date and time.*", "Vul een geldige datum en tijd in."),
    (r"Not a valid date(\.|;.*)", "Vul een geldige datum in."),
    (r"Must not be before (start|'from')\.", "Mag niet voor de begindatum liggen."),
    (r"At most one year after 'from'\.", "Hoogstens een jaar na de begindatum."),
    (r"Each kind at most once\.", "Kies elke soort hoogstens één keer."),
    # Own texts: the sandbox's and Jinja2's problems (templates.check_override) and the form's.
    (
        r"'(.+)' is not available in this message; it has: (.+)\.",
        r"'\1' hoort niet bij dit bericht; wel: \2.",
    ),
    (
        r"'(.+)' is undefined",
        r"Onbekend gegeven '\1'; gebruik alleen de gegevens die hierbij staan.",
    ),
    (
        r"'.+ object' has no attribute '(.+)'",
        r"'\1' bestaat niet; gebruik alleen de gegevens die hierbij staan.",
    ),
    (
        r"access to attribute '(.+)' of '.+' object is unsafe\.",
        r"Niet toegestaan in een bericht: '\1' is afgeschermd.",
    ),
    (r".+ is not safely callable", "Niet toegestaan in een bericht: deze aanroep is afgeschermd."),
    (r"No filter named '(.+)'\.", r"Onbekend filter '\1'."),
    (r"No test named '(.+)'\.", r"Onbekende test '\1'."),
    (r"Encountered unknown tag '(.+)'\..*", r"Onbekende opdracht '\1' tussen {% en %}."),
    (
        r"Unexpected end of template\..*",
        "De tekst houdt te vroeg op: sluit {% if %} af met {% endif %} en {% for %} met "
        "{% endfor %}.",
    ),
    (
        r"unexpected end of template.*",
        "De tekst houdt te vroeg op: sluit {{ af met }} en {% met %}.",
    ),
    (r"unexpected '(.+)'", r"Onverwacht '\1': kijk de {{ }} en {% %} in de tekst na."),
    (r"expected token 'end of print statement', got .+", "Sluit {{ af met }}."),
    (r"expected token 'end of statement block', got .+", "Sluit {% af met %}."),
    (r"expected token '(.+)', got '(.+)'", r"Hier hoort '\1', maar er staat '\2'."),
    (r"Expected an expression, got .+", "Er ontbreekt iets tussen {{ }} of {% %}."),
    (r"At most (\d+) characters\.", r"Hoogstens \1 tekens."),
    (r"Cannot be filled in: (.*)", r"Kan niet worden ingevuld: \1"),
]
_COMPILED = [(re.compile(f"^{pattern}$", re.DOTALL), nl) for pattern, nl in _MESSAGES_NL]


def language_of(value: str | None) -> str:
    """A supported language code, or the default."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def text(key: str, language: str, **values: object) -> str:
    """The text of `key` in `language`, with {placeholders} filled; the key itself if unknown."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    template = pair[0] if language == "nl" else pair[1]
    return template.format(**values) if values else template


def message(original: str, language: str) -> str:
    """An API validation message in the console's language (English: unchanged)."""
    if language != "nl":
        return original
    for pattern, dutch in _COMPILED:
        if pattern.match(original):
            return pattern.sub(dutch, original)
    return original
