"""The administrators' pages of the web front end (once the notifications console) in a real
browser: Playwright drives Debian's Chromium (headless) against the running system of
test_notifications.py (cases web + relay; notifications consumer, Celery worker and beat; a real
SMTP server; one clock file), the notifications API under gunicorn, the reports service (web +
consumer) and the web app, which asks those APIs with the signed-in user's token.

A message to a guardian dies for real (the SMTP server is down and the clock file moves past every
retry), then in the browser the administrator logs in (Dutch), creates a policy, previews it,
opens the dead notifications and retries one, which the SMTP server then receives; opens the
school's evaluations and the reports, and downloads a PDF through the web app. Every page is
checked with axe-core (0 serious or critical violations) and screenshotted to test-artifacts/web/
(beheer-*.png). The guardian's preference link opens their settings on the parents' pages.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect

from shared.clock import utc_iso
from tests.e2e import test_notifications as system
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, new_walk, start_web
from tests.e2e.test_notifications import GUARDIAN, PASSWORD, Stack, _story_until_plan
from tests.support.processes import PYTHON, run_cli, service_env, start_web_app, wait_until

stack = system.stack  # the running system's fixture, reused (not a copy)
MAX_ATTEMPTS = 12  # the service's default: about four hours of outage before a message is dead


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
def notifications_url(stack: Stack, reports_url: str) -> str:
    """The notifications web app (API, log-in and preference pages) under gunicorn, on the
    system's clock."""
    _web, base_url = start_web_app(
        stack.processes,
        "notifications-web",
        "services.notifications.app:create_app()",
        {**stack.env, "NOTIFICATIONS_REPORTS_API_URL": reports_url},
    )
    return base_url


@pytest.fixture
def web_url(stack: Stack, notifications_url: str, reports_url: str) -> str:
    """The web front end, asking the cases, notifications and reports APIs."""
    return start_web(stack.cases, NOTIFICATIONS_URL=notifications_url, REPORTS_URL=reports_url)


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


@pytest.mark.timeout(300)  # six services as processes, and their shutdown, on a busy machine
def test_the_administrators_pages_in_chromium(
    stack: Stack,
    notifications_url: str,
    reports_url: str,
    web_url: str,
    chromium: Browser,
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

    walk = new_walk(chromium, stale="beheer-*.png")
    page = walk.page
    # -- log in, in Dutch, and land on the policies ---------------------------------------------
    page.goto(f"{web_url}/beheer/berichten")
    expect(page).to_have_url(re.compile(r"/inloggen"))
    page.get_by_label("E-mailadres").fill(ADMIN_EMAIL)
    page.get_by_label("Wachtwoord").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/beheer/berichten$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingsbeleid")
    expect(page.locator("#policies")).to_contain_text("Start van ondersteuning")
    walk.check("beheer-01-beleid")

    # -- create a policy, after one refusal shown at its field ------------------------------------
    page.get_by_role("link", name="Nieuw beleid").click()
    page.get_by_label("Naam").fill("Evaluatie interventie: week vooraf aan de IB'er")
    page.get_by_label("Sleutel").fill("Niet Goed")
    page.get_by_label("Interventie gestart intervention.started").check()
    page.get_by_label("intern begeleider: e-mail").check()
    page.get_by_label("Herinneringen, dagen vooraf").fill("7")
    walk.check("beheer-02-nieuw-beleid")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_title(re.compile(r"^Fout: "))
    expect(page.locator(".error-summary")).to_contain_text("Alleen kleine letters")
    walk.check("beheer-03-nieuw-beleid-fout")
    page.get_by_label("Sleutel").fill("evaluatie_week_vooraf")
    page.get_by_role("button", name="Voorbeeld").click()
    expect(page.locator("#simulation")).to_contain_text("Voorbeeld: wat dit beleid zou versturen")
    walk.check("beheer-04-beleid-voorbeeld")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".notice--success")).to_contain_text("is opgeslagen")
    row = page.locator("#policies tr", has_text="evaluatie_week_vooraf")
    expect(row).to_contain_text("intern begeleider (e-mail)")

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

    # -- what it will send ----------------------------------------------------------------------
    row.get_by_role("link", name="Voorbeeld").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorbeeld: Evaluatie")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("05-11-2026 08:00")  # a week before 12 November, 08:00
    expect(preview).to_contain_text("i***@regenboog.test")
    expect(preview).to_contain_text("Interventie gestart (herinnering)")
    walk.check("beheer-05-vooruitblik")

    # -- the dead notification, retried ----------------------------------------------------------
    page.get_by_role("link", name="Verzendlog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzendlog")
    walk.check("beheer-06-verzendlog")
    page.get_by_role("link", name="Onbestelbare berichten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onbestelbare berichten")
    dead = page.locator("#deliveries tbody tr")
    expect(dead).to_have_count(1)
    expect(dead).to_contain_text("onbestelbaar")
    expect(dead).to_contain_text("o***@voorbeeld.nl")
    expect(dead.locator("td[data-label='Pogingen']")).to_have_text(str(MAX_ATTEMPTS))
    walk.check("beheer-07-onbestelbaar")
    stack.mail.start()
    dead.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.locator(".notice--success")).to_have_text(
        "Het bericht staat opnieuw in de wachtrij."
    )
    wait_until(lambda: stack.guardian_mail(), timeout=30, message="the retried message")
    assert stack.guardian_mail() == ["Ondersteuning gestart voor Daan"]
    page.get_by_label("Status").select_option("sent")
    page.get_by_role("button", name="Filter toepassen").click()
    expect(page.locator("#deliveries")).to_contain_text("o***@voorbeeld.nl")

    # -- the school's evaluations by week, and the reports with a PDF through the web app --------
    page.get_by_role("link", name="Evaluaties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluaties")
    weeks = page.locator("#weeks")
    expect(weeks).to_contain_text("Evaluatie interventie")
    expect(weeks).to_contain_text("Daan M.")
    expect(page.get_by_role("button", name="Abonnement maken of vernieuwen")).to_be_visible()
    walk.check("beheer-08-evaluaties")
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
    walk.check("beheer-09-rapportages")
    school = page.locator("#downloads section", has_text="OBS De Regenboog")
    with page.expect_download() as download_info:
        school.get_by_role("link", name=re.compile(r"Kwartaal.*: PDF")).click()
    download = download_info.value
    assert re.fullmatch(
        r"rapportage-[0-9a-f-]{36}-2026-07-01-2026-09-30\.pdf", (download.suggested_filename)
    ), download.suggested_filename
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    # -- English once ----------------------------------------------------------------------------
    page.get_by_role("link", name="Verzendlog").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery log")
    walk.check("beheer-10-english")
    page.get_by_role("button", name="Nederlands").click()

    # -- a phone: the policy list fits without scrolling sideways --------------------------------
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("link", name="Meldingsbeleid").click()
    expect(page.locator("#policies")).to_contain_text("evaluatie_week_vooraf")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 375, widths
    walk.check("beheer-11-telefoon", full_page=False)
    print(f"{walk.pages} pages, 0 violations")
    page.context.close()

    # -- the guardian's link in the message opens their settings on the parents' pages ----------
    [mail] = stack.mail.to(GUARDIAN)
    found = re.search(r"/ouders/voorkeuren/[\w.\-~]+", mail.body)  # straight to the page
    assert found, mail.body
    guardian = new_walk(chromium, width=375, height=812)
    guardian.page.goto(web_url + found.group(0))
    expect(guardian.page.get_by_role("heading", level=1)).to_have_text("Uw berichtinstellingen")
    guardian.page.get_by_label("English").check()
    guardian.page.get_by_role("button", name="Opslaan").click()
    expect(guardian.page.locator(".notice--success")).to_have_text("Your settings are saved.")
    expect(guardian.page.locator("html")).to_have_attribute("lang", "en")
    guardian.check("beheer-ouder-instellingen")
    guardian.page.get_by_label("العربية").check()
    guardian.page.get_by_role("button", name="Save").click()
    expect(guardian.page.locator("html")).to_have_attribute("dir", "rtl")
    guardian.check("beheer-ouder-instellingen-ar")
    guardian.page.context.close()
