"""Every text of the console in Dutch (the default) and English, and the Dutch wording of the
API's validation messages. Plain Python: a template asks `t("key")`."""

from __future__ import annotations

import re

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

# key: (Dutch, English)
TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Beheerconsole meldingen", "Notifications console"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.policies": ("Meldingsbeleid", "Notification policies"),
    "nav.deliveries": ("Verzendlog", "Delivery log"),
    "nav.dead": ("Onbestelbare berichten", "Dead notifications"),
    "nav.evaluations": ("Evaluaties", "Evaluations"),
    "nav.reports": ("Rapportages", "Reports"),
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
    "channel.email": ("e-mail", "e-mail"),
    "channel.sms": ("sms", "text message"),
    "channel.group": ("groepskanaal", "group channel"),
    "status.planned": ("gepland", "planned"),
    "status.queued": ("in de wachtrij", "queued"),
    "status.sending": ("wordt verstuurd", "sending"),
    "status.sent": ("verstuurd", "sent"),
    "status.failed": ("mislukt", "failed"),
    "status.dead": ("onbestelbaar", "dead"),
    "status.cancelled": ("geannuleerd", "cancelled"),
    "policies.title": ("Meldingsbeleid", "Notification policies"),
    "policies.holidays_missing": (
        "De schoolvakanties van {years} zijn nog niet geladen: herinneringen kunnen dan in een "
        "vakantie vallen. Vraag de beheerder van de installatie ze te laden "
        "(load-holidays met het bestand van de Rijksoverheid).",
        "The school holidays of {years} are not loaded yet: reminders may then fall in a "
        "holiday. Ask the installation's operator to load them (load-holidays with the "
        "Rijksoverheid file).",
    ),
    "policies.intro": (
        "Welke gebeurtenis wie bericht geeft, via welk kanaal en wanneer. Een schoolregel met "
        "dezelfde sleutel vervangt de regel van het samenwerkingsverband voor die school.",
        "Which event notifies whom, on which channel and when. A school's policy with the same "
        "key replaces the partnership's policy for that school.",
    ),
    "policies.new": ("Nieuw beleid", "New policy"),
    "policies.name": ("Naam", "Name"),
    "policies.key": ("Sleutel", "Key"),
    "policies.scope": ("Geldt voor", "Applies to"),
    "policies.events": ("Gebeurtenissen", "Events"),
    "policies.recipients": ("Ontvangers", "Recipients"),
    "policies.state": ("Status", "State"),
    "policies.actions": ("Acties", "Actions"),
    "policies.partnership": ("Heel het samenwerkingsverband", "The whole partnership"),
    "policies.enabled": ("aan", "on"),
    "policies.disabled": ("uit", "off"),
    "policies.edit": ("Wijzigen", "Edit"),
    "policies.preview": ("Voorbeeld", "Preview"),
    "policies.enable": ("Aanzetten", "Enable"),
    "policies.disable": ("Uitzetten", "Disable"),
    "policies.enabled_done": ("Beleid “{name}” staat aan.", "Policy “{name}” is on."),
    "policies.disabled_done": ("Beleid “{name}” staat uit.", "Policy “{name}” is off."),
    "policies.saved": ("Beleid “{name}” is opgeslagen.", "Policy “{name}” is saved."),
    "policies.days_ahead": ("{days} dagen vooraf", "{days} days ahead"),
    "policies.none": ("Nog geen beleid.", "No policies yet."),
    "policies.group_channels": ("{count} groepskanaal", "{count} group channel(s)"),
    "form.new_title": ("Nieuw meldingsbeleid", "New notification policy"),
    "form.edit_title": ("Beleid wijzigen: {name}", "Edit policy: {name}"),
    "form.problems": (
        "Het beleid is niet opgeslagen. Verbeter de gemarkeerde velden.",
        "The policy was not saved. Please correct the marked fields.",
    ),
    "form.key_hint": (
        "Kleine letters, cijfers en _, bijvoorbeeld evaluatie_ib.",
        "Lowercase letters, digits and _, e.g. evaluation_coordinator.",
    ),
    "form.school": ("Geldt voor", "Applies to"),
    "form.events": ("Bij deze gebeurtenissen", "On these events"),
    "form.recipients": ("Ontvangers en kanalen", "Recipients and channels"),
    "form.recipients_hint": (
        "Kies per rol e-mail en/of sms; een rol zonder kanaal krijgt niets.",
        "Choose e-mail and/or text message per role; a role without a channel gets nothing.",
    ),
    "form.role": ("Rol", "Role"),
    "form.timing": ("Wanneer", "When"),
    "form.lead_times": ("Herinneringen, dagen vooraf", "Reminders, days ahead"),
    "form.lead_times_hint": (
        "Bijvoorbeeld 14, 3, 0; leeg: één bericht direct na de gebeurtenis.",
        "For example 14, 3, 0; empty: one message right after the event.",
    ),
    "form.send_hour": ("Verzenduur (0–23)", "Hour of sending (0–23)"),
    "form.quiet_start": ("Stille uren vanaf", "Quiet hours from"),
    "form.quiet_end": ("Stille uren tot", "Quiet hours until"),
    "form.quiet_hint": (
        "Geen berichten tussen deze tijden; laat beide leeg voor geen stille uren.",
        "No messages between these times; leave both empty for no quiet hours.",
    ),
    "form.skip_weekends": ("Niet in het weekend", "Not at weekends"),
    "form.skip_holidays": (
        "Niet in schoolvakanties en op feestdagen",
        "Not in school holidays nor on public holidays",
    ),
    "form.skip_good_friday": (
        "Ook niet op Goede Vrijdag (als de school dan dicht is)",
        "Nor on Good Friday (when the school is closed then)",
    ),
    "form.critical": (
        "Belangrijk: mag stille uren en vakanties overslaan",
        "Critical: may bypass quiet hours and holidays",
    ),
    "form.delivery": ("Bezorging", "Delivery"),
    "form.delivery.immediate": ("Elk bericht apart", "Each message on its own"),
    "form.delivery.digest": ("Dagelijkse samenvatting (alleen personeel)", "Daily digest (staff)"),
    "form.report_delivery": ("Periodiek rapport", "Periodic report"),
    "form.report_delivery.link": ("Als link", "As a link"),
    "form.report_delivery.attachment": (
        "Als pdf-bijlage (met link)",
        "As a PDF attachment (with link)",
    ),
    "form.report_delivery_hint": (
        "Alleen bij 'Rapport klaar': de e-mail brengt het rapport als pdf mee, in de taal van "
        "de ontvanger. Groepskanalen en sms krijgen alleen de link.",
        "Only with 'Report ready': the e-mail brings the report as a PDF, in the recipient's "
        "language. Group channels and SMS get the link only.",
    ),
    "form.escalation": ("Escalatie", "Escalation"),
    "form.escalate_after_days": (
        "Escaleren na (dagen te laat)",
        "Escalate after (days overdue)",
    ),
    "form.escalate_to": ("Escaleren naar", "Escalate to"),
    "form.group_urls": ("Groepskanalen (Apprise-URL's)", "Group channels (Apprise URLs)"),
    "form.group_urls_hint": (
        "Eén per regel (Teams, Slack, webhook). Ze worden versleuteld bewaard en nooit meer "
        "getoond; leeg laten bij wijzigen houdt de bestaande.",
        "One per line (Teams, Slack, webhook). Stored encrypted and never shown again; leave "
        "empty when editing to keep the current ones.",
    ),
    "form.enabled": ("Beleid staat aan", "Policy is on"),
    "form.save": ("Opslaan", "Save"),
    "form.cancel": ("Annuleren", "Cancel"),
    "form.general": ("Let op", "Please note"),
    "preview.title": ("Voorbeeld: {name}", "Preview: {name}"),
    "preview.intro": (
        "Wat dit beleid de komende {days} dagen verstuurt. Er wordt niets verzonden.",
        "What this policy will send in the next {days} days. Nothing is sent.",
    ),
    "preview.days": ("Periode in dagen", "Period in days"),
    "preview.show": ("Tonen", "Show"),
    "preview.none": (
        "In deze periode staan geen berichten gepland.",
        "No messages are planned in this period.",
    ),
    "preview.when": ("Moment", "When"),
    "preview.template": ("Bericht", "Message"),
    "preview.due_on": ("Over de datum", "About the date"),
    "form.simulate": ("Voorbeeld", "Preview"),
    "simulation.title": ("Voorbeeld: wat dit beleid zou versturen", "Preview: what it would send"),
    "simulation.intro": (
        "De herinneringen die dit beleid de komende {days} dagen zou versturen voor de data die "
        "nu gepland staan. Er is niets opgeslagen en er wordt niets verzonden.",
        "The reminders this policy would send in the next {days} days for the dates scheduled "
        "now. Nothing was saved and nothing is sent.",
    ),
    "simulation.per_role": (
        "Eén regel per datum, rol en kanaal: hoeveel ouders of medewerkers een rol heeft, telt "
        "niet mee.",
        "One line per date, role and channel: how many parents or staff a role has is not counted.",
    ),
    "simulation.not_simulated": (
        "Niet in dit voorbeeld, want die berichten volgen pas op de gebeurtenis zelf:",
        "Not in this preview, as those messages follow the event itself:",
    ),
    "simulation.overridden": (
        "Scholen met een eigen versie van dit beleid staan er niet in:",
        "Schools with their own version of this policy are left out:",
    ),
    "simulation.per_day": ("Per dag", "Per day"),
    "simulation.day": ("Dag", "Day"),
    "simulation.total": ("Totaal", "Total"),
    "simulation.messages": ("Berichten", "Messages"),
    "simulation.digest": ("in de dagelijkse samenvatting", "in the daily digest"),
    "simulation.none": (
        "Dit beleid zou in deze periode geen herinneringen versturen.",
        "This policy would send no reminders in this period.",
    ),
    "simulation.unavailable": (
        "Het voorbeeld kon niet worden gemaakt: de trajectenadministratie antwoordt niet. "
        "Probeer het zo opnieuw.",
        "The preview could not be made: the cases service does not answer. Please try again "
        "shortly.",
    ),
    "template.lead": ("{event} (herinnering)", "{event} (reminder)"),
    "template.escalation": ("{event} (escalatie)", "{event} (escalation)"),
    "texts.legend": ("Eigen berichtteksten", "Own message texts"),
    "texts.intro": (
        "De tekst van elk bericht van dit beleid, in het Nederlands en in het Engels (voor ouders "
        "die Engels kozen). Een leeg veld gebruikt de standaardtekst. De aanhef (Beste …) en de "
        "groet met de naam van de school komen er vanzelf bij. Groepskanalen krijgen altijd een "
        "neutrale tekst zonder namen.",
        "The text of each message of this policy, in Dutch and in English (for parents who chose "
        "English). An empty field uses the default text. The greeting (Dear …) and the sign-off "
        "with the school's name are added by themselves. Group channels always get a neutral "
        "text without names.",
    ),
    "texts.none": (
        "Kies eerst de gebeurtenissen en klik op Voorbeeld of Opslaan; dan staan hier de "
        "tekstvelden van elk bericht.",
        "Choose the events first and click Preview or Save; the text fields of each message "
        "then appear here.",
    ),
    "texts.variables": ("Te gebruiken in de teksten", "To use in the texts"),
    "texts.message_variables": ("Gegevens in dit bericht:", "Items in this message:"),
    "texts.variables_hint": (
        "Zet een gegeven tussen dubbele accolades, bijvoorbeeld {{ pupil }}; bij het versturen "
        "komt het echte gegeven ervoor in de plaats. Elk bericht noemt de gegevens die het "
        "heeft; andere namen worden niet geaccepteerd.",
        "Put an item between double braces, for example {{ pupil }}; sending puts the real "
        "value in its place. Each message lists the items it has; other names are not accepted.",
    ),
    "texts.dutch": ("Nederlands", "Dutch"),
    "texts.english": ("Engels", "English"),
    "texts.subject": ("Onderwerp", "Subject"),
    "texts.body": ("Tekst", "Text"),
    "texts.default": ("Standaardtekst", "Default text"),
    "texts.sample": ("Voorbeeldtekst", "Sample message"),
    "texts.sample_hint": (
        "Zo leest een ouder of medewerker het bericht, met voorbeeldgegevens.",
        "How a parent or staff member reads the message, with sample data.",
    ),
    "texts.sample_failed": ("Geen voorbeeld mogelijk: {problem}", "No sample possible: {problem}"),
    "texts.invalid": ("De tekst klopt niet: {problem}", "The text is not valid: {problem}"),
    "texts.dropped": (
        "Bij opslaan vervallen de eigen teksten van: {messages}. Die gebeurtenis hoort niet meer "
        "bij dit beleid.",
        "Saving drops the own texts of: {messages}. That event is no longer part of this policy.",
    ),
    "texts.dropped_done": (
        "De eigen teksten van {messages} zijn vervallen: die gebeurtenis hoort niet meer bij dit "
        "beleid.",
        "The own texts of {messages} were dropped: that event is no longer part of this policy.",
    ),
    "var.domain": ("code van het ondersteuningsgebied", "code of the support domain"),
    "var.domain_label": (
        "ondersteuningsgebied, bijvoorbeeld lezen en dyslexie (bij interventies)",
        "support domain, for example reading and dyslexia (interventions)",
    ),
    "var.due_on": ("datum van de evaluatie (OPP)", "date of the evaluation (plan)"),
    "var.evaluate_by": (
        "uiterste evaluatiedatum (interventies)",
        "date to evaluate by (interventions)",
    ),
    "var.meeting_at": ("datum en tijd van het gesprek", "date and time of the meeting"),
    "var.preferences_url": (
        "link naar de berichtinstellingen (alleen ouders)",
        "link to the message settings (parents only)",
    ),
    "var.link": (
        "link naar de pagina in het systeem (na inloggen; niet voor ouders)",
        "link to the page in the system (after logging in; not for parents)",
    ),
    "var.period_end": ("laatste dag van de rapportageperiode", "last day of the report's period"),
    "var.period_start": ("eerste dag van de rapportageperiode", "first day of the report's period"),
    "var.pupil": ("voornaam van de leerling", "the pupil's first name"),
    "var.recipient_name": ("naam van de ontvanger", "the recipient's name"),
    "var.reference": ("dossiernummer (8 tekens)", "case reference (8 characters)"),
    "var.reports_url": ("adres van de rapportagedienst", "address of the reports service"),
    "var.report_id": ("nummer van het rapport (voor de link)", "the report's id (for the link)"),
    "var.review_by": ("herzieningsdatum van het SOP", "review date of the support profile"),
    "var.school": ("naam van de school", "the school's name"),
    "var.school_year": ("schooljaar, zoals 2026-2027", "school year, such as 2026-2027"),
    "var.starts_on": ("startdatum (interventies)", "start date (interventions)"),
    "var.plan_due_by": ("uiterste datum voor het OPP", "deadline for the development plan"),
    "var.left_on": ("datum van vertrek van de leerling", "the day the pupil left"),
    "var.valid_until": ("einddatum van de TLV", "end date of the admission statement"),
    "col.recipient": ("Ontvanger", "Recipient"),
    "col.channel": ("Kanaal", "Channel"),
    "col.school": ("School", "School"),
    "deliveries.title": ("Verzendlog", "Delivery log"),
    "deliveries.dead_title": ("Onbestelbare berichten", "Dead notifications"),
    "deliveries.intro": (
        "Alle geplande, verstuurde, mislukte en onbestelbare berichten, nieuwste eerst. "
        "Adressen zijn afgeschermd.",
        "Every planned, sent, failed and dead notification, newest first. Addresses are masked.",
    ),
    "deliveries.filters": ("Filteren", "Filter"),
    "deliveries.status": ("Status", "Status"),
    "deliveries.event_type": ("Gebeurtenis", "Event"),
    "deliveries.school": ("School", "School"),
    "deliveries.any": ("Alle", "All"),
    "deliveries.apply": ("Filter toepassen", "Apply filter"),
    "deliveries.reset": ("Wissen", "Clear"),
    "deliveries.when": ("Gepland voor", "Planned for"),
    "deliveries.attempts": ("Pogingen", "Attempts"),
    "deliveries.error": ("Laatste fout", "Last error"),
    "deliveries.retry": ("Opnieuw versturen", "Retry"),
    "deliveries.retried": (
        "Het bericht staat opnieuw in de wachtrij.",
        "The notification is queued again.",
    ),
    "deliveries.not_retryable": (
        "Alleen mislukte of onbestelbare berichten kunnen opnieuw worden verstuurd.",
        "Only failed or dead notifications can be retried.",
    ),
    "deliveries.none": ("Geen berichten gevonden.", "No notifications found."),
    "deliveries.total": ("Aantal berichten: {total}", "Notifications: {total}"),
    "deliveries.previous": ("Vorige pagina", "Previous page"),
    "deliveries.next": ("Volgende pagina", "Next page"),
    "deliveries.page": ("Pagina {page} van {pages}", "Page {page} of {pages}"),
    "deliveries.from": ("Van", "From"),
    "deliveries.to": ("Tot en met", "Until"),
    "deliveries.date_field": ("Datum van", "Date of"),
    "deliveries.date_field.send_at": ("verzending (gepland)", "sending (planned)"),
    "deliveries.date_field.created_at": ("aanmaak", "creation"),
    "evaluations.title": ("Evaluaties", "Evaluations"),
    "evaluations.intro": (
        "De evaluaties en evaluatiegesprekken die eraan komen, per week. U ziet wat uw account "
        "mag zien: een leerkracht alleen de eigen leerlingen.",
        "The evaluations and evaluation meetings coming up, by week. You see what your account "
        "may see: a teacher only their own pupils.",
    ),
    "evaluations.filters": ("Periode en school kiezen", "Choose period and school"),
    "evaluations.school": ("School", "School"),
    "evaluations.from": ("Van", "From"),
    "evaluations.to": ("Tot en met", "Until"),
    "evaluations.show": ("Tonen", "Show"),
    "evaluations.no_school": (
        "Uw account ziet geen scholen.",
        "Your account sees no schools.",
    ),
    "evaluations.bad_date": (
        "Vul een datum in als jjjj-mm-dd.",
        "Enter a date as yyyy-mm-dd.",
    ),
    "evaluations.end_before_start": (
        "De einddatum ligt voor de begindatum; de standaardperiode wordt getoond.",
        "The end lies before the start; the default period is shown.",
    ),
    "evaluations.overdue_title": ("Te laat", "Overdue"),
    "evaluations.overdue_intro": (
        "Deze evaluaties hadden al moeten plaatsvinden en zijn nog niet vastgelegd.",
        "These evaluations were due already and have not been recorded yet.",
    ),
    "evaluations.overdue": ("te laat", "overdue"),
    "evaluations.due_on": ("uiterlijk {date}", "due {date}"),
    "evaluations.week": ("Week {number}", "Week {number}"),
    "evaluations.week_empty": ("Geen evaluaties deze week.", "No evaluations this week."),
    "evaluations.kind_intervention": ("Evaluatie interventie", "Intervention evaluation"),
    "evaluations.kind_plan_evaluation": ("Evaluatie OPP", "Development plan evaluation"),
    "evaluations.kind_meeting": ("Evaluatiegesprek OPP", "Development plan evaluation meeting"),
    "evaluations.kind_other": ("Evaluatie", "Evaluation"),
    "evaluations.total": ("Aantal evaluaties: {total}", "Evaluations: {total}"),
    "feed.title": ("Agenda-abonnement", "Calendar subscription"),
    "feed.intro": (
        "Zet uw evaluaties in Outlook of Google Agenda: de agenda haalt ze zelf op via een "
        "geheime link die alleen voor u is. De agenda noemt geen leerlingnamen, alleen wat er "
        "moet gebeuren en een dossiernummer.",
        "Put your evaluations in Outlook or Google Calendar: the calendar fetches them itself "
        "through a secret link of your own. It names no pupils, only what is due and a case "
        "reference.",
    ),
    "feed.create": ("Abonnement maken of vernieuwen", "Create or renew the subscription"),
    "feed.create_hint": (
        "Vernieuwen maakt een nieuwe link; de oude werkt dan niet meer.",
        "Renewing makes a new link; the old one stops working.",
    ),
    "feed.revoke": ("Abonnement opheffen", "Revoke the subscription"),
    "feed.revoked": (
        "Het agenda-abonnement is opgeheven; de link werkt niet meer.",
        "The calendar subscription is revoked; its link no longer works.",
    ),
    "feed.created": (
        "Uw agenda-link is klaar. Hij wordt maar één keer getoond: kopieer hem nu.",
        "Your calendar link is ready. It is shown only once: copy it now.",
    ),
    "feed.url_label": ("Uw geheime agenda-link", "Your secret calendar link"),
    "feed.secret": (
        "Wie deze link heeft, ziet uw evaluaties. Deel hem niet; bent u hem kwijt of is hij "
        "gedeeld, maak dan een nieuwe.",
        "Whoever has this link sees your evaluations. Do not share it; if you lose or shared "
        "it, make a new one.",
    ),
    "feed.open_in_app": ("Openen in mijn agenda-app", "Open in my calendar app"),
    "feed.outlook": ("Outlook", "Outlook"),
    "feed.outlook_1": (
        "Open Outlook (op het web of de nieuwe Outlook) en ga naar Agenda.",
        "Open Outlook (on the web or the new Outlook) and go to Calendar.",
    ),
    "feed.outlook_2": (
        "Kies “Agenda toevoegen” en dan “Abonneren vanaf internet”.",
        "Choose “Add calendar”, then “Subscribe from web”.",
    ),
    "feed.outlook_3": (
        "Plak de link, geef de agenda een naam (bijvoorbeeld “Evaluaties”) en kies “Importeren”.",
        "Paste the link, name the calendar (for example “Evaluations”) and choose “Import”.",
    ),
    "feed.google": ("Google Agenda", "Google Calendar"),
    "feed.google_1": (
        "Open Google Agenda op een computer.",
        "Open Google Calendar on a computer.",
    ),
    "feed.google_2": (
        "Klik naast “Andere agenda's” op + en kies “Via URL”.",
        "Next to “Other calendars”, click + and choose “From URL”.",
    ),
    "feed.google_3": (
        "Plak de link en kies “Agenda toevoegen”. Op uw telefoon verschijnt hij ook.",
        "Paste the link and choose “Add calendar”. It shows on your phone too.",
    ),
    "feed.refresh_note": (
        "De agenda-app haalt wijzigingen zelf op, meestal binnen enkele uren (Google soms pas "
        "na een dag). Verzette gesprekken verschuiven vanzelf.",
        "The calendar app fetches changes itself, usually within a few hours (Google sometimes "
        "only after a day). Moved meetings move by themselves.",
    ),
    "feed.back": ("Terug naar de evaluaties", "Back to the evaluations"),
    "reports.title": ("Rapportages", "Reports"),
    "reports.intro": (
        "Welke periodieke rapportages elke school krijgt, en de rapportages om te downloaden.",
        "Which periodic reports each school gets, and the reports to download.",
    ),
    "reports.schedules": ("Rapportageschema", "Report schedule"),
    "reports.schedules_intro": (
        "Een school met een eigen schema krijgt dat; anders geldt de standaard van het "
        "samenwerkingsverband, en zonder standaard de instelling van de dienst.",
        "A school with a schedule of its own gets that; otherwise the partnership's default "
        "applies, and without a default the service's setting.",
    ),
    "reports.default": ("Standaard van het samenwerkingsverband", "The partnership's default"),
    "reports.default_none": (
        "Niet gekozen: de instelling van de dienst geldt ({kinds}).",
        "Not chosen: the service's setting applies ({kinds}).",
    ),
    "reports.default_saved": (
        "De standaard van het samenwerkingsverband is opgeslagen.",
        "The partnership's default is saved.",
    ),
    "reports.school_saved": (
        "Het rapportageschema van {name} is opgeslagen.",
        "The report schedule of {name} is saved.",
    ),
    "reports.school_reset": (
        "{name} volgt weer de standaard.",
        "{name} follows the default again.",
    ),
    "reports.own": ("Eigen schema", "Own schedule"),
    "reports.own_none": ("geen eigen schema", "no schedule of its own"),
    "reports.effective": ("Krijgt", "Gets"),
    "reports.change": ("Wijzigen", "Change"),
    "reports.kinds_legend": ("Periodieke rapportages", "Periodic reports"),
    "reports.save": ("Opslaan", "Save"),
    "reports.reset": ("Standaard volgen", "Follow the default"),
    "reports.kind_month": ("maand", "month"),
    "reports.kind_quarter": ("kwartaal", "quarter"),
    "reports.kind_school_year": ("schooljaar", "school year"),
    "reports.kind_none": ("geen", "none"),
    "reports.source_school": ("eigen schema", "own schedule"),
    "reports.source_partnership": (
        "standaard van het samenwerkingsverband",
        "the partnership's default",
    ),
    "reports.source_setting": ("instelling van de dienst", "the service's setting"),
    "reports.downloads": ("Downloaden", "Download"),
    "reports.downloads_intro": (
        "De laatste volledige maand, het laatste kwartaal en het laatste schooljaar, als CSV, "
        "Excel of PDF.",
        "The last complete month, quarter and school year, as CSV, Excel or PDF.",
    ),
    "reports.partnership": ("Heel het samenwerkingsverband", "The whole partnership"),
    "reports.period_month": ("Maand: {month}", "Month: {month}"),
    "reports.period_quarter": (
        "Kwartaal: {first} t/m {last} {year}",
        "Quarter: {first} to {last} {year}",
    ),
    "reports.period_school_year": ("Schooljaar {label}", "School year {label}"),
    "reports.format_csv": ("CSV", "CSV"),
    "reports.format_xlsx": ("Excel", "Excel"),
    "reports.format_pdf": ("PDF", "PDF"),
    "reports.custom": ("Andere periode", "Another period"),
    "reports.custom_school": ("Rapportage van", "Report of"),
    "reports.start": ("Eerste dag", "First day"),
    "reports.end": ("Laatste dag", "Last day"),
    "reports.format": ("Bestand", "File"),
    "reports.download": ("Downloaden", "Download"),
    "reports.no_schools": (
        "Er zijn nog geen scholen bekend bij de rapportagedienst.",
        "The reports service knows no schools yet.",
    ),
    "reports.bad_request": (
        "Kies een school, een bestandsvorm en een begin- en einddatum.",
        "Choose a school, a file type and a first and last day.",
    ),
    "upstream.not_found": (
        "Deze school of dit gegeven hoort niet bij uw account.",
        "This school or item is not within your account.",
    ),
    "upstream.invalid": (
        "De gegevens zijn niet geldig; controleer ze en probeer het opnieuw.",
        "The data are not valid; please check them and try again.",
    ),
    "upstream.unavailable_cases": (
        "De leerlingadministratie antwoordt nu niet; probeer het zo opnieuw.",
        "The cases service does not answer now; please try again shortly.",
    ),
    "upstream.unavailable_reports": (
        "De rapportagedienst antwoordt nu niet; probeer het zo opnieuw.",
        "The reports service does not answer now; please try again shortly.",
    ),
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

# Event types as people call them (event codes stay visible next to them).
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "partnership.registered": ("Samenwerkingsverband aangemaakt", "Partnership created"),
    "school.registered": ("School aangemeld", "School registered"),
    "pupil.enrolled": ("Leerling ingeschreven", "Pupil enrolled"),
    "pupil.anonymised": ("Leerling geanonimiseerd", "Pupil anonymised"),
    "guardian.sign_in_requested": ("Inloglink ouder gevraagd", "Parent sign-in link requested"),
    "pupil.left_with_open_case": (
        "Leerling vertrokken met open traject",
        "Pupil left with an open case",
    ),
    "case.opened": ("Ondersteuningstraject geopend", "Support case opened"),
    "case.plan_deadline_approaching": ("Termijn OPP nadert", "Plan deadline approaching"),
    "case.plan_overdue": ("Termijn OPP verstreken", "Plan deadline passed"),
    "case.level_changed": ("Ondersteuningsniveau gewijzigd", "Support level changed"),
    "case.closed": ("Ondersteuningstraject gesloten", "Support case closed"),
    "intervention.started": ("Interventie gestart", "Intervention started"),
    "intervention.outside_support_profile": (
        "Interventie buiten het SOP",
        "Intervention outside the support profile",
    ),
    "intervention.evaluated": ("Interventie geëvalueerd", "Intervention evaluated"),
    "intervention.evaluation_approaching": (
        "Evaluatie interventie nadert",
        "Intervention evaluation approaching",
    ),
    "intervention.evaluation_overdue": (
        "Evaluatie interventie verlopen",
        "Intervention evaluation overdue",
    ),
    "development_plan.created": ("OPP opgesteld", "Development plan created"),
    "development_plan.consultation_recorded": ("OOGO vastgelegd", "Consultation recorded"),
    "development_plan.pupil_view_recorded": (
        "Mening leerling vastgelegd",
        "Pupil's view recorded",
    ),
    "development_plan.action_plan_changed": ("Handelingsdeel gewijzigd", "Action plan changed"),
    "development_plan.consent_requested": (
        "Instemming ouders gevraagd",
        "Parents' consent requested",
    ),
    "development_plan.consent_recorded": (
        "Instemming ouders vastgelegd",
        "Parents' consent recorded",
    ),
    "development_plan.activated": ("OPP van kracht", "Development plan active"),
    "development_plan.evaluation_scheduled": ("Evaluatie OPP gepland", "Plan evaluation scheduled"),
    "development_plan.evaluation_rescheduled": (
        "Evaluatie OPP verplaatst",
        "Plan evaluation rescheduled",
    ),
    "development_plan.evaluation_approaching": (
        "Evaluatie OPP nadert",
        "Plan evaluation approaching",
    ),
    "development_plan.evaluation_overdue": ("Evaluatie OPP verlopen", "Plan evaluation overdue"),
    "development_plan.evaluation_missing": (
        "Geen evaluatie OPP dit schooljaar",
        "No plan evaluation this school year",
    ),
    "development_plan.evaluated": ("OPP geëvalueerd", "Development plan evaluated"),
    "development_plan.meeting_planned": ("Evaluatiegesprek gepland", "Evaluation meeting planned"),
    "development_plan.meeting_moved": ("Evaluatiegesprek verzet", "Evaluation meeting moved"),
    "development_plan.meeting_cancelled": (
        "Evaluatiegesprek afgezegd",
        "Evaluation meeting cancelled",
    ),
    "development_plan.closed": ("OPP afgesloten", "Development plan closed"),
    "referral.requested": ("Verwijzing aangevraagd", "Referral requested"),
    "referral.admission_statement_recorded": ("TLV vastgelegd", "Admission statement recorded"),
    "referral.admission_statement_expiring": ("TLV loopt af", "Admission statement expiring"),
    "support_profile.published": ("SOP gepubliceerd", "Support profile published"),
    "support_profile.expiring": ("SOP moet worden herzien", "Support profile due for review"),
    "report.ready": ("Rapport klaar", "Report ready"),
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


def event_label(event_type: str, language: str) -> str:
    """An event type as people call it; the code when it has no label."""
    pair = EVENT_LABELS.get(event_type)
    if pair is None:
        return event_type
    return pair[0] if language == "nl" else pair[1]


def template_label(template: str, language: str) -> str:
    """A message template ('<event type>', '.lead' or '.escalation') as people call it."""
    for kind in ("lead", "escalation"):
        if template.endswith(f".{kind}"):
            event = event_label(template.removesuffix(f".{kind}"), language)
            return text(f"template.{kind}", language, event=event)
    return event_label(template, language)


def message(original: str, language: str) -> str:
    """An API validation message in the console's language (English: unchanged)."""
    if language != "nl":
        return original
    for pattern, dutch in _COMPILED:
        if pattern.match(original):
            return pattern.sub(dutch, original)
    return original
