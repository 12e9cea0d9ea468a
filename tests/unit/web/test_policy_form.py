"""The policy page's plain parts (once the console's): the policy form to the API's input and back
(own message texts included), problems per field, the API's messages in Dutch, and a label for
every event."""

from __future__ import annotations

from datetime import time
from uuid import uuid4

import pytest
from flask import Flask, session
from werkzeug.datastructures import MultiDict

from services.notifications.api.schemas import PolicyInSchema, PolicySchema
from services.notifications.domain import templates
from services.notifications.domain.policy import Policy
from services.web.pages.admin_messages import labels
from services.web.pages.admin_messages import policy_form as forms
from shared.errors import RuleViolation
from shared.events import CATALOG


def test_a_stored_policy_survives_the_form_unchanged() -> None:
    policy = Policy(
        partnership_id=uuid4(),
        key="plan_evaluation",
        name="Evaluatiegesprek OPP",
        event_types=["development_plan.evaluation_scheduled"],
        recipient_roles=["guardian", "coordinator"],
        channels={"guardian": ["email"], "coordinator": ["email", "sms"]},
        lead_times_days=[14, 3, 0],
        send_hour=9,
        quiet_start=time(21, 0),
        quiet_end=None,
        skip_weekends=False,
        school_id=uuid4(),
        escalate_after_days=None,
    )
    values = forms.policy_values(as_sent(policy))
    form = MultiDict(
        [(k, v) for k, v in values.items() if isinstance(v, str)]
        + [("event_types", e) for e in values["event_types"]]
        + [(f"channels.{r}", c) for r, chs in values["channels"].items() for c in chs]
        + [(k, "on") for k in forms.CHECKBOXES if values[k]]
    )
    data, problems = forms.policy_input(forms.submitted_values(form))
    assert problems == {}
    loaded = PolicyInSchema().load(data)
    for field in ("key", "name", "event_types", "channels", "lead_times_days", "send_hour"):
        assert loaded[field] == getattr(policy, field), field
    assert loaded["school_id"] == policy.school_id
    assert (loaded["quiet_start"], loaded["quiet_end"]) == (time(21, 0), None)
    assert (loaded["skip_weekends"], loaded["skip_holidays"], loaded["enabled"]) == (
        False,
        True,
        True,
    )
    assert sorted(loaded["recipient_roles"]) == ["coordinator", "guardian"]


def test_typed_text_that_is_no_number_becomes_a_problem_not_a_crash() -> None:
    values = {**forms.new_values(), "lead_times_days": "14, drie", "send_hour": "acht"}
    data, problems = forms.policy_input(values)
    assert problems == {"lead_times_days": ["Give whole numbers separated by commas."]}
    assert data["send_hour"] == "acht"  # the schema reports it: "Not a valid integer."


def test_problems_land_at_their_form_field() -> None:
    errors = {
        "channels": {"teacher": {"value": {0: ["Must be one of: email, sms."]}}},
        "recipient_roles": ["Name at least one recipient role or group channel."],
        "group_urls.1": ["Apprise cannot use this URL"],
        "templates": ["'x' is not an event of this policy."],
        "_schema": ["Invalid input type."],
    }
    shown = forms.field_errors(errors)
    assert shown["channels"] == [
        "Must be one of: email, sms.",
        "Name at least one recipient role or group channel.",
    ]
    assert shown["group_urls"] == ["Apprise cannot use this URL"]
    assert shown[forms.GENERAL] == ["'x' is not an event of this policy.", "Invalid input type."]


def api_text(message: str, language: str) -> str:
    """labels.api_text as a page in `language` calls it."""
    app = Flask(__name__)
    app.secret_key = "unit"
    with app.test_request_context():
        session["lang"] = language
        return labels.api_text(message)


def as_sent(policy: Policy) -> dict:
    """The policy as the notifications API sends it (its schema's JSON)."""
    return PolicySchema().dump(policy)


def test_the_api_messages_read_as_dutch() -> None:
    assert api_text("Unknown event type 'foo.bar'.", "nl") == "Onbekende gebeurtenis 'foo.bar'."
    assert api_text("Give 'guardian' a channel.", "nl") == "Geef 'guardian' een kanaal."
    assert api_text("Not a valid integer.", "en") == "Not a valid integer."
    assert api_text("Something new.", "nl") == "Something new."


def test_every_event_has_a_label() -> None:
    assert set(CATALOG) - set(labels.EVENTS) == set()  # the web pages' event labels


# -- own message texts ---------------------------------------------------------------------------

LEAD = "intervention.started.lead"
DEFAULT_NL = templates.DEFAULTS[LEAD]["nl"]
DEFAULT_EN = templates.DEFAULTS[LEAD]["en"]


def _policy(**changes: object) -> Policy:
    values: dict = {
        "partnership_id": uuid4(),
        "key": "ib_herinnering",
        "name": "Herinnering IB",
        "event_types": ["intervention.started"],
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
        "lead_times_days": [7],
    }
    values.update(changes)
    return Policy(**values)  # type: ignore[arg-type]


def _as_submitted(values: dict) -> MultiDict:
    """The form a browser sends back for these values: every field the page shows."""
    pairs = [(k, v) for k, v in values.items() if isinstance(v, str)]
    pairs += [("event_types", e) for e in values["event_types"]]
    pairs += [(f"channels.{r}", c) for r, chs in values["channels"].items() for c in chs]
    pairs += [("escalate_to", r) for r in values["escalate_to"]]
    pairs += [(k, "on") for k in forms.CHECKBOXES if values[k]]
    for message in forms.text_forms(values):
        pairs.append((forms.TEXT_KEYS, message["key"]))
        for text in message["languages"]:
            pairs.append((f"{text['field']}.subject", text["subject"]))
            pairs.append((f"{text['field']}.body", text["body"]))
    return MultiDict(pairs)


def test_own_texts_survive_the_form_and_a_part_left_as_default_is_shown_empty() -> None:
    own = {LEAD: {"nl": ["Evaluatie van {{ pupil }} nadert", DEFAULT_NL[1]]}}
    policy = _policy(templates=own)
    values = forms.policy_values(as_sent(policy))
    assert values["texts"][LEAD]["nl"] == {
        "subject": "Evaluatie van {{ pupil }} nadert",
        "body": "",
    }
    assert values["texts"][LEAD]["en"] == {"subject": "", "body": ""}

    [message] = forms.text_forms(values)  # lead times: the reminder is the message it sends
    assert message["key"] == LEAD
    nl, en = message["languages"]
    assert (nl["field"], nl["default_subject"], nl["default_body"]) == (
        "text.intervention.started.lead.nl",
        *DEFAULT_NL,
    )
    assert nl["sample"].subject == "Evaluatie van Daan nadert"  # templates.SAMPLE_CONTEXT
    assert "OBS De Regenboog" in nl["sample"].body and nl["sample_problem"] is None
    assert en["sample"].subject == "Intervention 1a2b3c4d to be evaluated by 29 October 2026"

    data, problems = forms.policy_input(forms.submitted_values(_as_submitted(values)))
    assert problems == {}
    assert PolicyInSchema().load(data)["templates"] == own


def test_an_empty_field_means_the_default_and_typed_texts_become_the_api_templates() -> None:
    values = forms.policy_values(as_sent(_policy()))
    form = _as_submitted(values)
    form.setlist(f"text.{LEAD}.nl.subject", ["Nog een week voor {{ pupil }}\r\n"])
    form.setlist(f"text.{LEAD}.en.body", ["Line one\r\nLine two"])
    data, problems = forms.policy_input(forms.submitted_values(form))
    assert problems == {}
    assert data["templates"] == {
        LEAD: {
            "nl": ["Nog een week voor {{ pupil }}", DEFAULT_NL[1]],
            "en": [DEFAULT_EN[0], "Line one\nLine two"],
        }
    }
    assert forms.policy_input(forms.submitted_values(_as_submitted(values)))[0]["templates"] == {}


def test_the_messages_shown_follow_lead_times_escalation_and_the_stored_texts() -> None:
    values = {**forms.new_values(), "event_types": ["intervention.started", "case.opened"]}
    assert forms.message_keys(values) == ["intervention.started", "case.opened"]
    values["lead_times_days"] = "14, 3"
    assert forms.message_keys(values) == [LEAD, "case.opened"]
    overdue = {
        **forms.new_values(),
        "event_types": ["development_plan.evaluation_overdue"],
        "escalate_after_days": "7",
        "escalate_to": ["director"],
    }
    assert forms.message_keys(overdue) == [
        "development_plan.evaluation_overdue",
        "development_plan.evaluation_overdue.escalation",
    ]
    meetings = {
        **forms.new_values(),
        "event_types": [
            "development_plan.meeting_planned",
            "development_plan.meeting_moved",
            "development_plan.meeting_cancelled",
        ],
    }
    assert forms.message_keys(meetings) == meetings["event_types"]
    # With a lead time a meeting also has its reminder (a cancelled one has none).
    meetings["lead_times_days"] = "1"
    assert forms.message_keys(meetings) == [
        "development_plan.meeting_planned",
        "development_plan.meeting_planned.lead",
        "development_plan.meeting_moved",
        "development_plan.meeting_moved.lead",
        "development_plan.meeting_cancelled",
    ]
    # A deadline (the TLV decision's) has its overdue notice and escalation; a decision that
    # guardians get has their own version of the message.
    deadline = {
        **forms.new_values(),
        "event_types": ["referral.submitted", "referral.decided"],
        "lead_times_days": "7",
        "escalate_after_days": "7",
        "escalate_to": ["admin"],
        "channels": {"consultant": ["email"], "guardian": ["email"]},
    }
    assert forms.message_keys(deadline) == [
        "referral.submitted.lead",
        "referral.submitted.overdue",
        "referral.submitted.escalation",
        "referral.decided",
        "referral.decided.parents",
    ]
    assert "referral.decided.parents" not in forms.message_keys(
        {**deadline, "channels": {"consultant": ["email"]}}
    )
    # A stored text of another message of its events is shown too (and kept); empty ones are not.
    values["texts"] = {
        "intervention.started": {"nl": {"subject": "Gestart", "body": ""}},
        "case.closed": {"nl": {"subject": "", "body": ""}},
    }
    assert forms.message_keys(values) == [LEAD, "case.opened", "intervention.started"]


def test_texts_not_on_the_form_stay_and_those_of_removed_events_are_dropped() -> None:
    stored = {
        LEAD: {"nl": ["Herinnering {{ reference }}", "Tekst voor {{ pupil }}."]},
        "case.opened": {"en": ["Case opened", "A case for {{ pupil }}."]},
        "intervention.started": {"nl": ["Gestart", "Gestart voor {{ pupil }}."]},
    }
    policy = _policy(event_types=["intervention.started", "case.opened"], templates=stored)
    form = _as_submitted(forms.policy_values(as_sent(policy)))
    # The administrator unticks case.opened, clears the Dutch reminder text and does not send
    # the fields of intervention.started (a page without them): it stays as stored.
    form.setlist("event_types", ["intervention.started"])
    form.setlist(f"text.{LEAD}.nl.subject", [""])
    form.setlist(f"text.{LEAD}.nl.body", [""])
    form.setlist(forms.TEXT_KEYS, [LEAD, "case.opened"])
    values = forms.submitted_values(form)
    forms.keep_stored_texts(values, stored)
    data, problems = forms.policy_input(values)
    assert problems == {}
    assert data["templates"] == {"intervention.started": stored["intervention.started"]}
    assert forms.dropped_texts(values) == ["case.opened"]
    loaded = PolicyInSchema().load(data)
    Policy(partnership_id=uuid4(), **loaded).validate(set(CATALOG))  # the API accepts it


@pytest.mark.parametrize(
    ("body", "dutch"),
    [
        (
            "Voor {{ kind }}.",
            "'kind' hoort niet bij dit bericht; wel: domain, domain_label, evaluate_by, ",
        ),
        ("{{ pupil.__class__ }}", "Niet toegestaan in een bericht: '__class__' is afgeschermd."),
        ("Voor {{ pupil }.", "Onverwacht '}': kijk de {{ }} en {% %} in de tekst na."),
        ("{% if pupil %}ja", "De tekst houdt te vroeg op: sluit {% if %} af met {% endif %}"),
        ("{{ 1 / 0 }}", "Kan niet worden ingevuld: division by zero"),
        ("x" * 5001, "Hoogstens 5000 tekens."),
    ],
)
def test_an_invalid_text_is_a_problem_at_its_field_in_dutch(body: str, dutch: str) -> None:
    form = _as_submitted(forms.policy_values(as_sent(_policy())))
    form.setlist(f"text.{LEAD}.en.body", [body])
    values = forms.submitted_values(form)
    _data, problems = forms.policy_input(values)
    [problem] = problems[f"text.{LEAD}.en"]
    assert api_text(problem, "nl").startswith(dutch)
    assert api_text(problem, "en") == problem
    if len(body) <= forms.TEXT_MAX:  # no sample of a text that cannot be made
        [message] = forms.text_forms(values)
        assert message["languages"][1]["sample"] is None
        assert message["languages"][1]["sample_problem"]


def test_the_validators_problem_with_a_text_lands_at_that_text() -> None:
    policy = _policy(templates={LEAD: {"en": ["Hi", "For {{ kind }}."]}, "case.closed": {}})
    with pytest.raises(RuleViolation) as caught:
        policy.validate(set(CATALOG))
    shown = forms.field_errors(caught.value.errors)
    [problem] = shown[f"text.{LEAD}.en"]
    assert problem.startswith("'kind' is not available in this message; it has: domain, ")
    assert shown[forms.GENERAL][0].startswith("'case.closed' is not an event of this policy")


def test_the_variables_listed_are_exactly_what_the_validator_accepts() -> None:
    everything = forms.text_variables()
    assert {"pupil", "school", "reference", "meeting_at", "period_start"} <= set(everything)
    values = {
        **forms.new_values(),
        "event_types": ["intervention.started", "development_plan.meeting_planned"],
        "lead_times_days": "1",
    }
    texts = forms.text_forms(values)
    assert [m["key"] for m in texts] == [
        LEAD,
        "development_plan.meeting_planned",
        "development_plan.meeting_planned.lead",
    ]
    # The page lists the items of the messages shown, and each message its own.
    shown = forms.text_variables([m["key"] for m in texts])
    assert "meeting_at" in shown and "evaluate_by" in shown and "period_start" not in shown
    for message in texts:
        listed = message["variables"]
        assert {"pupil", "school", "reference", "recipient_name"} <= set(listed)
        for name in everything:
            problem = templates.check_override(message["key"], "nl", "x", f"{{{{ {name} }}}}")
            assert (problem is None) == (name in listed), (message["key"], name)
    assert "meeting_at" not in texts[0]["variables"] and "evaluate_by" in texts[0]["variables"]
    for name in ("kind", "address", "region"):
        assert name not in everything
        assert templates.check_override(LEAD, "nl", "x", f"{{{{ {name} }}}}") is not None
