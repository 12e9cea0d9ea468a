"""The console in a real browser: Playwright drives Debian's Chromium (headless) against the
running system of test_notifications.py (cases web + relay; notifications consumer, Celery worker
and beat; a real SMTP server; one clock file) plus the notifications web app under gunicorn, and
the reports service (web + consumer) the console asks for schedules and downloads.

A message to a guardian dies for real (the SMTP server is down and the clock file moves past every
retry), then in the browser the administrator logs in (Dutch), creates a policy, previews it,
opens the dead notifications and retries one, which the SMTP server then receives; opens the
school's evaluations and the reports, and downloads a PDF through the console. Screenshots of
each step go to test-artifacts/console/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from shared.clock import utc_iso
from tests.e2e import test_notifications as system
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, dutch_chromium, start_web
from tests.e2e.test_notifications import GUARDIAN, PASSWORD, Stack, _story_until_plan
from tests.support.accessibility import describe, violations
from tests.support.processes import (
    PYTHON,
    ROOT,
    run_cli,
    service_env,
    start_web_app,
    wait_until,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "test-artifacts" / "console"
stack = system.stack  # the running system's fixture, reused (not a copy)
MAX_ATTEMPTS = 12  # the service's default: about four hours of outage before a message is dead


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium in Dutch (conftest's dutch_chromium), for this test alone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):  # the screenshots show this run only
        old.unlink()
    with dutch_chromium() as chromium:
        yield chromium


@pytest.fixture
def reports_url(stack: Stack, tmp_path: Path) -> str:
    """The reports service: migrated, its consumer projecting the stream, its web app."""
    shared = ("REDIS_URL", "JWT_SECRET", "EVENT_STREAM", "CLOCK_FILE", "CASES_URL")
    env = service_env(
        {
            **{k: v for k, v in stack.env.items() if k in shared},
            "REPORTS_DATABASE_URL": f"sqlite:///{tmp_path / 'reports.db'}",
        }
    )
    run_cli([PYTHON, "-m", "services.reports", "migrate"], env)
    stack.processes.python_module("reports-consumer", "services.reports", ["consume"], env)
    _web, base_url = start_web_app(
        stack.processes, "reports-web", "services.reports.app:create_app()", env
    )
    return base_url


@pytest.fixture
def console_url(stack: Stack, reports_url: str) -> str:
    """The notifications web app (API and console) under gunicorn, on the system's clock, asking
    the reports service at its internal address."""
    _web, base_url = start_web_app(
        stack.processes,
        "notifications-web",
        "services.notifications.app:create_app()",
        {**stack.env, "NOTIFICATIONS_REPORTS_API_URL": reports_url},
    )
    return base_url


def shot(page: Page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _guardian_message_dies(stack: Stack) -> None:
    """The SMTP server is down; move the clock to each planned retry until none is left."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        wait_until(
            lambda: stack.attempts("failed") >= attempt,  # noqa: B023
            timeout=20,
            message=f"failed attempt {attempt}",
        )
        [(_kind, status, send_at)] = stack.guardian_rows()
        if status == "dead":
            return
        retry_at = datetime.fromisoformat(f"{send_at}+00:00") + timedelta(seconds=1)
        stack.cases.set_time(utc_iso(retry_at))
    wait_until(lambda: stack.guardian_rows()[0][1] == "dead", timeout=20, message="dead")


def test_the_console_in_chromium(
    stack: Stack,
    console_url: str,
    reports_url: str,
    browser: Browser,
) -> None:
    stack.mail.stop()
    stack.at(2026, 10, 15, 8)  # Thursday 10:00 in Amsterdam
    ib, _pupil, case = _story_until_plan(stack, date(2026, 11, 5))
    ib.post(
        f"/api/v1/cases/{case['id']}/interventions",
        {
            "domain": "reading_dyslexia",
            "goal": "Leest AVI-E4 vlot.",
            "starts_on": "2026-10-15",
            "evaluate_by": "2026-12-10",
        },
        expect=201,
    )
    _guardian_message_dies(stack)

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    # -- log in, in Dutch, with the keyboard ----------------------------------------------------
    page.goto(f"{console_url}/console/")
    expect(page).to_have_url(re.compile(r"/console/login"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.get_by_label("E-mailadres").fill(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(ADMIN_PASSWORD)
    shot(page, "01-inloggen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingsbeleid")
    expect(page.locator("#policies")).to_contain_text("Start van ondersteuning")
    shot(page, "02-beleid")

    # -- create a policy -------------------------------------------------------------------------
    page.get_by_role("link", name="Nieuw beleid").click()
    page.get_by_label("Naam").fill("Evaluatie interventie: week vooraf aan de IB'er")
    page.get_by_label("Sleutel").fill("evaluatie_week_vooraf")
    page.get_by_label("Interventie gestart intervention.started").check()
    page.get_by_label("intern begeleider: e-mail").check()
    page.get_by_label("Herinneringen, dagen vooraf").fill("7")
    shot(page, "03-nieuw-beleid")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".flash")).to_contain_text("is opgeslagen")
    row = page.locator("#policies tr", has_text="evaluatie_week_vooraf")
    expect(row).to_contain_text("intern begeleider (e-mail)")
    shot(page, "04-beleid-aangemaakt")

    # A new intervention: the policy plans its reminder a week before the evaluation.
    ib = stack.cases.client().login("ib@regenboog.test", PASSWORD)  # the clock moved hours
    ib.post(
        f"/api/v1/cases/{case['id']}/interventions",
        {
            "domain": "math_dyscalculia",
            "goal": "Automatiseert de tafels tot 10.",
            "starts_on": "2026-10-15",
            "evaluate_by": "2026-11-12",
        },
        expect=201,
    )
    stack.settle()

    # -- preview it ------------------------------------------------------------------------------
    row.get_by_role("link", name="Voorbeeld").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorbeeld: Evaluatie")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("05-11-2026 08:00")  # a week before 12 November, 08:00
    expect(preview).to_contain_text("i***@regenboog.test")
    expect(preview).to_contain_text("Interventie gestart (herinnering)")
    shot(page, "05-voorbeeld")

    # -- the dead notification, retried ----------------------------------------------------------
    page.get_by_role("link", name="Onbestelbare berichten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onbestelbare berichten")
    dead = page.locator("#deliveries tbody tr")
    expect(dead).to_have_count(1)
    expect(dead).to_contain_text("onbestelbaar")
    expect(dead).to_contain_text("o***@voorbeeld.nl")
    expect(dead.locator("td[data-label='Pogingen']")).to_have_text(str(MAX_ATTEMPTS))
    shot(page, "06-onbestelbaar")
    stack.mail.start()
    dead.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.locator(".flash")).to_have_text("Het bericht staat opnieuw in de wachtrij.")
    wait_until(lambda: stack.guardian_mail(), timeout=30, message="the retried message")
    assert stack.guardian_mail() == ["Ondersteuning gestart voor Daan"]
    page.get_by_label("Status").select_option("sent")
    page.get_by_role("button", name="Filter toepassen").click()
    expect(page.locator("#deliveries")).to_contain_text("o***@voorbeeld.nl")
    shot(page, "07-verstuurd")

    # -- the school's evaluations by week, and the reports with a PDF through the console --------
    page.get_by_role("link", name="Evaluaties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluaties")
    weeks = page.locator("#weeks")
    expect(weeks).to_contain_text("Evaluatie interventie")
    expect(weeks).to_contain_text("Daan M.")
    expect(page.get_by_role("button", name="Abonnement maken of vernieuwen")).to_be_visible()
    shot(page, "08-evaluaties")
    admin = stack.cases.admin()
    wait_until(  # the reports consumer has seen the school
        lambda: requests.get(
            f"{reports_url}/api/v1/reports/schedules",
            headers={"Authorization": f"Bearer {admin.token}"},
            timeout=5,
        ).json()["schools"],
        timeout=20,
        message="the school in the reports service",
    )
    page.get_by_role("link", name="Rapportages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapportages")
    expect(page.locator("#school-schedules")).to_contain_text("OBS De Regenboog")
    shot(page, "09-rapportages")
    school = page.locator("#downloads section", has_text="OBS De Regenboog")
    with page.expect_download() as download_info:
        school.get_by_role("link", name=re.compile(r"Kwartaal.*: PDF")).click()
    download = download_info.value
    assert re.fullmatch(
        r"rapportage-[0-9a-f-]{36}-2026-07-01-2026-09-30\.pdf", (download.suggested_filename)
    ), download.suggested_filename
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    page.get_by_role("link", name="Verzendlog").click()

    # -- English once ----------------------------------------------------------------------------
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery log")
    shot(page, "10-english")
    page.get_by_role("link", name="Nederlands").click()

    # -- a phone: the policy list fits without scrolling sideways --------------------------------
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("link", name="Meldingsbeleid").click()
    expect(page.locator("#policies")).to_contain_text("evaluatie_week_vooraf")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 375, widths
    shot(page, "11-telefoon", full_page=False)

    # -- the guardian's link in the message opens their settings on the parents' pages ----------
    [mail] = stack.mail.to(GUARDIAN)
    found = re.search(r"/ouders/voorkeuren/[\w.\-~]+", mail.body)  # straight to the page
    assert found, mail.body
    web_url = start_web(stack.cases, NOTIFICATIONS_URL=console_url)
    guardian = browser.new_page(viewport={"width": 375, "height": 812}, bypass_csp=True)
    guardian.goto(web_url + found.group(0))
    expect(guardian.get_by_role("heading", level=1)).to_have_text("Uw berichtinstellingen")
    guardian.get_by_label("English").check()
    guardian.get_by_role("button", name="Opslaan").click()
    expect(guardian.locator(".notice--success")).to_have_text("Your settings are saved.")
    expect(guardian.locator("html")).to_have_attribute("lang", "en")
    shot(guardian, "12-ouder-instellingen")
    assert not (found_violations := violations(guardian)), describe(found_violations)
    guardian.get_by_label("العربية").check()
    guardian.get_by_role("button", name="Save").click()
    expect(guardian.locator("html")).to_have_attribute("dir", "rtl")
    shot(guardian, "13-ouder-instellingen-ar")
    assert not (found_violations := violations(guardian)), describe(found_violations)
