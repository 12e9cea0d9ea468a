"""The policy form's "Voorbeeld" button in the console: the form as typed is simulated (what it
would send in the next 30 days for the dates scheduled now) and shown under the form, with the
same validation, scope and CSRF as saving, and nothing is saved.

Today is Thursday 15 October 2026. School A1 (region noord, herfstvakantie 17-25 October) has an
intervention to evaluate by Monday 2 November."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.notifications.helpers import rows
from tests.integration.notifications.test_api import policy_count
from tests.integration.notifications.test_console import api_get, csrf, log_in, page
from tests.support.api_flows import open_case, start_intervention

BUTTON = 'formaction="/console/policies/simulate"'


def form(token: str, **changes: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "csrf_token": token,
        "key": "ib_herinnering",
        "name": "Herinnering IB'er",
        "event_types": "intervention.started",
        "channels.coordinator": "email",
        "lead_times_days": "14, 3, 0",
        "send_hour": "8",
        "quiet_start": "20:00",
        "quiet_end": "07:00",
        "delivery": "immediate",
        "skip_weekends": "on",
        "skip_holidays": "on",
        "enabled": "on",
    }
    values.update(changes)
    return values


@pytest.fixture
def console(notifications_client, world):
    case = open_case(world, "a1")
    start_intervention(world, case["id"])  # evaluate by Monday 2 November
    assert log_in(notifications_client, "admin@a.test").status_code == 302
    return notifications_client


def test_voorbeeld_shows_what_the_form_would_send_and_saves_nothing(console, world, notifications):
    new = page(console.get("/console/policies/new"))
    assert BUTTON in new and ">Voorbeeld</button>" in new
    token = csrf(console, "/console/policies/new")
    count, planned = policy_count(notifications), rows(notifications)

    shown = console.post("/console/policies/simulate", data=form(token))
    body = page(shown)
    assert shown.status_code == 200, body
    assert "Voorbeeld: wat dit beleid zou versturen" in body
    assert "komende 30 dagen" in body and "Er is niets opgeslagen" in body
    # 14 days ahead is 19 October, in the herfstvakantie: Monday 26 October; then 30 October
    # (3 days) and 2 November (0 days), each to the coordinator by e-mail at School A1.
    messages = body[body.index('id="simulation-messages"') :]
    found = [
        m for m in ("26-10-2026 08:00", "30-10-2026 08:00", "02-11-2026 08:00") if m in messages
    ]
    assert found == ["26-10-2026 08:00", "30-10-2026 08:00", "02-11-2026 08:00"]
    assert messages.count("Interventie gestart (herinnering)") == 3
    assert messages.count("School A1") == 3 and messages.count("intern begeleider") == 3
    assert 'value="ib_herinnering"' in body and 'value="14, 3, 0"' in body  # the form, as typed
    assert "@" not in messages

    assert policy_count(notifications) == count and rows(notifications) == planned
    listed = api_get(console, world, "admin_a", "/api/v1/policies/")
    assert "ib_herinnering" not in {p["key"] for p in listed}

    english = console.post("/console/policies/simulate?lang=en", data=form(token))
    assert "Preview: what it would send" in page(english)


def test_voorbeeld_checks_the_form_as_saving_does(console, notifications):
    token = csrf(console, "/console/policies/new")
    no_csrf = console.post("/console/policies/simulate", data=form(""))
    assert no_csrf.status_code == 400 and "Het formulier is verlopen" in page(no_csrf)

    refused = console.post("/console/policies/simulate", data=form(token, lead_times_days="7, x"))
    assert refused.status_code == 422
    assert "Vul hele getallen in, gescheiden door komma" in page(refused)
    assert 'id="simulation"' not in page(refused)
    nobody = form(token)
    del nobody["channels.coordinator"]
    domain = console.post("/console/policies/simulate", data=nobody)
    assert domain.status_code == 422 and "Kies minstens één ontvanger met een kanaal" in page(
        domain
    )

    # A draft that would send nothing says so, and what it leaves out.
    news = console.post(
        "/console/policies/simulate", data=form(token, lead_times_days="", key="nieuws")
    )
    assert news.status_code == 200
    assert "geen herinneringen" in page(news) and 'id="simulation-not-simulated"' in page(news)


def test_voorbeeld_of_a_saved_policy_changes_nothing(console, world, notifications):
    listed = api_get(console, world, "admin_a", "/api/v1/policies/")
    [saved] = [p for p in listed if p["key"] == "intervention_evaluation"]  # 7 and 0 days
    edit = f"/console/policies/{saved['id']}/edit"
    assert f'formaction="/console/policies/{saved["id"]}/simulate"' in page(console.get(edit))
    token = csrf(console, edit)
    changed = form(token, key="intervention_evaluation", name="Anders", lead_times_days="1")
    shown = console.post(f"/console/policies/{saved['id']}/simulate", data=changed)
    body = page(shown)
    assert shown.status_code == 200, body
    # 1 day before Monday 2 November is a Sunday: deferred to Monday, the date itself.
    assert "02-11-2026 08:00" in body and "Herinnering IB" not in body
    again = api_get(console, world, "admin_a", f"/api/v1/policies/{saved['id']}")
    assert again == saved  # nothing changed

    other = console.post(
        "/console/policies/00000000-0000-4000-8000-000000000000/simulate", data=changed
    )
    assert other.status_code == 404


def test_only_the_administrator_uses_voorbeeld(notifications_client, world):
    client = notifications_client
    assert log_in(client, "coordinator_a1@test.nl").status_code == 302
    token = csrf(client, "/console/deliveries")
    refused = client.post("/console/policies/simulate", data=form(token))
    assert refused.status_code == 403 and "U mag dit niet doen" in page(refused)
