"""The console's second half (issue 6), now web pages (services/web): the evaluations per school
and the calendar subscription through the cases API (/evaluaties), the report schedules and
downloads through the reports API (/beheer/rapporten), every service served over real HTTP in a
thread and asked with the signed-in user's own token; the delivery log API's period filter; and
the preference link of the messages, which stays on the notifications service.

The cases story is test_calendar's: school A1 has pupil a1's intervention (2 November) and an
evaluation meeting (30 November 14:00), the teacher's pupil Fenna (10 November); school A2 an
intervention overdue since 12 October. The reports service reads the same events from the stream
(its own consumer group), as in production."""

from __future__ import annotations

import re
from html import unescape

import pytest
import requests

from services.cases.adapters.relay import relay_once
from services.reports.__main__ import consumer as reports_consumer
from services.reports.bootstrap import Container as ReportsContainer
from shared.streams import StreamPublisher
from tests.conftest import ROOT
from tests.integration.cases.test_calendar import story  # noqa: F401  (the fixture)
from tests.integration.notifications.helpers import bearer, rows
from tests.integration.notifications.test_delivery import started_case
from tests.integration.notifications.web_pages import page, switch_language, text_of
from tests.integration.web.conftest import Browser
from tests.support.api_flows import call_ok, open_case, register_pupil, start_intervention
from tests.support.world import PASSWORD

REPORTS_MIGRATIONS = ROOT / "services" / "reports" / "migrations"
SCHEDULES = "/api/v1/reports/schedules"
FEED_URL = re.compile(r'id="feed-url" type="text" readonly value="([^"]+)"')


# -- the reports service reads the events ---------------------------------------------------------


def project_into_reports(cases, reports: ReportsContainer, stream: str) -> int:
    """The cases relay publishes the outbox; the reports consumer (its own group) projects it."""
    publisher = StreamPublisher(cases.redis, stream)
    while relay_once(cases.sessions, publisher, cases.clock):
        pass
    live = reports_consumer(reports, claim_idle_ms=0, block_ms=10)
    live.ensure_group()
    handled = 0
    while count := live.run_once():
        handled += count
    return handled


@pytest.fixture
def reports_know_the_schools(container, world, reports, stream_name) -> None:
    assert project_into_reports(container, reports, stream_name) > 0


def logged_in(browser: Browser, who: str) -> Browser:
    browser.login(who)
    return browser


def log_out(browser: Browser) -> None:
    browser.post("/uitloggen", {}, "/evaluaties")


# -- evaluations ---------------------------------------------------------------------------------


def test_the_coordinator_sees_the_schools_evaluations_by_week_in_dutch(
    web,
    world,
    story,  # noqa: F811
):
    client = logged_in(web, "coordinator_a1")
    response = client.get("/evaluaties")
    assert response.status_code == 200, page(response)
    body, text = page(response), text_of(response)
    assert '<html lang="nl" dir="ltr">' in body and "<h1>Evaluaties</h1>" in body
    assert 'aria-current="page">Evaluaties</a>' in body
    assert 'value="2026-10-15"' in body and 'value="2026-12-10"' in body  # the next 8 weeks
    # Week 45 holds the intervention of 2 November (Monday); week 49 the meeting and its time.
    assert "Week 45 2 november 2026 – 8 november 2026" in text
    assert "maandag 2 november 2026 Evaluatie interventie Kind a1 T." in text
    assert "dinsdag 10 november 2026 Evaluatie interventie Fenna J." in text
    assert "maandag 30 november 2026, 14:00–14:45 Evaluatiegesprek OPP Kind a1 T." in text
    assert "Geen evaluaties deze week." in text  # e.g. week 43
    assert "Te laat" not in text  # nothing overdue at school A1

    later = client.get("/evaluaties?from=2027-01-01&to=2027-03-31")
    assert "maandag 1 maart 2027 Evaluatie OPP Kind a1 T." in text_of(later)
    assert "Kind a1 T." in text_of(later) and "2 november" not in text_of(later)

    switch_language(client, "en")
    english = client.get("/evaluaties")
    assert "Monday 30 November 2026, 14:00–14:45 Development plan evaluation meeting" in (
        text_of(english)
    )


def test_overdue_evaluations_are_marked_and_other_schools_are_refused_politely(
    web,
    world,
    story,  # noqa: F811
):
    client = logged_in(web, "coordinator_a2")
    own = client.get("/evaluaties")
    text = text_of(own)
    assert own.status_code == 200
    assert "Te laat" in text and "maandag 12 oktober 2026 Evaluatie interventie Kind a2 T." in text
    assert "te laat uiterlijk 12 oktober 2026" in text
    assert "Kind a1 T." not in text

    other = client.get(f"/evaluaties?school_id={world.school_a1}")
    assert other.status_code == 403
    assert "U mag dit niet doen met uw account." in page(other) and "Kind a1" not in page(other)
    elsewhere = client.get(f"/evaluaties?school_id={world.school_b1}")
    assert elsewhere.status_code == 404 and "hoort niet bij uw account" in page(elsewhere)
    nonsense = client.get("/evaluaties?school_id=../../me/calendar-feed")
    assert nonsense.status_code == 404


def test_a_teacher_sees_only_their_own_pupils(
    web,
    world,
    story,  # noqa: F811
):
    body = {
        "role": "teacher",
        "email": "teacher2_a1@test.nl",
        "name": "Tweede leerkracht",
        "password": PASSWORD,
        "school_id": str(world.school_a1),
    }
    second = call_ok(world, "admin_a", "POST", "/api/v1/users", 201, json=body)
    register_pupil(world, "Bram", staff=[{"user_id": second["id"], "role": "teacher"}])
    bram_case = open_case(world, "Bram")
    start_intervention(world, bram_case["id"], starts_on="2026-10-01", evaluate_by="2026-11-20")

    client = logged_in(web, "teacher_a1")
    mine = text_of(client.get("/evaluaties"))
    assert "Fenna J." in mine
    assert "Bram T." not in mine and "Kind a1 T." not in mine
    nav = page(client.get("/evaluaties"))
    assert "/beheer/bezorging" not in nav and "/beheer/rapporten" not in nav
    assert client.get("/beheer/bezorging").status_code == 404  # not offered to a teacher
    refused = client.get("/beheer/rapporten")
    assert refused.status_code == 404  # not offered to a teacher

    log_out(client)
    client = logged_in(client, "teacher2_a1")
    theirs = text_of(client.get("/evaluaties"))
    assert "vrijdag 20 november 2026 Evaluatie interventie Bram T." in theirs
    assert "Fenna J." not in theirs and "Kind a1 T." not in theirs


def test_the_calendar_feed_is_made_shown_once_works_and_is_revoked(
    web,
    world,
    story,  # noqa: F811
):
    client = logged_in(web, "coordinator_a1")
    token = client.csrf("/evaluaties")
    assert client.client.post("/evaluaties/agenda").status_code == 400  # no CSRF token

    made = client.client.post("/evaluaties/agenda", data={"csrf_token": token})
    assert made.status_code == 200, page(made)
    found = FEED_URL.search(page(made))
    assert found, page(made)
    url = unescape(found.group(1))
    text = text_of(made)
    assert "Abonneren vanaf internet" in text and "Via URL" in text  # Outlook and Google
    assert "Hij wordt maar één keer getoond" in text
    assert f'href="webcal://{url.split("://", 1)[1]}"' in unescape(page(made))
    assert url not in page(client.get("/evaluaties"))  # shown once, not kept

    feed = requests.get(url, timeout=10)
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text and "Evaluatiegesprek OPP" in feed.text
    assert "Kind a1" not in feed.text  # a feed names no pupil

    renewed = client.client.post("/evaluaties/agenda", data={"csrf_token": token})
    new_url = unescape(FEED_URL.search(page(renewed)).group(1))  # type: ignore[union-attr]
    assert new_url != url and requests.get(url, timeout=10).status_code == 404

    revoked = client.client.post("/evaluaties/agenda/stoppen", data={"csrf_token": token})
    assert revoked.status_code == 302
    assert "Het agenda-abonnement is opgeheven" in page(client.get(revoked.location))
    assert requests.get(new_url, timeout=10).status_code == 404


# -- reports -------------------------------------------------------------------------------------


def test_the_administrator_sees_and_changes_the_schedules(
    web_with_reports, world, reports_know_the_schools, reports_server
):
    client = logged_in(web_with_reports, "admin_a")
    shown = client.get("/beheer/rapporten")
    assert shown.status_code == 200, page(shown)
    text = text_of(shown)
    assert "<h1>Rapportages</h1>" in page(shown)
    assert "Niet gekozen: de instelling van de dienst geldt (kwartaal, schooljaar)." in text
    assert "School A1 geen eigen schema kwartaal, schooljaar (instelling van de dienst)" in text
    assert "School B1" not in text  # another partnership's

    token = client.csrf("/beheer/rapporten")
    saved = client.client.post(
        "/beheer/rapporten/schema/samenwerkingsverband",
        data={"csrf_token": token, "kinds": "month"},
    )
    assert saved.status_code == 302
    after = text_of(client.get(saved.location))
    assert "De standaard van het samenwerkingsverband is opgeslagen." in after
    assert "School A2 geen eigen schema maand (standaard van het samenwerkingsverband)" in after

    school = f"/beheer/rapporten/schema/scholen/{world.school_a1}"
    client.client.post(school, data={"csrf_token": token, "kinds": ["quarter", "school_year"]})
    api = requests.get(
        reports_server.url + SCHEDULES, headers=bearer(world.tokens["admin_a"]), timeout=10
    ).json()
    effective = {s["school_id"]: s["effective"] for s in api["schools"]}
    assert effective[str(world.school_a1)] == {
        "kinds": ["quarter", "school_year"],
        "source": "school",
    }
    assert effective[str(world.school_a2)] == {"kinds": ["month"], "source": "partnership"}
    reset = client.client.post(school, data={"csrf_token": token, "action": "reset"})
    assert "School A1 volgt weer de standaard." in text_of(client.get(reset.location))


def test_a_coordinator_changes_their_own_schools_schedule_only(
    web_with_reports, world, reports_know_the_schools, reports_server
):
    client = logged_in(web_with_reports, "coordinator_a1")
    shown = text_of(client.get("/beheer/rapporten"))
    assert "School A1" in shown and "School A2" not in shown
    token = client.csrf("/beheer/rapporten")
    default = client.client.post(
        "/beheer/rapporten/schema/samenwerkingsverband",
        data={"csrf_token": token, "kinds": "month"},
    )
    assert default.status_code == 403  # the API's answer, as a page
    assert "U mag dit niet doen met uw account." in page(default)

    other = client.client.post(
        f"/beheer/rapporten/schema/scholen/{world.school_a2}",
        data={"csrf_token": token, "kinds": "month"},
    )
    assert other.status_code == 404
    assert "Deze school of dit gegeven hoort niet bij uw account." in page(other)
    assert "<h1>Rapportages</h1>" in page(other)  # the page again, with the message
    own = client.client.post(
        f"/beheer/rapporten/schema/scholen/{world.school_a1}",
        data={"csrf_token": token, "kinds": "month"},
    )
    assert "Het rapportageschema van School A1 is opgeslagen." in page(client.get(own.location))
    api = requests.get(
        reports_server.url + SCHEDULES, headers=bearer(world.tokens["admin_a"]), timeout=10
    ).json()
    own_schedules = {s["school_id"]: s["own"] for s in api["schools"]}
    assert own_schedules[str(world.school_a2)] is None  # unchanged
    assert own_schedules[str(world.school_a1)]["kinds"] == ["month"]
    assert api["partnership"] is None


def test_downloads_are_passed_on_with_the_users_token(
    web_with_reports, world, reports_know_the_schools
):
    client = logged_in(web_with_reports, "coordinator_a1")
    listed = page(client.get("/beheer/rapporten"))
    # The last complete month, quarter and school year before 15 October 2026.
    for start, end in (
        ("2026-09-01", "2026-09-30"),
        ("2026-07-01", "2026-09-30"),
        ("2025-08-01", "2026-07-31"),
    ):
        link = (
            f"/beheer/rapporten/download?school_id={world.school_a1}"
            f"&amp;start={start}&amp;end={end}&amp;format=pdf"
        )
        assert link in listed
    assert "Maand: september 2026" in listed and "Schooljaar 2025-2026" in listed
    assert "school_id=partnership" not in listed  # the partnership's report is not theirs

    pdf = client.get(
        f"/beheer/rapporten/download?school_id={world.school_a1}"
        "&start=2026-07-01&end=2026-09-30&format=pdf"
    )
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"] == (
        f'attachment; filename="rapportage-{world.school_a1}-2026-07-01-2026-09-30.pdf"'
    )
    assert pdf.headers["Cache-Control"] == "no-store"
    csv = client.get(
        f"/beheer/rapporten/download?school_id={world.school_a1}"
        "&start=2026-09-01&end=2026-09-30&format=csv"
    )
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data.decode("utf-8-sig").count("\r\n") >= 2  # a header and rows, semicolons (nl)
    assert ";" in csv.data.decode("utf-8-sig")

    other = client.get(
        f"/beheer/rapporten/download?school_id={world.school_a2}"
        "&start=2026-07-01&end=2026-09-30&format=pdf"
    )
    assert other.status_code == 404 and not other.data.startswith(b"%PDF")
    assert "hoort niet bij uw account" in page(other)
    backwards = client.get(
        f"/beheer/rapporten/download?school_id={world.school_a1}"
        "&start=2026-09-30&end=2026-07-01&format=pdf"
    )
    assert backwards.status_code == 422
    assert "Mag niet voor de begindatum liggen." in page(backwards)

    log_out(client)
    admin = logged_in(client, "admin_a")
    whole = admin.get(
        "/beheer/rapporten/download?school_id=partnership&start=2026-07-01&end=2026-09-30"
        "&format=xlsx"
    )
    assert whole.status_code == 200 and whole.data[:2] == b"PK"  # a zip: the workbook


def test_the_reports_service_being_down_is_said_politely(web_with_reports, world, reports_server):
    reports_server.stop()
    client = logged_in(web_with_reports, "admin_a")
    down = client.get("/beheer/rapporten")
    assert down.status_code == 503
    assert "De rapportagedienst antwoordt nu niet" in page(down)


# -- the delivery log's period, and the preference link ------------------------------------------


def test_the_delivery_log_api_filters_by_a_period_of_send_or_creation_time(
    notifications_client, world, pipeline, notifications
):
    started_case(world, pipeline)
    n = notifications
    planned = rows(n)
    on_the_15th = [r for r in planned if r["send_at"].date().isoformat() == "2026-10-15"]
    assert 0 < len(on_the_15th) < len(planned)
    api = notifications_client
    log = "/api/v1/deliveries/"
    headers = bearer(world.tokens["admin_a"])
    day = api.get(f"{log}?from=2026-10-15&to=2026-10-15", headers=headers).json
    assert day["total"] == len(on_the_15th)
    later = api.get(f"{log}?from=2026-10-16", headers=headers).json
    assert later["total"] == len(planned) - len(on_the_15th)
    created = api.get(f"{log}?from=2026-10-15&to=2026-10-15&date_field=created_at", headers=headers)
    assert created.json["total"] == len(planned)  # every row was made on the 15th
    none = api.get(f"{log}?to=2026-10-14&date_field=created_at", headers=headers).json
    assert none["total"] == 0
    wrong = api.get(f"{log}?from=2026-10-16&to=2026-10-15", headers=headers)
    assert wrong.status_code == 422 and "to" in wrong.json["errors"]
