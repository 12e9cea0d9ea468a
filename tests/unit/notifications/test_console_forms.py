"""The console's plain parts: the policy form to the API's input and back, problems per field, and
the catalogue (every text the templates ask for exists in both languages)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from uuid import uuid4

from werkzeug.datastructures import MultiDict

from services.notifications.api.schemas import PolicyInSchema
from services.notifications.console import catalogue, forms
from services.notifications.console.deliveries import STATUSES
from services.notifications.domain.policy import PERSONAL_CHANNELS, ROLES, Policy
from shared.events import CATALOG

TEMPLATES = (
    Path(__file__).resolve().parents[3]
    / "services"
    / "notifications"
    / "console"
    / "templates"
    / "console"
)


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
    values = forms.policy_values(policy)
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


def test_the_api_messages_read_as_dutch() -> None:
    assert catalogue.message("Unknown event type 'foo.bar'.", "nl") == (
        "Onbekende gebeurtenis 'foo.bar'."
    )
    assert catalogue.message("Give 'guardian' a channel.", "nl") == "Geef 'guardian' een kanaal."
    assert catalogue.message("Not a valid integer.", "en") == "Not a valid integer."
    assert catalogue.message("Something new.", "nl") == "Something new."


def test_every_text_a_template_asks_for_exists_and_every_event_has_a_label() -> None:
    asked = set()
    for template in TEMPLATES.glob("*.html"):
        asked |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", template.read_text()))
    assert asked, "no t(...) calls found"
    # Keys built in a template ("role." ~ role) end in a dot: each value they take needs a text.
    built = {
        "role.": [*ROLES, "admin"],
        "channel.": [*PERSONAL_CHANNELS, "group"],
        "status.": STATUSES,
        "form.delivery.": ["immediate", "digest"],
        "login.": ["failed", "too_many", "unavailable", "not_for_role"],
    }
    assert {k for k in asked if k.endswith(".")} == set(built)
    asked = {k for k in asked if not k.endswith(".")}
    asked |= {prefix + value for prefix, values in built.items() for value in values}
    assert asked - set(catalogue.TEXTS) == set()
    assert set(CATALOG) - set(catalogue.EVENT_LABELS) == set()
    for key, (dutch, english) in catalogue.TEXTS.items():
        assert dutch and english, key
