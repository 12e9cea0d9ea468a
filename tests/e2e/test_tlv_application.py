"""The TLV application in a real browser (issue 14): Debian's Chromium against the cases service
(gunicorn), notifications (the parent's sign-in e-mail) and the web app under gunicorn.

The coordinator attaches two documents to a referred case and puts both in the application; the
parent (signed in by the e-mailed link) shares only one of them and gives their view online; the
director signs off; the coordinator submits without the parents' agreement (the warning, the
ticked box). The consultant finds it flagged, sees exactly the shared document, records two
advices and the decision, and downloads the letter. The outcome is checked in the cases API.
Every page is screenshotted to test-artifacts/web/tlv-*.png and passes axe-core."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Client, new_walk
from tests.e2e.test_documents import (  # noqa: F401  (fixtures used here)
    _log_in,
    notifications_extra_env,
    web_url,
)
from tests.e2e.test_notifications import (  # noqa: F401  (stack: a fixture used here)
    GUARDIAN,
    PASSWORD,
    Stack,
    _plan,
    _story_until_plan,
    stack,
)
from tests.e2e.test_parents import _sign_in_links
from tests.support import documents as files
from tests.support.processes import wait_until

CONSULTANT = "consulent@swv.test"
DIRECTOR = "directie@regenboog.test"


def _referred(ib: Client, case: dict, pupil: dict) -> dict:
    """The case's plan agreed and evaluated with the decision to refer: its referral."""
    plan = _plan(ib, case, pupil, date(2026, 11, 26))
    path = f"/api/v1/development-plans/{plan['id']}"
    ib.post(f"{path}/consultation", {"held_on": "2026-10-15", "participants": ["ouders"]})
    ib.post(f"{path}/pupil-view", {"heard_on": "2026-10-15"})
    ib.post(f"{path}/consent-request", {"requested_on": "2026-10-15"})
    guardian = pupil["guardians"][0]["id"]
    body = {"decision": "agreed", "recorded_on": "2026-10-15", "guardian_ids": [guardian]}
    ib.post(f"{path}/consent", body)
    body = {"held_on": "2026-10-15", "decision": "refer", "referral_destination": "so"}
    ib.post(f"{path}/evaluation", body)
    referred = ib.get(f"/api/v1/cases/{case['id']}")
    assert referred["status"] == "referred"
    return referred["referrals"][0]


def _users(running: Stack, case: dict) -> None:
    admin = running.cases.admin()
    consultant = {"role": "consultant", "email": CONSULTANT, "name": "Consulent"}
    admin.post("/api/v1/users", {**consultant, "password": PASSWORD}, expect=201)
    director = {"role": "director", "email": DIRECTOR, "name": "Directeur"}
    body = {**director, "password": PASSWORD, "school_id": case["school_id"]}
    admin.post("/api/v1/users", body, expect=201)


def test_the_application_from_the_school_to_the_partnerships_decision(
    stack: Stack,  # noqa: F811
    web_url: str,  # noqa: F811
    chromium: Browser,
    tmp_path: Path,
) -> None:
    stack.at(2026, 10, 15, 8)
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 26))
    referral = _referred(ib, case, pupil)
    _users(stack, case)
    report, photo = tmp_path / "verslag-psycholoog.pdf", tmp_path / "observatie.png"
    report.write_bytes(files.PDF)
    photo.write_bytes(files.PNG)
    application = f"{web_url}/trajecten/{case['id']}/verwijzingen/{referral['id']}/aanvraag"

    # -- the coordinator attaches two documents and puts both in the application ------------
    walk = new_walk(chromium, "tlv-*.png")
    page = walk.page
    _log_in(page, web_url, "ib@regenboog.test")
    page.goto(f"{web_url}/trajecten/{case['id']}")
    for path in (report, photo):
        page.get_by_label("Document toevoegen").set_input_files(str(path))
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        expect(page.locator(".notice--success")).to_contain_text(f"{path.name} is toegevoegd")
    page.get_by_role("link", name="Aanvraag TLV").click()
    expect(page).to_have_url(application)
    walk.check("tlv-01-aanvraag-nieuw")
    page.get_by_role("button", name="Aanvraag starten").click()
    expect(page.locator("#steps")).to_be_visible()
    walk.check("tlv-02-takenlijst")
    page.locator("#steps").get_by_role("link", name="Documenten kiezen").click()
    page.get_by_label("verslag-psycholoog.pdf").check()
    page.get_by_label("observatie.png").check()
    page.get_by_label("Waarom vraagt de school een TLV aan?").fill(
        "De leesachterstand en faalangst vragen meer dan de school kan bieden."
    )
    walk.check("tlv-03-documenten-kiezen")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator(".notice--success")).to_contain_text("documenten bij de aanvraag")
    expect(page.locator("#application-documents tbody tr")).to_have_count(2)
    page.context.close()

    # -- the parent shares only the report and gives their view online ------------------------
    walk = new_walk(chromium, width=390, height=844)
    page = walk.page
    page.goto(f"{web_url}/ouders/inloggen")
    page.get_by_label("E-mailadres").fill(GUARDIAN)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    [link] = _sign_in_links(stack, 1)
    page.goto(link)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Daan Mulder").click()
    page.get_by_role("button", name=re.compile(r"Delen .*verslag-psycholoog\.pdf")).click()
    expect(page.locator(".notice--success")).to_contain_text("is gedeeld")
    page.get_by_role("link", name="De aanvraag bekijken").click()
    documents = page.locator("#application-documents")
    expect(documents).to_contain_text("Gedeeld met het samenwerkingsverband.")
    expect(documents).to_contain_text("Niet gedeeld: het samenwerkingsverband ziet dit document")
    walk.check("tlv-04-ouder-aanvraag")
    page.get_by_role("link", name="Uw zienswijze geven").click()
    page.get_by_label("Wat vindt u van de aanvraag?").fill(
        "Wij willen eerst samen met de school de nieuwe school bekijken."
    )
    walk.check("tlv-05-ouder-zienswijze")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator(".notice--success")).to_contain_text("Uw zienswijze staat nu bij")
    page.context.close()

    # -- the director signs off ---------------------------------------------------------------
    walk = new_walk(chromium)
    page = walk.page
    _log_in(page, web_url, DIRECTOR)
    page.get_by_role("link", name="Aanvragen TLV", exact=True).click()
    expect(page.locator("#drafts")).to_contain_text("nog niet ondertekend")
    walk.check("tlv-06-directeur-lijst")
    page.get_by_role("link", name="Daan Mulder").click()
    page.get_by_role("link", name="Aanvraag ondertekenen").click()
    walk.check("tlv-07-directeur-ondertekenen")
    page.get_by_role("button", name="Ondertekenen").click()
    expect(page.locator("#sign-off-state")).to_contain_text("ondertekend op 15 oktober 2026")
    page.context.close()

    # -- the coordinator submits without the parents' agreement -------------------------------
    walk = new_walk(chromium)
    page = walk.page
    _log_in(page, web_url, "ib@regenboog.test")
    page.goto(application)
    page.get_by_role("link", name="Aanvraag indienen").click()
    expect(page.locator("#no-agreement")).to_contain_text("niet ingestemd")
    walk.check("tlv-08-indienen-waarschuwing")
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.locator(".error-summary")).to_contain_text("Vink aan")
    page.get_by_label("Ik dien de aanvraag in zonder instemming van de ouders.").check()
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.locator("#without-parents")).to_be_visible()
    walk.check("tlv-09-ingediend")
    page.context.close()

    # -- the consultant: the flag, exactly the shared document, two advices, the decision -----
    walk = new_walk(chromium)
    page = walk.page
    _log_in(page, web_url, CONSULTANT)
    page.get_by_role("link", name="Aanvragen TLV", exact=True).click()
    row = page.locator("#applications tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("zonder instemming ouders")
    expect(row).to_contain_text("26 november 2026")
    walk.check("tlv-10-consulent-lijst")
    page.get_by_role("link", name="Daan Mulder").click()
    shared = page.locator("#application-documents tbody tr")
    expect(shared).to_have_count(1)
    expect(shared).to_contain_text("verslag-psycholoog.pdf")
    expect(page.locator("main")).not_to_contain_text("observatie.png")
    walk.check("tlv-11-consulent-aanvraag")
    for role, name in (("psycholoog", "Drs. A. de Vries"), ("deskundige", "M. Bakker")):
        page.get_by_role("link", name=re.compile(r"Advies vastleggen")).click()
        page.get_by_label(role, exact=True).check()
        page.get_by_label("Naam van de adviseur").fill(name)
        page.get_by_label("Conclusie van het advies").fill(
            "Toelaatbaar tot het speciaal onderwijs."
        )
        walk.check(f"tlv-12-advies-{role}")
        page.get_by_role("button", name="Advies vastleggen").click()
        expect(page.locator(".notice--success")).to_contain_text("Het advies is vastgelegd.")
    page.get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label("toegekend").check()
    page.get_by_label("speciaal onderwijs (so)").check()
    page.get_by_label("midden").check()
    walk.check("tlv-13-besluit")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("#decision")).to_contain_text("toegekend")
    walk.check("tlv-14-besloten")
    with page.expect_download() as download:
        page.get_by_role("link", name="De besluitbrief als PDF downloaden").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.context.close()

    # -- the outcome in the cases API ---------------------------------------------------------
    consultant = stack.cases.client().login(CONSULTANT, PASSWORD)
    shown = consultant.get(f"/api/v1/referrals/{referral['id']}/application")
    assert [d["filename"] for d in shown["documents"]] == ["verslag-psycholoog.pdf"]
    assert shown["status"] == "decided" and shown["parents_agreed"] is False
    assert [a["adviser_role"] for a in shown["advices"]] == ["psycholoog", "deskundige"]
    assert shown["decision"]["school_type"] == "so" and shown["decision"]["category"] == "medium"
    assert shown["parents_view"]["channel"] == "online"
    assert len(ib.get(f"/api/v1/referrals/{referral['id']}/application")["documents"]) == 2

    # -- the parent receives the decision's message: no details, the link to the application -
    def decision_mail() -> list:
        return [
            m for m in stack.mail.to(GUARDIAN) if m.subject.startswith("Besluit over de aanvraag")
        ]

    [mail] = wait_until(decision_mail, timeout=60, message="the parent's message on the decision")
    assert f"{web_url}/ouders/aanvragen/{referral['id']}" in mail.body.splitlines()
    assert "bezwaar" in mail.body and "Landelijke Bezwaaradviescommissie" in mail.body
    assert "toegekend" not in mail.body and "speciaal onderwijs" not in mail.body  # in the letter
