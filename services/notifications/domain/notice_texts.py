"""The plain default texts (Dutch and English) of every other event a policy may name, so no
message ever falls back to a bare reference. Staff are the usual readers of these; they name the
case by its reference. Part of `message_texts.DEFAULTS`."""

from __future__ import annotations


def notice(nl: tuple[str, str], en: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """One event's texts: (subject, body) in Dutch and in English."""
    return {"nl": nl, "en": en}


NOTICE_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "case.level_changed": notice(
        (
            "Ondersteuningsniveau gewijzigd ({{ reference }})",
            "Het ondersteuningsniveau van {{ pupil }} is gewijzigd.",
        ),
        (
            "Support level changed ({{ reference }})",
            "The support level of {{ pupil }} has changed.",
        ),
    ),
    "development_plan.action_plan_changed": notice(
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
    "development_plan.closed": notice(
        (
            "Ontwikkelingsperspectiefplan afgesloten ({{ reference }})",
            "Het ontwikkelingsperspectiefplan van {{ pupil }} is afgesloten.",
        ),
        (
            "Development plan closed ({{ reference }})",
            "{{ pupil }}'s development plan was closed.",
        ),
    ),
    "development_plan.consent_recorded": notice(
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
    "development_plan.consultation_recorded": notice(
        (
            "Overleg met de ouders vastgelegd ({{ reference }})",
            "Het overleg met de ouders (OOGO) over het ontwikkelingsperspectiefplan van "
            "{{ pupil }} is vastgelegd.",
        ),
        (
            "Consultation with the parents recorded ({{ reference }})",
            "The consultation with the parents about {{ pupil }}'s development plan was recorded.",
        ),
    ),
    "development_plan.pupil_view_recorded": notice(
        (
            "Mening van de leerling vastgelegd ({{ reference }})",
            "De mening van {{ pupil }} over het ontwikkelingsperspectiefplan is vastgelegd.",
        ),
        (
            "Pupil's view recorded ({{ reference }})",
            "{{ pupil }}'s view on the development plan was recorded.",
        ),
    ),
    "development_plan.evaluated": notice(
        (
            "Ontwikkelingsperspectiefplan geëvalueerd ({{ reference }})",
            "Het ontwikkelingsperspectiefplan van {{ pupil }} is geëvalueerd.",
        ),
        (
            "Development plan evaluated ({{ reference }})",
            "{{ pupil }}'s development plan was evaluated.",
        ),
    ),
    "development_plan.evaluation_scheduled": notice(
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
    "development_plan.evaluation_rescheduled": notice(
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
    "intervention.evaluated": notice(
        (
            "Interventie geëvalueerd ({{ reference }})",
            "De interventie voor {{ pupil }} is geëvalueerd.",
        ),
        (
            "Intervention evaluated ({{ reference }})",
            "The intervention for {{ pupil }} was evaluated.",
        ),
    ),
    "referral.requested": notice(
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
    "referral.admission_statement_recorded": notice(
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
    "support_profile.published": notice(
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
    "pupil.enrolled": notice(
        ("Nieuwe leerling ingeschreven", "Er is een nieuwe leerling ingeschreven."),
        ("New pupil enrolled", "A new pupil was enrolled."),
    ),
    "school.registered": notice(
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
