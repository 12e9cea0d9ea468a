"""The administrators' pages that were the notifications console, now in services/web: policies
(create, edit, switch off, preview, simulation), the delivery log with its filters and the retry of
a dead notification. Each page calls the real notifications API over HTTP with the user's own
token; what the API refuses shows at the field, in Dutch."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import NOW
from tests.integration.notifications.helpers import MAX_ATTEMPTS, bearer, rows
from tests.integration.notifications.test_delivery import deliver_due, guardian_row, started_case
from tests.integration.notifications.web_pages import page, switch_language, text_of
from tests.integration.web.conftest import CSRF

POLICIES = "/beheer/berichten"
LOG = "/beheer/bezorging"


def api_get(notifications_client, world, who: str, path: str):
    response = notifications_client.get(path, headers=bearer(world.tokens[who]))
    assert response.status_code == 200, response.json
    return response.json


def test_the_policies_page_warns_when_the_coming_school_years_holidays_are_missing(
    web, world, notifications
):
    """The shipped file holds 2026-2027: no warning now; from 1 April 2027 the next school
    year's holidays are needed, and the administrator is told what to ask for."""
    web.login("admin_a")
    shown = web.get(POLICIES)
    assert shown.status_code == 200, page(shown)
    assert 'id="holidays-missing"' not in page(shown)
    assert 'aria-current="page">Meldingsbeleid</a>' in page(shown)
    notifications.clock.set(datetime(2027, 4, 1, 8, 0, tzinfo=UTC))
    web.login("admin_a")  # the old token expired
    warned = page(web.get(POLICIES))
    assert 'id="holidays-missing"' in warned
    assert "De schoolvakanties van 2027-2028 zijn nog niet geladen" in warned


def test_the_missing_holidays_endpoint_is_the_administrators(notifications_client, world):
    api = "/api/v1/policies/holidays"
    answer = notifications_client.get(api, headers=bearer(world.tokens["admin_a"]))
    assert answer.status_code == 200 and answer.json == {"missing_school_years": []}
    refused = notifications_client.get(api, headers=bearer(world.tokens["coordinator_a1"]))
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"


def test_the_administrator_creates_edits_and_disables_a_policy(web, world, notifications_client):
    web.login("admin_a")
    form = {
        "key": "Niet Goed",
        "name": "Herinnering IB",
        "lead_times_days": "7, x",
        "send_hour": "8",
        "quiet_start": "20:00",
        "quiet_end": "07:00",
        "delivery": "immediate",
    }
    new = f"{POLICIES}/nieuw"
    refused = web.post(new, form)
    assert refused.status_code == 422
    body = page(refused)
    assert "Er is een probleem" in body and "<title>Fout:" in body
    assert "Vul hele getallen in, gescheiden door komma" in body
    assert 'value="Herinnering IB"' in body  # what was typed stays

    form.update(lead_times_days="7", event_types="intervention.started")
    schema = web.post(new, form)
    assert schema.status_code == 422
    assert "Alleen kleine letters, cijfers en _" in page(schema)  # the API schema's rule, Dutch

    form.update(key="herinnering_ib")
    domain = web.post(new, form)
    assert domain.status_code == 422  # no recipient: the domain's rule, next to the matrix
    assert "Kies minstens één ontvanger met een kanaal" in page(domain)

    form["channels.coordinator"] = "email"
    created = web.post(new, form)
    assert created.status_code == 302, page(created)
    assert "Beleid “Herinnering IB” is opgeslagen." in page(web.get(created.location))
    api = api_get(notifications_client, world, "admin_a", "/api/v1/policies/")
    [policy] = [p for p in api if p["key"] == "herinnering_ib"]
    assert policy["channels"] == {"coordinator": ["email"]} and policy["lead_times_days"] == [7]

    again = web.post(new, form)
    assert again.status_code == 422 and "Deze sleutel is al in gebruik" in page(again)

    edit = f"{POLICIES}/{policy['id']}/wijzigen"
    assert 'value="herinnering_ib"' in page(web.get(edit))
    changed = web.post(edit, {**form, "name": "Herinnering voor de IB'er"})
    assert changed.status_code == 302, page(changed)
    off = web.post(f"{POLICIES}/{policy['id']}/aan-uit", {"enabled": "false"}, POLICIES)
    assert off.status_code == 302
    assert "Beleid “Herinnering voor de IB&#39;er” staat uit." in page(web.get(POLICIES))
    stored = api_get(notifications_client, world, "admin_a", f"/api/v1/policies/{policy['id']}")
    assert stored["name"] == "Herinnering voor de IB'er" and stored["enabled"] is False


def test_english_on_request(web, world):
    web.login("admin_a")
    switch_language(web, "en")
    english = page(web.get(POLICIES))
    assert '<html lang="en" dir="ltr">' in english and "<h1>Notification policies</h1>" in english
    assert "<h1>Delivery log</h1>" in page(web.get(LOG))


def test_preview_shows_what_a_policy_will_send_masked(web, world, pipeline, notifications_client):
    started_case(world, pipeline)
    api = api_get(notifications_client, world, "admin_a", "/api/v1/policies/")
    [evaluation] = [p for p in api if p["key"] == "intervention_evaluation"]
    web.login("admin_a")
    preview = web.get(f"{POLICIES}/{evaluation['id']}/vooruitblik?days=60")
    body = page(preview)
    assert preview.status_code == 200, body
    assert "Interventie gestart (herinnering)" in body
    assert "c***@test.nl" in body and "coordinator_a1@test.nl" not in body


def test_the_simulation_shows_under_the_form_and_saves_nothing(
    web, world, pipeline, notifications_client
):
    started_case(world, pipeline)
    web.login("admin_a")
    form = {
        "key": "proef",
        "name": "Proef",
        "event_types": "intervention.started",
        "lead_times_days": "7",
        "send_hour": "8",
        "quiet_start": "20:00",
        "quiet_end": "07:00",
        "delivery": "immediate",
        "channels.coordinator": "email",
    }
    shown = web.post(f"{POLICIES}/voorbeeld", form, form_page=f"{POLICIES}/nieuw")
    assert shown.status_code == 200, page(shown)
    text = text_of(shown)
    assert "Voorbeeld: wat dit beleid zou versturen" in text
    assert 'id="simulation-messages"' in page(shown) and "intern begeleider" in text
    api = api_get(notifications_client, world, "admin_a", "/api/v1/policies/")
    assert "proef" not in {p["key"] for p in api}


def test_a_dead_notification_is_retried_from_the_log(
    web, world, pipeline, notifications, mail_server, clock
):
    n = notifications
    row = guardian_row(n, started_case(world, pipeline))
    mail_server.stop()
    for _ in range(MAX_ATTEMPTS):
        clock.set(max(NOW, rows(n, id=row["id"])[0]["send_at"]))
        deliver_due(n)
    assert rows(n, id=row["id"])[0]["status"] == "dead"

    web.login("admin_a")
    dead = web.get(f"{LOG}?status=dead")
    body = page(dead)
    assert "<h1>Onbestelbare berichten</h1>" in body and "onbestelbaar" in body
    assert "g***@test.nl" in body and f'id="n-{row["id"]}"' in body
    token = CSRF.search(body).group(1)  # type: ignore[union-attr]

    retry = f"{LOG}/{row['id']}/opnieuw"
    no_csrf = web.client.post(retry)
    assert no_csrf.status_code == 400 and rows(n, id=row["id"])[0]["status"] == "dead"
    retried = web.client.post(retry, data={"csrf_token": token, "back": f"{LOG}?status=dead"})
    assert retried.status_code == 302 and retried.location.endswith("status=dead")
    assert rows(n, id=row["id"])[0]["status"] == "planned"
    assert "Het bericht staat opnieuw in de wachtrij." in page(web.get(retried.location))
    elsewhere = web.client.post(retry, data={"csrf_token": token, "back": "https://evil.test/"})
    assert elsewhere.location == LOG  # never anywhere else
    mail_server.start()
    assert deliver_due(n) == {row["id"]: "sent"}


def test_coordinators_see_their_own_school_and_manage_no_policies(
    web, world, pipeline, notifications
):
    started_case(world, pipeline)  # pupil a1, school A1
    [row] = [r for r in rows(notifications) if r["recipient_role"] == "guardian"]
    web.login("coordinator_a2")
    assert web.get(POLICIES).status_code == 404
    nav = page(web.get(LOG))
    assert "g***@test.nl" not in nav
    assert f'href="{LOG}"' in nav and f'href="{POLICIES}"' not in nav
    other = web.post(f"{LOG}/{row['id']}/opnieuw", {}, LOG)
    assert other.status_code == 404  # another school's: the API's 404

    web.post("/uitloggen", {}, LOG)
    web.login("coordinator_a1")
    assert "g***@test.nl" in page(web.get(LOG))
    web.post("/uitloggen", {}, LOG)
    web.login("teacher_a1")
    assert web.get(LOG).status_code == 404 and web.get(POLICIES).status_code == 404


def test_the_delivery_log_filters_by_a_period_and_pages(web, world, pipeline, notifications):
    started_case(world, pipeline)
    planned = rows(notifications)
    on_the_15th = [r for r in planned if r["send_at"].date().isoformat() == "2026-10-15"]
    assert 0 < len(on_the_15th) < len(planned)
    web.login("admin_a")
    shown = web.get(f"{LOG}?from=2026-10-15&to=2026-10-15")
    assert f"Aantal berichten: {len(on_the_15th)}" in page(shown)
    assert 'id="from" name="from" type="date" value="2026-10-15"' in page(shown)
    created = web.get(f"{LOG}?from=2026-10-15&to=2026-10-15&date_field=created_at")
    assert f"Aantal berichten: {len(planned)}" in page(created)
    refused = web.get(f"{LOG}?from=2026-10-16&to=2026-10-15")
    assert refused.status_code == 200
    assert "Mag niet voor de begindatum liggen." in page(refused)
    assert 'aria-invalid="true" aria-describedby="err-to"' in page(refused)
    assert f"Aantal berichten: {len(planned)}" in page(refused)  # the log unfiltered
    beyond = web.get(f"{LOG}?page=99")
    assert beyond.status_code == 200 and "Geen berichten gevonden" in text_of(beyond)
