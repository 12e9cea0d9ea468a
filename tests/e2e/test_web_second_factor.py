"""The second factor in a real browser (issue 12): Debian's Chromium against the cases service and
the web app under gunicorn, on the demo data, with real codes from pyotp on the processes' clock.
The partnership requires a second factor: the IB'er's first log-in links an app (QR code and
key), confirms it with a code and sees the recovery codes once; the next log-in asks for the code.
Every page is screenshotted to test-artifacts/web/ (`second-factor-*.png`) and passes axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from playwright.sync_api import Browser, expect

from shared.clock import utc_iso
from tests.conftest import NOW
from tests.e2e.conftest import CasesStack, new_walk, start_web
from tests.support.processes import PYTHON, run_cli

IB_EMAIL, PASSWORD = "ib@regenboog.demo", "demo-wachtwoord-2026"
ADMIN_EMAIL = "beheer@swv-haarlemmermeer.demo"


def test_a_required_second_factor_in_chromium(cases_stack: CasesStack, chromium: Browser) -> None:
    run_cli([PYTHON, "-m", "services.cases", "demo-data"], cases_stack.env)
    admin = cases_stack.client().login(ADMIN_EMAIL, PASSWORD)
    partnership = admin.get("/api/v1/schools")[0]["partnership_id"]
    admin.call(
        "PATCH",
        f"/api/v1/partnerships/{partnership}/settings",
        json={"staff_second_factor_required": True},
    )
    base_url = start_web(cases_stack)
    walk = new_walk(chromium, "second-factor-*.png")
    page = walk.page
    try:
        page.goto(f"{base_url}/inloggen")
        page.get_by_label("E-mailadres").fill(IB_EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page).to_have_url(re.compile(r"/inloggen/koppelen$"))
        expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
        walk.check("second-factor-01-koppelen")
        secret = page.locator("#totp-secret").inner_text()
        totp = pyotp.TOTP(secret)

        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Koppelen").click()
        expect(page.locator(".error-summary")).to_contain_text("De code klopt niet")
        walk.check("second-factor-02-code-fout")
        page.get_by_label("Code").fill(totp.at(NOW))
        page.get_by_role("button", name="Koppelen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        walk.check("second-factor-03-herstelcodes")
        page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leerlingen")

        page.get_by_role("link", name="Mijn account").click()
        expect(page.locator("#second-factor-on")).to_be_visible()
        walk.check("second-factor-04-account")
        page.get_by_role("button", name="Uitloggen").click()

        page.get_by_label("E-mailadres").fill(IB_EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page).to_have_url(re.compile(r"/inloggen/code$"))
        walk.check("second-factor-05-code")
        later = NOW + timedelta(seconds=30)  # a code of the next time step (none is used twice)
        cases_stack.set_time(utc_iso(later))
        page.get_by_label("Code").fill(totp.at(later))
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leerlingen")
    finally:
        page.context.close()
    assert walk.pages == 5
