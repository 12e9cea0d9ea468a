"""The policy form's "Voorbeeld" button on the web's policy page (once the console's): the form as
typed is simulated by the notifications API (what it would send in the next 30 days for the dates
scheduled now) and shown under the form, with the same validation, scope and CSRF as saving, and
nothing is saved.

Today is Thursday 15 October 2026. School A1 (region noord, herfstvakantie 17-25 October) has an
intervention to evaluate by Monday 2 November."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.notifications.helpers import bearer, rows
from tests.integration.notifications.test_api import policy_count
from tests.integration.notifications.web_pages import page, switch_language
from tests.support.api_flows import open_case, start_intervention

NEW = "/beheer/berichten/nieuw"
SIMULATE = "/beheer/berichten/voorbeeld"
BUTTON = f'formaction="{SIMULATE}"'


def api_get(notifications_client, world, who: str, path: str) -> Any:
    response = notifications_client.get(path, headers=bearer(world.tokens[who]))
    assert response.status_code == 200, response.json
    return response.json


def form(**changes: str) -> dict[str, Any]:
    values: dict[str, Any] = {
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
def console(web, world):
    case = open_case(world, "a1")
    start_intervention(world, case["id"])  # evaluate by Monday 2 November
    web.login("admin_a")
    return web


def test_voorbeeld_shows_what_the_form_would_send_and_saves_nothing(
    console, world, notifications, notifications_client
):
    new = page(console.get(NEW))
    assert BUTTON in new and ">Voorbeeld</button>" in new
    count, planned = policy_count(notifications), rows(notifications)

    shown = console.post(SIMULATE, form(), NEW)
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
    listed = api_get(notifications_client, world, "admin_a", "/api/v1/policies/")
    assert "ib_herinnering" not in {p["key"] for p in listed}

    switch_language(console, "en")
    english = console.post(SIMULATE, form(), NEW)
    assert "Preview: what it would send" in page(english)


def test_voorbeeld_checks_the_form_as_saving_does(console, notifications):
    no_csrf = console.client.post(SIMULATE, data=form())
    assert no_csrf.status_code == 400 and "Formulier verlopen" in page(no_csrf)

    refused = console.post(SIMULATE, form(lead_times_days="7, x"), NEW)
    assert refused.status_code == 422
    assert "Vul hele getallen in, gescheiden door komma" in page(refused)
    assert 'id="simulation"' not in page(refused)
    nobody = form()
    del nobody["channels.coordinator"]
    domain = console.post(SIMULATE, nobody, NEW)
    assert domain.status_code == 422 and "Kies minstens één ontvanger met een kanaal" in page(
        domain
    )

    # A draft that would send nothing says so, and what it leaves out.
    news = console.post(SIMULATE, form(lead_times_days="", key="nieuws"), NEW)
    assert news.status_code == 200
    assert "geen herinneringen" in page(news) and 'id="simulation-not-simulated"' in page(news)


def test_voorbeeld_of_a_saved_policy_changes_nothing(console, world, notifications_client):
    listed = api_get(notifications_client, world, "admin_a", "/api/v1/policies/")
    [saved] = [p for p in listed if p["key"] == "intervention_evaluation"]  # 7 and 0 days
    edit = f"/beheer/berichten/{saved['id']}/wijzigen"
    simulate = f"/beheer/berichten/{saved['id']}/voorbeeld"
    assert f'formaction="{simulate}"' in page(console.get(edit))
    changed = form(key="intervention_evaluation", name="Anders", lead_times_days="1")
    shown = console.post(simulate, changed, edit)
    body = page(shown)
    assert shown.status_code == 200, body
    # 1 day before Monday 2 November is a Sunday: deferred to Monday, the date itself.
    assert "02-11-2026 08:00" in body and "Herinnering IB" not in body
    again = api_get(notifications_client, world, "admin_a", f"/api/v1/policies/{saved['id']}")
    assert again == saved  # nothing changed

    other = console.post(
        "/beheer/berichten/00000000-0000-4000-8000-000000000000/voorbeeld", changed, edit
    )
    assert other.status_code == 404


def test_only_the_administrator_uses_voorbeeld(web, world):
    web.login("coordinator_a1")
    refused = web.post(SIMULATE, form(), "/beheer/bezorging")
    assert refused.status_code == 404  # not offered to the role (the API says 403 too)
