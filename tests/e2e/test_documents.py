"""Documents in a real browser (issue 14): Debian's Chromium against the cases service
(gunicorn), notifications (for the parent's sign-in e-mail) and the web app under gunicorn.

The coordinator attaches two documents on the case page, the parent (signed in by the e-mailed
link) shares one of them, and the consultant sees exactly that one, on the page and in the API.
Every page is screenshotted to test-artifacts/web/documents-*.png and passes axe-core."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import CasesStack, new_walk, start_web
from tests.e2e.test_notifications import (  # noqa: F401  (stack: a fixture used here)
    GUARDIAN,
    PASSWORD,
    Stack,
    _story_until_plan,
    stack,
)
from tests.e2e.test_parents import _sign_in_links
from tests.support import documents as files

CONSULTANT = "consulent@swv.test"


@pytest.fixture
def web_url(cases_stack: CasesStack) -> str:
    return start_web(cases_stack)


@pytest.fixture
def notifications_extra_env(web_url: str) -> dict[str, str]:
    return {"WEB_PUBLIC_URL": web_url}


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_coordinator_attaches_two_the_parent_shares_one_the_consultant_sees_that_one(
    stack: Stack,  # noqa: F811
    web_url: str,
    chromium: Browser,
    tmp_path: Path,
) -> None:
    stack.at(2026, 10, 15, 8)
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 26))
    admin = stack.cases.admin()
    user = {"role": "consultant", "email": CONSULTANT, "name": "Consulent", "password": PASSWORD}
    admin.post("/api/v1/users", user, expect=201)
    report, letter = tmp_path / "verslag-psycholoog.pdf", tmp_path / "observatie.png"
    report.write_bytes(files.PDF)
    letter.write_bytes(files.PNG)
    hostile = tmp_path / "rapport.pdf"
    hostile.write_bytes(files.EXECUTABLE)

    # -- the coordinator attaches two documents (and one that is refused) --------------------
    walk = new_walk(chromium, "documents-*.png")
    page = walk.page
    _log_in(page, web_url, "ib@regenboog.test")
    page.goto(f"{web_url}/trajecten/{case['id']}")
    expect(page.locator("#documenten")).to_have_text("Documenten")
    walk.check("documents-01-geen")
    page.get_by_label("Document toevoegen").set_input_files(str(hostile))
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Dit soort bestand kan niet")
    walk.check("documents-02-geweigerd")
    for path in (report, letter):
        page.get_by_label("Document toevoegen").set_input_files(str(path))
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        expect(page.locator(".notice--success")).to_contain_text(f"{path.name} is toegevoegd")
    expect(page.locator("#documents tbody tr")).to_have_count(2)
    walk.check("documents-03-twee")
    with page.expect_download() as download:
        page.get_by_role("link", name="verslag-psycholoog.pdf").click()
    assert Path(download.value.path()).read_bytes() == files.PDF
    page.context.close()

    # -- the parent signs in by the e-mailed link and shares the report only -----------------
    walk = new_walk(chromium, width=390, height=844)
    page = walk.page
    page.goto(f"{web_url}/ouders/inloggen")
    page.get_by_label("E-mailadres").fill(GUARDIAN)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    [link] = _sign_in_links(stack, 1)
    page.goto(link)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Daan Mulder").click()
    documents = page.locator(".documents")
    expect(documents).to_contain_text("verslag-psycholoog.pdf")
    expect(documents).to_contain_text("U heeft nog niet gekozen")
    walk.check("documents-04-ouder")
    page.get_by_role("button", name=re.compile(r"Delen .*verslag-psycholoog\.pdf")).click()
    expect(page.locator(".notice--success")).to_contain_text(
        "is gedeeld met het samenwerkingsverband"
    )
    walk.check("documents-05-ouder-gedeeld")
    page.context.close()

    # -- the consultant sees exactly the shared one ------------------------------------------
    walk = new_walk(chromium)
    page = walk.page
    _log_in(page, web_url, CONSULTANT)
    page.goto(f"{web_url}/trajecten/{case['id']}")
    rows = page.locator("#documents tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("verslag-psycholoog.pdf")
    expect(page.locator("main")).not_to_contain_text("observatie.png")
    walk.check("documents-06-consulent")
    page.context.close()

    consultant = stack.cases.client().login(CONSULTANT, PASSWORD)
    seen = consultant.get(f"/api/v1/cases/{case['id']}/documents")["items"]
    assert [d["filename"] for d in seen] == ["verslag-psycholoog.pdf"]
    assert seen[0]["shared_with_partnership"] is True
    assert len(ib.get(f"/api/v1/cases/{case['id']}/documents")["items"]) == 2
