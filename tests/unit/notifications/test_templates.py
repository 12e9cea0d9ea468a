"""Message templates: Dutch and English, long dates, neutral group text, and every default template
renders under StrictUndefined with the context the planner really gives it."""

from __future__ import annotations

import re

import pytest

from services.notifications.domain import tlv
from services.notifications.domain.planning import plan_event
from services.notifications.domain.policy import (
    DEADLINE_EVENTS,
    DUE_DATE_FIELD,
    MEETING_START_FIELD,
    OVERDUE_EVENTS,
    Policy,
)
from services.notifications.domain.template_keys import template_event
from services.notifications.domain.templates import (
    DEFAULTS,
    check_override,
    check_template,
    long_date,
    message_variables,
    render,
)
from shared.errors import RuleViolation
from shared.events import CATALOG
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    COORDINATOR,
    DOMAIN,
    GUARDIAN,
    NO_HOLIDAYS,
    PARTNERSHIP,
    PUPIL_NAME,
    SCHOOL_NAME,
    audience,
    envelope,
)

GUARDIAN_CONTEXT = {
    "reference": "c0ffee00",
    "due_on": "2026-10-15",
    "school": SCHOOL_NAME,
    "recipient_name": "Ouder Jansen",
    "pupil": PUPIL_NAME,
}


@pytest.mark.parametrize(
    ("iso", "language", "text"),
    [
        ("2026-10-15", "nl", "15 oktober 2026"),
        ("2026-10-15", "en", "15 October 2026"),
        ("2027-03-01", "nl", "1 maart 2027"),
        ("2026-12-31", "en", "31 December 2026"),
    ],
)
def test_dates_are_written_out(iso, language, text):
    assert long_date(iso, language) == text


def test_a_dutch_reminder_for_a_parent():
    message = render("development_plan.evaluation_scheduled.lead", "nl", GUARDIAN_CONTEXT)
    assert message.subject == "Evaluatiegesprek op 15 oktober 2026"
    assert message.body.startswith("Beste Ouder Jansen,\n\n")
    assert "Op 15 oktober 2026 evalueren we het ontwikkelingsperspectiefplan van Emma." in (
        message.body
    )
    assert message.body.rstrip().endswith(f"Met vriendelijke groet,\n{SCHOOL_NAME}")
    assert "2026-10-15" not in message.subject + message.body


def test_an_english_reminder_for_a_parent():
    message = render("development_plan.evaluation_scheduled.lead", "en", GUARDIAN_CONTEXT)
    assert message.subject == "Evaluation meeting on 15 October 2026"
    assert message.body.startswith("Dear Ouder Jansen,\n\n")
    assert "On 15 October 2026 we will evaluate Emma's development plan." in message.body
    assert "Kind regards" in message.body


def test_an_unsupported_language_falls_back_to_dutch():
    message = render("development_plan.evaluation_scheduled.lead", "de", GUARDIAN_CONTEXT)
    assert message.subject == "Evaluatiegesprek op 15 oktober 2026"


def test_the_domain_is_shown_by_its_label_in_the_readers_language():
    context = {
        **GUARDIAN_CONTEXT,
        "starts_on": "2026-10-12",
        "evaluate_by": "2026-11-30",
        "domain": DOMAIN,
    }
    nl = render("intervention.started", "nl", context)
    en = render("intervention.started", "en", context)
    assert nl.subject == "Ondersteuning gestart voor Emma"
    assert "op 12 oktober 2026 extra begeleiding gestart (Leesproblemen en dyslexie)" in nl.body
    assert "uiterlijk 30 november 2026" in nl.body
    assert "(Reading problems and dyslexia)" in en.body and "12 October 2026" in en.body
    assert "reading_dyslexia" not in nl.body + en.body


def test_a_preferences_link_is_added_when_there_is_one():
    url = "https://swv.test/voorkeuren/abc"
    message = render(
        "development_plan.evaluation_scheduled.lead",
        "nl",
        {**GUARDIAN_CONTEXT, "preferences_url": url},
    )
    assert f"Uw berichtinstellingen:\n{url}" in message.body
    assert (
        "berichtinstellingen"
        not in render("development_plan.evaluation_scheduled.lead", "nl", GUARDIAN_CONTEXT).body
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_group_text_is_neutral_whatever_the_context_holds(language):
    context = {**GUARDIAN_CONTEXT, "domain": DOMAIN, "link": "https://swv.test/c/c0ffee00"}
    message = render("intervention.started", language, context, group=True)
    text = message.subject + message.body
    assert "c0ffee00" in message.subject and "https://swv.test/c/c0ffee00" in message.body
    for private in (PUPIL_NAME, SCHOOL_NAME, "Ouder Jansen", DOMAIN, "dyslexie", "dyslexia"):
        assert private not in text


def test_an_override_replaces_the_default_for_its_language():
    overrides = {
        "development_plan.evaluation_scheduled.lead": {
            "nl": ("Gesprek {{ due_on }}", "Tot {{ due_on }}!"),
        }
    }
    template = "development_plan.evaluation_scheduled.lead"
    nl = render(template, "nl", GUARDIAN_CONTEXT, overrides=overrides)
    assert nl.subject == "Gesprek 15 oktober 2026" and "Tot 15 oktober 2026!" in nl.body
    assert "ontwikkelingsperspectiefplan" not in nl.body


def test_a_template_that_does_not_compile_is_refused():
    with pytest.raises(RuleViolation) as caught:
        check_template("Beste {{ recipient_name ")
    assert "templates" in caught.value.errors
    check_template("Beste {{ recipient_name }}")


def test_the_sandbox_refuses_to_reach_into_python():
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        render(
            "x",
            "nl",
            {**GUARDIAN_CONTEXT},
            overrides={"x": {"nl": ("{{ reference.__class__.__mro__[1].__subclasses__() }}", "")}},
            strict=True,  # as when the text is saved; at delivery the default text would go out
        )


# -- every default, with the context the planner gives -------------------------------------------


def _policy_for(template: str) -> tuple[str, Policy]:
    """The event type of a template key and a policy that plans exactly that template."""
    event_type = template_event(template)
    assert event_type in DEFAULTS or template in DEFAULTS
    roles = ["guardian", "coordinator"]
    # A deadline's overdue notice and escalation come with its reminders.
    reminder = template.endswith(".lead") or (
        event_type in DEADLINE_EVENTS and template.endswith((".overdue", ".escalation"))
    )
    overdue = event_type in OVERDUE_EVENTS or (event_type in DEADLINE_EVENTS and reminder)
    return event_type, Policy(
        partnership_id=PARTNERSHIP,
        key="k",
        name="n",
        event_types=[event_type],
        recipient_roles=roles,
        channels={r: ["email"] for r in roles},
        lead_times_days=[0] if reminder else [],
        escalate_after_days=7 if overdue else None,
        escalate_to=["director"] if overdue else [],
        group_urls=["json://hooks.example.test/"],
    )


@pytest.mark.parametrize("template", sorted(DEFAULTS))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_default_template_renders_with_a_realistic_context(template, language):
    event_type, policy = _policy_for(template)
    director = COORDINATOR.__class__(**{**COORDINATOR.__dict__, "role": "director"})
    rows = plan_event(
        envelope(event_type), [policy], audience(GUARDIAN, COORDINATOR, director), NO_HOLIDAYS, NOW
    )
    rows = [r for r in rows if r.template == template]
    assert rows, f"nothing planned with {template}"
    for row in rows:
        message = render(row.template, language, row.context, group=row.channel == "group")
        assert message.subject.strip() and message.body.strip()
        assert "None" not in message.subject + message.body, (row.recipient_role, message)
        assert "{{" not in message.subject + message.body
        if row.channel == "group":
            assert PUPIL_NAME not in message.subject + message.body
        else:
            assert SCHOOL_NAME in message.body


def test_an_own_text_that_fails_when_rendered_is_refused_when_saved_and_never_loses_a_message():
    from services.notifications.domain.templates import SAMPLE_CONTEXT, check_override, render

    assert "division by zero" in (check_override("case.opened", "nl", "x", "{{ 1/0 }}") or "")
    assert check_override("report.ready", "nl", "Rapport {{ period_start }}", "Klaar.") is None
    # A text that passed the check but fails on a message's own data: the default text goes out.
    own = {"case.opened": {"nl": ("Start", "{{ (1 / (0 if pupil == 'Daan' else 1)) }}")}}
    message = render("case.opened", "nl", SAMPLE_CONTEXT, overrides=own)
    assert message.subject != "Start" and "Daan" in message.body


@pytest.mark.parametrize("template", sorted(DEFAULTS))
def test_an_own_text_with_every_variable_of_its_message_is_accepted_and_filled_in(template):
    """The validator offers a message exactly what the planner gives it: a text using each
    variable passes the check and, with the real planned context, is sent as written (no
    fallback to the default, nothing empty). A variable of another message is refused."""
    names = sorted(message_variables(template))
    body = " ".join(f"[{n}={{{{ {n} }}}}]" for n in names)
    assert check_override(template, "nl", "Eigen tekst", body) is None
    event_type, policy = _policy_for(template)
    own = {template: {"nl": ("Eigen tekst", body)}}
    policy = Policy(**{**policy.__dict__, "templates": {template: {"nl": ["Eigen tekst", body]}}})
    director = COORDINATOR.__class__(**{**COORDINATOR.__dict__, "role": "director"})
    people = audience(GUARDIAN, COORDINATOR, director)
    rows = plan_event(envelope(event_type), [policy], people, NO_HOLIDAYS, NOW)
    row = next(r for r in rows if r.template == template and r.channel != "group")
    context = {**row.context, "preferences_url": "https://x.test/p", "reports_url": "https://r"}
    context["link"] = "https://w.test/trajecten/x"  # set at delivery (handlers.linked_context)
    from services.notifications.domain.templates import CONSENT_VARIABLES, SAMPLE_CONTEXT

    if template == "development_plan.consent_requested":  # set at delivery from cases' answer
        context |= {name: SAMPLE_CONTEXT[name] for name in CONSENT_VARIABLES}
    if template == tlv.PARENTS_TEMPLATE:  # the letter's page at delivery; a contact may lack one
        context |= {name: SAMPLE_CONTEXT[name] for name in tlv.PARENTS_VARIABLES}
    message = render(template, "nl", context, overrides=own)
    assert message.subject == "Eigen tekst"
    for name in names:
        assert f"[{name}=" in message.body and f"[{name}=None]" not in message.body, name
        assert f"[{name}=]" not in message.body, name
    foreign = {"meeting_at", "period_start", "valid_until", "review_by", "due_on"} - set(names)
    for name in foreign:
        problem = check_override(template, "nl", "x", f"{{{{ {name} }}}}")
        assert problem is not None and problem.startswith(f"'{name}' is not available"), name


# -- issue 11, item 24: no message of any event reads "Melding 1a2b3c4d" -------------------------

# `pupil.anonymised` may be named in a policy but never plans a message: it scrubs the log.
# Events no message is about: an anonymisation, and a partnership's name (no school, no pupil).
SILENT = {"pupil.anonymised", "partnership.registered"}


def _templates_of(event_type: str) -> list[str]:
    """The template keys a policy on this event can plan: the event itself, its reminders before
    a date, its escalation."""
    keys = [event_type]
    if event_type in DUE_DATE_FIELD or event_type in MEETING_START_FIELD:
        keys.append(f"{event_type}.lead")
    if event_type in OVERDUE_EVENTS:
        keys.append(f"{event_type}.escalation")
    if event_type in DEADLINE_EVENTS:
        keys += [f"{event_type}.overdue", f"{event_type}.escalation"]
    if event_type == tlv.DECIDED:
        keys.append(tlv.PARENTS_TEMPLATE)
    return keys


@pytest.mark.parametrize("event_type", sorted(set(CATALOG) - SILENT))
def test_every_event_a_policy_may_name_has_a_readable_default_text(event_type):
    for template in _templates_of(event_type):
        _, policy = _policy_for(template)
        policy.group_urls = []
        director = COORDINATOR.__class__(**{**COORDINATOR.__dict__, "role": "director"})
        people = audience(GUARDIAN, COORDINATOR, director)
        rows = plan_event(envelope(event_type), [policy], people, NO_HOLIDAYS, NOW)
        rows = [r for r in rows if r.template == template]
        assert rows, template
        for language in ("nl", "en"):
            message = render(template, language, rows[0].context)
            assert not re.fullmatch(r"(Melding|Notice|Bericht over traject).*", message.subject)
            assert not re.search(r"(Melding|Notice) [0-9a-f]{8}", message.subject + message.body)
            assert template in DEFAULTS or template.rsplit(".", 1)[0] in DEFAULTS, template


def test_rule6_a_plan_without_an_evaluation_this_school_year_reaches_the_coordinator():
    from services.notifications.domain.policy import default_policies

    event = envelope("development_plan.evaluation_missing", school_year="2026-2027")
    people = audience(GUARDIAN, COORDINATOR)
    rows = plan_event(event, default_policies(PARTNERSHIP), people, NO_HOLIDAYS, NOW)
    assert [(r.policy_key, r.recipient_role) for r in rows] == [
        ("evaluation_missing", "coordinator")
    ]
    message = render(rows[0].template, "nl", rows[0].context)
    assert message.subject.startswith("Nog geen evaluatie van het OPP in schooljaar 2026-2027")
    assert PUPIL_NAME in message.body


def test_a_template_text_is_compiled_once_and_an_edited_text_anew():
    """Issue 15: compiling cost more than rendering, per message. The compiled template is kept
    per source text; a policy's edited text is a new key, so it is never served stale."""
    from services.notifications.domain import templates

    source = "Beste {{ name }}, test-cache-" + __name__
    first = templates._compiled(source)
    assert templates._compiled(source) is first
    assert templates._render(source, {"name": "Jan"}).startswith("Beste Jan")
    edited = templates._compiled(source + " (bewerkt)")
    assert edited is not first
    assert edited.render(name="Jan").endswith("(bewerkt)")
